using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Sso;

/// <summary>
/// IAM Identity Center for the cmdlets: sign in (<see cref="ConnectAsync"/>), use the cached token
/// (<see cref="GetSessionAsync"/>), list accounts and roles, get role credentials, and import a token file.
/// Nothing here except <see cref="ConnectAsync"/> ever opens a browser or waits for a user.
/// </summary>
public sealed class SsoService
{
    /// <summary>How many portal calls discovery makes at once by default.</summary>
    public const int DefaultThrottleLimit = SsoDiscovery.DefaultThrottleLimit;

    private readonly EngineContext _context;
    private readonly SsoTokenCache _cache;

    public SsoService(EngineContext context)
        : this(context, SsoTokenCache.ForEnvironment(context.Environment))
    {
    }

    internal SsoService(EngineContext context, SsoTokenCache cache)
    {
        _context = context;
        _cache = cache;
    }

    /// <summary>The AWS CLI's token cache this service uses.</summary>
    public SsoTokenCache Cache => _cache;

    /// <summary>Opens URLs; tests replace it.</summary>
    internal Func<string?, IBrowserLauncher>? LauncherFactory { get; set; }

    /// <summary>Waits between polls and retries; tests replace it.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

    /// <summary>Signs in (or reuses a cached token with more than 15 minutes left, unless forced) and caches the token.</summary>
    public Task<SsoSession> ConnectAsync(SsoConnectRequest request, ISsoSignInPrompt prompt, CancellationToken cancellationToken)
    {
        var provider = Provider();
        var signIn = new SsoSignIn(_context, provider, _cache, LauncherFactory ?? (browser => SystemLauncher(browser)), Delay);
        return signIn.ConnectAsync(request, prompt, cancellationToken);
    }

    /// <summary>The usable token of a source (refreshed when it has less than 15 minutes left); never signs in.</summary>
    public async Task<SsoSession> GetSessionAsync(SsoTokenSource source, CancellationToken cancellationToken) =>
        (await Provider().GetAccessAsync(source, cancellationToken).ConfigureAwait(false)).Session;

    /// <summary>Every account assigned to the signed-in user.</summary>
    public async Task<SsoAccountListing> ListAccountsAsync(SsoTokenSource source, CancellationToken cancellationToken)
    {
        var access = await Provider().GetAccessAsync(source, cancellationToken).ConfigureAwait(false);
        using var portal = new SsoPortalService(access.Region, access.PortalEndpoint, _context.Log, maxErrorRetry: 0);
        var accounts = await Discovery().ListAccountsAsync(portal, access, cancellationToken).ConfigureAwait(false);
        return new SsoAccountListing(access.Session, accounts);
    }

    /// <summary>
    /// The roles of the given accounts (an empty name where it is unknown), or of every account when
    /// <paramref name="accounts"/> is null; at most <paramref name="throttleLimit"/> calls at once. Accounts that
    /// fail are in <see cref="SsoRoleListing.Failures"/>.
    /// </summary>
    public async Task<SsoRoleListing> ListRolesAsync(SsoTokenSource source, IReadOnlyList<SsoAccount>? accounts, int throttleLimit, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        var access = await Provider().GetAccessAsync(source, cancellationToken).ConfigureAwait(false);
        using var portal = new SsoPortalService(access.Region, access.PortalEndpoint, _context.Log, maxErrorRetry: 0);
        var listing = await Discovery().ListRolesAsync(portal, access, accounts, throttleLimit, progress, cancellationToken).ConfigureAwait(false);
        return listing with { Session = access.Session };
    }

