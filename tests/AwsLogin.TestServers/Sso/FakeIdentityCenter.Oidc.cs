using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace AwsLogin.TestServers;

/// <summary>SSO OIDC: RegisterClient, StartDeviceAuthorization, CreateToken and the browser endpoints.</summary>
public sealed partial class FakeIdentityCenter
{
    private const string UserCodeAlphabet = "BCDFGHJKLMNPQRSTVWXZ";

    // Polls are compared with the announced interval on the fake's clock; allow for timer jitter on a real clock.
    private static readonly TimeSpan s_pollTolerance = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_slowDownIncrement = TimeSpan.FromSeconds(5);

    private Reply RegisterClient(JsonObject json, CallInfo call)
    {
        string? clientName = JsonString(json, "clientName");
        string? clientType = JsonString(json, "clientType");
        List<string>? scopes = JsonStrings(json, "scopes");
        List<string>? grantTypes = JsonStrings(json, "grantTypes");
        List<string> redirectUris = JsonStrings(json, "redirectUris") ?? [];
        string? issuerUrl = JsonString(json, "issuerUrl");
        RecordParameters(call, ("clientName", clientName), ("clientType", clientType), ("scopes", Join(scopes)),
            ("grantTypes", Join(grantTypes)), ("redirectUris", Join(redirectUris)), ("issuerUrl", issuerUrl),
            ("entitledApplicationArn", JsonString(json, "entitledApplicationArn")));

        if (string.IsNullOrEmpty(clientName) || string.IsNullOrEmpty(clientType))
        {
            throw SsoFault.InvalidRequest("clientName and clientType are required.");
        }

        if (clientType != "public")
        {
            throw SsoFault.InvalidClientMetadata($"Unsupported client type: {clientType}");
        }

        foreach (string scope in scopes ?? [])
        {
            if (!SupportedScopes.Contains(scope))
            {
                throw SsoFault.InvalidScope($"Invalid scope: {scope}");
            }
        }

        foreach (string grantType in grantTypes ?? [])
        {
            if (grantType is not (DeviceCodeGrant or AuthorizationCodeGrant or RefreshTokenGrant))
            {
                throw SsoFault.UnsupportedGrantType($"Unsupported grant type: {grantType}");
            }
        }

        foreach (string redirectUri in redirectUris)
        {
            if (!IsAcceptableRedirectUri(redirectUri))
            {
                throw SsoFault.InvalidRedirectUri($"Invalid redirect URI: {redirectUri}");
            }
        }

        if (grantTypes?.Contains(AuthorizationCodeGrant) == true && (redirectUris.Count == 0 || issuerUrl is null))
        {
            throw SsoFault.InvalidRequest("The authorization_code grant needs redirectUris and issuerUrl.");
        }

        lock (_gate)
        {
            if (issuerUrl is not null && !IsStartUrl(issuerUrl))
            {
                throw SsoFault.InvalidRequest($"Invalid issuer URL: {issuerUrl}");
            }

            ClientState client = AddClient(clientName, scopes, grantTypes, redirectUris, issuerUrl, TimeProvider.GetUtcNow());
            call.Parameters["issuedClientId"] = client.ClientId;
            return Reply.Json(new JsonObject
            {
                ["clientId"] = client.ClientId,
                ["clientSecret"] = client.ClientSecret,
                ["clientIdIssuedAt"] = client.IssuedAt.ToUnixTimeSeconds(),
                ["clientSecretExpiresAt"] = client.ExpiresAt.ToUnixTimeSeconds(),
            });
        }
    }

