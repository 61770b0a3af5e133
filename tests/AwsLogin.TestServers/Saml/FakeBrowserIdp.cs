using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace AwsLogin.TestServers;

/// <summary>
/// A loopback IdP for browsers, as a user meets one: its IdP-initiated sign-on URL for AWS
/// (/idp/profile/SAML2/Unsolicited/SSO?providerId=urn:amazon:webservices) shows a login form (user name, password)
/// that posts back to it; a good password sets a persistent session cookie and redirects (303) to the start URL. A signed-in user (by the form or the
/// cookie) gets the HTTP-POST binding page: a form that submits itself on load, posting SAMLResponse (base64, signed by
/// <see cref="SigningCertificate"/>, audience urn:amazon:webservices, Recipient the AWS endpoint) and RelayState to
/// https://signin.aws.amazon.com/saml. Register the certificate with a <see cref="FakeSts"/> (<see cref="RegisterWith"/>)
/// and AssumeRoleWithSAML verifies the assertions. <see cref="AutoSubmit"/> makes the login page fill in and submit
/// given credentials, as a user typing would, for headless tests. Everything is in memory and per instance.
/// </summary>
public sealed class FakeBrowserIdp : IAsyncDisposable
{
    public const string StartPath = "/idp/profile/SAML2/Unsolicited/SSO";
    public const string SessionCookieName = "fake_idp_session";
    public const string AwsEntityId = "urn:amazon:webservices";
    public const string UserField = "j_username";
    public const string PasswordField = "j_password";