    /// <summary>
    /// GetRoleCredentials with the source's token, cached in the AwsLogin cache like STS results and reused while
    /// more than the refresh margin is left; <paramref name="forceRefresh"/> skips the cached credentials.
    /// </summary>
    public async Task<CredentialSet> GetRoleCredentialsAsync(SsoTokenSource source, string accountId, string roleName, bool forceRefresh, CancellationToken cancellationToken)
    {
        CheckAccountAndRole(accountId, roleName);
        var provider = Provider();
        var credentialCache = new CredentialCache(_context.CacheDirectory, _context.RefreshMargin, _context.UtcNow);
        var settings = provider.SettingsProfile(source, null);
        var key = CredentialCache.Key(new[]
        {
            "v1", "sso-role", provider.IdentityOf(source), provider.PortalEndpoint(settings)?.ToString() ?? "aws", source.Region ?? string.Empty, accountId, roleName,
        });
        var description = $"IAM Identity Center role {roleName} in account {accountId}";
        if (!forceRefresh && credentialCache.TryGet(key) is { } cached)
        {
            _context.Log.Verbose($"Using cached credentials of the {description} (valid until {cached.Expiration:u}).");
            return cached;
        }

        using (await credentialCache.LockAsync(key, _context.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            if (!forceRefresh && credentialCache.TryGet(key) is { } filled)
            {
                return filled;
            }

            var access = await provider.GetAccessAsync(source, cancellationToken).ConfigureAwait(false);
            using var portal = new SsoPortalService(access.Region, access.PortalEndpoint, _context.Log);
            CredentialSet credentials;
            try
            {
                credentials = await portal.GetRoleCredentialsAsync(access.AccessToken, accountId, roleName, cancellationToken).ConfigureAwait(false);
            }
            catch (AwsLoginException ex) when (ex.Code == "SsoTokenRejected")
            {
                var signedIn = access.Session.CacheFile is not null && access.Session.Origin != SsoTokenOrigin.Given;
                throw new AwsLoginException(ex.Kind, ex.Code, ex.Message + (signedIn ? $" Sign in again: {access.SignInCommand}." : string.Empty), ex.Target,
                    access.Session.CacheFile is not null && access.Session.Origin != SsoTokenOrigin.Given
                        ? $"Sign in again: {access.SignInCommand} (or aws sso login)."
                        : "The given token is no longer valid: " + access.SignInCommand + ".",
                    ex.InnerException);
            }

            credentials = credentials with { Source = description };
            credentialCache.Store(key, credentials);
            return credentials;
        }
    }

    /// <summary>
    /// Copies a token file into the cache entry of the destination (an sso-session, a profile, a start URL, or by
    /// default the sso-session whose start URL the file names, else the start URL's legacy entry).
    /// </summary>
    public SsoSession Import(string path, SsoTokenSource destination, bool write)
    {
        var token = SsoTokenCache.ReadTokenFile(path);
        var store = ProfileStore.Load(_context.Environment);
        var resolver = new SsoTargetResolver(store, _context.Environment);
        SsoTarget target;
        if (destination.SessionName is { Length: > 0 } || destination.ProfileName is { Length: > 0 } || destination.StartUrl is { Length: > 0 })
        {
            target = resolver.Resolve(destination, requireRegion: false);
        }
        else if (token.StartUrl is { Length: > 0 } startUrl)
        {
            target = SessionForStartUrl(store, resolver, startUrl) ?? resolver.Resolve(new SsoTokenSource { StartUrl = startUrl }, requireRegion: false);
        }
        else
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoTargetRequired",
                $"The token file '{path}' does not say which start URL it is for.", path, "Pass -SsoSession, -ProfileName or -StartUrl to say where it belongs.");
        }

