using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Saml.Adfs;

/// <summary>
/// Signs in through ADFS's IdP-initiated sign-on page as a browser would: GET the page for AWS, fill its login form
/// (every field of that form as ADFS served it, plus the user name and password), follow ADFS's redirects, answer a
/// verification-code page, and take the SAMLResponse from the form ADFS would post to AWS. With UseDefaultCredentials
/// ADFS may sign the Windows user in without a form (Kerberos/NTLM). ADFS's session cookies are saved per profile, so a
/// sign-in within the ADFS session sends no password. Every page is read with a size limit and every redirect and
/// form post stays on the IdP's host over https (or loopback).
/// </summary>
internal sealed class AdfsSamlProvider : ISamlAssertionProvider
{
    /// <summary>The largest page read (an ADFS page with a large SAML response is well under it).</summary>
    public const int MaxPageBytes = 1024 * 1024;

    /// <summary>The most redirects followed for one request.</summary>
    public const int MaxRedirects = 10;

    /// <summary>The most forms submitted in one sign-in (user name, password, codes).</summary>
    public const int MaxForms = 6;

    private const int MaxErrorBodyBytes = 64 * 1024;

    // ADFS offers Windows integrated sign-in only to user agents on its WIASupportedUserAgents list (by default the
    // Internet Explorer family, matched on "Trident/7.0"), and the forms page to all others.
    private static readonly string s_formsAgent = "AwsLogin/" + typeof(AdfsSamlProvider).Assembly.GetName().Version!.ToString(3);
    private static readonly string s_integratedAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Trident/7.0; rv:11.0) like Gecko " + s_formsAgent;

    private readonly AdfsProviderOptions _options;
    private readonly EngineContext _context;
    private readonly IdpSessionStore _sessions;
    private readonly string _sessionKey;
    private readonly string _target;
    private readonly Uri _signOnUrl;
    private readonly string? _integratedUser;
    private bool _passcodeUsed;

    public AdfsSamlProvider(AdfsProviderOptions options, EngineContext context)
    {
        _options = options;
        _context = context;
        _target = options.EndpointUrl.ToString();
        var url = options.EndpointUrl;
        if (!url.IsAbsoluteUri || !IsSecure(url))
        {
            throw SamlErrors.Insecure(_target);
        }

        _signOnUrl = options.SignOnUrl();
        _sessions = new IdpSessionStore(context.HomeDirectory, context.UtcNow);
        _sessionKey = IdpSessionStore.Key(options.ProfileName, options.EndpointUrl);
        _integratedUser = options.UseDefaultCredentials && options.Credential is null ? options.UserName ?? WindowsUserName() : null;
    }

    public string Name => "ADFS";

    public Uri Endpoint => _options.EndpointUrl;

    public string? KnownUserName =>
        _options.Credential?.UserName ?? _options.UserName ?? _sessions.Load(_sessionKey, Endpoint)?.UserName ?? _integratedUser;

    public async Task<SamlSignInResult> SignInAsync(CancellationToken cancellationToken)
    {
        if (_options.SkipCertificateCheck)
        {
            _context.Log.Warning($"SkipCertificateCheck is set: the TLS certificate of the identity provider at '{_target}' is NOT checked. Anyone on the network path can read the password and verification code sent to it and hand back a forged assertion. Use this only with a test IdP.");
        }

        return await _sessions.SignInAsync(
            _sessionKey,
            Endpoint,
            _options.Credential?.UserName ?? _options.UserName,
            _context,
            saved => TrySessionAsync(saved, cancellationToken),
            (saved, sessionEnded) => SignInWithoutSessionAsync(saved, sessionEnded, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<SamlSignInResult?> TrySessionAsync(IdpSession saved, CancellationToken cancellationToken)
    {
        _context.Log.Verbose($"Signing in to {_target} with the saved ADFS session of {saved.UserName}; no password is sent.");
        var fromSession = await RunAsync(saved.UserName, credential: null, integrated: false, saved, cancellationToken).ConfigureAwait(false);
        if (fromSession is null)
        {
            _context.Log.Verbose("The ADFS session has ended: ADFS shows its login form again.");
        }

        return fromSession;
    }

    // The Windows identity first (when asked for), then a user name and password.
    private async Task<SamlSignInResult> SignInWithoutSessionAsync(IdpSession? saved, bool sessionEnded, CancellationToken cancellationToken)
    {
        if (_integratedUser is not null)
        {
            _context.Log.Verbose($"Signing in to {_target} as the current Windows user ({_integratedUser}) with Kerberos/NTLM; no password is sent.");
            var integrated = await RunAsync(_integratedUser, credential: null, integrated: true, saved: null, cancellationToken).ConfigureAwait(false);
            if (integrated is not null)
            {
                return integrated;
            }

            _context.Log.Verbose("ADFS did not sign the Windows user in (it offers Windows sign-in only inside its intranet, to browsers on its WIASupportedUserAgents list); signing in with a user name and password instead.");
        }

        return await new IdpPasswordFlow(_options, _context)
            .SignInAsync(saved?.UserName, sessionEnded, credential => SignInWithPasswordAsync(credential, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task<SamlSignInResult> SignInWithPasswordAsync(IdpCredential credential, CancellationToken cancellationToken)
    {
        _context.Log.Verbose($"Signing in to {_target} as {credential.UserName} through the ADFS login form.");
        return await RunAsync(credential.UserName, credential, integrated: false, saved: null, cancellationToken).ConfigureAwait(false)
            ?? throw SamlErrors.FormAuthentication(_target, credential.UserName, null);
    }

    /// <summary>
    /// One pass through ADFS from the sign-on page to the SAML response. Returns null when ADFS wants a password and
    /// <paramref name="credential"/> is null (a saved session that has ended; a Windows sign-in ADFS did not take).
    /// </summary>
    private async Task<SamlSignInResult?> RunAsync(string userName, IdpCredential? credential, bool integrated, IdpSession? saved, CancellationToken cancellationToken)
    {
        var cookies = saved?.ToContainer(Endpoint) ?? new CookieContainer();

        using var http = CreateClient(cookies, integrated);
        var page = await NavigateAsync(http, HttpMethod.Get, _signOnUrl, null, cancellationToken).ConfigureAwait(false);
        var sentUser = false;
        var sentPassword = false;
        var sentCode = false;
        for (var forms = 0; ; forms++)
        {
            if (page.Html is null)
            {
                // HTTP 401: ADFS asks for Windows sign-in (Negotiate/NTLM) that was not given or not accepted.
                if (credential is null)
                {
                    _context.Log.Verbose("ADFS answered HTTP 401 (Windows sign-in not accepted).");
                    return null;
                }

                throw SamlErrors.HttpFailure(_target, 401, "ADFS asks for Windows integrated sign-in (Kerberos/NTLM); try -UseDefaultCredentials");
            }

            if (forms >= MaxForms)
            {
                throw SamlErrors.TooManySteps(_target, "asked for forms", MaxForms);
            }

            var adfs = AdfsPage.Classify(page.Html);
            _context.Log.Verbose($"ADFS page {page.Url.AbsolutePath}: {Describe(adfs.Kind)}.");
            switch (adfs.Kind)
            {
                case AdfsPageKind.SamlResponse:
                    return Finish(adfs, page.Url, cookies, userName);

                case AdfsPageKind.Login:
                    if (credential is null)
                    {
                        return null;
                    }

                    if (sentPassword)
                    {
                        throw SamlErrors.FormAuthentication(_target, credential.UserName, adfs.ErrorText);
                    }

                    sentPassword = true;
                    var userField = AdfsPage.UserField(adfs.Form!);
                    page = await SubmitAsync(http, page.Url, adfs.Form!, input =>
                        input.Type == "password" ? IdpCredential.Reveal(credential.Password)
                        : ReferenceEquals(input, userField) ? credential.UserName
                        : null, cancellationToken).ConfigureAwait(false);
                    break;

                case AdfsPageKind.UserName:
                    if (credential is null)
                    {
                        return null;
                    }

                    if (sentUser)
                    {
                        throw SamlErrors.FormAuthentication(_target, credential.UserName, adfs.ErrorText);
                    }

                    sentUser = true;
                    var nameField = AdfsPage.UserField(adfs.Form!);
                    page = await SubmitAsync(http, page.Url, adfs.Form!, input => ReferenceEquals(input, nameField) ? credential.UserName : null, cancellationToken).ConfigureAwait(false);
                    break;

                case AdfsPageKind.Code:
                    if (sentCode)
                    {
                        throw SamlErrors.CodeRejected(_target, userName, adfs.ErrorText);
                    }

                    var code = await GetCodeAsync(userName, cancellationToken).ConfigureAwait(false)
                        ?? throw SamlErrors.NoCode(_target, userName);
                    sentCode = true;
                    var codeField = AdfsPage.CodeField(adfs.Form!);
                    page = await SubmitAsync(http, page.Url, adfs.Form!, input => ReferenceEquals(input, codeField) ? IdpCredential.Reveal(code).Trim() : null, cancellationToken).ConfigureAwait(false);
                    break;

                case AdfsPageKind.BrowserOnly:
                    throw SamlErrors.NeedsBrowser(_target, page.Html.Frames.Count > 0
                        ? $"its second factor{Named(adfs.AuthMethod)} runs in an embedded frame (as Duo's does)"
                        : $"its additional authentication{Named(adfs.AuthMethod)} has no field for a verification code (it waits for a push, call or text to be approved)");

                default:
                    throw SamlErrors.Unexpected(_target, Summary(page.Html, page.Url));
            }
        }
    }

    private SamlSignInResult Finish(AdfsPage page, Uri pageUrl, CookieContainer cookies, string userName)
    {
        var action = page.Form!.Target(pageUrl);
        if (!IsAwsConsumer(action))
        {
            throw SamlErrors.WrongRecipient(_target, _options.AssertionConsumerServiceUrl, action.GetLeftPart(UriPartial.Path));
        }

        if (string.IsNullOrWhiteSpace(page.SamlResponse))
        {
            throw SamlErrors.NotSaml(_target, "the SAMLResponse field of its form is empty");
        }

        var assertion = SamlResponseReader.FromBase64(page.SamlResponse!, _target, _context.Log);
        _sessions.Save(_sessionKey, Endpoint, new IdpSession(userName, cookies.GetCookies(Endpoint).Cast<Cookie>().ToArray()));
        _context.Log.Verbose($"Signed in to {_target} as {userName}: the assertion grants {assertion.Roles.Count} role(s).");
        return new SamlSignInResult(assertion, userName);
    }

    // AWS's SAML endpoint as configured, or any AWS sign-in host's: regional ones (us-east-1.signin.aws.amazon.com)
    // and the per-provider /saml/acs/ paths are what relying-party trusts may name.
    private bool IsAwsConsumer(Uri action)
    {
        if (Uri.TryCreate(_options.AssertionConsumerServiceUrl, UriKind.Absolute, out var configured)
            && Uri.Compare(action, configured, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
        {
            return true;
        }

        if (action.Scheme != Uri.UriSchemeHttps)
        {
            return false;
        }

        var host = action.Host.ToLowerInvariant();
        var path = action.AbsolutePath.TrimEnd('/');
        return new[] { AwsPartition.Aws, AwsPartition.AwsUsGov, AwsPartition.AwsCn }.Any(p => host == p.SignInHost || host.EndsWith("." + p.SignInHost, StringComparison.Ordinal))
            && (path == "/saml" || path.StartsWith("/saml/acs/", StringComparison.Ordinal));
    }

    private async Task<Page> SubmitAsync(HttpClient http, Uri pageUrl, HtmlForm form, Func<HtmlInput, string?> fill, CancellationToken cancellationToken)
    {
        // Credentials go only to the IdP's own host, over https: a page that posts elsewhere does not get them.
        var action = form.Target(pageUrl);
        if (!IsSecure(action) || !SameHost(action))
        {
            throw SamlErrors.ForeignTarget(_target, "has its form post to", action);
        }

        // ADFS's forms are POST forms; a GET form would put the password into a URL, so it is posted all the same.
        var body = AdfsPage.Encode(AdfsPage.Submission(form, fill));
        try
        {
            return await NavigateAsync(http, HttpMethod.Post, action, body, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Array.Clear(body, 0, body.Length);
        }
    }

    /// <summary>Sends a request and follows redirects on the IdP's host to a page (or a 401, with no page).</summary>
    private async Task<Page> NavigateAsync(HttpClient http, HttpMethod method, Uri url, byte[]? form, CancellationToken cancellationToken)
    {
        for (var redirects = 0; ; redirects++)
        {
            if (!IsSecure(url))
            {
                throw SamlErrors.ForeignTarget(_target, "redirected the sign-in to", url);
            }

            if (!SameHost(url))
            {
                throw SamlErrors.NeedsBrowser(_target, $"it hands the sign-in on to another site, '{url.GetLeftPart(UriPartial.Authority)}'");
            }

            using var request = new HttpRequestMessage(method, url);
            request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml");
            if (form is not null)
            {
                request.Content = new ByteArrayContent(form);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw SamlErrors.Unreachable(_target, $"it did not answer within {_options.Timeout.TotalSeconds:0} seconds", null);
            }
            catch (HttpRequestException ex)
            {
                throw Transport(ex);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    if (redirects >= MaxRedirects)
                    {
                        throw SamlErrors.TooManySteps(_target, "redirected", MaxRedirects);
                    }

                    url = new Uri(url, location);

                    // As browsers do: 301, 302 and 303 continue with a GET; 307 and 308 repeat the request.
                    if (status is 301 or 302 or 303)
                    {
                        method = HttpMethod.Get;
                        form = null;
                    }

                    continue;
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    await IdpResponseReader.ReadAsync(response, MaxErrorBodyBytes, failWhenLarger: false, _target, cancellationToken).ConfigureAwait(false);
                    return new Page(url, null);
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    await IdpResponseReader.ReadAsync(response, MaxErrorBodyBytes, failWhenLarger: false, _target, cancellationToken).ConfigureAwait(false);
                    throw SamlErrors.HttpFailure(_target, status, response.ReasonPhrase);
                }

                var body = await IdpResponseReader.ReadAsync(response, MaxPageBytes, failWhenLarger: true, _target, cancellationToken).ConfigureAwait(false);
                return new Page(url, HtmlPage.Parse(Decode(body, response.Content.Headers.ContentType?.CharSet)));
            }
        }
    }

    private async Task<SecureString?> GetCodeAsync(string userName, CancellationToken cancellationToken)
    {
        if (!_passcodeUsed && _options.Passcode is { Length: > 0 } given)
        {
            // A given code works once; a second code page in this command is asked for.
            _passcodeUsed = true;
            return given;
        }

        if (_options.PasscodeProvider is not { } ask)
        {
            return null;
        }

        var answer = await ask($"Enter the verification code for {userName} at {Endpoint.Host}", cancellationToken).ConfigureAwait(false);
        return answer is null || answer.Length == 0 ? null : answer;
    }

    private HttpClient CreateClient(CookieContainer cookies, bool integrated)
    {
        var handler = new HttpClientHandler
        {
            CookieContainer = cookies,
            UseCookies = true,
            AllowAutoRedirect = false,
            UseDefaultCredentials = integrated,
        };
        if (_options.SkipCertificateCheck)
        {
            handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
        }

        var http = new HttpClient(handler, disposeHandler: true) { Timeout = _options.Timeout };
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", integrated ? s_integratedAgent : s_formsAgent);
        return http;
    }

    private AwsLoginException Transport(Exception ex) => SamlErrors.Transport(_target, ex);

    private bool SameHost(Uri url) => string.Equals(url.Authority, _signOnUrl.Authority, StringComparison.OrdinalIgnoreCase);

    private static bool IsSecure(Uri url) => url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);

    private static string Decode(byte[] body, string? charset)
    {
        var encoding = Encoding.UTF8;
        if (!string.IsNullOrWhiteSpace(charset))
        {
            try
            {
                encoding = Encoding.GetEncoding(charset!.Trim('"', ' '));
            }
            catch (ArgumentException)
            {
                // An unknown charset: ADFS pages are UTF-8.
            }
        }

        return encoding.GetString(body);
    }

    private static string Summary(HtmlPage html, Uri url)
    {
        var text = new StringBuilder();
        text.Append(html.Title is { Length: > 0 } title ? $"the page '{title}'" : "a page without a title");
        var error = html.TextOf(id => id.IndexOf("errorText", StringComparison.OrdinalIgnoreCase) >= 0) ?? html.TextOf("errorMessage");
        if (error is not null)
        {
            text.Append(" says '").Append(error.Length > 160 ? error.Substring(0, 160) + "..." : error).Append('\'');
        }

        return text.Append(" (").Append(url.AbsolutePath).Append(')').ToString();
    }

    private static string Named(string? authMethod) => string.IsNullOrWhiteSpace(authMethod) ? string.Empty : $" '{authMethod}'";

    private static string Describe(AdfsPageKind kind) => kind switch
    {
        AdfsPageKind.SamlResponse => "the SAML response for AWS",
        AdfsPageKind.Login => "the login form",
        AdfsPageKind.UserName => "a form asking for the user name",
        AdfsPageKind.Code => "a form asking for a verification code",
        AdfsPageKind.BrowserOnly => "a second factor only a browser can complete",
        _ => "an unrecognized page",
    };

    private static string WindowsUserName()
    {
        var user = Environment.UserName;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && !string.IsNullOrEmpty(Environment.UserDomainName))
        {
            return Environment.UserDomainName + "\\" + user;
        }

        return user;
    }


    /// <summary>Where navigation ended, and the page there (null for HTTP 401).</summary>
    private sealed class Page
    {
        public Page(Uri url, HtmlPage? html)
        {
            Url = url;
            Html = html;
        }

        public Uri Url { get; }

        public HtmlPage? Html { get; }
    }
}