    private const int MaxRequestBytes = 16 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeIdpUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string UserName, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);
    private readonly List<BrowserIdpCall> _calls = [];
    private readonly List<string> _issuedAssertions = [];
    private LoopbackServer? _server;

    private FakeBrowserIdp(X509Certificate2 certificate)
    {
        SigningCertificate = certificate;
    }

    /// <summary>The IdP's signing certificate, with its private key.</summary>
    public X509Certificate2 SigningCertificate { get; }

    /// <summary>The IdP's entity id, the Issuer of its assertions.</summary>
    public string EntityId { get; set; } = "https://idp.example.test/idp/shibboleth";

    /// <summary>The IdP-initiated sign-on URL for AWS, e.g. http://127.0.0.1:50123/idp/profile/SAML2/Unsolicited/SSO?providerId=urn%3Aamazon%3Awebservices.</summary>
    public Uri StartUrl => new((_server ?? throw new InvalidOperationException("The fake IdP has not been started.")).BaseUri, StartPath.TrimStart('/') + "?providerId=" + Uri.EscapeDataString(AwsEntityId));

    /// <summary>What the page posted to AWS holds (default: a good assertion).</summary>
    public BrowserIdpBehavior Behavior { get; set; } = BrowserIdpBehavior.Normal;

    /// <summary>Where the page posts the assertion (AWS's SAML endpoint).</summary>
    public string ConsumerUrl { get; set; } = SamlAssertionBuilder.AwsSignInSamlEndpoint;

    /// <summary>The RelayState posted with the assertion (where AWS would send the user: the console).</summary>
    public string RelayState { get; set; } = "https://console.aws.amazon.com/";

    /// <summary>Credentials the login page fills in and submits by itself; null leaves the page waiting for a user.</summary>
    public (string UserName, string Password)? AutoSubmit { get; set; }

    /// <summary>Let browsers cache the page that posts the assertion (as a careless IdP might); by default it is no-store.</summary>
    public bool CacheablePostPage { get; set; }

    /// <summary>How long an IdP session (its persistent cookie) signs the user in.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The clock for sessions and assertion validity; give <see cref="FakeSts"/> the same one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Every request answered so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<BrowserIdpCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToArray();
            }
        }
    }

    /// <summary>How many times the login form was posted (a sign-in with a password).</summary>
    public int LoginPosts => Calls.Count(call => call.IsLoginPost);

    /// <summary>Every samlp:Response issued, base64 as AWS receives it (for tests that scan output for leaks).</summary>
    public IReadOnlyList<string> IssuedAssertions
    {
        get
        {
            lock (_gate)
            {
                return _issuedAssertions.ToArray();
            }
        }
    }

    public static async Task<FakeBrowserIdp> StartAsync()
    {
        var idp = new FakeBrowserIdp(SamlAssertionBuilder.CreateSigningCertificate("CN=AwsLogin Fake Browser IdP"));
        idp._server = await LoopbackServer.StartAsync(idp.HandleAsync).ConfigureAwait(false);
        return idp;
    }

    /// <summary>Registers this IdP with the STS fake as the IAM SAML provider <paramref name="principalArn"/>.</summary>
    public void RegisterWith(FakeSts sts, string principalArn) => sts.RegisterSamlProvider(principalArn, SigningCertificate, EntityId);

    /// <summary>Adds a user; each role is "roleArn,principalArn".</summary>
    public FakeIdpUser AddUser(string userName, string password, IEnumerable<string> roles, int? sessionDuration = null)
    {
        var user = new FakeIdpUser(userName, password, roles.ToArray(), RequireDuo: false, sessionDuration);
        lock (_gate)
        {
            _users[userName] = user;
        }

        return user;
    }

    /// <summary>Ends every IdP session: their cookies no longer sign anyone in.</summary>
    public void EndSessions()
    {
        lock (_gate)
        {
            _sessions.Clear();
        }
    }

    public Task StopAsync() => _server?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        SigningCertificate.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var now = TimeProvider.GetUtcNow();
        var call = new CallBuilder(request.Method, request.Path.Value ?? string.Empty, now)
        {
            SentSessionCookie = request.Cookies.ContainsKey(SessionCookieName),
        };

        Reply reply;
        try
        {
            reply = await AnswerAsync(context, call, now).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            reply = Reply.Html(500, "<p>The fake IdP failed: " + exception.GetType().Name + "</p>");
            call.Outcome = "Error";
        }

        lock (_gate)
        {
            _calls.Add(call.Build(reply.Status));
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = reply.Cacheable ? "private, max-age=600" : "no-store";
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers.Append(name, value);
        }

        await context.Response.Body.WriteAsync(reply.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<Reply> AnswerAsync(HttpContext context, CallBuilder call, DateTimeOffset now)
    {
        var request = context.Request;
        if (call.Path != StartPath)
        {
            call.Outcome = "NotFound";
            return Reply.Html(404, "<p>Not found.</p>");
        }

        // Shibboleth's unsolicited SSO handler serves only service providers it knows: here only AWS.
        if (request.Query["providerId"].ToString() != AwsEntityId)
        {
            call.Outcome = "UnknownServiceProvider";
            return Reply.Html(400, "<p>Unknown or missing providerId.</p>");
        }

        if (request.Method == HttpMethods.Get)
        {
            var sessionUser = SessionUser(request, now);
            if (sessionUser is not null)
            {
                call.UsedSession = true;
                call.UserName = sessionUser.UserName;
                return Issue(sessionUser, call, now, []);
            }

            call.Outcome = "LoginPage";
            return Reply.Html(200, LoginPage(error: null, autoSubmit: AutoSubmit));
        }

        if (request.Method != HttpMethods.Post)
        {
            call.Outcome = "MethodNotAllowed";
            return Reply.Html(405, "<p>GET or POST.</p>");
        }

        var body = await LoopbackServer.ReadBodyAsync(request, MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            call.Outcome = "BadRequest";
            return Reply.Html(400, "<p>The login form is posted as application/x-www-form-urlencoded.</p>");
        }

        var form = QueryHelpers.ParseQuery(Encoding.ASCII.GetString(body));
        var userName = form.TryGetValue(UserField, out var names) ? names.ToString() : string.Empty;
        var password = form.TryGetValue(PasswordField, out var passwords) ? passwords.ToString() : string.Empty;
        call.UserName = userName.Length == 0 ? null : userName;
        FakeIdpUser? user;
        lock (_gate)
        {
            user = _users.GetValueOrDefault(userName);
        }

        if (user is null || !FixedTimeEquals(user.Password, password))
        {
            // The page asks again; it never submits itself twice, as a user would not retype the same wrong password.
            call.Outcome = "BadPassword";
            return Reply.Html(200, LoginPage("The username or password you entered was incorrect.", autoSubmit: null));
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        lock (_gate)
        {
            _sessions[token] = (user.UserName, now + SessionLifetime);
        }

        // Persistent, as IdPs set it for "keep me signed in": it outlives the browser process. Then POST-redirect-GET,
        // as IdPs answer a login form: the start URL again, now with the session.
        var maxAge = ((long)SessionLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        call.Outcome = "SignedIn";
        return new Reply(303, Encoding.UTF8.GetBytes("<p>Signed in.</p>"), [
            ("Set-Cookie", $"{SessionCookieName}={token}; Path=/; Max-Age={maxAge}; HttpOnly; SameSite=Lax"),
            ("Location", StartPath + "?providerId=" + Uri.EscapeDataString(AwsEntityId)),
        ]);
    }

    private FakeIdpUser? SessionUser(HttpRequest request, DateTimeOffset now)
    {
        if (!request.Cookies.TryGetValue(SessionCookieName, out var token))
        {
            return null;
        }

        lock (_gate)
        {
            return _sessions.TryGetValue(token, out var session) && session.Expires > now && _users.TryGetValue(session.UserName, out var user) ? user : null;
        }
    }

    // The SAML 2.0 HTTP-POST binding page: a form that posts itself to the assertion consumer service on load.
    private Reply Issue(FakeIdpUser user, CallBuilder call, DateTimeOffset now, IReadOnlyList<(string, string)> headers)
    {
        call.Outcome = Behavior == BrowserIdpBehavior.Normal ? "Issued" : Behavior.ToString();
        var fields = new StringBuilder();
        if (Behavior != BrowserIdpBehavior.MissingSamlResponse)
        {
            var responseXml = SamlAssertionBuilder.BuildXml(new SamlAssertionOptions
            {
                SigningCertificate = SigningCertificate,
                Issuer = EntityId,
                Subject = user.UserName,
                Roles = Behavior == BrowserIdpBehavior.NoRoles ? [] : user.Roles,
                RoleSessionName = user.UserName,
                SessionDuration = user.SessionDuration,
                IssueInstant = now,
            });
            var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(responseXml));
            lock (_gate)
            {
                _issuedAssertions.Add(base64);
            }

            fields.Append("<input type=\"hidden\" name=\"SAMLResponse\" value=\"").Append(base64).Append("\"/>");
        }

        fields.Append("<input type=\"hidden\" name=\"RelayState\" value=\"").Append(WebUtility.HtmlEncode(RelayState)).Append("\"/>");
        var page =
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Signing in to AWS</title></head>" +
            "<body onload=\"document.forms[0].submit()\">" +
            "<noscript><p>Your browser has JavaScript turned off: press Continue.</p></noscript>" +
            $"<form method=\"post\" action=\"{WebUtility.HtmlEncode(ConsumerUrl)}\">{fields}" +
            "<noscript><button type=\"submit\">Continue</button></noscript></form></body></html>";
        return new Reply(200, Encoding.UTF8.GetBytes(page), headers) { Cacheable = CacheablePostPage };
    }

    private static string LoginPage(string? error, (string UserName, string Password)? autoSubmit)
    {
        var action = WebUtility.HtmlEncode(StartPath + "?providerId=" + Uri.EscapeDataString(AwsEntityId));
        var page = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Fake IdP sign-in</title></head><body><h1>Sign in</h1>");
        if (error is not null)
        {
            page.Append("<p class=\"error\">").Append(WebUtility.HtmlEncode(error)).Append("</p>");
        }

        page.Append($"<form method=\"post\" action=\"{action}\">")
            .Append($"<label>User name <input id=\"user\" name=\"{UserField}\" autocomplete=\"username\"/></label>")
            .Append($"<label>Password <input id=\"password\" type=\"password\" name=\"{PasswordField}\" autocomplete=\"current-password\"/></label>")
            .Append("<button type=\"submit\">Sign in</button></form>");
        if (autoSubmit is { } typed)
        {
            // JSON string literals, HTML-escaped by the default encoder: safe inside a script element.
            page.Append("<script>")
                .Append("document.getElementById('user').value = ").Append(JsonSerializer.Serialize(typed.UserName)).Append(';')
                .Append("document.getElementById('password').value = ").Append(JsonSerializer.Serialize(typed.Password)).Append(';')
                .Append("document.forms[0].submit();</script>");
        }

        return page.Append("</body></html>").ToString();
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private sealed class Reply(int status, byte[] body, IReadOnlyList<(string Name, string Value)> headers)
    {
        public int Status { get; } = status;

        public byte[] Body { get; } = body;

        public IReadOnlyList<(string Name, string Value)> Headers { get; } = headers;

        public bool Cacheable { get; init; }

        public static Reply Html(int status, string html) => new(status, Encoding.UTF8.GetBytes(html), []);
    }

    private sealed class CallBuilder(string method, string path, DateTimeOffset receivedAt)
    {
        public string Method { get; } = method;

        public string Path { get; } = path;

        public bool SentSessionCookie { get; init; }

        public bool UsedSession { get; set; }

        public string? UserName { get; set; }

        public string Outcome { get; set; } = "None";

        public BrowserIdpCall Build(int status) => new(Method, Path, SentSessionCookie, UsedSession, UserName, status, Outcome, receivedAt);
    }
}
