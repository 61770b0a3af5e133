using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Sso;

/// <summary>
/// Signs in to IAM Identity Center as the AWS CLI v2 (2.22 and later) does: the authorization code grant with
/// PKCE by default (a client registered for authorization_code and refresh_token with the portless loopback
/// redirect URI and the start URL as issuer, a listener on 127.0.0.1 and a random port, S256 challenge, state
/// checked), or the device code grant (the verification URL and code shown, CreateToken polled at the
/// announced interval, five seconds slower on slow_down). Client registrations are cached and reused until
/// 15 minutes before they expire, under the same key as the AWS CLI's. The token is written to the shared cache.
/// </summary>
internal sealed class SsoSignIn
{
    private const int DefaultIntervalSeconds = 5;
    private const int SlowDownSeconds = 5;

    private readonly EngineContext _context;
    private readonly SsoTokenProvider _provider;
    private readonly SsoTokenCache _cache;
    private readonly Func<string?, IBrowserLauncher> _launcherFactory;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    public SsoSignIn(EngineContext context, SsoTokenProvider provider, SsoTokenCache cache, Func<string?, IBrowserLauncher> launcherFactory, Func<TimeSpan, CancellationToken, Task> delay)
    {
        _context = context;
        _provider = provider;
        _cache = cache;
        _launcherFactory = launcherFactory;
        _delay = delay;
    }