    private Reply StartDeviceAuthorization(JsonObject json, CallInfo call)
    {
        string? clientId = JsonString(json, "clientId");
        string? clientSecret = JsonString(json, "clientSecret");
        string? startUrl = JsonString(json, "startUrl");
        RecordParameters(call, ("clientId", clientId), ("startUrl", startUrl));
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret) || string.IsNullOrEmpty(startUrl))
        {
            throw SsoFault.InvalidRequest("clientId, clientSecret and startUrl are required.");
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        lock (_gate)
        {
            ClientState client = AuthenticateClient(clientId, clientSecret, now);
            if (!client.Allows(DeviceCodeGrant))
            {
                throw SsoFault.UnauthorizedClient("The client is not registered for the device code grant.");
            }

            if (!IsStartUrl(startUrl))
            {
                throw SsoFault.InvalidRequest($"Invalid start URL: {startUrl}");
            }

            string userCode;
            do
            {
                userCode = RandomNumberGenerator.GetString(UserCodeAlphabet, 4) + "-" + RandomNumberGenerator.GetString(UserCodeAlphabet, 4);
            }
            while (_devicesByUserCode.ContainsKey(userCode));

            var device = new DeviceState(NewToken(96), userCode, clientId, startUrl, WholeSeconds(now + DeviceCodeLifetime), DevicePollInterval);
            _devicesByCode.Add(device.DeviceCode, device);
            _devicesByUserCode.Add(userCode, device);
            _deviceOrder.Add(device);
            call.Parameters["userCode"] = userCode;

            string verificationUri = new Uri(Endpoint, "device").ToString();
            return Reply.Json(new JsonObject
            {
                ["deviceCode"] = device.DeviceCode,
                ["userCode"] = userCode,
                ["verificationUri"] = verificationUri,
                ["verificationUriComplete"] = verificationUri + "?user_code=" + userCode,
                ["expiresIn"] = (int)DeviceCodeLifetime.TotalSeconds,
                ["interval"] = (int)Math.Ceiling(DevicePollInterval.TotalSeconds),
            });
        }
    }

    private Reply CreateToken(JsonObject json, CallInfo call)
    {
        string? clientId = JsonString(json, "clientId");
        string? clientSecret = JsonString(json, "clientSecret");
        string? grantType = JsonString(json, "grantType");
        string? redirectUri = JsonString(json, "redirectUri");
        List<string>? scope = JsonStrings(json, "scope");
        RecordParameters(call, ("clientId", clientId), ("grantType", grantType), ("redirectUri", redirectUri), ("scope", Join(scope)));
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret) || string.IsNullOrEmpty(grantType))
        {
            throw SsoFault.InvalidRequest("clientId, clientSecret and grantType are required.");
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        lock (_gate)
        {
            ClientState client = AuthenticateClient(clientId, clientSecret, now);
            if (grantType is not (DeviceCodeGrant or AuthorizationCodeGrant or RefreshTokenGrant))
            {
                throw SsoFault.UnsupportedGrantType($"Unsupported grant type: {grantType}");
            }

            if (!client.Allows(grantType))
            {
                throw SsoFault.UnauthorizedClient($"The client is not registered for the {grantType} grant.");
            }

            foreach (string requested in scope ?? [])
            {
                if (client.Scopes is not null && !client.Scopes.Contains(requested))
                {
                    throw SsoFault.InvalidScope($"Invalid scope: {requested}");
                }
            }

            (AccessTokenState access, RefreshTokenState? refresh) = grantType switch
            {
                DeviceCodeGrant => DeviceCodeToken(client, JsonString(json, "deviceCode"), now),
                AuthorizationCodeGrant => AuthorizationCodeToken(client, JsonString(json, "code"), redirectUri, JsonString(json, "codeVerifier"), now),
                _ => RefreshToken(client, JsonString(json, "refreshToken"), now),
            };

            call.IssuedTokenHash = TokenHash(access.Value);
            var response = new JsonObject
            {
                ["accessToken"] = access.Value,
                ["tokenType"] = "Bearer",
                ["expiresIn"] = (int)Math.Round((access.ExpiresAt - now).TotalSeconds),
            };
            if (refresh is not null)
            {
                response["refreshToken"] = refresh.Value;
            }

            return Reply.Json(response);
        }
    }

    private (AccessTokenState, RefreshTokenState?) DeviceCodeToken(ClientState client, string? deviceCode, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(deviceCode))
        {
            throw SsoFault.InvalidRequest("deviceCode is required for the device code grant.");
        }

        DeviceState device = _devicesByCode.GetValueOrDefault(deviceCode) is { } found && found.ClientId == client.ClientId
            ? found
            : throw SsoFault.InvalidGrant("Invalid device code provided");
        if (device.State == SsoDeviceState.Redeemed)
        {
            throw SsoFault.InvalidGrant("The device code has already been used");
        }

        if (device.ExpiresAt <= now)
        {
            throw SsoFault.ExpiredToken("The device code has expired");
        }

        // RFC 8628 3.5: a client polling faster than the interval gets slow_down, and the interval grows by five
        // seconds for this and every later request.
        DateTimeOffset? lastPoll = device.LastPoll;
        device.LastPoll = now;
        if (lastPoll is { } last && now - last < device.Interval - s_pollTolerance)
        {
            device.Interval += s_slowDownIncrement;
            throw SsoFault.SlowDown();
        }

        if (device.State == SsoDeviceState.Pending && device.PendingPolls >= AutoApproveDeviceAfterPolls)
        {
            CheckUserName(BrowserUserName);
            device.State = SsoDeviceState.Approved;
            device.UserName = BrowserUserName;
        }

        switch (device.State)
        {
            case SsoDeviceState.Pending:
                device.PendingPolls++;
                throw SsoFault.AuthorizationPending();
            case SsoDeviceState.Denied:
                throw SsoFault.AccessDenied("The user denied the authorization request");
        }

        device.State = SsoDeviceState.Redeemed;
        return StartSession(client, device.UserName!, device.StartUrl, client.Scopes, now);
    }

    private (AccessTokenState, RefreshTokenState?) AuthorizationCodeToken(ClientState client, string? code, string? redirectUri, string? codeVerifier, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(redirectUri) || string.IsNullOrEmpty(codeVerifier))
        {
            throw SsoFault.InvalidRequest("code, redirectUri and codeVerifier are required for the authorization_code grant.");
        }

        CodeState grant = _codes.GetValueOrDefault(code) is { } found && found.ClientId == client.ClientId
            ? found
            : throw SsoFault.InvalidGrant("Invalid authorization code provided");
        if (grant.Used)
        {
            // A replayed code may be stolen: end what it was exchanged for (RFC 6749 4.1.2).
            if (grant.Session is not null)
            {
                grant.Session.Revoked = true;
            }

            throw SsoFault.InvalidGrant("The authorization code has already been used");
        }

        if (grant.ExpiresAt <= now)
        {
            throw SsoFault.ExpiredToken("The authorization code has expired");
        }

        if (!string.Equals(redirectUri, grant.RedirectUri, StringComparison.Ordinal))
        {
            throw SsoFault.InvalidGrant("redirectUri does not match the authorization request");
        }

        if (!CodeVerifierPattern().IsMatch(codeVerifier))
        {
            throw SsoFault.InvalidRequest("codeVerifier must be 43 to 128 characters of [A-Za-z0-9-._~].");
        }

        if (!FixedTimeEquals(grant.Challenge, CodeChallenge(codeVerifier)))
        {
            throw SsoFault.InvalidGrant("The code verifier does not match the code challenge");
        }

        grant.Used = true;
        (AccessTokenState access, RefreshTokenState? refresh) = StartSession(client, grant.UserName, client.IssuerUrl ?? StartUrl, grant.Scopes, now);
        grant.Session = access.Session;
        return (access, refresh);
    }

    private (AccessTokenState, RefreshTokenState?) RefreshToken(ClientState client, string? refreshToken, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(refreshToken))
        {
            throw SsoFault.InvalidRequest("refreshToken is required for the refresh_token grant.");
        }

        RefreshTokenState token = _refreshTokens.GetValueOrDefault(refreshToken) is { } found
            && found.Session.ClientId == client.ClientId && !found.Replaced && found.Session.IsActive(now)
            ? found
            : throw SsoFault.InvalidGrant("Invalid refresh token provided");

        AccessTokenState access = IssueAccessToken(token.Session, now, AccessTokenLifetime);
        if (!RotateRefreshTokens)
        {
            return (access, token);
        }

        token.Replaced = true;
        return (access, IssueRefreshToken(token.Session));
    }

    private (AccessTokenState, RefreshTokenState?) StartSession(ClientState client, string userName, string startUrl, IReadOnlyList<string>? scopes, DateTimeOffset now)
    {
        var session = new SessionState(userName, client.ClientId, startUrl, scopes, now + SessionDuration);
        _sessions.Add(session);
        bool refreshable = client.GetsRefreshTokens;
        AccessTokenState access = IssueAccessToken(session, now, refreshable ? AccessTokenLifetime : SessionDuration);
        return (access, refreshable ? IssueRefreshToken(session) : null);
    }

    private Reply Authorize(IQueryCollection query, CallInfo call)
    {
        string? responseType = query["response_type"].FirstOrDefault();
        string? clientId = query["client_id"].FirstOrDefault();
        string? redirectUri = query["redirect_uri"].FirstOrDefault();
        string? state = query["state"].FirstOrDefault();
        string? challenge = query["code_challenge"].FirstOrDefault();
        string? challengeMethod = query["code_challenge_method"].FirstOrDefault();
        string? scopes = query["scopes"].FirstOrDefault();
        RecordParameters(call, ("response_type", responseType), ("client_id", clientId), ("redirect_uri", redirectUri),
            ("state", state), ("code_challenge", challenge), ("code_challenge_method", challengeMethod), ("scopes", scopes));

        DateTimeOffset now = TimeProvider.GetUtcNow();
        lock (_gate)
        {
            // Without a known client and a registered redirect URI the browser must not be sent anywhere (RFC 6749 4.1.2.1).
            if (clientId is null || !_clients.TryGetValue(clientId, out ClientState? client) || client.ExpiresAt <= now)
            {
                throw new SsoFault("invalid_client", 400, "The client is unknown or its registration has expired.", null);
            }

            if (redirectUri is null || !client.RedirectUris.Any(registered => RedirectUriMatches(registered, redirectUri)))
            {
                throw new SsoFault("invalid_redirect_uri", 400, "The redirect URI is not registered for this client.", null);
            }

            Reply Fail(string error, string description)
            {
                call.ErrorCode = error;
                call.ErrorMessage = description;
                return Reply.Redirect(AppendQuery(redirectUri, ("error", error), ("error_description", description), ("state", state)));
            }

            if (responseType != "code")
            {
                return Fail("unsupported_response_type", "response_type must be code.");
            }

            if (!client.Allows(AuthorizationCodeGrant))
            {
                return Fail("unauthorized_client", "The client is not registered for the authorization_code grant.");
            }

            if (challengeMethod != "S256" || challenge is null || !CodeChallengePattern().IsMatch(challenge))
            {
                return Fail("invalid_request", "A code_challenge with code_challenge_method S256 is required.");
            }

            string[] requested = scopes?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            IReadOnlyList<string> granted = requested.Length > 0 ? requested : client.Scopes ?? [];
            if (client.Scopes is not null && granted.Any(scope => !client.Scopes.Contains(scope)))
            {
                return Fail("invalid_scope", "A requested scope is not registered for this client.");
            }

            switch (BrowserAction)
            {
                case SsoBrowserAction.Deny:
                    return Fail("access_denied", "The user denied the authorization request.");
                case SsoBrowserAction.Abandon:
                    return Reply.Html(200, "Sign in to continue.");
            }

            CheckUserName(BrowserUserName);
            var code = new CodeState(NewToken(32), client.ClientId, redirectUri, challenge, granted, BrowserUserName, now + AuthorizationCodeLifetime);
            _codes.Add(code.Code, code);
            return Reply.Redirect(AppendQuery(redirectUri, ("code", code.Code), ("state", state)));
        }
    }

    private Reply VerifyDevice(IQueryCollection query, CallInfo call)
    {
        string? userCode = query["user_code"].FirstOrDefault();
        RecordParameters(call, ("user_code", userCode));
        if (string.IsNullOrEmpty(userCode))
        {
            return Reply.Html(200, "Enter the code shown by your application.");
        }

        lock (_gate)
        {
            DeviceState device = _devicesByUserCode.GetValueOrDefault(NormalizeUserCode(userCode))
                ?? throw new SsoFault("invalid_user_code", 400, "The code is not valid.", null);
            if (device.ExpiresAt <= TimeProvider.GetUtcNow())
            {
                throw new SsoFault("expired_user_code", 400, "The code has expired.", null);
            }

            if (device.State != SsoDeviceState.Pending)
            {
                throw new SsoFault("used_user_code", 400, "The code has already been used.", null);
            }

            switch (BrowserAction)
            {
                case SsoBrowserAction.Approve:
                    CheckUserName(BrowserUserName);
                    device.State = SsoDeviceState.Approved;
                    device.UserName = BrowserUserName;
                    return Reply.Html(200, "Request approved. You can close this window.");
                case SsoBrowserAction.Deny:
                    device.State = SsoDeviceState.Denied;
                    device.UserName = BrowserUserName;
                    return Reply.Html(200, "Request denied.");
                default:
                    return Reply.Html(200, "Sign in to continue.");
            }
        }
    }

    private ClientState AuthenticateClient(string clientId, string clientSecret, DateTimeOffset now)
    {
        ClientState client = _clients.GetValueOrDefault(clientId) is { } found && FixedTimeEquals(found.ClientSecret, clientSecret)
            ? found
            : throw SsoFault.InvalidClient("Invalid client provided");
        return client.ExpiresAt > now ? client : throw SsoFault.InvalidClient("The client registration has expired");
    }

    private bool IsStartUrl(string url) => _startUrls.Contains(url) || _startUrls.Contains(url.TrimEnd('/', '#'))
        || _startUrls.Any(known => known.TrimEnd('/', '#') == url.TrimEnd('/', '#'));

    private static bool IsAcceptableRedirectUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
        && string.IsNullOrEmpty(uri.Fragment)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    /// <summary>
    /// RFC 8252 7.3 as the AWS CLI relies on it: a loopback redirect URI registered without a port matches that URI
    /// with any port (http://127.0.0.1/oauth/callback accepts http://127.0.0.1:53121/oauth/callback); otherwise exact.
    /// </summary>
    private static bool RedirectUriMatches(string registered, string requested)
    {
        if (string.Equals(registered, requested, StringComparison.Ordinal))
        {
            return true;
        }

        if (!Uri.TryCreate(registered, UriKind.Absolute, out Uri? reg) || !Uri.TryCreate(requested, UriKind.Absolute, out Uri? req))
        {
            return false;
        }

        bool loopbackIp = (reg.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6) && reg.IsLoopback;
        return loopbackIp && reg.Scheme == Uri.UriSchemeHttp && req.Scheme == Uri.UriSchemeHttp
            && string.Equals(reg.Host, req.Host, StringComparison.OrdinalIgnoreCase)
            && string.Equals(reg.PathAndQuery, req.PathAndQuery, StringComparison.Ordinal)
            && string.IsNullOrEmpty(req.Fragment);
    }

    private static string AppendQuery(string uri, params (string Name, string? Value)[] parameters)
    {
        string query = string.Join("&", parameters.Where(p => p.Value is not null)
            .Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
        return uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

    private static void RecordParameters(CallInfo call, params (string Name, string? Value)[] parameters)
    {
        foreach ((string name, string? value) in parameters)
        {
            if (value is not null)
            {
                call.Parameters[name] = value;
            }
        }
    }

    private static string? Join(IEnumerable<string>? values) => values is null ? null : string.Join(" ", values);

    [GeneratedRegex("^[A-Za-z0-9._~-]{43,128}$")]
    private static partial Regex CodeVerifierPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex CodeChallengePattern();
}
