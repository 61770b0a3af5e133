using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace AwsLogin.TestServers;

/// <summary>
/// A loopback Shibboleth IdP's ECP endpoint (/idp/profile/SAML2/SOAP/ECP): it takes a SOAP AuthnRequest for AWS,
/// authenticates with HTTP Basic and, for users with Duo, the Duo factor and passcode headers as Shibboleth's Duo
/// AuthAPI flow reads them, and answers with a SOAP envelope holding a samlp:Response whose assertion is signed by
/// <see cref="SigningCertificate"/>. Register that certificate with a <see cref="FakeSts"/> (<see cref="RegisterWith"/>)
/// and AssumeRoleWithSAML verifies the assertions. A successful sign-in sets a session cookie that authenticates the
/// next request without password or Duo while it lasts. Everything is in memory and per instance.
/// </summary>
public sealed class FakeEcpIdp : IAsyncDisposable
{
    public const string EcpPath = "/idp/profile/SAML2/SOAP/ECP";
    public const string SessionCookieName = "shib_idp_session";
    public const string AwsEntityId = "urn:amazon:webservices";
    public const string PaosBinding = "urn:oasis:names:tc:SAML:2.0:bindings:PAOS";
    public const string SmsSentMessage = "New SMS passcodes sent.";

    private const string SoapNs = "http://schemas.xmlsoap.org/soap/envelope/";
    private const string ProtocolNs = "urn:oasis:names:tc:SAML:2.0:protocol";
    private const string AssertionNs = "urn:oasis:names:tc:SAML:2.0:assertion";
    private const string EcpNs = "urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp";
    private const int MaxRequestBytes = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeIdpUser> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, HashSet<string>> _passcodes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (string UserName, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);
    private readonly List<EcpIdpCall> _calls = [];
    private readonly List<string> _issuedAssertions = [];
    private readonly List<string> _smsPasscodes = [];
    private LoopbackServer? _server;

    private FakeEcpIdp(X509Certificate2 certificate)
    {
        SigningCertificate = certificate;
    }

    /// <summary>The IdP's signing certificate, with its private key.</summary>
    public X509Certificate2 SigningCertificate { get; }

    /// <summary>The IdP's entity id, the Issuer of its assertions.</summary>
    public string EntityId { get; set; } = "https://idp.example.test/idp/shibboleth";

    /// <summary>The ECP endpoint, e.g. http://127.0.0.1:50123/idp/profile/SAML2/SOAP/ECP.</summary>
    public Uri EcpEndpoint => new((_server ?? throw new InvalidOperationException("The fake IdP has not been started.")).BaseUri, EcpPath.TrimStart('/'));

    /// <summary>How an authenticated request is answered (default: a good assertion).</summary>
    public EcpIdpBehavior Behavior { get; set; } = EcpIdpBehavior.Normal;

    /// <summary>What the user does with a Duo push or phone call.</summary>
    public DuoPushAction PushAction { get; set; } = DuoPushAction.Approve;

    /// <summary>The header naming the Duo factor (idp.duo.nonbrowser.header.factor).</summary>
    public string DuoFactorHeader { get; set; } = "X-Shibboleth-Duo-Factor";

    /// <summary>The header carrying the Duo passcode (idp.duo.nonbrowser.header.passcode).</summary>
    public string DuoPasscodeHeader { get; set; } = "X-Shibboleth-Duo-Passcode";

    /// <summary>How long an IdP session (its cookie) authenticates requests.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The Role value <see cref="EcpIdpBehavior.Tampered"/> writes into the signed assertion.</summary>
    public string? TamperedRoleValue { get; set; }

    /// <summary>The passcode the next sms factor "texts"; null texts a random one.</summary>
    public string? NextSmsPasscode { get; set; }

    /// <summary>The clock for sessions and assertion validity; give <see cref="FakeSts"/> the same one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Every request answered so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<EcpIdpCall> Calls
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

    /// <summary>The passcodes "texted" by the sms factor, newest last.</summary>
    public IReadOnlyList<string> SmsPasscodes
    {
        get
        {
            lock (_gate)
            {
                return _smsPasscodes.ToArray();
            }
        }
    }

