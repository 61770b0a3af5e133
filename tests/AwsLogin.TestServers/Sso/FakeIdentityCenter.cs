using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsLogin.TestServers;

/// <summary>
/// A loopback IAM Identity Center: the SSO OIDC service (RegisterClient, StartDeviceAuthorization, CreateToken with the
/// device code, authorization code + PKCE and refresh token grants), its browser endpoints (/authorize and the device
/// verification page) and the SSO portal (ListAccounts, ListAccountRoles, GetRoleCredentials, Logout), all on one
/// <see cref="Endpoint"/> that the AWS SDK clients (AmazonSSOOIDCClient, AmazonSSOClient) take as ServiceURL.
/// It speaks the real restJson protocols and checks what AWS checks; role credentials are seeded into a
/// <see cref="FakeSts"/> so that later STS calls signed with them verify. Everything is in memory and per instance.
/// </summary>
public sealed partial class FakeIdentityCenter : IAsyncDisposable
{
    public const string DefaultStartUrl = "https://d-1234567890.awsapps.com/start";
    public const string DefaultUserName = "alice";
    public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    public const string AuthorizationCodeGrant = "authorization_code";
    public const string RefreshTokenGrant = "refresh_token";
    public const string AccountAccessScope = "sso:account:access";

    private const int MaxBodyBytes = 256 * 1024;

    private readonly Lock _gate = new();
    private readonly byte[] _pageKey = RandomNumberGenerator.GetBytes(32);
    private readonly HashSet<string> _startUrls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientState> _clients = new(StringComparer.Ordinal);
    private readonly List<ClientState> _clientOrder = [];
    private readonly Dictionary<string, DeviceState> _devicesByCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeviceState> _devicesByUserCode = new(StringComparer.Ordinal);
    private readonly List<DeviceState> _deviceOrder = [];
    private readonly Dictionary<string, CodeState> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccessTokenState> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RefreshTokenState> _refreshTokens = new(StringComparer.Ordinal);
    private readonly List<SessionState> _sessions = [];
    private readonly Dictionary<string, SsoAccount> _accounts = new(StringComparer.Ordinal);
    private readonly List<SsoAccount> _accountOrder = [];
    private readonly Dictionary<string, Dictionary<string, List<SsoRoleAssignment>>> _assignments = new(StringComparer.Ordinal);
    private readonly List<InjectedError> _injectedErrors = [];
    private readonly Dictionary<string, Throttle> _throttles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _operationCounts = new(StringComparer.Ordinal);
    private readonly List<SsoCall> _calls = [];
    private LoopbackServer? _server;

    private FakeIdentityCenter(FakeSts sts, string startUrl, string region)
    {
        Sts = sts;
        StartUrl = startUrl;
        Region = region;
        _startUrls.Add(startUrl);
    }

    /// <summary>The endpoint to give both SDK clients as ServiceURL, e.g. http://127.0.0.1:50123/.</summary>
    public Uri Endpoint => (_server ?? throw new InvalidOperationException("The fake Identity Center has not been started.")).BaseUri;

    /// <summary>The AWS access portal URL of this instance; StartDeviceAuthorization and issuerUrl must name it (or an <see cref="AddStartUrl"/> alias).</summary>
    public string StartUrl { get; }

    /// <summary>The instance's region (the sso_region); it appears in the role ARN path outside us-east-1.</summary>
    public string Region { get; }

    /// <summary>The STS fake that receives the role credentials GetRoleCredentials hands out.</summary>
    public FakeSts Sts { get; }

    /// <summary>The clock for every expiry and for the device polling interval. Give <see cref="FakeSts"/> the same one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A delay before every response is written (the request has already been processed and recorded).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>What the simulated user does at /authorize and on the device verification page.</summary>
    public SsoBrowserAction BrowserAction { get; set; } = SsoBrowserAction.Approve;

    /// <summary>Who signs in when <see cref="BrowserAction"/> approves.</summary>
    public string BrowserUserName { get; set; } = DefaultUserName;

