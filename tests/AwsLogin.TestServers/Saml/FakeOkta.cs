using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace AwsLogin.TestServers;

/// <summary>
/// A loopback Okta org (Classic Engine) with an AWS app: the Authentication API (POST /api/v1/authn, factor verify for
/// Okta Verify push with polling and for TOTP, cancel), the session redirect (/login/sessionCookieRedirect) that
/// trades a one-time session token for the sid cookie, and the app's embed link, which inside a session redirects to
/// the app's SSO URL serving an auto-posting form with a SAMLResponse signed by <see cref="SigningCertificate"/>, and
/// without one redirects to the sign-in page. State tokens expire and belong to one user; session tokens work once.
/// Errors have Okta's JSON shape (errorCode, errorSummary, errorLink, errorId, errorCauses). Everything is in memory.
/// </summary>
public sealed class FakeOkta : IAsyncDisposable
{
    public const string SessionCookieName = "sid";
    public const string AppInstanceId = "0oa1fake2aws3app4x7";
    public const string AppKey = "exk1fake2aws3app4x7";
    public const string EmbedPath = "/home/amazon_aws/" + AppInstanceId + "/272";
    public const string AppSsoPath = "/app/amazon_aws/" + AppKey + "/sso/saml";
    public const string LoginPath = "/login/login.htm";
    public const string SessionRedirectPath = "/login/sessionCookieRedirect";