    public static async Task<FakeEcpIdp> StartAsync()
    {
        var idp = new FakeEcpIdp(SamlAssertionBuilder.CreateSigningCertificate("CN=AwsLogin Fake Shibboleth IdP"));
        idp._server = await LoopbackServer.StartAsync(idp.HandleAsync).ConfigureAwait(false);
        return idp;
    }

    /// <summary>Registers this IdP with the STS fake as the IAM SAML provider <paramref name="principalArn"/>.</summary>
    public void RegisterWith(FakeSts sts, string principalArn) => sts.RegisterSamlProvider(principalArn, SigningCertificate, EntityId);

    /// <summary>Adds a user; each role is "roleArn,principalArn".</summary>
    public FakeIdpUser AddUser(string userName, string password, IEnumerable<string> roles, bool requireDuo = false, int? sessionDuration = null)
    {
        var user = new FakeIdpUser(userName, password, roles.ToArray(), requireDuo, sessionDuration);
        lock (_gate)
        {
            _users[userName] = user;
        }

        return user;
    }

    /// <summary>Gives a user Duo passcodes (each good once), as a hardware token or Duo Mobile would generate them.</summary>
    public void AddPasscodes(string userName, params string[] passcodes)
    {
        lock (_gate)
        {
            if (!_passcodes.TryGetValue(userName, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                _passcodes[userName] = set;
            }

            set.UnionWith(passcodes);
        }
    }

    /// <summary>Ends every IdP session: their cookies no longer authenticate.</summary>
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
            Accept = request.Headers.Accept.ToString(),
            Paos = request.Headers["PAOS"].ToString(),
            ContentType = request.ContentType,
            DuoFactor = NullIfEmpty(request.Headers[DuoFactorHeader].ToString()),
            SentPasscode = !string.IsNullOrEmpty(request.Headers[DuoPasscodeHeader].ToString()),
            SentAuthorization = request.Headers.Authorization.Count > 0,
            SentSessionCookie = request.Cookies.ContainsKey(SessionCookieName),
        };

