using System;
using System.Collections.Generic;
using System.IO;
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
/// A loopback AWS STS speaking the Query protocol (POST / with a form body, XML answers) that the AWS SDK reaches
/// through ServiceURL. It checks what STS checks: SigV4 signatures, session tokens, expiry, parameter constraints,
/// role session limits, MFA codes and signed SAML assertions. Everything is in memory and per instance.
/// </summary>
public sealed partial class FakeSts : IAsyncDisposable
{
    public const string ApiVersion = "2011-06-15";

    private const int MaxBodyBytes = 1024 * 1024;
    private const string KeyIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private static readonly HashSet<string> s_actions = new(StringComparer.Ordinal)
    {
        "AssumeRole", "AssumeRoleWithSAML", "GetSessionToken", "GetFederationToken", "GetCallerIdentity",
    };

    private readonly Lock _gate = new();
    private readonly Dictionary<string, StsKey> _keys = new(StringComparer.Ordinal);
    private readonly List<StsKey> _temporaryKeys = [];
    private readonly Dictionary<string, FakeIamUser> _usersByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoleSettings> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _roleIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MfaDevice> _mfaDevices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SamlProviderRegistration> _samlProviders = new(StringComparer.Ordinal);
    private readonly List<InjectedError> _injectedErrors = [];
    private readonly List<StsCall> _calls = [];
    private LoopbackServer? _server;

    private FakeSts()
    {
    }

    /// <summary>The endpoint to give the SDK as ServiceURL, e.g. http://127.0.0.1:50123/.</summary>
    public Uri Endpoint => (_server ?? throw new InvalidOperationException("The fake STS has not been started.")).BaseUri;

    /// <summary>
    /// The region the SigV4 credential scope must name, as at the global endpoint (us-east-1); null accepts any region,
    /// like a fake standing in for every regional endpoint at once.
    /// </summary>
    public string? Region { get; set; } = "us-east-1";

    /// <summary>The clock for credential expiry and SAML validity. SigV4 request times are checked against the real clock.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// When set, issued credentials live this long whatever DurationSeconds asked for (to simulate short-lived
    /// credentials); the Expiration in the response is the shortened one.
    /// </summary>
    public TimeSpan? IssuedLifetimeOverride { get; set; }

    /// <summary>A delay before every response is written (the request has already been processed and recorded).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When true, an MFA code is refused the second time it is used with the same device, as AWS does.</summary>
    public bool RejectReusedMfaCodes { get; set; }

