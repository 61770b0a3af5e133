using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Saml.Okta;

/// <summary>
/// Signs in to the AWS app of an Okta org. Okta's classic Authentication API checks the password and the second
/// factor (<see cref="OktaAuthnClient"/>) and returns a one-time session token; the documented session redirect,
/// GET /login/sessionCookieRedirect?token=...&amp;redirectUrl=EMBED_LINK, trades it for Okta's session cookie (sid) and
/// redirects to the app's embed link, whose page is an auto-posting form holding the SAMLResponse for AWS. The session
/// redirect is used rather than the embed link with ?sessionToken= so that the embed link is always fetched the same
/// way, with the session cookie: a repeat sign-in inside the Okta session (the cookies are saved per profile) makes
/// exactly that one request, with no password and no second factor, and the session token never reaches the app URL.
/// </summary>
internal sealed class OktaSamlProvider : ISamlAssertionProvider
{
    /// <summary>The largest page read: the app's form (the assertion base64 and character-referenced, plus Okta's markup).</summary>
    public const int MaxPageBytes = 1024 * 1024;

    /// <summary>How many redirects one page may take (Okta uses two or three: session redirect, embed link, app SSO URL).</summary>
    public const int MaxRedirects = 8;

    private readonly OktaProviderOptions _options;
    private readonly EngineContext _context;
    private readonly IdpSessionStore _sessions;
    private readonly string _sessionKey;
    private readonly string _target;
    private readonly Uri _org;