        Reply reply;
        try
        {
            reply = await AnswerAsync(context, call, now).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            reply = Reply.Fault(500, "soap11:Server", "The fake IdP failed: " + exception.GetType().Name);
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
        if (call.Path != EcpPath)
        {
            call.Outcome = "NotFound";
            return Reply.Text(404, "text/plain", "Not found.");
        }

        if (request.Method != HttpMethods.Post)
        {
            call.Outcome = "MethodNotAllowed";
            return Reply.Text(405, "text/plain", "ECP takes POST.");
        }

        var body = await LoopbackServer.ReadBodyAsync(request, MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        var problem = CheckAuthnRequest(body, call, now);
        if (problem is not null)
        {
            call.Outcome = "BadRequest";
            return Reply.Fault(500, "soap11:Client", problem);
        }

        var user = Authenticate(request, call, now, out var denied);
        if (user is null)
        {
            return denied!;
        }

        return Issue(context, user, call, now);
    }

    // What Shibboleth's ECP profile handler requires of the request: a SOAP 1.1 envelope whose body is an AuthnRequest
    // from a known SP (here only AWS) with that SP's assertion consumer service and the PAOS binding.
    private static string? CheckAuthnRequest(byte[]? body, CallBuilder call, DateTimeOffset now)
    {
        if (body is null)
        {
            return "The request is too large.";
        }

        if (call.ContentType?.StartsWith("text/xml", StringComparison.OrdinalIgnoreCase) != true)
        {
            return "The request is not text/xml.";
        }

        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document.Load(reader);
        }
        catch (XmlException)
        {
            return "The request is not well-formed XML.";
        }

        var envelope = document.DocumentElement!;
        var authn = envelope.LocalName == "Envelope" && envelope.NamespaceURI == SoapNs
            ? Child(Child(envelope, SoapNs, "Body"), ProtocolNs, "AuthnRequest")
            : null;
        if (authn is null)
        {
            return "The request is not a SOAP envelope holding a samlp:AuthnRequest.";
        }

        call.Issuer = Child(authn, AssertionNs, "Issuer")?.InnerText.Trim();
        call.ConsumerUrl = authn.GetAttribute("AssertionConsumerServiceURL");
        call.Binding = authn.GetAttribute("ProtocolBinding");
        if (call.Issuer != AwsEntityId)
        {
            return $"Unknown relying party '{call.Issuer}'.";
        }

        if (call.ConsumerUrl != SamlAssertionBuilder.AwsSignInSamlEndpoint)
        {
            return "The AssertionConsumerServiceURL is not registered for the relying party.";
        }

        if (call.Binding != PaosBinding)
        {
            return "ECP requires the PAOS binding.";
        }

        if (authn.GetAttribute("Version") != "2.0" || authn.GetAttribute("ID").Length == 0 || authn.GetAttribute("ID")[0] is >= '0' and <= '9')
        {
            return "The AuthnRequest needs Version 2.0 and an ID that is an xs:ID.";
        }

        if (!DateTimeOffset.TryParse(authn.GetAttribute("IssueInstant"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var issued)
            || (issued - now).Duration() > TimeSpan.FromMinutes(5))
        {
            return "The AuthnRequest's IssueInstant is missing or not within five minutes of now.";
        }

        return null;
    }

    private FakeIdpUser? Authenticate(HttpRequest request, CallBuilder call, DateTimeOffset now, out Reply? denied)
    {
        denied = null;
        if (request.Cookies.TryGetValue(SessionCookieName, out var token))
        {
            lock (_gate)
            {
                if (_sessions.TryGetValue(token, out var session) && session.Expires > now && _users.TryGetValue(session.UserName, out var sessionUser))
                {
                    call.UsedSession = true;
                    call.UserName = sessionUser.UserName;
                    return sessionUser;
                }
            }
        }

        if (!TryReadBasic(request, out var userName, out var password))
        {
            call.Outcome = "NoCredentials";
            denied = Unauthorized("Authentication is required.");
            return null;
        }

        call.UserName = userName;
        call.BasicUserName = userName;
        FakeIdpUser? user;
        lock (_gate)
        {
            user = _users.GetValueOrDefault(userName);
        }

        if (user is null || !FixedTimeEquals(user.Password, password))
        {
            call.Outcome = "BadPassword";
            denied = Unauthorized("The username or password you entered was incorrect.");
            return null;
        }

        if (!user.RequireDuo)
        {
            return user;
        }

        // Shibboleth's Duo AuthAPI flow: the factor header (default auto), and for passcode the passcode header.
        var factor = (call.DuoFactor ?? "auto").Trim().ToLowerInvariant();
        switch (factor)
        {
            case "auto":
            case "push":
            case "phone":
                if (PushAction == DuoPushAction.Approve)
                {
                    return user;
                }

                call.Outcome = "DuoDenied";
                denied = Unauthorized("Login request denied.");
                return null;

            case "passcode":
                var passcode = request.Headers[DuoPasscodeHeader].ToString().Trim();
                lock (_gate)
                {
                    if (passcode.Length > 0 && _passcodes.TryGetValue(user.UserName, out var codes) && codes.Remove(passcode))
                    {
                        return user;
                    }
                }

                call.Outcome = "BadPasscode";
                denied = Unauthorized("Incorrect passcode. Please try again.");
                return null;

            case "sms":
                // Duo texts a new batch of passcodes and denies this attempt (status sms_sent); the IdP answers 401.
                string sent;
                lock (_gate)
                {
                    sent = NextSmsPasscode ?? RandomNumberGenerator.GetInt32(1_000_000, 10_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    NextSmsPasscode = null;
                    _smsPasscodes.Add(sent);
                }

                AddPasscodes(user.UserName, sent);
                call.Outcome = "SmsSent";
                denied = Unauthorized(SmsSentMessage);
                return null;

            default:
                call.Outcome = "UnknownFactor";
                denied = Unauthorized("Unknown Duo factor.");
                return null;
        }
    }

    private Reply Issue(HttpContext context, FakeIdpUser user, CallBuilder call, DateTimeOffset now)
    {
        call.Outcome = Behavior == EcpIdpBehavior.Normal ? "Issued" : Behavior.ToString();
        var headers = new List<(string, string)>();
        if (!call.UsedSession)
        {
            var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            lock (_gate)
            {
                _sessions[token] = (user.UserName, now + SessionLifetime);
            }

            headers.Add(("Set-Cookie", $"{SessionCookieName}={token}; Path=/idp; HttpOnly"));
        }

        if (Behavior == EcpIdpBehavior.Html)
        {
            return Reply.Text(200, "text/html; charset=utf-8", "<!DOCTYPE html>\n<html><head><title>Web Login Service</title></head><body><form method=\"post\"><input name=\"j_username\"/><input type=\"password\" name=\"j_password\"/></form></body></html>", headers);
        }

        if (Behavior == EcpIdpBehavior.SoapFault)
        {
            return Reply.Fault(500, "soap11:Server", "An error occurred processing the request.");
        }

        if (Behavior == EcpIdpBehavior.HugeBody)
        {
            var padding = new string('x', 2 * 1024 * 1024);
            return Reply.Text(200, "text/xml", Envelope($"<!-- {padding} -->", SamlAssertionBuilder.AwsSignInSamlEndpoint), headers);
        }

        if (Behavior == EcpIdpBehavior.FailureStatus)
        {
            var failure =
                $"<saml2p:Response xmlns:saml2p=\"{ProtocolNs}\" ID=\"_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}\" Version=\"2.0\" IssueInstant=\"{now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\">" +
                $"<saml2:Issuer xmlns:saml2=\"{AssertionNs}\">{EntityId}</saml2:Issuer>" +
                "<saml2p:Status><saml2p:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Responder\"><saml2p:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:AuthnFailed\"/></saml2p:StatusCode>" +
                "<saml2p:StatusMessage>An error occurred.</saml2p:StatusMessage></saml2p:Status></saml2p:Response>";
            return Reply.Text(200, "text/xml", Envelope(failure, SamlAssertionBuilder.AwsSignInSamlEndpoint), headers);
        }

        var options = new SamlAssertionOptions
        {
            SigningCertificate = SigningCertificate,
            Issuer = EntityId,
            Subject = user.UserName,
            Roles = Behavior == EcpIdpBehavior.NoRoles ? [] : user.Roles,
            RoleSessionName = user.UserName,
            SessionDuration = user.SessionDuration,
            IssueInstant = Behavior == EcpIdpBehavior.Expired ? now.AddMinutes(-10) : now,
            AfterSigning = Behavior switch
            {
                EcpIdpBehavior.Tampered => TamperFirstRole,
                EcpIdpBehavior.EncryptedAssertion => Encrypt,
                EcpIdpBehavior.Oversized => Pad,
                _ => null,
            },
        };
        var responseXml = SamlAssertionBuilder.BuildXml(options);
        lock (_gate)
        {
            _issuedAssertions.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes(responseXml)));
        }

        var consumer = Behavior == EcpIdpBehavior.WrongConsumer ? "https://sp.example.test/Shibboleth.sso/SAML2/ECP" : SamlAssertionBuilder.AwsSignInSamlEndpoint;
        var envelope = Envelope(responseXml, consumer);
        if (Behavior == EcpIdpBehavior.DtdBearing)
        {
            envelope = "<?xml version=\"1.0\"?>\n<!DOCTYPE soap11:Envelope [<!ENTITY role \"arn:aws:iam::111111111111:role/Admin\">]>\n" + envelope;
        }

        return Reply.Text(200, "text/xml; charset=utf-8", envelope, headers);
    }