    private const string AuthnPath = "/api/v1/authn";
    private const string FactorsPrefix = "/api/v1/authn/factors/";
    private const string CancelPath = "/api/v1/authn/cancel";
    private const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    private const int MaxRequestBytes = 16 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeOktaUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, Transaction> _transactions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Login, DateTimeOffset Expires)> _sessionTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Login, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastTotpStep = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<OktaCall> _calls = [];
    private readonly List<string> _issuedAssertions = [];
    private readonly List<string> _issuedTokens = [];
    private readonly List<string> _issuedSessionIds = [];
    private (string PathPrefix, int Status, string ErrorCode, string Summary)? _injected;
    private LoopbackServer? _server;

    private FakeOkta(X509Certificate2 certificate)
    {
        SigningCertificate = certificate;
    }

    /// <summary>The app's signing certificate, with its private key.</summary>
    public X509Certificate2 SigningCertificate { get; }

    /// <summary>The issuer of the app's assertions, as Okta names it.</summary>
    public string EntityId { get; set; } = "http://www.okta.com/" + AppKey;

    /// <summary>The org's base URL, e.g. http://127.0.0.1:50123/.</summary>
    public Uri OrgUrl => (_server ?? throw new InvalidOperationException("The fake Okta org has not been started.")).BaseUri;

    /// <summary>The AWS app's embed link: http://127.0.0.1:PORT/home/amazon_aws/0oa.../272.</summary>
    public Uri EmbedLink => new(OrgUrl, EmbedPath);

    /// <summary>How the app answers inside a valid session.</summary>
    public OktaAppBehavior Behavior { get; set; } = OktaAppBehavior.Normal;

    /// <summary>What the user does with a push, seen on poll number <see cref="PushAnswerOnPoll"/>.</summary>
    public OktaPushAction PushAction { get; set; } = OktaPushAction.Approve;

    /// <summary>Which poll first sees the user's answer (1: the first poll after the verify call, which always answers WAITING).</summary>
    public int PushAnswerOnPoll { get; set; } = 1;

    /// <summary>The number Okta Verify's number challenge asks the user to tap; null for a plain push.</summary>
    public int? PushNumberChallenge { get; set; }

    /// <summary>How long a state token (an authentication transaction) lives.</summary>
    public TimeSpan StateTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a session token may wait to be redeemed.</summary>
    public TimeSpan SessionTokenLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an Okta session (its sid cookie) lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The clock for tokens, sessions, TOTP and assertion validity; give <see cref="FakeSts"/> the same one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Every request answered so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<OktaCall> Calls
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

    /// <summary>Every state token and session token issued (for tests that scan output and files for leaks).</summary>
    public IReadOnlyList<string> IssuedTokens
    {
        get
        {
            lock (_gate)
            {
                return _issuedTokens.ToArray();
            }
        }
    }

    /// <summary>Every session id (sid cookie value) issued: kept in the session file, never in output.</summary>
    public IReadOnlyList<string> IssuedSessionIds
    {
        get
        {
            lock (_gate)
            {
                return _issuedSessionIds.ToArray();
            }
        }
    }

    public static async Task<FakeOkta> StartAsync()
    {
        var okta = new FakeOkta(SamlAssertionBuilder.CreateSigningCertificate("CN=AwsLogin Fake Okta AWS app"));
        okta._server = await LoopbackServer.StartAsync(okta.HandleAsync).ConfigureAwait(false);
        return okta;
    }

    /// <summary>Registers the app with the STS fake as the IAM SAML provider <paramref name="principalArn"/>.</summary>
    public void RegisterWith(FakeSts sts, string principalArn) => sts.RegisterSamlProvider(principalArn, SigningCertificate, EntityId);

    /// <summary>Adds a user; each role is "roleArn,principalArn". With no factor enrolled, the password alone signs in; the TOTP secret is random unless given.</summary>
    public FakeOktaUser AddUser(
        string login,
        string password,
        IEnumerable<string> roles,
        bool push = false,
        OktaTotpProvider? totp = null,
        bool sms = false,
        OktaAccountState state = OktaAccountState.Active,
        int? sessionDuration = null,
        byte[]? totpSecret = null)
    {
        var user = new FakeOktaUser(login, password, roles.ToArray(), push, totp, sms, state, sessionDuration);
        if (totpSecret is not null)
        {
            user = user with { TotpSecret = totpSecret };
        }

        lock (_gate)
        {
            _users[login] = user;
        }

        return user;
    }

    /// <summary>The user's current TOTP code (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), <paramref name="stepOffset"/> steps away.</summary>
    public string TotpCode(string login, int stepOffset = 0)
    {
        FakeOktaUser user;
        lock (_gate)
        {
            user = _users[login];
        }

        return Totp(user.TotpSecret, Step(TimeProvider.GetUtcNow()) + stepOffset);
    }

    /// <summary>Makes the next request whose path starts with <paramref name="pathPrefix"/> fail with this Okta error.</summary>
    public void InjectError(string pathPrefix, int status, string errorCode, string summary)
    {
        lock (_gate)
        {
            _injected = (pathPrefix, status, errorCode, summary);
        }
    }

    /// <summary>Ends every Okta session: their sid cookies no longer authenticate.</summary>
    public void EndSessions()
    {
        lock (_gate)
        {
            _sessions.Clear();
        }
    }

    /// <summary>Expires every open authentication transaction (as if the user took more than five minutes).</summary>
    public void ExpireStateTokens()
    {
        lock (_gate)
        {
            _transactions.Clear();
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
            Accept = request.Headers.Accept.ToString(),
            ContentType = request.ContentType,
            SentSessionCookie = request.Cookies.ContainsKey(SessionCookieName),
            SentSessionToken = request.Query.ContainsKey("token"),
        };

        Reply reply;
        try
        {
            reply = Injected(call) ?? await AnswerAsync(context, call, now).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            reply = Error(500, "E0000009", "Internal Server Error: " + exception.GetType().Name);
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

    private Reply? Injected(CallBuilder call)
    {
        lock (_gate)
        {
            if (_injected is { } injected && call.Path.StartsWith(injected.PathPrefix, StringComparison.Ordinal))
            {
                _injected = null;
                call.Outcome = "Injected";
                return Error(injected.Status, injected.ErrorCode, injected.Summary);
            }
        }

        return null;
    }

    private async Task<Reply> AnswerAsync(HttpContext context, CallBuilder call, DateTimeOffset now)
    {
        var path = call.Path;
        if (path.StartsWith("/api/", StringComparison.Ordinal))
        {
            if (call.Method != HttpMethods.Post)
            {
                call.Outcome = "MethodNotAllowed";
                return Error(405, "E0000022", "The endpoint does not support the provided HTTP method");
            }

            if (call.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            {
                call.Outcome = "UnsupportedMediaType";
                return Error(415, "E0000001", "Api validation failed: Content-Type must be application/json");
            }

            if (call.Accept?.Contains("application/json", StringComparison.OrdinalIgnoreCase) != true)
            {
                call.Outcome = "NotAcceptable";
                return Error(406, "E0000001", "Api validation failed: the client must accept application/json");
            }

            var bytes = await LoopbackServer.ReadBodyAsync(context.Request, MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
            JsonObject body;
            try
            {
                body = bytes is null ? throw new JsonException("too large") : JsonNode.Parse(bytes)?.AsObject() ?? throw new JsonException("null");
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                call.Outcome = "BadJson";
                return Error(400, "E0000003", "The request body was not well-formed.");
            }

            call.SentPassword = body.ContainsKey("password");
            call.SentStateToken = body.ContainsKey("stateToken");
            call.SentPasscode = body.ContainsKey("passCode");
            if (path == AuthnPath)
            {
                return PrimaryAuthentication(body, call, now);
            }

            if (path == CancelPath)
            {
                return Cancel(body, call);
            }

            if (path.StartsWith(FactorsPrefix, StringComparison.Ordinal) && path.EndsWith("/verify", StringComparison.Ordinal))
            {
                return Verify(path[FactorsPrefix.Length..^"/verify".Length], body, call, now);
            }

            call.Outcome = "NotFound";
            return Error(404, "E0000007", "Not found: Resource not found: " + path);
        }

        if (call.Method != HttpMethods.Get)
        {
            call.Outcome = "MethodNotAllowed";
            return Reply.Text(405, "text/plain", "Method not allowed.");
        }

        return path switch
        {
            SessionRedirectPath => SessionRedirect(context.Request, call, now),
            EmbedPath => App(context.Request, call, now, embed: true),
            AppSsoPath => App(context.Request, call, now, embed: false),
            LoginPath => LoginPage(call),
            _ => NotFoundPage(call),
        };
    }

    private Reply PrimaryAuthentication(JsonObject body, CallBuilder call, DateTimeOffset now)
    {
        var login = Text(body, "username");
        var password = Text(body, "password");
        call.UserName = login;
        FakeOktaUser? user = null;
        lock (_gate)
        {
            if (login is not null)
            {
                user = _users.GetValueOrDefault(login);
            }
        }

        if (user is null || password is null || !FixedTimeEquals(user.Password, password))
        {
            call.Outcome = "BadPassword";
            return Error(401, "E0000004", "Authentication failed");
        }

        switch (user.State)
        {
            case OktaAccountState.LockedOut:
                call.Outcome = "LockedOut";
                return Json(200, new JsonObject { ["status"] = "LOCKED_OUT", ["_links"] = new JsonObject { ["unlock"] = LinkTo("/api/v1/authn/recovery/unlock") } });
            case OktaAccountState.PasswordExpired:
                call.Outcome = "PasswordExpired";
                return Json(200, Transactional(user, "PASSWORD_EXPIRED", NewTransaction(user, now), now));
            case OktaAccountState.MfaEnroll:
                call.Outcome = "MfaEnroll";
                return Json(200, Transactional(user, "MFA_ENROLL", NewTransaction(user, now), now));
            case OktaAccountState.PasswordReset:
                call.Outcome = "PasswordReset";
                return Json(200, Transactional(user, "PASSWORD_RESET", NewTransaction(user, now), now));
        }

        if (!user.Push && user.Totp is null && !user.Sms)
        {
            call.Outcome = "Success";
            return Json(200, Success(user, now));
        }

        call.Outcome = "MfaRequired";
        var stateToken = NewTransaction(user, now);
        var state = Transactional(user, "MFA_REQUIRED", stateToken, now);
        var factors = new JsonArray();
        if (user.Push)
        {
            factors.Add(FactorJson(user, user.PushFactorId, "push", "OKTA"));
        }

        if (user.Totp is { } provider)
        {
            factors.Add(FactorJson(user, user.TotpFactorId, "token:software:totp", provider == OktaTotpProvider.Google ? "GOOGLE" : "OKTA"));
        }

        if (user.Sms)
        {
            factors.Add(FactorJson(user, user.SmsFactorId, "sms", "OKTA"));
        }

        ((JsonObject)state["_embedded"]!)["factors"] = factors;
        return Json(200, state);
    }

    private Reply Verify(string factorId, JsonObject body, CallBuilder call, DateTimeOffset now)
    {
        var stateToken = Text(body, "stateToken");
        Transaction? transaction;
        lock (_gate)
        {
            transaction = stateToken is null ? null : _transactions.GetValueOrDefault(stateToken);
            if (transaction is not null && transaction.Expires <= now)
            {
                _transactions.Remove(stateToken!);
                transaction = null;
            }
        }

        if (transaction is null)
        {
            call.Outcome = "BadStateToken";
            return Error(401, "E0000011", "Invalid token provided");
        }

        var user = transaction.User;
        call.UserName = user.Login;
        if (user.Push && factorId == user.PushFactorId)
        {
            return Push(transaction, stateToken!, call, now);
        }

        if (user.Totp is not null && factorId == user.TotpFactorId)
        {
            return TotpVerify(transaction, stateToken!, Text(body, "passCode"), call, now);
        }

        call.Outcome = "UnknownFactor";
        return Error(404, "E0000007", "Not found: Resource not found: " + factorId + " (UserFactor)");
    }

    private Reply Push(Transaction transaction, string stateToken, CallBuilder call, DateTimeOffset now)
    {
        string result;
        lock (_gate)
        {
            if (!transaction.PushStarted)
            {
                transaction.PushStarted = true;
                result = "WAITING";
            }
            else
            {
                transaction.Polls++;
                result = transaction.Polls < PushAnswerOnPoll ? "WAITING" : PushAction switch
                {
                    OktaPushAction.Approve => "SUCCESS",
                    OktaPushAction.Reject => "REJECTED",
                    OktaPushAction.Timeout => "TIMEOUT",
                    _ => "WAITING",
                };
            }
        }

        if (result == "SUCCESS")
        {
            lock (_gate)
            {
                _transactions.Remove(stateToken);
            }

            call.Outcome = "Approved";
            return Json(200, Success(transaction.User, now));
        }

        call.Outcome = result switch { "WAITING" => "Waiting", "REJECTED" => "Rejected", _ => "PushTimeout" };
        var state = Transactional(transaction.User, "MFA_CHALLENGE", stateToken, now);
        state["factorResult"] = result;
        var factor = FactorJson(transaction.User, transaction.User.PushFactorId, "push", "OKTA");
        if (result == "WAITING" && PushNumberChallenge is { } number)
        {
            factor["_embedded"] = new JsonObject { ["challenge"] = new JsonObject { ["correctAnswer"] = number } };
        }

        factor.Remove("_links");
        ((JsonObject)state["_embedded"]!)["factor"] = factor;
        var links = (JsonObject)state["_links"]!;
        links["next"] = new JsonObject { ["name"] = "poll", ["href"] = Href(FactorsPrefix + transaction.User.PushFactorId + "/verify"), ["hints"] = Hints() };
        links["prev"] = new JsonObject { ["href"] = Href("/api/v1/authn/previous"), ["hints"] = Hints() };
        return Json(200, state);
    }

    private Reply TotpVerify(Transaction transaction, string stateToken, string? passCode, CallBuilder call, DateTimeOffset now)
    {
        var user = transaction.User;
        if (string.IsNullOrEmpty(passCode))
        {
            call.Outcome = "NoPasscode";
            return Error(400, "E0000001", "Api validation failed: passCode", "passCode: The passcode is required.");
        }

        var step = Step(now);
        lock (_gate)
        {
            var last = _lastTotpStep.GetValueOrDefault(user.Login, long.MinValue);
            for (var candidate = step - 1; candidate <= step + 1; candidate++)
            {
                if (candidate > last && FixedTimeEquals(Totp(user.TotpSecret, candidate), passCode))
                {
                    _lastTotpStep[user.Login] = candidate;
                    _transactions.Remove(stateToken);
                    call.Outcome = "Success";
                    return Json(200, Success(user, now));
                }
            }
        }

        call.Outcome = "BadPasscode";
        return Error(403, "E0000068", "Invalid Passcode/Answer", "Your passcode doesn't match our records. Please try again.");
    }

    private Reply Cancel(JsonObject body, CallBuilder call)
    {
        var stateToken = Text(body, "stateToken");
        lock (_gate)
        {
            if (stateToken is null || !_transactions.Remove(stateToken))
            {
                call.Outcome = "BadStateToken";
                return Error(401, "E0000011", "Invalid token provided");
            }
        }

        call.Outcome = "Cancelled";
        return Json(200, new JsonObject { ["status"] = "UNAUTHENTICATED" });
    }

    private Reply SessionRedirect(HttpRequest request, CallBuilder call, DateTimeOffset now)
    {
        var token = request.Query["token"].ToString();
        var redirect = request.Query["redirectUrl"].ToString();
        if (!Uri.TryCreate(redirect, UriKind.Absolute, out var target) || target.GetLeftPart(UriPartial.Authority) != OrgUrl.GetLeftPart(UriPartial.Authority))
        {
            // Okta redirects only to its own org and to trusted origins.
            call.Outcome = "UntrustedRedirect";
            return Page(403, "<html><head><title>Error</title></head><body><h1>403 - Forbidden</h1><p>The redirect URL is not a trusted origin.</p></body></html>");
        }

        (string Login, DateTimeOffset Expires) issued;
        bool valid;
        lock (_gate)
        {
            valid = _sessionTokens.Remove(token, out issued) && issued.Expires > now;
        }

        if (!valid)
        {
            call.Outcome = "BadSessionToken";
            return Redirect(LoginPath + "?fromURI=" + Uri.EscapeDataString(target.PathAndQuery));
        }

        call.UserName = issued.Login;
        call.Outcome = "SessionCreated";
        var sid = "102" + Token(18);
        lock (_gate)
        {
            _sessions[sid] = (issued.Login, now + SessionLifetime);
            _issuedSessionIds.Add(sid);
        }

        // Real orgs add Secure; the loopback fake speaks plain http, where a Secure cookie would never be sent back.
        return Redirect(target.ToString(), ("Set-Cookie", $"{SessionCookieName}={sid}; Path=/; HttpOnly"));
    }

    private Reply App(HttpRequest request, CallBuilder call, DateTimeOffset now, bool embed)
    {
        FakeOktaUser? user = null;
        if (request.Cookies.TryGetValue(SessionCookieName, out var sid))
        {
            lock (_gate)
            {
                if (_sessions.TryGetValue(sid, out var session) && session.Expires > now)
                {
                    user = _users.GetValueOrDefault(session.Login);
                }
            }
        }

        if (user is null)
        {
            call.Outcome = "LoginRedirect";
            return Redirect(LoginPath + "?fromURI=" + Uri.EscapeDataString(call.Path));
        }

        call.UserName = user.Login;
        call.UsedSession = true;
        if (Behavior == OktaAppBehavior.NotAssigned)
        {
            call.Outcome = "NotAssigned";
            return Page(403, "<html><head><title>403 - Forbidden</title></head><body><h1>You do not have permission to access this application.</h1></body></html>");
        }

        if (Behavior == OktaAppBehavior.ForeignRedirect)
        {
            call.Outcome = "ForeignRedirect";
            return Redirect("https://idp.partner.example.test/sso/saml?SAMLRequest=fZJRT8IwEMe%2F");
        }

        if (embed)
        {
            // The embed link hands over to the app's SSO URL, as Okta does for SAML apps.
            call.Outcome = "AppRedirect";
            return Redirect(AppSsoPath + "?fromHome=true");
        }

        call.Outcome = Behavior == OktaAppBehavior.Normal ? "Form" : Behavior.ToString();
        if (Behavior == OktaAppBehavior.HugePage)
        {
            return Page(200, "<html><body><!-- " + new string('x', 2 * 1024 * 1024) + " --></body></html>");
        }

        var responseXml = SamlAssertionBuilder.BuildXml(new SamlAssertionOptions
        {
            SigningCertificate = SigningCertificate,
            Issuer = EntityId,
            Subject = user.Login,
            NameIdFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            Roles = Behavior == OktaAppBehavior.NoRoles ? [] : user.Roles,
            RoleSessionName = user.Login,
            SessionDuration = user.SessionDuration,
            IssueInstant = Behavior == OktaAppBehavior.Expired ? now.AddMinutes(-10) : now,
            AfterSigning = Behavior == OktaAppBehavior.Oversized ? Pad : null,
        });
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(responseXml));
        lock (_gate)
        {
            _issuedAssertions.Add(base64);
        }

        var action = Behavior == OktaAppBehavior.WrongAction ? "https://sp.partner.example.test/saml/acs" : SamlAssertionBuilder.AwsSignInSamlEndpoint;
        return Page(200, FormPage(EncodeAttribute(action), EncodeAttribute(base64)));
    }

    // The shape of Okta's app SSO page: a form posting SAMLResponse and RelayState, submitted by script on load, with
    // attribute values encoded as OWASP's encodeForHTMLAttribute does (every character but letters, digits and ,.-_
    // as a hex character reference, so '+' arrives as &#x2b;).
    private static string FormPage(string action, string samlResponse) =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Signing in to Amazon Web Services</title>\n" +
        "<script type=\"text/javascript\">\n  var okta = { locale: 'en', deploymentEnv: 'test' };\n</script>\n</head>\n" +
        "<body id=\"app\" class=\"saml-page\">\n<div class=\"beacon\"><p>Signing in...</p></div>\n" +
        $"<form id=\"appForm\" action=\"{action}\" method=\"POST\">\n" +
        $"    <input name=\"SAMLResponse\" type=\"hidden\" value=\"{samlResponse}\"/>\n" +
        "    <input name=\"RelayState\" type=\"hidden\" value=\"\"/>\n" +
        "</form>\n<script type=\"text/javascript\">\n  (function(){ document.getElementById('appForm').submit(); })();\n</script>\n</body>\n</html>\n";

    private static string EncodeAttribute(string value)
    {
        var builder = new StringBuilder(value.Length * 2);
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is ',' or '.' or '-' or '_')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append("&#x").Append(((int)c).ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append(';');
            }
        }

        return builder.ToString();
    }

    private static Reply LoginPage(CallBuilder call)
    {
        call.Outcome = "LoginPage";
        return Page(200,
            "<!DOCTYPE html>\n<html><head><title>Example Org - Sign In</title></head><body>\n" +
            "<div id=\"okta-sign-in\"><form method=\"POST\" action=\"/login/do-login\" id=\"form1\">\n" +
            "<input type=\"text\" name=\"username\" id=\"okta-signin-username\"/>\n<input type=\"password\" name=\"password\"/>\n" +
            "<input type=\"submit\" value=\"Sign In\"/></form></div></body></html>");
    }

    private static Reply NotFoundPage(CallBuilder call)
    {
        call.Outcome = "NotFound";
        return Page(404, "<html><head><title>404 - Not Found</title></head><body><h1>404 - Page Not Found</h1></body></html>");
    }

    private static void Pad(XmlDocument document)
    {
        var statement = document.GetElementsByTagName("AttributeStatement", AssertionNs).OfType<XmlElement>().Single();
        var attribute = document.CreateElement("saml", "Attribute", AssertionNs);
        attribute.SetAttribute("Name", "groups");
        for (var i = 0; i < 2000; i++)
        {
            var value = document.CreateElement("saml", "AttributeValue", AssertionNs);
            value.InnerText = $"aws-group-{i:D5}-with-a-long-descriptive-name";
            attribute.AppendChild(value);
        }

        statement.AppendChild(attribute);
    }

    private string NewTransaction(FakeOktaUser user, DateTimeOffset now)
    {
        var token = "00" + Token(30);
        lock (_gate)
        {
            _transactions[token] = new Transaction(user, now + StateTokenLifetime);
            _issuedTokens.Add(token);
        }

        return token;
    }

    private JsonObject Success(FakeOktaUser user, DateTimeOffset now)
    {
        var sessionToken = "20111" + Token(24);
        lock (_gate)
        {
            _sessionTokens[sessionToken] = (user.Login, now + SessionTokenLifetime);
            _issuedTokens.Add(sessionToken);
        }

        return new JsonObject
        {
            ["expiresAt"] = Time(now + SessionTokenLifetime),
            ["status"] = "SUCCESS",
            ["sessionToken"] = sessionToken,
            ["_embedded"] = new JsonObject { ["user"] = UserJson(user) },
            ["_links"] = new JsonObject { ["cancel"] = LinkTo(CancelPath) },
        };
    }

    private JsonObject Transactional(FakeOktaUser user, string status, string stateToken, DateTimeOffset now) => new()
    {
        ["stateToken"] = stateToken,
        ["expiresAt"] = Time(now + StateTokenLifetime),
        ["status"] = status,
        ["_embedded"] = new JsonObject { ["user"] = UserJson(user) },
        ["_links"] = new JsonObject { ["cancel"] = LinkTo(CancelPath) },
    };

    private JsonObject FactorJson(FakeOktaUser user, string id, string type, string provider) => new()
    {
        ["id"] = id,
        ["factorType"] = type,
        ["provider"] = provider,
        ["vendorName"] = provider,
        ["profile"] = type == "push"
            ? new JsonObject { ["credentialId"] = user.Login, ["deviceType"] = "SmartPhone_IPhone", ["name"] = "iPhone", ["platform"] = "IOS", ["version"] = "17.4" }
            : new JsonObject { ["credentialId"] = user.Login },
        ["_links"] = new JsonObject { ["verify"] = LinkTo(FactorsPrefix + id + "/verify") },
    };

    private static JsonObject UserJson(FakeOktaUser user) => new()
    {
        ["id"] = user.Id,
        ["passwordChanged"] = "2024-01-02T03:04:05.000Z",
        ["profile"] = new JsonObject { ["login"] = user.Login, ["firstName"] = "Test", ["lastName"] = "User", ["locale"] = "en", ["timeZone"] = "UTC" },
    };

    private JsonObject LinkTo(string path) => new() { ["href"] = Href(path), ["hints"] = Hints() };

    private string Href(string path) => new Uri(OrgUrl, path).ToString();

    private static JsonObject Hints() => new() { ["allow"] = new JsonArray("POST") };

    private static Reply Json(int status, JsonObject body) => Reply.Text(status, "application/json", body.ToJsonString());

    // Okta's error shape.
    private static Reply Error(int status, string code, string summary, string? cause = null)
    {
        var causes = new JsonArray();
        if (cause is not null)
        {
            causes.Add(new JsonObject { ["errorSummary"] = cause });
        }

        return Json(status, new JsonObject
        {
            ["errorCode"] = code,
            ["errorSummary"] = summary,
            ["errorLink"] = code,
            ["errorId"] = "oae" + Token(11),
            ["errorCauses"] = causes,
        });
    }

    private static Reply Page(int status, string html) => Reply.Text(status, "text/html;charset=utf-8", html);

    private static Reply Redirect(string location, params (string, string)[] headers) =>
        new(302, null, [], [("Location", location), .. headers]);

    private static string? Text(JsonObject body, string name) =>
        body.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static string Token(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static long Step(DateTimeOffset time) => time.ToUnixTimeSeconds() / 30;

    // RFC 4226 HOTP with the RFC 6238 time step as the counter.
    private static string Totp(byte[] secret, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(secret, counter);
        var offset = hash[^1] & 0x0F;
        var binary = ((hash[offset] & 0x7F) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private sealed class Transaction(FakeOktaUser user, DateTimeOffset expires)
    {
        public FakeOktaUser User { get; } = user;

        public DateTimeOffset Expires { get; } = expires;

        public bool PushStarted { get; set; }

        public int Polls { get; set; }
    }

    private sealed class Reply(int status, string? contentType, byte[] body, IReadOnlyList<(string Name, string Value)> headers)
    {
        public int Status { get; } = status;

        public string? ContentType { get; } = contentType;

        public byte[] Body { get; } = body;

        public IReadOnlyList<(string Name, string Value)> Headers { get; } = headers;

        public static Reply Text(int status, string contentType, string text) => new(status, contentType, Encoding.UTF8.GetBytes(text), []);
    }

    private sealed class CallBuilder(string method, string path, DateTimeOffset receivedAt)
    {
        public string Method { get; } = method;

        public string Path { get; } = path;

        public string? Accept { get; init; }

        public string? ContentType { get; init; }

        public bool SentSessionCookie { get; init; }

        public bool SentSessionToken { get; init; }

        public bool SentPassword { get; set; }

        public bool SentStateToken { get; set; }

        public bool SentPasscode { get; set; }

        public bool UsedSession { get; set; }

        public string? UserName { get; set; }

        public string Outcome { get; set; } = "None";

        public OktaCall Build(int status) => new(
            Method, Path, UserName, SentPassword, SentStateToken, SentPasscode, SentSessionToken, SentSessionCookie, UsedSession,
            Accept, ContentType, status, Outcome, receivedAt);
    }
}