    /// <summary>
    /// When set, the simulated user approves a pending device authorization as <see cref="BrowserUserName"/> once the
    /// client has polled it this many times without a token: 0 means the first poll already gets one (a pre-authorized
    /// device), 2 means two authorization_pending answers and then a token. Null (the default): only
    /// <see cref="ApproveDevice"/> or the verification page approve.
    /// </summary>
    public int? AutoApproveDeviceAfterPolls { get; set; }

    /// <summary>How long a client registration lasts (clientSecretExpiresAt); AWS gives 90 days.</summary>
    public TimeSpan RegistrationLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long a device code can be approved and polled (expiresIn); AWS gives 600 seconds.</summary>
    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The polling interval StartDeviceAuthorization announces; AWS announces 1 second. A poll sooner than this after the previous one is slow_down.</summary>
    public TimeSpan DevicePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an authorization code from /authorize can be exchanged.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The sign-in session length (Identity Center's session duration): refresh tokens stop working after it.</summary>
    public TimeSpan SessionDuration { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The lifetime of an access token issued with a refresh token. Tokens without one last the whole session.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When true (the default), a refresh returns a new refresh token and the old one stops working.</summary>
    public bool RotateRefreshTokens { get; set; } = true;

    /// <summary>The page size of ListAccounts and ListAccountRoles when the client sends no max_result.</summary>
    public int PageSize { get; set; } = 20;

    /// <summary>The largest page the portal returns whatever max_result asks for.</summary>
    public int MaxPageSize { get; set; } = 100;

    /// <summary>The scopes RegisterClient and /authorize accept; anything else is InvalidScopeException.</summary>
    public ISet<string> SupportedScopes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        AccountAccessScope, "openid", "aws", "sts:identity_context",
        "codewhisperer:completions", "codewhisperer:analysis", "codewhisperer:conversations",
    };

    /// <summary>Every request answered so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<SsoCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToArray();
            }
        }
    }

    /// <summary>Every client registration so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<SsoClientRegistration> Registrations
    {
        get
        {
            lock (_gate)
            {
                return _clientOrder.Select(client => client.ToRecord()).ToArray();
            }
        }
    }

    /// <summary>Every device authorization so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<SsoDeviceAuthorization> DeviceAuthorizations
    {
        get
        {
            lock (_gate)
            {
                return _deviceOrder.Select(device => device.ToRecord()).ToArray();
            }
        }
    }

    /// <summary>The accounts, in the order they were added (a snapshot).</summary>
    public IReadOnlyList<SsoAccount> Accounts
    {
        get
        {
            lock (_gate)
            {
                return _accountOrder.ToArray();
            }
        }
    }

    public static async Task<FakeIdentityCenter> StartAsync(FakeSts sts, string startUrl = DefaultStartUrl, string region = "us-east-1")
    {
        ArgumentNullException.ThrowIfNull(sts);
        ArgumentException.ThrowIfNullOrEmpty(startUrl);
        ArgumentException.ThrowIfNullOrEmpty(region);
        var fake = new FakeIdentityCenter(sts, startUrl, region);
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync).ConfigureAwait(false);
        return fake;
    }

    /// <summary>The hash under which calls record a token: the first 16 hex digits of its SHA-256.</summary>
    public static string TokenHash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..16];

    /// <summary>The code_challenge for a PKCE code_verifier (S256: unpadded base64url of the SHA-256).</summary>
    public static string CodeChallenge(string codeVerifier) =>
        Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

    /// <summary>Accepts another start URL for this instance (e.g. a custom portal domain).</summary>
    public void AddStartUrl(string startUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(startUrl);
        lock (_gate)
        {
            _startUrls.Add(startUrl);
        }
    }

    public SsoAccount AddAccount(string accountId, string accountName, string? emailAddress = null)
    {
        if (!AccountIdPattern().IsMatch(accountId))
        {
            throw new ArgumentException("An account ID is 12 digits.", nameof(accountId));
        }

        ArgumentException.ThrowIfNullOrEmpty(accountName);
        var account = new SsoAccount(accountId, accountName, emailAddress ?? $"aws+{accountId}@example.com");
        lock (_gate)
        {
            if (!_accounts.TryAdd(accountId, account))
            {
                throw new InvalidOperationException($"Account {accountId} already exists.");
            }

            _accountOrder.Add(account);
        }

        return account;
    }

    /// <summary>
    /// Assigns the permission set <paramref name="roleName"/> in an added account to a user; the credentials
    /// GetRoleCredentials returns for it last <paramref name="sessionDuration"/> (default one hour, 1 to 12 hours).
    /// </summary>
    public SsoRoleAssignment AssignRole(string accountId, string roleName, string userName = DefaultUserName, TimeSpan? sessionDuration = null)
    {
        if (!PermissionSetPattern().IsMatch(roleName))
        {
            throw new ArgumentException("A permission set name is 1 to 32 characters of [\\w+=,.@-].", nameof(roleName));
        }

        CheckUserName(userName);
        TimeSpan duration = sessionDuration ?? TimeSpan.FromHours(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.FromHours(1), nameof(sessionDuration));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, TimeSpan.FromHours(12), nameof(sessionDuration));

        lock (_gate)
        {
            if (!_accounts.ContainsKey(accountId))
            {
                throw new InvalidOperationException($"Add account {accountId} before assigning roles in it.");
            }

            var assignment = new SsoRoleAssignment(userName, accountId, roleName, RoleArn(accountId, roleName), duration);
            if (!_assignments.TryGetValue(userName, out Dictionary<string, List<SsoRoleAssignment>>? byAccount))
            {
                byAccount = new Dictionary<string, List<SsoRoleAssignment>>(StringComparer.Ordinal);
                _assignments.Add(userName, byAccount);
            }

            if (!byAccount.TryGetValue(accountId, out List<SsoRoleAssignment>? roles))
            {
                roles = [];
                byAccount.Add(accountId, roles);
            }

            roles.RemoveAll(role => role.RoleName == roleName);
            roles.Add(assignment);
            return assignment;
        }
    }

    /// <summary>Removes an assignment; GetRoleCredentials for it is ForbiddenException afterwards.</summary>
    public void UnassignRole(string accountId, string roleName, string userName = DefaultUserName)
    {
        lock (_gate)
        {
            if (_assignments.TryGetValue(userName, out Dictionary<string, List<SsoRoleAssignment>>? byAccount)
                && byAccount.TryGetValue(accountId, out List<SsoRoleAssignment>? roles))
            {
                roles.RemoveAll(role => role.RoleName == roleName);
                if (roles.Count == 0)
                {
                    byAccount.Remove(accountId);
                }
            }
        }
    }

    /// <summary>The assignments of a user, in account order (a snapshot).</summary>
    public IReadOnlyList<SsoRoleAssignment> AssignmentsOf(string userName = DefaultUserName)
    {
        lock (_gate)
        {
            return UserAccounts(userName).SelectMany(account => _assignments[userName][account.AccountId]).ToArray();
        }
    }

    /// <summary>
    /// Adds <paramref name="accountCount"/> accounts (IDs 100000000001, 100000000002, ..., names account-0001, ...) each
    /// with <paramref name="rolesPerAccount"/> roles (AdministratorAccess, ReadOnlyAccess, PowerUserAccess, then Role4,
    /// Role5, ...) assigned to <paramref name="userName"/>. Returns the new accounts.
    /// </summary>
    public IReadOnlyList<SsoAccount> CreateOrganization(int accountCount, int rolesPerAccount, string userName = DefaultUserName, int firstAccountNumber = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accountCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rolesPerAccount, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstAccountNumber, 1);
        string[] roleNames = Enumerable.Range(1, rolesPerAccount).Select(i => i switch
        {
            1 => "AdministratorAccess",
            2 => "ReadOnlyAccess",
            3 => "PowerUserAccess",
            _ => "Role" + i.ToString(CultureInfo.InvariantCulture),
        }).ToArray();

        var accounts = new List<SsoAccount>(accountCount);
        for (int i = 0; i < accountCount; i++)
        {
            long number = 100000000000L + firstAccountNumber + i;
            string accountId = number.ToString(CultureInfo.InvariantCulture);
            string name = "account-" + (firstAccountNumber + i).ToString("D4", CultureInfo.InvariantCulture);
            SsoAccount account = AddAccount(accountId, name, $"aws+{name}@example.com");
            foreach (string roleName in roleNames)
            {
                AssignRole(accountId, roleName, userName);
            }

            accounts.Add(account);
        }

        return accounts;
    }

    /// <summary>Approves a pending device authorization as <paramref name="userName"/> (the user entered the code and allowed access).</summary>
    public void ApproveDevice(string userCode, string userName = DefaultUserName)
    {
        CheckUserName(userName);
        lock (_gate)
        {
            DeviceState device = PendingDevice(userCode);
            device.State = SsoDeviceState.Approved;
            device.UserName = userName;
        }
    }

    /// <summary>Denies a pending device authorization: the next poll is AccessDeniedException.</summary>
    public void DenyDevice(string userCode, string userName = DefaultUserName)
    {
        lock (_gate)
        {
            DeviceState device = PendingDevice(userCode);
            device.State = SsoDeviceState.Denied;
            device.UserName = userName;
        }
    }

    /// <summary>Makes a device code expire now: polling it is ExpiredTokenException.</summary>
    public void ExpireDeviceCode(string userCode)
    {
        lock (_gate)
        {
            DeviceState device = _devicesByUserCode.GetValueOrDefault(NormalizeUserCode(userCode))
                ?? throw new InvalidOperationException($"No device authorization with user code {userCode}.");
            device.ExpiresAt = TimeProvider.GetUtcNow().AddSeconds(-1);
        }
    }

    /// <summary>Makes a client registration expire now: the client's calls are InvalidClientException.</summary>
    public void ExpireRegistration(string clientId)
    {
        lock (_gate)
        {
            ClientState client = _clients.GetValueOrDefault(clientId)
                ?? throw new InvalidOperationException($"No client {clientId}.");
            client.ExpiresAt = TimeProvider.GetUtcNow().AddSeconds(-1);
        }
    }

    /// <summary>Makes an access token expire now (its session, and so its refresh token, stays valid).</summary>
    public void ExpireAccessToken(string accessToken)
    {
        lock (_gate)
        {
            AccessTokenState token = _accessTokens.GetValueOrDefault(accessToken)
                ?? throw new InvalidOperationException("No such access token.");
            token.ExpiresAt = TimeProvider.GetUtcNow().AddSeconds(-1);
        }
    }

    /// <summary>Ends the sign-in session an access or refresh token belongs to, as if it had timed out: all its tokens stop working.</summary>
    public void ExpireSession(string token)
    {
        lock (_gate)
        {
            SessionState session = _accessTokens.GetValueOrDefault(token)?.Session
                ?? _refreshTokens.GetValueOrDefault(token)?.Session
                ?? throw new InvalidOperationException("No such access or refresh token.");
            session.ExpiresAt = TimeProvider.GetUtcNow().AddSeconds(-1);
        }
    }

    /// <summary>Revokes every sign-in session (of one user, when named): all access and refresh tokens stop working.</summary>
    public void RevokeTokens(string? userName = null)
    {
        lock (_gate)
        {
            foreach (SessionState session in _sessions.Where(s => userName is null || s.UserName == userName))
            {
                session.Revoked = true;
            }
        }
    }

    /// <summary>True while the access token is known, unexpired and its session neither expired nor revoked.</summary>
    public bool IsValidAccessToken(string accessToken)
    {
        lock (_gate)
        {
            return _accessTokens.TryGetValue(accessToken, out AccessTokenState? token) && token.IsValid(TimeProvider.GetUtcNow());
        }
    }

    /// <summary>
    /// Creates, without any HTTP call, what a finished `aws sso login` leaves behind: a client registered for the
    /// authorization code and refresh grants with scope sso:account:access, and a sign-in session of
    /// <paramref name="userName"/> with an access token (and a refresh token unless <paramref name="withRefreshToken"/> is false).
    /// </summary>
    public SsoSeededSignIn SeedSignIn(string userName = DefaultUserName, bool withRefreshToken = true, TimeSpan? accessTokenLifetime = null)
    {
        CheckUserName(userName);
        DateTimeOffset now = TimeProvider.GetUtcNow();
        lock (_gate)
        {
            ClientState client = AddClient("seeded-client", [AccountAccessScope], [AuthorizationCodeGrant, RefreshTokenGrant],
                ["http://127.0.0.1/oauth/callback"], StartUrl, now);
            var session = new SessionState(userName, client.ClientId, StartUrl, client.Scopes, now + SessionDuration);
            _sessions.Add(session);
            AccessTokenState access = IssueAccessToken(session, now, accessTokenLifetime ?? (withRefreshToken ? AccessTokenLifetime : SessionDuration));
            RefreshTokenState? refresh = withRefreshToken ? IssueRefreshToken(session) : null;
            return new SsoSeededSignIn(userName, StartUrl, client.ClientId, client.ClientSecret, client.ExpiresAt,
                access.Value, access.ExpiresAt, refresh?.Value);
        }
    }

    /// <summary>
    /// Makes the next <paramref name="times"/> calls of <paramref name="operation"/> ("*" for any) fail with this error
    /// before anything else is checked, e.g. ("ListAccounts", "TooManyRequestsException", 429) or
    /// ("CreateToken", "InternalServerException", 500). OIDC operations answer with <paramref name="oauthError"/>
    /// (default: the OAuth code of that exception), portal operations with a message.
    /// </summary>
    public void InjectError(string operation, string code, int httpStatus, int times = 1, string? message = null, string? oauthError = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentException.ThrowIfNullOrEmpty(code);
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _injectedErrors.Add(new InjectedError(operation, code, httpStatus, message ?? "Injected by the test.", oauthError, times));
        }
    }

    /// <summary>
    /// Throttles a portal operation ("*" for all four): every <paramref name="everyNth"/> call of it is
    /// TooManyRequestsException (429), counting from the next call. Zero turns throttling of it off.
    /// </summary>
    public void ThrottleEvery(string operation, int everyNth)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyNth, 0);
        if (operation != "*" && !IsPortalOperation(operation))
        {
            throw new ArgumentException("Only portal operations (ListAccounts, ListAccountRoles, GetRoleCredentials, Logout) throttle with 429.", nameof(operation));
        }

        lock (_gate)
        {
            if (everyNth == 0)
            {
                _throttles.Remove(operation);
            }
            else
            {
                _throttles[operation] = new Throttle(everyNth);
            }
        }
    }

    /// <summary>Makes the next <paramref name="times"/> calls of a portal operation ("*" for any) TooManyRequestsException (429).</summary>
    public void ThrottleNext(string operation, int times = 1)
    {
        if (operation != "*" && !IsPortalOperation(operation))
        {
            throw new ArgumentException("Only portal operations (ListAccounts, ListAccountRoles, GetRoleCredentials, Logout) throttle with 429.", nameof(operation));
        }

        InjectError(operation, "TooManyRequestsException", 429, times, "Too many requests");
    }

    /// <summary>How many requests of an operation arrived (successful or not).</summary>
    public int CountCalls(string operation)
    {
        lock (_gate)
        {
            return _operationCounts.GetValueOrDefault(operation);
        }
    }

    /// <summary>The number of requests per operation so far.</summary>
    public IReadOnlyDictionary<string, int> CallCounts
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_operationCounts, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Stops listening; connections to <see cref="Endpoint"/> are refused afterwards.</summary>
    public Task StopAsync() => _server?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        DateTimeOffset receivedAt = TimeProvider.GetUtcNow();
        string operation = OperationOf(request.Method, request.Path.Value ?? "/");
        var call = new CallInfo(operation);
        string? bearer = request.Headers["x-amz-sso_bearer_token"].FirstOrDefault();
        Reply reply;
        try
        {
            byte[]? body = await LoopbackServer.ReadBodyAsync(request, MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
            reply = body is null
                ? throw SsoFault.InvalidRequest("The request body is too large.")
                : Execute(operation, request, body, bearer, call);
        }
        catch (SsoFault fault)
        {
            call.ErrorCode = fault.Code;
            call.ErrorMessage = fault.Message;
            reply = operation is "Authorize" or "VerifyDevice" ? Reply.Html(fault.HttpStatus, fault.Message) : Reply.Error(fault);
        }

        Record(new SsoCall(operation, request.Headers.Authorization.Count > 0, bearer is null ? null : TokenHash(bearer),
            call.Parameters, call.IssuedTokenHash, call.IssuedAccessKeyId, call.ErrorCode, call.ErrorMessage, reply.Status, receivedAt));

        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, context.RequestAborted).ConfigureAwait(false);
        }

        await reply.WriteAsync(context.Response, context.RequestAborted).ConfigureAwait(false);
    }

    private Reply Execute(string operation, HttpRequest request, byte[] body, string? bearer, CallInfo call)
    {
        lock (_gate)
        {
            _operationCounts[operation] = _operationCounts.GetValueOrDefault(operation) + 1;
        }

        ThrowInjectedError(operation);
        return operation switch
        {
            "RegisterClient" => RegisterClient(ReadJson(body), call),
            "StartDeviceAuthorization" => StartDeviceAuthorization(ReadJson(body), call),
            "CreateToken" => CreateToken(ReadJson(body), call),
            "Authorize" => Authorize(request.Query, call),
            "VerifyDevice" => VerifyDevice(request.Query, call),
            "ListAccounts" => ListAccounts(request.Query, bearer, call),
            "ListAccountRoles" => ListAccountRoles(request.Query, bearer, call),
            "GetRoleCredentials" => GetRoleCredentials(request.Query, bearer, call),
            "Logout" => Logout(bearer),
            _ => throw SsoFault.UnknownOperation(request.Method, request.Path.Value ?? "/"),
        };
    }

    private static string OperationOf(string method, string path) => (method, path.TrimEnd('/')) switch
    {
        ("POST", "/client/register") => "RegisterClient",
        ("POST", "/device_authorization") => "StartDeviceAuthorization",
        ("POST", "/token") => "CreateToken",
        ("GET", "/authorize") => "Authorize",
        ("GET", "/device") => "VerifyDevice",
        ("GET", "/assignment/accounts") => "ListAccounts",
        ("GET", "/assignment/roles") => "ListAccountRoles",
        ("GET", "/federation/credentials") => "GetRoleCredentials",
        ("POST", "/logout") => "Logout",
        _ => "Unknown",
    };

    private static bool IsPortalOperation(string operation) =>
        operation is "ListAccounts" or "ListAccountRoles" or "GetRoleCredentials" or "Logout";

    private void ThrowInjectedError(string operation)
    {
        lock (_gate)
        {
            InjectedError? error = _injectedErrors.FirstOrDefault(e => e.Operation == operation || e.Operation == "*");
            if (error is not null)
            {
                if (--error.Remaining == 0)
                {
                    _injectedErrors.Remove(error);
                }

                bool oidc = !IsPortalOperation(operation);
                throw new SsoFault(error.Code, error.HttpStatus, error.Message,
                    oidc ? error.OAuthError ?? SsoFault.DefaultOAuthError(error.Code) : null);
            }

            if (IsPortalOperation(operation))
            {
                foreach (string key in new[] { operation, "*" })
                {
                    if (_throttles.TryGetValue(key, out Throttle? throttle) && ++throttle.Count % throttle.EveryNth == 0)
                    {
                        throw SsoFault.TooManyRequests();
                    }
                }
            }
        }
    }

    private void Record(SsoCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
        }
    }

    private ClientState AddClient(string name, IReadOnlyList<string>? scopes, IReadOnlyList<string>? grantTypes,
        IReadOnlyList<string> redirectUris, string? issuerUrl, DateTimeOffset now)
    {
        // Client IDs and secrets are opaque; AWS's secrets are long signed blobs, so make them long too.
        var client = new ClientState(NewToken(16), NewToken(512), name, scopes, grantTypes, redirectUris, issuerUrl,
            WholeSeconds(now), WholeSeconds(now + RegistrationLifetime));
        _clients.Add(client.ClientId, client);
        _clientOrder.Add(client);
        return client;
    }

    private AccessTokenState IssueAccessToken(SessionState session, DateTimeOffset now, TimeSpan lifetime)
    {
        DateTimeOffset expiresAt = now + lifetime;
        if (expiresAt > session.ExpiresAt)
        {
            expiresAt = session.ExpiresAt;
        }

        var token = new AccessTokenState("aoa" + NewToken(96), session, expiresAt);
        _accessTokens.Add(token.Value, token);
        return token;
    }

    private RefreshTokenState IssueRefreshToken(SessionState session)
    {
        var token = new RefreshTokenState("aor" + NewToken(96), session);
        _refreshTokens.Add(token.Value, token);
        return token;
    }

    private DeviceState PendingDevice(string userCode)
    {
        DeviceState device = _devicesByUserCode.GetValueOrDefault(NormalizeUserCode(userCode))
            ?? throw new InvalidOperationException($"No device authorization with user code {userCode}.");
        if (device.ExpiresAt <= TimeProvider.GetUtcNow())
        {
            throw new InvalidOperationException($"The device authorization {userCode} has expired.");
        }

        return device.State == SsoDeviceState.Pending
            ? device
            : throw new InvalidOperationException($"The device authorization {userCode} is {device.State}, not pending.");
    }

    private IEnumerable<SsoAccount> UserAccounts(string userName) =>
        _assignments.TryGetValue(userName, out Dictionary<string, List<SsoRoleAssignment>>? byAccount)
            ? _accountOrder.Where(account => byAccount.ContainsKey(account.AccountId))
            : [];

    private string RoleArn(string accountId, string roleName)
    {
        // IAM Identity Center provisions AWSReservedSSO_<permission set>_<16 hex> under this path (the region is
        // part of the path for instances outside us-east-1).
        string partition = Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
            : Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
            : "aws";
        string path = Region == "us-east-1" ? "aws-reserved/sso.amazonaws.com/" : $"aws-reserved/sso.amazonaws.com/{Region}/";
        string suffix = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(StartUrl + "|" + roleName)))[..16];
        return $"arn:{partition}:iam::{accountId}:role/{path}AWSReservedSSO_{roleName}_{suffix}";
    }

    private static void CheckUserName(string userName)
    {
        // The user name becomes the role session name of the credentials, so it must be a valid one.
        if (userName is null || !SessionNamePattern().IsMatch(userName))
        {
            throw new ArgumentException("A user name is 2 to 64 characters of [\\w+=,.@-].", nameof(userName));
        }
    }

    private static string NormalizeUserCode(string userCode) => userCode.Trim().ToUpperInvariant();

    private static string NewToken(int bytes) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static DateTimeOffset WholeSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{1,32}$")]
    private static partial Regex PermissionSetPattern();

    [GeneratedRegex(@"^[\w+=,.@-]{2,64}$")]
    private static partial Regex SessionNamePattern();

    private sealed class CallInfo(string operation)
    {
        public string Operation { get; } = operation;

        public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

        public string? IssuedTokenHash { get; set; }

        public string? IssuedAccessKeyId { get; set; }

        public string? ErrorCode { get; set; }

        public string? ErrorMessage { get; set; }
    }

    private sealed class ClientState(
        string clientId,
        string clientSecret,
        string clientName,
        IReadOnlyList<string>? scopes,
        IReadOnlyList<string>? grantTypes,
        IReadOnlyList<string> redirectUris,
        string? issuerUrl,
        DateTimeOffset issuedAt,
        DateTimeOffset expiresAt)
    {
        public string ClientId { get; } = clientId;

        public string ClientSecret { get; } = clientSecret;

        public string ClientName { get; } = clientName;

        public IReadOnlyList<string>? Scopes { get; } = scopes;

        public IReadOnlyList<string>? GrantTypes { get; } = grantTypes;

        public IReadOnlyList<string> RedirectUris { get; } = redirectUris;

        public string? IssuerUrl { get; } = issuerUrl;

        public DateTimeOffset IssuedAt { get; } = issuedAt;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        // Clients that named no grant types (the AWS CLI's legacy registrations) may use the device code and, when
        // they registered scopes, refresh their tokens; authorization code needs an explicit registration.
        public bool Allows(string grantType) => GrantTypes is null
            ? grantType is DeviceCodeGrant or RefreshTokenGrant
            : GrantTypes.Contains(grantType);

        public bool GetsRefreshTokens => Scopes is { Count: > 0 } && Allows(RefreshTokenGrant);

        public SsoClientRegistration ToRecord() =>
            new(ClientId, ClientSecret, ClientName, Scopes, GrantTypes, RedirectUris, IssuerUrl, IssuedAt, ExpiresAt);
    }

    private sealed class DeviceState(string deviceCode, string userCode, string clientId, string startUrl, DateTimeOffset expiresAt, TimeSpan interval)
    {
        public string DeviceCode { get; } = deviceCode;

        public string UserCode { get; } = userCode;

        public string ClientId { get; } = clientId;

        public string StartUrl { get; } = startUrl;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        /// <summary>The interval the client must keep between polls; slow_down adds five seconds (RFC 8628 3.5).</summary>
        public TimeSpan Interval { get; set; } = interval;

        public DateTimeOffset? LastPoll { get; set; }

        /// <summary>Polls answered while pending, for <see cref="AutoApproveDeviceAfterPolls"/>.</summary>
        public int PendingPolls { get; set; }

        public SsoDeviceState State { get; set; } = SsoDeviceState.Pending;

        public string? UserName { get; set; }

        public SsoDeviceAuthorization ToRecord() => new(UserCode, ClientId, StartUrl, State, UserName, ExpiresAt, Interval);
    }

    private sealed class CodeState(string code, string clientId, string redirectUri, string challenge, IReadOnlyList<string> scopes, string userName, DateTimeOffset expiresAt)
    {
        public string Code { get; } = code;

        public string ClientId { get; } = clientId;

        public string RedirectUri { get; } = redirectUri;

        public string Challenge { get; } = challenge;

        public IReadOnlyList<string> Scopes { get; } = scopes;

        public string UserName { get; } = userName;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        public bool Used { get; set; }

        /// <summary>The session the code was exchanged for, revoked if the code is replayed (RFC 6749 4.1.2).</summary>
        public SessionState? Session { get; set; }
    }

    /// <summary>A user's sign-in for one client: what Logout and session expiry end, with every token issued in it.</summary>
    private sealed class SessionState(string userName, string clientId, string startUrl, IReadOnlyList<string>? scopes, DateTimeOffset expiresAt)
    {
        public string UserName { get; } = userName;

        public string ClientId { get; } = clientId;

        public string StartUrl { get; } = startUrl;

        public IReadOnlyList<string>? Scopes { get; } = scopes;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public bool Revoked { get; set; }

        public bool IsActive(DateTimeOffset now) => !Revoked && ExpiresAt > now;
    }

    private sealed class AccessTokenState(string value, SessionState session, DateTimeOffset expiresAt)
    {
        public string Value { get; } = value;

        public SessionState Session { get; } = session;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public bool IsValid(DateTimeOffset now) => ExpiresAt > now && Session.IsActive(now);
    }

    private sealed class RefreshTokenState(string value, SessionState session)
    {
        public string Value { get; } = value;

        public SessionState Session { get; } = session;

        /// <summary>True once rotated away by a refresh.</summary>
        public bool Replaced { get; set; }
    }

    private sealed class InjectedError(string operation, string code, int httpStatus, string message, string? oauthError, int remaining)
    {
        public string Operation { get; } = operation;

        public string Code { get; } = code;

        public int HttpStatus { get; } = httpStatus;

        public string Message { get; } = message;

        public string? OAuthError { get; } = oauthError;

        public int Remaining { get; set; } = remaining;
    }

    private sealed class Throttle(int everyNth)
    {
        public int EveryNth { get; } = everyNth;

        public int Count { get; set; }
    }
}