    private void TamperFirstRole(XmlDocument document)
    {
        var value = document.GetElementsByTagName("AttributeValue", AssertionNs).OfType<XmlElement>().FirstOrDefault()
            ?? throw new InvalidOperationException("The assertion has no attribute value to tamper with.");
        value.InnerText = TamperedRoleValue ?? throw new InvalidOperationException("Set TamperedRoleValue for EcpIdpBehavior.Tampered.");
    }

    private static void Encrypt(XmlDocument document)
    {
        var assertion = document.GetElementsByTagName("Assertion", AssertionNs).OfType<XmlElement>().Single();
        var encrypted = document.CreateElement("saml", "EncryptedAssertion", AssertionNs);
        var data = document.CreateElement("xenc", "EncryptedData", "http://www.w3.org/2001/04/xmlenc#");
        data.SetAttribute("Type", "http://www.w3.org/2001/04/xmlenc#Element");
        var cipher = document.CreateElement("xenc", "CipherData", "http://www.w3.org/2001/04/xmlenc#");
        var value = document.CreateElement("xenc", "CipherValue", "http://www.w3.org/2001/04/xmlenc#");
        value.InnerText = Convert.ToBase64String(RandomNumberGenerator.GetBytes(512));
        cipher.AppendChild(value);
        data.AppendChild(cipher);
        encrypted.AppendChild(data);
        assertion.ParentNode!.ReplaceChild(encrypted, assertion);
    }

