using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace AwsLogin.TestServers;

/// <summary>
/// A loopback ADFS serving IdP-initiated sign-on for AWS as ADFS does (/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=
/// urn:amazon:webservices): without a session, the login form with ADFS's field names (UserName, Password,
/// AuthMethod=FormsAuthentication) and a per-request Context token and client-request-id that must come back unchanged;
/// a wrong password shows the form again with ADFS's error text; a right one sets the MSISAuth session cookie (after
/// the Azure MFA verification-code page for users who need it) and redirects back to the sign-on page, which then
/// answers with the auto-posting form holding a SAMLResponse signed by <see cref="SigningCertificate"/> for
/// https://signin.aws.amazon.com/saml. Register the certificate with a <see cref="FakeSts"/> (<see cref="RegisterWith"/>)
/// and AssumeRoleWithSAML verifies the assertions. Served over http or, with a self-signed certificate, https.
/// </summary>
public sealed class FakeAdfsIdp : IAsyncDisposable
{
    public const string SignOnPath = "/adfs/ls/IdpInitiatedSignOn.aspx";
    public const string WiaPath = "/adfs/ls/wia";
    public const string SessionCookieName = "MSISAuth";
    public const string AwsEntityId = "urn:amazon:webservices";
    public const string FormsAuthentication = "FormsAuthentication";
    public const string AzureMfaAuthentication = "AzureMfaAuthentication";
    public const string DuoAuthentication = "DuoAdfsAdapter";
    public const string BadPasswordText = "Incorrect user ID or password. Type the correct user ID and password, and try again.";
    public const string BadCodeText = "The verification code you entered is not valid. Try again.";
    public const string UnavailableText = "The resource you are trying to access is not available. Contact your administrator for more information.";

    private const int MaxRequestBytes = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, User> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _codes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string UserName, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Context> _contexts = new(StringComparer.Ordinal);
    private readonly List<AdfsIdpCall> _calls = [];
    private readonly List<string> _issuedAssertions = [];
    private readonly List<string> _usedContexts = [];
    private LoopbackServer? _server;

    private FakeAdfsIdp(X509Certificate2 signingCertificate, X509Certificate2? serverCertificate)
    {
        SigningCertificate = signingCertificate;
        ServerCertificate = serverCertificate;
    }

    /// <summary>The token-signing certificate, with its private key.</summary>
    public X509Certificate2 SigningCertificate { get; }

    /// <summary>The self-signed TLS certificate when served over https; null over http.</summary>
    public X509Certificate2? ServerCertificate { get; }

    /// <summary>The federation service identifier, the Issuer of its assertions.</summary>
    public string EntityId { get; set; } = "http://adfs.example.test/adfs/services/trust";

    /// <summary>The server's root, e.g. https://127.0.0.1:50123/.</summary>
    public Uri BaseUri => (_server ?? throw new InvalidOperationException("The fake ADFS has not been started.")).BaseUri;

    /// <summary>The IdP-initiated sign-on page, without a query.</summary>
    public Uri SignOnUrl => new(BaseUri, SignOnPath.TrimStart('/'));

    public AdfsIdpBehavior Behavior { get; set; } = AdfsIdpBehavior.Normal;

    /// <summary>The additional authentication of users added with requireMfa.</summary>
    public AdfsMfaMode MfaMode { get; set; } = AdfsMfaMode.VerificationCode;

    /// <summary>
    /// Whether Windows integrated sign-in is offered: clients whose User-Agent has "Trident/7.0" (ADFS's default
    /// WIASupportedUserAgents) are sent to /adfs/ls/wia, which asks for Negotiate/NTLM (and accepts none: the fake has
    /// no domain), as ADFS does inside its intranet.
    /// </summary>
    public bool IntegratedAuthentication { get; set; }