    public async Task<SsoSession> ConnectAsync(SsoConnectRequest request, ISsoSignInPrompt prompt, CancellationToken cancellationToken)
    {
        if (request.Source.AccessToken is not null || request.Source.CacheFile is not null)
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoConflictingSources", "Signing in needs an sso-session, a profile or a start URL, not a token.", request.Source.CacheFile ?? "-AccessToken",
                "Use Import-AwsSsoToken to bring a token file into the cache.");
        }

        var target = _provider.Resolver.Resolve(request.Source, requireRegion: true);
        var region = target.Region!;
        var profile = _provider.SettingsProfile(request.Source, target);
        var key = target.TokenKey;
        var path = _cache.PathFor(key);

        if (!request.Force && _cache.ReadToken(key, out _) is { } existing && SameStartUrl(existing, target))
        {
            var now = _context.UtcNow();
            if (existing.RemainingAt(now) >= SsoTokenProvider.RefreshWindow)
            {
                _context.Log.Verbose($"Already signed in to {target.Description} until {existing.ExpiresAt:u}; -Force signs in again.");
                return new SsoSession(target.SessionName, target.StartUrl, region, existing, path, SsoTokenOrigin.Cached);
            }

            if (existing.CanRefreshAt(now))
            {
                var (refreshed, _) = await _provider.TryRefreshAsync(target, profile, existing, cancellationToken).ConfigureAwait(false);
                if (refreshed is not null)
                {
                    _cache.WriteToken(key, refreshed);
                    return new SsoSession(target.SessionName, target.StartUrl, region, refreshed, path, SsoTokenOrigin.Refreshed);
                }
            }
        }

        var browser = string.IsNullOrWhiteSpace(request.Browser) ? _context.Environment.Get(SystemBrowserLauncher.BrowserVariable) : request.Browser;
        var hasBrowser = !string.IsNullOrWhiteSpace(browser);
        var flow = ChooseFlow(request.UseDeviceCode, target.PreferredFlow, target.SessionName is null, hasBrowser, _context.Environment, out var reason);
        var openBrowser = !request.NoBrowser && (hasBrowser || BrowserEnvironment.CanOpenBrowser(_context.Environment, out _));
        _context.Log.Verbose($"Signing in to {target.Description} ({target.StartUrl}, {region}) with the {(flow == SsoSignInFlow.DeviceCode ? "device code" : "authorization code")} flow{(reason is null ? string.Empty : ": " + reason)}.");

        // A named browser that does not exist stops the sign-in before anything is registered or shown.
        var launcher = openBrowser ? _launcherFactory(browser) : null;
        using var oidc = new SsoOidcService(region, _provider.OidcEndpoint(profile), _context.Log);
        SsoToken token;
        try
        {
            token = flow == SsoSignInFlow.AuthorizationCode
                ? await AuthorizationCodeAsync(oidc, target, request.Timeout, launcher, prompt, reason, cancellationToken).ConfigureAwait(false)
                : await DeviceCodeAsync(oidc, target, request.Timeout, launcher, prompt, reason, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsLoginException ex) when (ex.Target == target.Description)
        {
            // Messages describe the target ("sso-session corp"); the error's target is its name, as for every other error.
            throw new AwsLoginException(ex.Kind, ex.Code, ex.Message, TargetName(target), ex.RecommendedAction, ex.InnerException);
        }

        _cache.WriteToken(key, token);
        _context.Log.Verbose($"Signed in to {target.Description}; the token is valid until {token.ExpiresAt:u} and cached in {path}.");
        return new SsoSession(target.SessionName, target.StartUrl, region, token, path,
            flow == SsoSignInFlow.AuthorizationCode ? SsoTokenOrigin.AuthorizationCode : SsoTokenOrigin.DeviceCode);
    }

    /// <summary>
    /// The flow: -UseDeviceCode, else the profile's or sso-session's awslogin_sso_flow, else the device code for a
    /// legacy start URL without an sso-session (as the AWS CLI v2 always does) or where no browser can take part
    /// (SSH, no display) unless a browser program is named, else the authorization code.
    /// </summary>
    internal static SsoSignInFlow ChooseFlow(bool useDeviceCode, SsoSignInFlow? preferred, bool legacyStartUrl, bool hasBrowser, IEnvironmentReader environment, out string? reason)
    {
        if (useDeviceCode)
        {
            reason = null;
            return SsoSignInFlow.DeviceCode;
        }

        if (preferred is { } configured)
        {
            reason = $"{SsoTargetResolver.FlowKey} is set in the configuration";
            return configured;
        }

        if (legacyStartUrl)
        {
            reason = "a start URL without an sso-session signs in by device code, as the AWS CLI does";
            return SsoSignInFlow.DeviceCode;
        }

        if (!hasBrowser && !BrowserEnvironment.CanOpenBrowser(environment, out var why))
        {
            reason = why;
            return SsoSignInFlow.DeviceCode;
        }

        reason = null;
        return SsoSignInFlow.AuthorizationCode;
    }

    /// <summary>The authorize URL exactly as the AWS CLI builds it (its parameter order; the challenge is unpadded base64url).</summary>
    internal static string AuthorizeUrl(Uri authorizationBase, string clientId, string redirectUri, string state, string challenge, IReadOnlyList<string>? scopes)
    {
        var scopeText = scopes is { Count: > 0 } ? string.Join(" ", scopes) : SsoOidcService.AccountAccessScope;
        return authorizationBase.GetLeftPart(UriPartial.Authority) + "/authorize?"
            + "response_type=code"
            + "&client_id=" + Uri.EscapeDataString(clientId)
            + "&redirect_uri=" + Uri.EscapeDataString(redirectUri)
            + "&state=" + Uri.EscapeDataString(state)
            + "&code_challenge_method=" + Pkce.Method
            + "&scopes=" + Uri.EscapeDataString(scopeText)
            + "&code_challenge=" + challenge;
    }

    private async Task<SsoToken> AuthorizationCodeAsync(SsoOidcService oidc, SsoTarget target, TimeSpan timeout, IBrowserLauncher? launcher, ISsoSignInPrompt prompt, string? reason, CancellationToken cancellationToken)
    {
        using var listener = LoopbackRedirectListener.Start();
        var registration = await RegistrationAsync(oidc, target, forAuthorizationCode: true, cancellationToken).ConfigureAwait(false);
        var pkce = Pkce.Create();
        var state = Pkce.NewState();
        var url = AuthorizeUrl(oidc.AuthorizationBase(), registration.ClientId, listener.RedirectUri, state, pkce.Challenge, target.RegistrationScopes);

        prompt.Show(new SsoAuthorizationPrompt(SsoSignInFlow.AuthorizationCode, target.Description, url, null, null, launcher is not null, reason));
        if (launcher is not null && !launcher.TryOpen(url, out var problem))
        {
            _context.Log.Warning($"No browser could be opened ({problem}); open the URL shown yourself, on this computer.");
        }

        _context.Log.Verbose($"Waiting up to {timeout.TotalSeconds:0} seconds for the browser to return to {listener.RedirectUri}.");
        var callback = await listener.WaitAsync(timeout, target.Description, cancellationToken).ConfigureAwait(false);
        if (callback.Error is { } error)
        {
            throw error == "access_denied"
                ? new AwsLoginException(FailureKind.AccessDenied, "SsoAuthorizationDenied",
                    $"The sign-in to {target.Description} was denied in the browser: {Describe(error, callback.ErrorDescription)}", TargetName(target),
                    "Run Connect-AwsSso again and allow the access request.")
                : new AwsLoginException(FailureKind.AccessDenied, "SsoSignInFailed",
                    $"The sign-in to {target.Description} failed in the browser: {Describe(error, callback.ErrorDescription)}", TargetName(target),
                    error == "invalid_scope"
                        ? "Correct sso_registration_scopes in the sso-session."
                        : "Run Connect-AwsSso again; if it fails the same way, try -Force or -UseDeviceCode.");
        }

        if (!string.Equals(callback.State, state, StringComparison.Ordinal))
        {
            throw new AwsLoginException(FailureKind.AccessDenied, "SsoStateMismatch",
                $"The sign-in redirect for {target.Description} carried a state that this sign-in did not send; it was refused.", TargetName(target),
                "Run Connect-AwsSso again. If this repeats, another program on this computer may be interfering with the sign-in.");
        }

        var grant = await oidc.RedeemAuthorizationCodeAsync(registration, callback.Code!, listener.RedirectUri, pkce.Verifier, target.Description, cancellationToken).ConfigureAwait(false);
        return TokenFrom(grant, registration, target);
    }

    private async Task<SsoToken> DeviceCodeAsync(SsoOidcService oidc, SsoTarget target, TimeSpan timeout, IBrowserLauncher? launcher, ISsoSignInPrompt prompt, string? reason, CancellationToken cancellationToken)
    {
        var registration = await RegistrationAsync(oidc, target, forAuthorizationCode: false, cancellationToken).ConfigureAwait(false);
        SsoDeviceAuthorization authorization;
        try
        {
            authorization = await oidc.StartDeviceAuthorizationAsync(registration, target.StartUrl, target.Description, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsLoginException ex) when (ex.Code == "SsoClientRejected")
        {
            // The cached registration was revoked or expired early: register again, once.
            _context.Log.Verbose("The cached client registration was refused; registering a new client.");
            registration = await RegistrationAsync(oidc, target, forAuthorizationCode: false, cancellationToken, ignoreCache: true).ConfigureAwait(false);
            authorization = await oidc.StartDeviceAuthorizationAsync(registration, target.StartUrl, target.Description, cancellationToken).ConfigureAwait(false);
        }

        var started = _context.UtcNow();
        var deadline = started + TimeSpan.FromSeconds(Math.Max(1, authorization.ExpiresInSeconds));
        if (started + timeout < deadline)
        {
            deadline = started + timeout;
        }

        var interval = authorization.IntervalSeconds is > 0 ? authorization.IntervalSeconds.Value : DefaultIntervalSeconds;

        // A client may already be authorized: one attempt before showing anything, as the AWS CLI does.
        var (result, grant) = await oidc.PollDeviceTokenAsync(registration, authorization, target.Description, cancellationToken).ConfigureAwait(false);
        if (result != SsoDevicePoll.Token)
        {
            prompt.Show(new SsoAuthorizationPrompt(SsoSignInFlow.DeviceCode, target.Description, authorization.VerificationUriComplete, authorization.VerificationUri, authorization.UserCode, launcher is not null, reason));
            if (launcher is not null && !launcher.TryOpen(authorization.VerificationUriComplete, out var problem))
            {
                _context.Log.Warning($"No browser could be opened ({problem}); open the URL shown yourself, on any device.");
            }
        }

        while (result != SsoDevicePoll.Token)
        {
            if (result == SsoDevicePoll.SlowDown)
            {
                interval += SlowDownSeconds;
                _context.Log.Verbose($"IAM Identity Center asked to poll more slowly; polling every {interval.ToString(CultureInfo.InvariantCulture)} seconds.");
            }

            if (_context.UtcNow().AddSeconds(interval) > deadline)
            {
                throw new AwsLoginException(FailureKind.Expired, "SsoSignInTimedOut",
                    $"The device code sign-in to {target.Description} was not approved in time (by {deadline:u}).", TargetName(target),
                    "Run Connect-AwsSso again and approve the request in the browser sooner.");
            }

            await _delay(TimeSpan.FromSeconds(interval), cancellationToken).ConfigureAwait(false);
            (result, grant) = await oidc.PollDeviceTokenAsync(registration, authorization, target.Description, cancellationToken).ConfigureAwait(false);
        }

        return TokenFrom(grant!, registration, target);
    }

    /// <summary>The cached registration for this target and grant, or a new one (cached).</summary>
    private async Task<SsoClientRegistration> RegistrationAsync(SsoOidcService oidc, SsoTarget target, bool forAuthorizationCode, CancellationToken cancellationToken, bool ignoreCache = false)
    {
        var key = SsoTokenCache.RegistrationKey(target.StartUrl, target.Region!, target.RegistrationScopes, target.SessionName);
        if (!ignoreCache && _cache.ReadRegistration(key) is { } cached)
        {
            var left = cached.ExpiresAt - _context.UtcNow();
            if (left >= SsoTokenProvider.RefreshWindow && cached.IsForAuthorizationCode == forAuthorizationCode)
            {
                _context.Log.Verbose($"Using the cached client registration (valid until {cached.ExpiresAt:u}).");
                return cached;
            }

            _context.Log.Verbose(left < SsoTokenProvider.RefreshWindow
                ? $"The cached client registration expires at {cached.ExpiresAt:u}; registering a new client."
                : "The cached client registration is for the other sign-in flow; registering a new client.");
        }

        // The AWS CLI names legacy registrations by a timestamp.
        var clientName = "awslogin-client-" + (target.SessionName ?? ((long)(_context.UtcNow() - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds).ToString(CultureInfo.InvariantCulture));
        var registration = forAuthorizationCode
            ? await oidc.RegisterForAuthorizationCodeAsync(clientName, target.RegistrationScopes, target.StartUrl, target.Description, cancellationToken).ConfigureAwait(false)
            : await oidc.RegisterForDeviceCodeAsync(clientName, target.RegistrationScopes, target.Description, cancellationToken).ConfigureAwait(false);
        _cache.WriteRegistration(key, registration);
        return registration;
    }

    private SsoToken TokenFrom(SsoTokenGrant grant, SsoClientRegistration registration, SsoTarget target) =>
        new(grant.AccessToken, _context.UtcNow().AddSeconds(grant.ExpiresInSeconds))
        {
            StartUrl = target.StartUrl,
            Region = target.Region,
            RefreshToken = grant.RefreshToken,
            ClientId = registration.ClientId,
            ClientSecret = registration.ClientSecret,
            RegistrationExpiresAt = registration.ExpiresAt,
        };

    private static bool SameStartUrl(SsoToken token, SsoTarget target) =>
        token.StartUrl is null || string.Equals(token.StartUrl.TrimEnd('/', '#'), target.StartUrl.TrimEnd('/', '#'), StringComparison.Ordinal);

    private static string Describe(string error, string? description)
    {
        // The description comes from the redirect's query string: keep it short and printable.
        var text = description is { Length: > 0 } ? error + ": " + description : error;
        var builder = new System.Text.StringBuilder();
        foreach (var c in text.Length > 300 ? text.Substring(0, 300) : text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString();
    }

    private static string TargetName(SsoTarget target) => target.Profile?.Name ?? target.SessionName ?? target.StartUrl;
}