    private static void Pad(XmlDocument document)
    {
        var statement = document.GetElementsByTagName("AttributeStatement", AssertionNs).OfType<XmlElement>().Single();
        var attribute = document.CreateElement("saml", "Attribute", AssertionNs);
        attribute.SetAttribute("Name", "urn:oid:1.3.6.1.4.1.5923.1.5.1.1");
        for (var i = 0; i < 2000; i++)
        {
            var value = document.CreateElement("saml", "AttributeValue", AssertionNs);
            value.InnerText = $"cn=group-{i:D5},ou=groups,dc=example,dc=test";
            attribute.AppendChild(value);
        }

        statement.AppendChild(attribute);
    }

    // Shibboleth's ECP answer: the ecp:Response header names the consumer, the body holds the samlp:Response.
    private static string Envelope(string bodyContent, string? consumer) =>
        $"<soap11:Envelope xmlns:soap11=\"{SoapNs}\">" +
        (consumer is null ? string.Empty :
            "<soap11:Header>" +
            $"<ecp:Response xmlns:ecp=\"{EcpNs}\" AssertionConsumerServiceURL=\"{consumer}\" soap11:actor=\"http://schemas.xmlsoap.org/soap/actor/next\" soap11:mustUnderstand=\"1\"/>" +
            "</soap11:Header>") +
        $"<soap11:Body>{bodyContent}</soap11:Body></soap11:Envelope>";

    private static Reply Unauthorized(string message) =>
        Reply.Text(401, "text/plain; charset=utf-8", message, [("WWW-Authenticate", "Basic realm=\"Fake Shibboleth IdP\"")]);

    private static bool TryReadBasic(HttpRequest request, out string userName, out string password)
    {
        userName = password = string.Empty;
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        userName = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    private static XmlElement? Child(XmlElement? parent, string ns, string localName) =>
        parent?.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == localName && e.NamespaceURI == ns);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private sealed class Reply(int status, string? contentType, byte[] body, IReadOnlyList<(string Name, string Value)> headers)
    {
        public int Status { get; } = status;

        public string? ContentType { get; } = contentType;

        public byte[] Body { get; } = body;

        public IReadOnlyList<(string Name, string Value)> Headers { get; } = headers;

        public static Reply Text(int status, string contentType, string text, IReadOnlyList<(string, string)>? headers = null) =>
            new(status, contentType, Encoding.UTF8.GetBytes(text), headers ?? []);

        public static Reply Fault(int status, string code, string message) =>
            Text(status, "text/xml; charset=utf-8", Envelope($"<soap11:Fault><faultcode>{code}</faultcode><faultstring>{System.Security.SecurityElement.Escape(message)}</faultstring></soap11:Fault>", consumer: null));
    }

    private sealed class CallBuilder(string method, string path, DateTimeOffset receivedAt)
    {
        public string Method { get; } = method;

        public string Path { get; } = path;

        public string? Accept { get; init; }

        public string? Paos { get; init; }

        public string? ContentType { get; init; }

        public string? DuoFactor { get; init; }

        public bool SentPasscode { get; init; }

        public bool SentAuthorization { get; init; }

        public bool SentSessionCookie { get; init; }

        public bool UsedSession { get; set; }

        public string? UserName { get; set; }

        public string? BasicUserName { get; set; }

        public string? Issuer { get; set; }

        public string? ConsumerUrl { get; set; }

        public string? Binding { get; set; }

        public string Outcome { get; set; } = "None";

        public EcpIdpCall Build(int status) => new(
            Method, Path, BasicUserName, SentAuthorization, SentSessionCookie, UsedSession, DuoFactor, SentPasscode,
            Accept, Paos, ContentType, Issuer, ConsumerUrl, Binding, status, Outcome, receivedAt);
    }
}