    /// <summary>Every request answered so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<StsCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToArray();
            }
        }
    }

    /// <summary>Every temporary credential issued or seeded so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<IssuedCredential> IssuedCredentials
    {
        get
        {
            lock (_gate)
            {
                return _temporaryKeys.Select(key => key.ToIssued()).ToArray();
            }
        }
    }

    public static async Task<FakeSts> StartAsync()
    {
        var fake = new FakeSts();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Adds an IAM user with a new long-term access key (a second call for the same name adds another key).</summary>
    public FakeIamUser SeedUser(string userName, string accountId = "111111111111")
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentException.ThrowIfNullOrEmpty(accountId);

        lock (_gate)
        {
            string userId = _usersByName.TryGetValue(userName, out FakeIamUser? existing) ? existing.UserId : NewId("AIDA");
            var user = new FakeIamUser(userName, accountId, userId, $"arn:aws:iam::{accountId}:user/{userName}", NewId("AKIA"), NewSecret());
            var principal = new Principal(PrincipalKind.User, "aws", accountId, user.Arn, userId, user.Arn, RoleArn: null);
            _keys.Add(user.AccessKeyId, new StsKey(user.AccessKeyId, user.SecretAccessKey, null, null, principal, "Seed", null, false, false));
            _usersByName[userName] = user;
            return user;
        }
    }

    /// <summary>Adds temporary credentials for a session of <paramref name="roleArn"/> that existed before the test.</summary>
    public IssuedCredential SeedTemporaryKey(string roleArn, string sessionName = "seeded-session", DateTimeOffset? expiration = null)
    {
        StsArns.Parsed role = StsArns.Role(roleArn) ?? throw new ArgumentException("Not a role ARN.", nameof(roleArn));
        Principal principal = AssumedRole(role, roleArn, sessionName);
        var key = new StsKey(NewId("ASIA"), NewSecret(), NewSessionToken(),
            WholeSeconds(expiration ?? TimeProvider.GetUtcNow().AddHours(1)), principal, "Seed", null, false, false);
        AddTemporaryKey(key);

        return key.ToIssued();
    }

    /// <summary>
    /// Sets how a role may be assumed. Roles never configured are assumable by anyone with a one-hour maximum.
    /// </summary>
    /// <param name="maxSessionDuration">The role's MaxSessionDuration, 3600 to 43200 seconds.</param>
    /// <param name="externalId">When set, AssumeRole must pass this ExternalId.</param>
    /// <param name="requireMfa">When true, the caller must pass a valid MFA code or sign with MFA-authenticated credentials.</param>
    /// <param name="trustedPrincipalArns">When set, only these principals (user, role, account root or SAML provider ARNs) may assume the role.</param>
    public void ConfigureRole(
        string roleArn,
        int maxSessionDuration = 3600,
        string? externalId = null,
        bool requireMfa = false,
        IEnumerable<string>? trustedPrincipalArns = null)
    {
        _ = StsArns.Role(roleArn) ?? throw new ArgumentException("Not a role ARN.", nameof(roleArn));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSessionDuration, 3600);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSessionDuration, 43200);

        var settings = new RoleSettings(maxSessionDuration, externalId, requireMfa,
            trustedPrincipalArns?.ToHashSet(StringComparer.Ordinal));
        lock (_gate)
        {
            _roles[roleArn] = settings;
        }
    }

    /// <summary>Assigns an MFA device to a seeded user; <paramref name="code"/> is the one code it accepts (seed again to change it).</summary>
    public void SeedMfaDevice(string userName, string serialNumber, string code)
    {
        ArgumentException.ThrowIfNullOrEmpty(serialNumber);
        ArgumentException.ThrowIfNullOrEmpty(code);
        lock (_gate)
        {
            FakeIamUser user = _usersByName.TryGetValue(userName, out FakeIamUser? found)
                ? found
                : throw new InvalidOperationException($"Seed the user '{userName}' before its MFA device.");
            _mfaDevices[serialNumber] = new MfaDevice(user.Arn, code);
        }
    }

    /// <summary>
    /// Registers an IAM SAML identity provider whose assertions must be signed by <paramref name="signingCertificate"/>;
    /// when <paramref name="issuer"/> is given, the assertion's Issuer must equal it (the metadata's entityID).
    /// </summary>
    public void RegisterSamlProvider(string principalArn, X509Certificate2 signingCertificate, string? issuer = null)
    {
        _ = StsArns.SamlProvider(principalArn) ?? throw new ArgumentException("Not a SAML provider ARN.", nameof(principalArn));
        ArgumentNullException.ThrowIfNull(signingCertificate);
        lock (_gate)
        {
            _samlProviders[principalArn] = new SamlProviderRegistration(signingCertificate, issuer);
        }
    }

    /// <summary>
    /// Makes the next <paramref name="times"/> calls of <paramref name="action"/> ("*" for any action) fail with this
    /// error before authentication, e.g. ("AssumeRole", "Throttling", 400) or ("*", "InternalFailure", 500).
    /// </summary>
    public void InjectError(string action, string code, int httpStatus, int times = 1, string? message = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(action);
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _injectedErrors.Add(new InjectedError(action, code, httpStatus, message ?? "Injected by the test.", times));
        }
    }

    public int CountCalls(string action)
    {
        lock (_gate)
        {
            return _calls.Count(call => call.Action == action);
        }
    }

    /// <summary>The issued or seeded temporary credentials with this access key, or null.</summary>
    public IssuedCredential? FindIssued(string accessKeyId)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(accessKeyId, out StsKey? key) && key.SessionToken is not null ? key.ToIssued() : null;
        }
    }

    /// <summary>Makes issued or seeded temporary credentials expire now.</summary>
    public void ExpireCredential(string accessKeyId)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(accessKeyId, out StsKey? key) || key.SessionToken is null)
            {
                throw new InvalidOperationException($"No temporary credentials with access key {accessKeyId}.");
            }

            key.Expiration = WholeSeconds(TimeProvider.GetUtcNow().AddSeconds(-1));
        }
    }

    /// <summary>
    /// True when the key is known, the secret and session token (null for long-term keys) match and the credentials
    /// have not expired: what another fake (federation sign-in) needs to accept a session.
    /// </summary>
    public bool IsValidSession(string accessKeyId, string secretAccessKey, string? sessionToken)
    {
        StsKey? key;
        lock (_gate)
        {
            key = _keys.GetValueOrDefault(accessKeyId);
        }

        return key is not null
            && FixedTimeEquals(key.SecretAccessKey, secretAccessKey)
            && (key.SessionToken is null ? sessionToken is null : sessionToken is not null && FixedTimeEquals(key.SessionToken, sessionToken))
            && !key.IsExpired(TimeProvider.GetUtcNow());
    }

    /// <summary>Stops listening; connections to <see cref="Endpoint"/> are refused afterwards.</summary>
    public void Stop() => StopAsync().GetAwaiter().GetResult();

    public Task StopAsync() => _server?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task HandleAsync(HttpContext context)
    {
        string requestId = Guid.NewGuid().ToString();
        DateTimeOffset receivedAt = TimeProvider.GetUtcNow();
        byte[]? body = await LoopbackServer.ReadBodyAsync(context.Request, MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        Dictionary<string, string> values = body is null ? [] : ReadParameters(context.Request, body);
        string action = values.GetValueOrDefault("Action") ?? string.Empty;

        int status = 200;
        string? errorCode = null;
        string? errorMessage = null;
        string? issuedKeyId = null;
        string xml;
        try
        {
            ActionResult result = body is null
                ? throw new StsFault("RequestEntityTooLarge", 413, "The request body is too large.")
                : Execute(context.Request, body, action, values);
            issuedKeyId = result.Issued?.AccessKeyId;
            xml = StsXml.Success(action, result.Content, requestId);
        }
        catch (StsFault fault)
        {
            (status, errorCode, errorMessage) = (fault.HttpStatus, fault.Code, fault.Message);
            xml = StsXml.Error(fault.Code, fault.HttpStatus, fault.Message, requestId);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bug in the fake: answer as AWS would to its own failure, naming the exception type for the test log.
            (status, errorCode, errorMessage) = (500, "InternalFailure", $"The fake STS failed: {exception.GetType().Name}.");
            xml = StsXml.Error(errorCode, status, errorMessage, requestId);
        }

        (string AccessKeyId, string Region)? scope = SigV4Verifier.ReadCredentialScope(context.Request);
        Record(new StsCall(action, scope?.AccessKeyId, scope?.Region, RecordedParameters(values),
            values.TryGetValue("SAMLAssertion", out string? assertion) ? assertion.Length : null,
            issuedKeyId, errorCode, errorMessage, status, receivedAt));

        TimeSpan latency = Latency;
        if (latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(latency, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The client gave up waiting; there is nobody left to answer.
                return;
            }
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        await context.Response.WriteAsync(xml, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    private ActionResult Execute(HttpRequest request, byte[] body, string action, Dictionary<string, string> values)
    {
        string? version = values.GetValueOrDefault("Version");
        if (!s_actions.Contains(action) || version != ApiVersion)
        {
            throw StsFault.InvalidAction(action, version);
        }

        ThrowInjectedError(action);
        var parameters = new StsParameters(values);

        // AssumeRoleWithSAML is the one unsigned action here: the assertion is the proof of identity.
        if (action == "AssumeRoleWithSAML")
        {
            return AssumeRoleWithSaml(parameters);
        }

        StsKey caller = Authenticate(request, body);
        return action switch
        {
            "AssumeRole" => AssumeRole(caller, parameters),
            "GetSessionToken" => GetSessionToken(caller, parameters),
            "GetFederationToken" => GetFederationToken(caller, parameters),
            "GetCallerIdentity" => GetCallerIdentity(caller),
            _ => throw StsFault.InvalidAction(action, version),
        };
    }

    private StsKey Authenticate(HttpRequest request, byte[] body)
    {
        // STS judges the key and its session token before the signature: an expired session is ExpiredToken even
        // when the signature is wrong too.
        StsFault? keyFault = null;
        StsKey? caller = null;
        string? token = request.Headers["x-amz-security-token"].FirstOrDefault();
        DateTimeOffset now = TimeProvider.GetUtcNow();
        string? FindSecret(string accessKeyId)
        {
            lock (_gate)
            {
                caller = _keys.GetValueOrDefault(accessKeyId);
            }

            if (caller is null)
            {
                return null;
            }

            bool tokenMatches = caller.SessionToken is null
                ? token is null
                : token is not null && FixedTimeEquals(caller.SessionToken, token);
            keyFault = !tokenMatches ? StsFault.InvalidClientTokenId()
                : caller.IsExpired(now) ? StsFault.ExpiredToken()
                : null;
            return keyFault is null ? caller.SecretAccessKey : null;
        }

        var verifier = new SigV4Verifier("sts", FindSecret) { Region = Region };
        SigV4Result result = verifier.Verify(request, body, DateTimeOffset.UtcNow);
        return result.Outcome switch
        {
            SigV4Outcome.Valid => caller!,
            SigV4Outcome.Missing => throw StsFault.MissingAuthenticationToken(),
            SigV4Outcome.Malformed => throw StsFault.IncompleteSignature(result.Detail),
            SigV4Outcome.UnknownKey => throw keyFault ?? StsFault.InvalidClientTokenId(),
            _ => throw StsFault.SignatureDoesNotMatch(result.Detail),
        };
    }

    private void ThrowInjectedError(string action)
    {
        lock (_gate)
        {
            InjectedError? error = _injectedErrors.FirstOrDefault(e => e.Action == action || e.Action == "*");
            if (error is null)
            {
                return;
            }

            if (--error.Remaining == 0)
            {
                _injectedErrors.Remove(error);
            }

            throw new StsFault(error.Code, error.HttpStatus, error.Message);
        }
    }

    private void Record(StsCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }

    private static Dictionary<string, string> ReadParameters(HttpRequest request, byte[] body)
    {
        // The Query protocol accepts parameters in the query string and, for POST, in a form-encoded body.
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, StringValues> pair in request.Query)
        {
            values[pair.Key] = pair.Value.ToString();
        }

        bool isForm = request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
        if (isForm && body.Length > 0)
        {
            foreach (KeyValuePair<string, StringValues> pair in QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body)))
            {
                values[pair.Key] = pair.Value.ToString();
            }
        }

        return values;
    }

    private static Dictionary<string, string> RecordedParameters(Dictionary<string, string> values) =>
        values.Where(pair => pair.Key is not ("Action" or "Version" or "SAMLAssertion"))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);

    private Principal AssumedRole(StsArns.Parsed role, string roleArn, string sessionName)
    {
        string roleId;
        lock (_gate)
        {
            if (!_roleIds.TryGetValue(roleArn, out roleId!))
            {
                roleId = NewId("AROA");
                _roleIds.Add(roleArn, roleId);
            }
        }

        return new Principal(PrincipalKind.AssumedRole, role.Partition, role.AccountId,
            $"arn:{role.Partition}:sts::{role.AccountId}:assumed-role/{role.Name}/{sessionName}",
            $"{roleId}:{sessionName}", UserArn: null, roleArn);
    }

    private StsKey Issue(Principal principal, int durationSeconds, DateTimeOffset? notAfter, string action, string? signedBy, bool mfaAuthenticated, bool isRoleChain)
    {
        DateTimeOffset expiration = TimeProvider.GetUtcNow() + (IssuedLifetimeOverride ?? TimeSpan.FromSeconds(durationSeconds));
        if (notAfter < expiration)
        {
            expiration = notAfter.Value;
        }

        var key = new StsKey(NewId("ASIA"), NewSecret(), NewSessionToken(), WholeSeconds(expiration), principal, action, signedBy, mfaAuthenticated, isRoleChain);
        AddTemporaryKey(key);

        return key;
    }

    private void AddTemporaryKey(StsKey key)
    {
        lock (_gate)
        {
            _keys.Add(key.AccessKeyId, key);
            _temporaryKeys.Add(key);
        }
    }

    private static object CredentialsElement(StsKey key) =>
        StsXml.E("Credentials",
            StsXml.E("AccessKeyId", key.AccessKeyId),
            StsXml.E("SecretAccessKey", key.SecretAccessKey),
            StsXml.E("SessionToken", key.SessionToken),
            StsXml.E("Expiration", StsXml.Timestamp(key.Expiration!.Value)));

    // Access keys are 20 characters: a four-letter type prefix and 16 characters of base32.
    private static string NewId(string prefix) => prefix + RandomNumberGenerator.GetString(KeyIdAlphabet, 16);

    private static string NewSecret() => RandomNumberGenerator.GetString(SecretAlphabet, 40);

    private static string NewSessionToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(300));

    // STS shows expirations in whole seconds; keep the real expiry equal to what the response shows.
    private static DateTimeOffset WholeSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    private enum PrincipalKind
    {
        User,
        AssumedRole,
        FederatedUser,
    }

    /// <param name="UserArn">The IAM user behind the identity (users and their GetSessionToken sessions), for MFA ownership.</param>
    private sealed record Principal(PrincipalKind Kind, string Partition, string AccountId, string Arn, string UserId, string? UserArn, string? RoleArn);

    private sealed class StsKey(
        string accessKeyId,
        string secretAccessKey,
        string? sessionToken,
        DateTimeOffset? expiration,
        Principal principal,
        string action,
        string? signedBy,
        bool mfaAuthenticated,
        bool isRoleChain)
    {
        public string AccessKeyId { get; } = accessKeyId;

        public string SecretAccessKey { get; } = secretAccessKey;

        /// <summary>Null for a long-term IAM user key.</summary>
        public string? SessionToken { get; } = sessionToken;

        /// <summary>Null for a long-term IAM user key; changed only by <see cref="ExpireCredential"/>.</summary>
        public DateTimeOffset? Expiration { get; set; } = expiration;

        public Principal Principal { get; } = principal;

        public string Action { get; } = action;

        public string? SignedBy { get; } = signedBy;

        public bool MfaAuthenticated { get; } = mfaAuthenticated;

        public bool IsRoleChain { get; } = isRoleChain;

        public bool IsExpired(DateTimeOffset now) => Expiration <= now;

        public IssuedCredential ToIssued() => new(AccessKeyId, SecretAccessKey, SessionToken!, Expiration!.Value,
            Principal.Arn, Principal.AccountId, Principal.UserId, Action, SignedBy, Principal.RoleArn, IsRoleChain);
    }

    private sealed record RoleSettings(int MaxSessionDuration, string? ExternalId, bool RequireMfa, IReadOnlySet<string>? TrustedPrincipals)
    {
        public static readonly RoleSettings Default = new(3600, null, false, null);

        public bool Trusts(string principalArn) => TrustedPrincipals is null || TrustedPrincipals.Contains(principalArn);

        public bool Trusts(Principal principal) =>
            TrustedPrincipals is null
            || TrustedPrincipals.Contains(principal.Arn)
            || (principal.RoleArn is not null && TrustedPrincipals.Contains(principal.RoleArn))
            || TrustedPrincipals.Contains($"arn:{principal.Partition}:iam::{principal.AccountId}:root");
    }

    private sealed class MfaDevice(string userArn, string code)
    {
        public string UserArn { get; } = userArn;

        public string Code { get; } = code;

        public string? LastUsedCode { get; set; }
    }

    private sealed record SamlProviderRegistration(X509Certificate2 Certificate, string? Issuer);

    private sealed class InjectedError(string action, string code, int httpStatus, string message, int remaining)
    {
        public string Action { get; } = action;

        public string Code { get; } = code;

        public int HttpStatus { get; } = httpStatus;

        public string Message { get; } = message;

        public int Remaining { get; set; } = remaining;
    }

    private sealed record ActionResult(object?[] Content, StsKey? Issued);
}