    /// <summary>How long an ADFS session (its MSISAuth cookie) authenticates requests.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The clock for sessions and assertion validity; give <see cref="FakeSts"/> the same one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Every request answered so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<AdfsIdpCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToArray();
            }
        }
    }

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

    /// <summary>Every Context token handed out in a form (they are secrets of the sign-in in progress).</summary>
    public IReadOnlyList<string> IssuedContexts
    {
        get
        {
            lock (_gate)
            {
                return _contexts.Keys.Concat(_usedContexts).ToArray();
            }
        }
    }

    /// <param name="https">Serve https with a fresh self-signed certificate for 127.0.0.1 (no client trusts it).</param>
    public static async Task<FakeAdfsIdp> StartAsync(bool https = false)
    {
        var serverCertificate = https ? LoopbackServer.CreateSelfSignedServerCertificate() : null;
        var idp = new FakeAdfsIdp(SamlAssertionBuilder.CreateSigningCertificate("CN=ADFS Signing - adfs.example.test"), serverCertificate);
        idp._server = await LoopbackServer.StartAsync(idp.HandleAsync, serverCertificate).ConfigureAwait(false);
        return idp;
    }

    /// <summary>Registers this IdP with the STS fake as the IAM SAML provider <paramref name="principalArn"/>.</summary>
    public void RegisterWith(FakeSts sts, string principalArn) => sts.RegisterSamlProvider(principalArn, SigningCertificate, EntityId);

    /// <summary>
    /// Adds a user; each role is "roleArn,principalArn". The RoleSessionName claim is <paramref name="roleSessionName"/>
    /// (as ADFS claim rules usually issue the mail attribute), else the user name.
    /// </summary>
    public void AddUser(string userName, string password, IEnumerable<string> roles, bool requireMfa = false, int? sessionDuration = null, string? roleSessionName = null)
    {
        lock (_gate)
        {
            _users[userName] = new User(userName, password, roles.ToArray(), requireMfa, sessionDuration, roleSessionName ?? userName);
        }
    }

    /// <summary>Gives a user verification codes (each good once), as an authenticator app would generate them.</summary>
    public void AddVerificationCodes(string userName, params string[] codes)
    {
        lock (_gate)
        {
            if (!_codes.TryGetValue(userName, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                _codes[userName] = set;
            }

            set.UnionWith(codes);
        }
    }

    /// <summary>Ends every ADFS session: their cookies no longer authenticate.</summary>
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
        ServerCertificate?.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var now = TimeProvider.GetUtcNow();
        var call = new CallBuilder(request.Method, request.Path.Value ?? string.Empty, now)
        {
            UserAgent = request.Headers.UserAgent.ToString(),
            SentSessionCookie = request.Cookies.ContainsKey(SessionCookieName),
        };

        Reply reply;
        try
        {
            reply = await AnswerAsync(context, call, now).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            reply = Reply.Html(500, ErrorPage("The fake ADFS failed: " + exception.GetType().Name));
            call.Outcome = "Error";
        }

        lock (_gate)
        {
            _calls.Add(call.Build(reply.Status));
        }

        context.Response.StatusCode = reply.Status;
        if (reply.ContentType is not null)
        {
            context.Response.ContentType = reply.ContentType;
        }

        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers.Append(name, value);
        }

        await context.Response.Body.WriteAsync(reply.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<Reply> AnswerAsync(HttpContext context, CallBuilder call, DateTimeOffset now)
    {
        var request = context.Request;
        if (string.Equals(call.Path, WiaPath, StringComparison.OrdinalIgnoreCase))
        {
            // The fake belongs to no domain: it asks for Windows sign-in and can accept none.
            call.Outcome = "WiaChallenge";
            return new Reply(401, "text/html", Encoding.UTF8.GetBytes("<html><body>401 - Unauthorized</body></html>"), [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", "NTLM")]);
        }

        // ADFS paths are case-insensitive.
        if (!string.Equals(call.Path, SignOnPath, StringComparison.OrdinalIgnoreCase))
        {
            call.Outcome = "NotFound";
            return Reply.Html(404, ErrorPage("Not found."));
        }

        var query = request.Query;
        if (query["loginToRp"].ToString() != AwsEntityId)
        {
            call.Outcome = "UnknownRelyingParty";
            return Reply.Html(200, ErrorPage(UnavailableText));
        }

        switch (Behavior)
        {
            case AdfsIdpBehavior.RedirectLoop:
                call.Outcome = Behavior.ToString();
                return Reply.Redirect(SignOnPath + request.QueryString.Value);
            case AdfsIdpBehavior.ForeignRedirect:
                call.Outcome = Behavior.ToString();
                return Reply.Redirect("https://login.partner.example.test/adfs/ls/?wa=wsignin1.0&wtrealm=http%3a%2f%2fadfs.example.test%2fadfs%2fservices%2ftrust");
            case AdfsIdpBehavior.SignOnPageDisabled:
                call.Outcome = Behavior.ToString();
                return Reply.Html(200, ErrorPage(UnavailableText));
        }

        if (HttpMethods.IsGet(request.Method))
        {
            if (request.Cookies.TryGetValue(SessionCookieName, out var token))
            {
                User? sessionUser = null;
                lock (_gate)
                {
                    if (_sessions.TryGetValue(token, out var session) && session.Expires > now)
                    {
                        sessionUser = _users.GetValueOrDefault(session.UserName);
                    }
                }

                if (sessionUser is not null)
                {
                    call.UsedSession = true;
                    return Issue(sessionUser, call, now);
                }
            }

            if (IntegratedAuthentication && call.UserAgent?.Contains("Trident/7.0", StringComparison.Ordinal) == true)
            {
                call.Outcome = "ToWia";
                return Reply.Redirect(WiaPath + request.QueryString.Value);
            }

            call.Outcome = "LoginForm";
            return Reply.Html(200, LoginPage(NewContext(Stage.Login, null, now), error: null));
        }

        if (!HttpMethods.IsPost(request.Method))
        {
            call.Outcome = "MethodNotAllowed";
            return Reply.Html(405, ErrorPage("Method not allowed."));
        }

        var body = await LoopbackServer.ReadBodyAsync(request, MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null || request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) != true)
        {
            call.Outcome = "BadRequest";
            return Reply.Html(400, ErrorPage("Bad request."));
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        call.AuthMethod = Field(form, "AuthMethod");
        call.PostedUserName = Field(form, "UserName");
        call.SentPassword = !string.IsNullOrEmpty(Field(form, "Password"));
        call.SentVerificationCode = !string.IsNullOrEmpty(Field(form, "VerificationCode"));
        call.SentKmsi = form.ContainsKey("Kmsi");

        // The Context and client-request-id ADFS put into the form it served must come back unchanged, once.
        Context? state = null;
        var contextToken = Field(form, "Context");
        lock (_gate)
        {
            if (contextToken is not null && _contexts.Remove(contextToken, out var found))
            {
                _usedContexts.Add(contextToken);
                if (found.Expires > now && found.RequestId == query["client-request-id"].ToString())
                {
                    state = found;
                }
            }
        }

        if (state is null)
        {
            call.Outcome = "BadContext";
            return Reply.Html(200, ErrorPage("An error occurred. Contact your administrator for more information."));
        }

        if (state.Stage == Stage.Login)
        {
            if (call.AuthMethod != FormsAuthentication)
            {
                call.Outcome = "BadContext";
                return Reply.Html(200, ErrorPage("An error occurred. Contact your administrator for more information."));
            }

            User? user;
            lock (_gate)
            {
                user = call.PostedUserName is null ? null : _users.GetValueOrDefault(call.PostedUserName);
            }

            if (user is null || !FixedTimeEquals(user.Password, Field(form, "Password") ?? string.Empty))
            {
                call.Outcome = "BadPassword";
                return Reply.Html(200, LoginPage(NewContext(Stage.Login, null, now), BadPasswordText));
            }

            if (user.RequireMfa)
            {
                call.Outcome = "MfaForm";
                return Reply.Html(200, MfaPage(NewContext(Stage.Mfa, user.UserName, now), error: null));
            }

            return SignIn(user, call, now);
        }

        // The additional-authentication stage of the user the password was checked for.
        User mfaUser;
        lock (_gate)
        {
            mfaUser = _users[state.UserName!];
        }

        var code = Field(form, "VerificationCode")?.Trim() ?? string.Empty;
        bool good;
        lock (_gate)
        {
            good = MfaMode == AdfsMfaMode.VerificationCode && call.AuthMethod == AzureMfaAuthentication
                && code.Length > 0 && _codes.TryGetValue(mfaUser.UserName, out var codes) && codes.Remove(code);
        }

        if (!good)
        {
            call.Outcome = "BadCode";
            return Reply.Html(200, MfaPage(NewContext(Stage.Mfa, mfaUser.UserName, now), BadCodeText));
        }

        return SignIn(mfaUser, call, now);
    }

    // ADFS sets its session cookies and sends the browser back to the page it asked for.
    private Reply SignIn(User user, CallBuilder call, DateTimeOffset now)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        lock (_gate)
        {
            _sessions[token] = (user.UserName, now + SessionLifetime);
        }

        var secure = ServerCertificate is null ? string.Empty : "; secure";
        call.Outcome = "SignedIn";
        return new Reply(302, "text/html", [], [
            ("Location", SignOnUrl + "?loginToRp=" + Uri.EscapeDataString(AwsEntityId) + "&client-request-id=" + Guid.NewGuid()),
            ("Set-Cookie", $"{SessionCookieName}={token}; path=/adfs{secure}; HttpOnly"),
            ("Set-Cookie", $"MSISAuthenticated={Convert.ToBase64String(Encoding.ASCII.GetBytes(now.UtcDateTime.ToString("M/d/yyyy h:mm:ss tt", System.Globalization.CultureInfo.InvariantCulture)))}; path=/adfs{secure}; HttpOnly"),
        ]);
    }

    private Reply Issue(User user, CallBuilder call, DateTimeOffset now)
    {
        call.Outcome = "Issued";
        var options = new SamlAssertionOptions
        {
            SigningCertificate = SigningCertificate,
            Issuer = EntityId,
            Subject = user.UserName,
            NameIdFormat = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            Roles = Behavior == AdfsIdpBehavior.NoRoles ? [] : user.Roles,
            RoleSessionName = user.RoleSessionName,
            SessionDuration = user.SessionDuration,
            IssueInstant = now,
            SignatureTarget = SamlSignatureTarget.Both,
        };
        var base64 = SamlAssertionBuilder.Build(options);
        lock (_gate)
        {
            _issuedAssertions.Add(base64);
        }

        var consumer = Behavior == AdfsIdpBehavior.WrongConsumer ? "https://sp.example.test/Shibboleth.sso/SAML2/POST" : "https://signin.aws.amazon.com:443/saml";

        // ADFS's auto-posting form; '+' and '=' written as character references, as HTML encoders may.
        var value = base64.Replace("+", "&#43;", StringComparison.Ordinal).Replace("=", "&#x3D;", StringComparison.Ordinal);
        var html =
            "<html><head><title>Working...</title></head><body>" +
            $"<form method=\"POST\" name=\"hiddenform\" action=\"{consumer}\"><input type=\"hidden\" name=\"SAMLResponse\" value=\"{value}\" />" +
            "<noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\" /></noscript></form>" +
            "<script language=\"javascript\">window.setTimeout('document.forms[0].submit()', 0);</script></body></html>";
        return Reply.Html(200, html);
    }

    private Context NewContext(Stage stage, string? userName, DateTimeOffset now)
    {
        // Opaque to the client; made of the characters that HTML and form encoding must both carry intact.
        var token = "ctx+/=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)) + "&<'\"";
        var context = new Context(token, Guid.NewGuid().ToString(), stage, userName, now.AddMinutes(10));
        lock (_gate)
        {
            _contexts[token] = context;
        }

        return context;
    }

    private string LoginPage(Context context, string? error)
    {
        var action = Behavior == AdfsIdpBehavior.ForeignFormAction
            ? "https://collect.example.test/adfs/ls/"
            : $"/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn%3aamazon%3awebservices&amp;client-request-id={context.RequestId}";
        var padding = Behavior == AdfsIdpBehavior.HugePage ? "<!-- " + new string('x', 2 * 1024 * 1024) + " -->" : string.Empty;

        // ADFS 2016's page, with what a careless scanner trips on: a form in a script and one in a comment, a
        // language form, attributes in single quotes and none, and entity-encoded values.
        return
            "<!DOCTYPE html>\n<html lang=\"en-US\"><head><meta http-equiv=\"content-type\" content=\"text/html;charset=UTF-8\" />" +
            "<title>Sign In</title>\n<script type='text/javascript'>\n//<![CDATA[\n" +
            "var template = '<form action=\"https://evil.example.test/\"><input type=\"password\" name=\"x\"></form>';\n" +
            "//]]>\n</script>\n</head>\n<body dir=\"ltr\" class=\"body\">" + padding +
            "<!-- <form action=\"/old\"><input type=\"password\" name=\"OldPassword\"></form> -->\n" +
            "<div id=\"loginArea\">\n" +
            $"<form method=\"post\" id=\"loginForm\" autocomplete=\"off\" novalidate=\"novalidate\" onKeyPress=\"if (event &amp;&amp; event.keyCode == 13) Login.submitLoginRequest();\" action=\"{action}\" >\n" +
            $"<div id=\"error\" class=\"fieldMargin error smallText\"><span id=\"errorText\" for=\"\">{Encode(error ?? string.Empty)}</span></div>\n" +
            "<div id=\"formsAuthenticationArea\">\n" +
            "<div id=\"userNameArea\"><label id=\"userNameInputLabel\" for=\"userNameInput\" class=\"hidden\">User Account</label>" +
            "<input id=\"userNameInput\" name=\"UserName\" type=\"email\" value=\"\" tabindex=\"1\" class=\"text fullWidth\" spellcheck=\"false\" placeholder=\"someone@example.com\" autocomplete=\"off\"/></div>\n" +
            "<div id=\"passwordArea\"><label id=\"passwordInputLabel\" for=\"passwordInput\" class=\"hidden\">Password</label>" +
            "<input id=\"passwordInput\" name=\"Password\" type=\"password\" tabindex=\"2\" class=\"text fullWidth\" placeholder=\"Password\" autocomplete=\"off\"/></div>\n" +
            "<div id=\"kmsiArea\" style=\"display:none\"><input type=\"checkbox\" name=\"Kmsi\" id=\"kmsiInput\" value=\"true\" tabindex=\"3\" /><label for=\"kmsiInput\">Keep me signed in</label></div>\n" +
            "<div id=\"submissionArea\" class=\"submitMargin\"><span id=\"submitButton\" class=\"submit\" tabindex=\"4\" role=\"button\" onclick=\"return Login.submitLoginRequest();\">Sign in</span></div>\n" +
            "</div>\n" +
            "<input id='optionForms' type='hidden' name='AuthMethod' value='FormsAuthentication'/>\n" +
            $"<input type=hidden name=Context value=\"{Encode(context.Token)}\">\n" +
            "</form>\n</div>\n" +
            "<form id=\"languageForm\" method=\"get\" action=\"/adfs/portal/lang\"><input type=\"hidden\" name=\"lang\" value=\"en-US\"/><input type=\"submit\" value=\"Change\"/></form>\n" +
            "</body></html>";
    }

    private string MfaPage(Context context, string? error)
    {
        var action = $"/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn%3aamazon%3awebservices&amp;client-request-id={context.RequestId}";
        var head = "<!DOCTYPE html>\n<html><head><title>Sign In</title></head><body>\n";
        var hidden = $"<input id=\"context\" type=\"hidden\" name=\"Context\" value=\"{Encode(context.Token)}\"/>\n";
        return MfaMode switch
        {
            AdfsMfaMode.AzurePush => head +
                $"<form method=\"post\" id=\"options\" action=\"{action}\">\n<input id=\"authMethod\" type=\"hidden\" name=\"AuthMethod\" value=\"{AzureMfaAuthentication}\"/>\n" + hidden +
                "<p id=\"instructions\">We've sent a notification to your mobile device. Please respond to continue.</p>\n</form>\n</body></html>",
            AdfsMfaMode.DuoFrame => head +
                $"<form method=\"post\" id=\"duo_form\" action=\"{action}\">\n<input type=\"hidden\" name=\"AuthMethod\" value=\"{DuoAuthentication}\"/>\n" + hidden +
                "<iframe id=\"duo_iframe\" src=\"https://api-12345678.duosecurity.example.test/frame/web/v1/auth?tx=TX\" frameborder=\"0\"></iframe>\n</form>\n</body></html>",
            _ => head +
                $"<form method=\"post\" id=\"options\" autocomplete=\"off\" novalidate=\"novalidate\" action=\"{action}\">\n" +
                $"<div id=\"error\" class=\"fieldMargin error smallText\"><label id=\"errorText\" for=\"\">{Encode(error ?? string.Empty)}</label></div>\n" +
                $"<input id=\"authMethod\" type=\"hidden\" name=\"AuthMethod\" value=\"{AzureMfaAuthentication}\"/>\n" + hidden +
                "<p id=\"instructions\">Enter the verification code from your authenticator app.</p>\n" +
                "<input id=\"verificationCodeInput\" name=\"VerificationCode\" type=\"text\" value=\"\" placeholder=\"Verification code\" autocomplete=\"off\"/>\n" +
                "<input id=\"signInButton\" type=\"submit\" class=\"submit\" name=\"SignIn\" value=\"Sign in\"/>\n</form>\n</body></html>",
        };
    }

    private static string ErrorPage(string message) =>
        "<!DOCTYPE html>\n<html><head><title>Sign In</title></head><body><div id=\"errorArea\">" +
        "<div id=\"openingMessage\" class=\"groupMargin\">An error occurred</div>" +
        $"<div id=\"errorMessage\" class=\"groupMargin\">{Encode(message)}</div></div></body></html>";

    private static string Encode(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal).Replace("'", "&#39;", StringComparison.Ordinal)
            .Replace("+", "&#43;", StringComparison.Ordinal).Replace("/", "&#x2F;", StringComparison.Ordinal).Replace("=", "&#61;", StringComparison.Ordinal);

    private static string? Field(Dictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var values) ? values.ToString() : null;

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private enum Stage
    {
        Login,
        Mfa,
    }

    private sealed record User(string UserName, string Password, IReadOnlyList<string> Roles, bool RequireMfa, int? SessionDuration, string RoleSessionName)
    {
        public override string ToString() => UserName;
    }

    private sealed record Context(string Token, string RequestId, Stage Stage, string? UserName, DateTimeOffset Expires);

    private sealed class Reply(int status, string? contentType, byte[] body, IReadOnlyList<(string Name, string Value)> headers)
    {
        public int Status { get; } = status;

        public string? ContentType { get; } = contentType;

        public byte[] Body { get; } = body;

        public IReadOnlyList<(string Name, string Value)> Headers { get; } = headers;

        public static Reply Html(int status, string html) => new(status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html), []);

        public static Reply Redirect(string location) => new(302, "text/html; charset=utf-8", [], [("Location", location)]);
    }

    private sealed class CallBuilder(string method, string path, DateTimeOffset receivedAt)
    {
        public string Method { get; } = method;

        public string Path { get; } = path;

        public string? UserAgent { get; init; }

        public bool SentSessionCookie { get; init; }

        public bool UsedSession { get; set; }

        public string? PostedUserName { get; set; }

        public bool SentPassword { get; set; }

        public bool SentVerificationCode { get; set; }

        public bool SentKmsi { get; set; }

        public string? AuthMethod { get; set; }

        public string Outcome { get; set; } = "None";

        public AdfsIdpCall Build(int status) => new(
            Method, Path, UserAgent, SentSessionCookie, UsedSession, PostedUserName, SentPassword, SentVerificationCode, SentKmsi,
            AuthMethod, status, Outcome, receivedAt);
    }
}