        if (token.StartUrl is { Length: > 0 } fileStartUrl && !SameUrl(fileStartUrl, target.StartUrl))
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoStartUrlMismatch",
                $"The token in '{path}' is for {fileStartUrl}, but {target.Description} signs in to {target.StartUrl}.", path,
                "Import it for the sso-session or start URL it was issued for.");
        }

        var region = destination.Region ?? target.Region ?? token.Region ?? throw new AwsLoginException(FailureKind.InvalidArgument, "SsoRegionRequired",
            $"The IAM Identity Center region of the token in '{path}' is unknown.", path, "Pass -Region.");
        var imported = token with { StartUrl = target.StartUrl, Region = region };
        var cacheFile = _cache.PathFor(target.TokenKey);
        if (write)
        {
            _cache.WriteToken(target.TokenKey, imported);
            _context.Log.Verbose($"Imported the token from '{path}' into {cacheFile} ({target.Description}).");
        }

        if (write && imported.RemainingAt(_context.UtcNow()) <= TimeSpan.Zero && !imported.CanRefreshAt(_context.UtcNow()))
        {
            _context.Log.Warning($"The imported token expired at {imported.ExpiresAt:u} and cannot be refreshed; sign in with {target.ConnectCommand}.");
        }

        return new SsoSession(target.SessionName, target.StartUrl, region, imported, cacheFile, SsoTokenOrigin.Imported);
    }

    /// <summary>Where Import would write, for -WhatIf: the cache file and what it is for.</summary>
    public (string CacheFile, string Description) ImportDestination(string path, SsoTokenSource destination)
    {
        var session = Import(path, destination, write: false);
        return (session.CacheFile!, session.SessionName is null ? "start URL " + session.StartUrl : "sso-session " + session.SessionName);
    }

    /// <summary>
    /// Lists the roles (or takes the given ones) and plans the AWS config for them: text, or a merge into a config
    /// file. Nothing is written; see <see cref="ApplyConfigExportAsync"/>.
    /// </summary>
    public Task<SsoConfigExportPlan> PlanConfigExportAsync(SsoConfigExportRequest request, Action<int, int>? progress, CancellationToken cancellationToken) =>
        new SsoConfigExport(_context, this).PlanAsync(request, progress, cancellationToken);

    /// <summary>Writes a planned merge (keeping a backup of the old file); returns the backup path, or null.</summary>
    public Task<string?> ApplyConfigExportAsync(SsoConfigExportPlan plan, CancellationToken cancellationToken) =>
        new SsoConfigExport(_context, this).ApplyAsync(plan, cancellationToken);

    /// <summary>What identifies the token a source leads to, for cache keys (secrets only as fingerprints).</summary>
    internal string SourceIdentity(SsoTokenSource source) => Provider().IdentityOf(source);

    /// <summary>Account ids are 12 digits; role names are permission set names.</summary>
    public static void CheckAccountAndRole(string accountId, string roleName)
    {
        if (accountId is null || accountId.Length != 12 || !IsDigits(accountId))
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "InvalidArgument", $"'{accountId}' is not an AWS account id (12 digits).", accountId, "Pass the 12-digit account id.");
        }

        if (string.IsNullOrWhiteSpace(roleName))
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "InvalidArgument", "A role name is required.", accountId, "Pass the name of the role (permission set).");
        }
    }

    private SsoTokenProvider Provider() => new(_context, ProfileStore.Load(_context.Environment), _cache);

    private SystemBrowserLauncher SystemLauncher(string? browser)
    {
        var launcher = new SystemBrowserLauncher(browser, _context.Log, _context.Environment);
        launcher.Check();
        return launcher;
    }

    private SsoDiscovery Discovery() => new(_context.Log, Delay);

    private static SsoTarget? SessionForStartUrl(ProfileStore store, SsoTargetResolver resolver, string startUrl)
    {
        SsoTarget? found = null;
        foreach (var name in store.SsoSessionNames)
        {
            if (store.TryGetSsoSession(name, out var section) && section!.StartUrl is { } url && SameUrl(url, startUrl))
            {
                if (found is not null)
                {
                    // Several sessions share the start URL: the caller must say which.
                    return null;
                }

                found = resolver.Resolve(new SsoTokenSource { SessionName = name }, requireRegion: false);
            }
        }

        return found;
    }

    private static bool SameUrl(string a, string b) => string.Equals(a.TrimEnd('/', '#'), b.TrimEnd('/', '#'), StringComparison.Ordinal);

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return true;
    }
}