    public OktaSamlProvider(OktaProviderOptions options, EngineContext context)
    {
        _options = options;
        _context = context;
        _target = options.EndpointUrl.ToString();
        var url = options.EndpointUrl;
        if (!url.IsAbsoluteUri || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)))
        {
            throw SamlErrors.Insecure(_target);
        }

        _org = new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
        _sessions = new IdpSessionStore(context.HomeDirectory, context.UtcNow);
        _sessionKey = IdpSessionStore.Key(options.ProfileName, options.EndpointUrl);
    }

    public string Name => "Okta";

    public Uri Endpoint => _options.EndpointUrl;

    public string? KnownUserName => _options.Credential?.UserName ?? _options.UserName ?? _sessions.Load(_sessionKey, Endpoint)?.UserName;

    /// <summary>Whether two URLs share scheme, host and port (the org's origin).</summary>
    internal static bool SameOrigin(Uri a, Uri b) =>
        a.IsAbsoluteUri && b.IsAbsoluteUri
        && string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    public async Task<SamlSignInResult> SignInAsync(CancellationToken cancellationToken)
    {
        if (_options.SkipCertificateCheck)
        {
            _context.Log.Warning($"SkipCertificateCheck is set: the TLS certificate of Okta at '{_target}' is NOT checked. Anyone on the network path can read the password and passcode sent to it, take over the Okta session and hand back a forged assertion. Use this only with a test org.");
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
        var cookies = saved.ToContainer(_org);

        _context.Log.Verbose($"Opening the AWS app at {_target} with the saved Okta session of {saved.UserName}; no password is sent.");
        using var http = new OktaHttp(_options, cookies, _target);
        Page page;
        try
        {
            page = await OpenAsync(http, Endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsLoginException ex) when (ex.Code == SamlErrors.IdpError)
        {
            _context.Log.Verbose("Okta did not serve the app with the saved session (" + ex.Code + ").");
            return null;
        }

        var result = Finish(page, cookies, saved.UserName);
        if (result is null)
        {
            _context.Log.Verbose($"The Okta session has ended: {page.Path} holds no SAML form.");
        }

        return result;
    }

    private async Task<SamlSignInResult> SignInWithPasswordAsync(IdpCredential credential, CancellationToken cancellationToken)
    {
        // A fresh cookie jar: Okta ignores a session token while an (ended) session cookie is sent along.
        var cookies = new CookieContainer();
        using var http = new OktaHttp(_options, cookies, _target);
        var sessionToken = await new OktaAuthnClient(_options, _context, http, _org, _target).AuthenticateAsync(credential, cancellationToken).ConfigureAwait(false);

        _context.Log.Verbose($"Okta authenticated {credential.UserName}; starting the Okta session and opening the AWS app at {_target}.");
        var redirect = new Uri(
            _org,
            "/login/sessionCookieRedirect?checkAccountSetupComplete=true&token=" + Uri.EscapeDataString(sessionToken)
            + "&redirectUrl=" + Uri.EscapeDataString(Endpoint.AbsoluteUri));
        var page = await OpenAsync(http, redirect, cancellationToken).ConfigureAwait(false);
        return Finish(page, cookies, credential.UserName) ?? throw OktaErrors.NoForm(_target, page.Path);
    }

    /// <summary>GETs the URL and follows redirects on the org, bounded, to the page at the end.</summary>
    private async Task<Page> OpenAsync(OktaHttp http, Uri url, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            OktaAnswer answer;
            using (var request = new HttpRequestMessage(HttpMethod.Get, url))
            {
                request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml");
                answer = await http.SendAsync(request, MaxPageBytes, cancellationToken).ConfigureAwait(false);
            }

            if (answer.Status is >= 300 and < 400 && answer.Location is { } location)
            {
                var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                if (!SameOrigin(next, _org))
                {
                    throw OktaErrors.OffOrg(_target, next.IsAbsoluteUri ? next.GetLeftPart(UriPartial.Path) : location.OriginalString.Split('?')[0]);
                }

                if (hop >= MaxRedirects)
                {
                    throw OktaErrors.TooManyRedirects(_target, MaxRedirects);
                }

                url = next;
                continue;
            }

            if (answer.Status != 200)
            {
                throw OktaErrors.Api(_target, answer.Status, null, answer.Reason);
            }

            return new Page(url.AbsolutePath, Encoding.UTF8.GetString(answer.Body));
        }
    }

    /// <summary>The sign-in result from the app's form, with the Okta session saved; null when the page has no SAMLResponse.</summary>
    private SamlSignInResult? Finish(Page page, CookieContainer cookies, string userName)
    {
        var (value, action) = OktaSamlForm.Find(page.Html);
        if (value is null)
        {
            return null;
        }

        if (!string.IsNullOrWhiteSpace(action) && !SameUrl(action!, _options.AssertionConsumerServiceUrl))
        {
            throw SamlErrors.WrongRecipient(_target, _options.AssertionConsumerServiceUrl, action!);
        }

        var assertion = SamlResponseReader.FromBase64(new string(value.Where(c => !char.IsWhiteSpace(c)).ToArray()), _target, _context.Log);
        _sessions.Save(_sessionKey, Endpoint, new IdpSession(userName, SessionCookies(cookies)));
        _context.Log.Verbose($"Signed in to {_target} as {userName}: the assertion grants {assertion.Roles.Count} role(s).");
        return new SamlSignInResult(assertion, userName);
    }

    // The org's cookies (sid and its companions), whatever paths they were set for.
    private IReadOnlyList<Cookie> SessionCookies(CookieContainer cookies)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<Cookie>();
        foreach (var url in new[] { _org, Endpoint })
        {
            foreach (Cookie cookie in cookies.GetCookies(url))
            {
                if (!cookie.Expired && seen.Add(cookie.Name + "\n" + cookie.Path))
                {
                    list.Add(cookie);
                }
            }
        }

        return list;
    }

    private static bool SameUrl(string action, string expected) =>
        Uri.TryCreate(action.Trim(), UriKind.Absolute, out var a) && Uri.TryCreate(expected, UriKind.Absolute, out var b)
        && SameOrigin(a, b) && string.Equals(a.AbsolutePath.TrimEnd('/'), b.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);


    private sealed class Page
    {
        public Page(string path, string html)
        {
            Path = path;
            Html = html;
        }

        /// <summary>The page's path, without its query (which can carry tokens).</summary>
        public string Path { get; }

        public string Html { get; }

        public override string ToString() => $"{Path} ({Html.Length} characters, {Mask.Hidden})";
    }
}
