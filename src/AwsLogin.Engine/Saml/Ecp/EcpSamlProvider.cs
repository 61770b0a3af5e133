using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Saml.Ecp;

/// <summary>
/// Signs in through the SAML 2.0 ECP profile as Shibboleth serves it: POSTs a SOAP AuthnRequest for AWS with HTTP
/// Basic authentication and the Duo headers, and takes the samlp:Response out of the SOAP answer. The IdP's session
/// cookies are saved per profile and endpoint and tried first next time, so a sign-in inside the IdP session sends no
/// password and needs no second factor.
/// </summary>
internal sealed class EcpSamlProvider : ISamlAssertionProvider
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    // RFC 9110 token characters: what a header name may hold.
    private static readonly Regex s_headerName = new(@"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", RegexOptions.CultureInvariant);

    private readonly EcpProviderOptions _options;
    private readonly EngineContext _context;
    private readonly IdpSessionStore _sessions;
    private readonly string _sessionKey;
    private readonly string _target;

    public EcpSamlProvider(EcpProviderOptions options, EngineContext context)
    {
        _options = options;
        _context = context;
        _target = options.EndpointUrl.ToString();
        Validate(options, _target);
        _sessions = new IdpSessionStore(context.HomeDirectory, context.UtcNow);
        _sessionKey = IdpSessionStore.Key(options.ProfileName, options.EndpointUrl);
    }

    public string Name => "ECP";

    public Uri Endpoint => _options.EndpointUrl;

    public string? KnownUserName => _options.Credential?.UserName ?? _options.UserName ?? _sessions.Load(_sessionKey, Endpoint)?.UserName;

    public async Task<SamlSignInResult> SignInAsync(CancellationToken cancellationToken)
    {
        if (_options.SkipCertificateCheck)
        {
            _context.Log.Warning($"SkipCertificateCheck is set: the TLS certificate of the identity provider at '{_target}' is NOT checked. Anyone on the network path can read the password and passcode sent to it and hand back a forged assertion. Use this only with a test IdP.");
        }

        return await _sessions.SignInAsync(
            _sessionKey,
            Endpoint,
            _options.Credential?.UserName ?? _options.UserName,
            _context,
            saved => TrySessionAsync(saved, cancellationToken),
            (saved, sessionEnded) => new IdpPasswordFlow(_options, _context)
                .SignInAsync(saved?.UserName, sessionEnded, credential => SignInWithPasswordAsync(credential, cancellationToken), cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<SamlSignInResult?> TrySessionAsync(IdpSession saved, CancellationToken cancellationToken)
    {
        var cookies = saved.ToContainer(Endpoint);

        _context.Log.Verbose($"Signing in to {_target} with the saved IdP session of {saved.UserName}; no password is sent.");
        using var http = CreateClient(cookies);
        var answer = await PostAsync(http, credential: null, factor: null, passcode: null, cancellationToken).ConfigureAwait(false);
        if (answer.Status == HttpStatusCode.Unauthorized)
        {
            _context.Log.Verbose("The IdP session has ended (HTTP 401).");
            return null;
        }

        try
        {
            return Finish(answer, cookies, saved.UserName);
        }
        catch (AwsLoginException ex) when (ex.Code == SamlErrors.StatusFailure)
        {
            _context.Log.Verbose("The IdP did not accept the saved session (" + ex.Code + ").");
            return null;
        }
    }

    private async Task<SamlSignInResult> SignInWithPasswordAsync(IdpCredential credential, CancellationToken cancellationToken)
    {
        var factor = _options.Factor ?? (_options.Passcode is null ? null : DuoFactor.Passcode);
        var passcode = _options.Passcode;
        if (factor == DuoFactor.Sms && passcode is not null)
        {
            // A passcode in hand (texted earlier) is used at once instead of having new ones texted.
            factor = DuoFactor.Passcode;
        }

        if (factor == DuoFactor.Passcode && passcode is null)
        {
            passcode = await AskPasscodeAsync($"Enter a Duo passcode for {credential.UserName} at {Endpoint.Host}", cancellationToken).ConfigureAwait(false)
                ?? throw SamlErrors.NoPasscode(_target, smsSent: false);
        }

        var cookies = new CookieContainer();
        using var http = CreateClient(cookies);
        _context.Log.Verbose($"Signing in to {_target} as {credential.UserName}{(factor is null ? string.Empty : " with Duo factor " + FactorValue(factor.Value))}.");
        var answer = await PostAsync(http, credential, factor, passcode, cancellationToken).ConfigureAwait(false);
        if (factor == DuoFactor.Sms && answer.Status == HttpStatusCode.Unauthorized)
        {
            // Duo's sms factor texts new passcodes and fails the attempt by design; Shibboleth answers it with 401.
            _context.Log.Verbose("The IdP refused the first attempt, as Shibboleth's Duo flow does after texting new passcodes.");
            passcode = await AskPasscodeAsync($"Duo has sent passcodes by SMS. Enter one of them for {credential.UserName} at {Endpoint.Host}", cancellationToken).ConfigureAwait(false)
                ?? throw SamlErrors.NoPasscode(_target, smsSent: true);
            factor = DuoFactor.Passcode;
            answer = await PostAsync(http, credential, factor, passcode, cancellationToken).ConfigureAwait(false);
        }

        if (answer.Status == HttpStatusCode.Unauthorized)
        {
            throw SamlErrors.Authentication(
                _target,
                credential.UserName,
                factor is null
                    ? "wrong user name or password (HTTP 401)"
                    : $"wrong user name or password, or the Duo {FactorValue(factor.Value)} was refused or not answered in time (HTTP 401)");
        }

        return Finish(answer, cookies, credential.UserName);
    }

    private SamlSignInResult Finish(Answer answer, CookieContainer cookies, string userName)
    {
        var status = (int)answer.Status;
        if (status is >= 300 and < 400)
        {
            throw SamlErrors.Redirected(_target, status, answer.Location);
        }

        if (answer.Status != HttpStatusCode.OK)
        {
            // A SOAP fault explains more than the status; anything else is reported by its status alone.
            if (answer.ContentType?.IndexOf("xml", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                try
                {
                    EcpEnvelope.ExtractResponse(answer.Body, answer.ContentType, _options.AssertionConsumerServiceUrl, _target);
                }
                catch (AwsLoginException ex) when (ex.Code == SamlErrors.IdpError)
                {
                    throw;
                }
                catch (AwsLoginException)
                {
                    // Not a fault: report the HTTP status.
                }
            }

            throw SamlErrors.HttpFailure(_target, status, answer.Reason);
        }

        var responseXml = EcpEnvelope.ExtractResponse(answer.Body, answer.ContentType, _options.AssertionConsumerServiceUrl, _target);
        var assertion = SamlResponseReader.FromXml(responseXml, _target, _context.Log);
        _sessions.Save(_sessionKey, Endpoint, new IdpSession(userName, cookies.GetCookies(Endpoint).Cast<Cookie>().ToArray()));
        _context.Log.Verbose($"Signed in to {_target} as {userName}: the assertion grants {assertion.Roles.Count} role(s).");
        return new SamlSignInResult(assertion, userName);
    }

    private async Task<Answer> PostAsync(HttpClient http, IdpCredential? credential, DuoFactor? factor, SecureString? passcode, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new ByteArrayContent(EcpEnvelope.AuthnRequest(_options.ServiceProviderEntityId, _options.AssertionConsumerServiceUrl, _context.UtcNow())),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/xml") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Accept", EcpEnvelope.AcceptHeader);
        request.Headers.TryAddWithoutValidation("PAOS", EcpEnvelope.PaosHeader);
        if (credential is not null)
        {
            // RFC 7617: user-id ":" password, UTF-8, base64.
            var pair = Encoding.UTF8.GetBytes(credential.UserName + ":" + IdpCredential.Reveal(credential.Password));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
            Array.Clear(pair, 0, pair.Length);
            if (factor is { } duo)
            {
                request.Headers.TryAddWithoutValidation(_options.DuoFactorHeader, FactorValue(duo));
                if (duo == DuoFactor.Passcode && passcode is not null)
                {
                    request.Headers.TryAddWithoutValidation(_options.DuoPasscodeHeader, IdpCredential.Reveal(passcode).Trim());
                }
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable($"it did not answer within {_options.Timeout.TotalSeconds:0} seconds", null);
        }
        catch (HttpRequestException ex)
        {
            throw SamlErrors.Transport(_target, ex);
        }

        using (response)
        {
            var limit = response.StatusCode == HttpStatusCode.OK ? EcpEnvelope.MaxAnswerBytes : MaxErrorBodyBytes;
            // An error page is read only for what it says: cut at the limit, not refused.
            var body = await IdpResponseReader.ReadAsync(response, limit, failWhenLarger: response.StatusCode == HttpStatusCode.OK, _target, cancellationToken).ConfigureAwait(false);
            return new Answer(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers.Location, response.ReasonPhrase);
        }
    }

    private async Task<SecureString?> AskPasscodeAsync(string message, CancellationToken cancellationToken)
    {
        if (_options.PasscodeProvider is not { } ask)
        {
            return null;
        }

        var answer = await ask(message, cancellationToken).ConfigureAwait(false);
        return answer is null || answer.Length == 0 ? null : answer;
    }

    private HttpClient CreateClient(CookieContainer cookies)
    {
        var handler = new HttpClientHandler
        {
            CookieContainer = cookies,
            UseCookies = true,
            AllowAutoRedirect = false,
        };
        if (_options.SkipCertificateCheck)
        {
            handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
        }

        return new HttpClient(handler, disposeHandler: true) { Timeout = _options.Timeout };
    }

    private AwsLoginException Unreachable(string reason, Exception? inner) => SamlErrors.Unreachable(_target, reason, inner);

    private static void Validate(EcpProviderOptions options, string target)
    {
        var url = options.EndpointUrl;
        if (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            throw SamlErrors.Insecure(target);
        }

        foreach (var header in new[] { options.DuoFactorHeader, options.DuoPasscodeHeader })
        {
            if (string.IsNullOrEmpty(header) || !s_headerName.IsMatch(header))
            {
                throw SamlErrors.BadHeaderName(header);
            }
        }
    }

    private static string FactorValue(DuoFactor factor) => factor switch
    {
        DuoFactor.Auto => "auto",
        DuoFactor.Push => "push",
        DuoFactor.Passcode => "passcode",
        DuoFactor.Sms => "sms",
        DuoFactor.Phone => "phone",
        _ => throw new ArgumentOutOfRangeException(nameof(factor)),
    };


    private sealed class Answer
    {
        public Answer(HttpStatusCode status, string? contentType, byte[] body, Uri? location, string? reason)
        {
            Status = status;
            ContentType = contentType;
            Body = body;
            Location = location;
            Reason = reason;
        }

        public HttpStatusCode Status { get; }

        public string? ContentType { get; }

        public byte[] Body { get; }

        public Uri? Location { get; }

        public string? Reason { get; }
    }
}
