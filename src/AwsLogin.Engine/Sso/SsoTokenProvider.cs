using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Sso;

/// <summary>A token ready for the portal API: the session, where the portal is, and what it is, for messages.</summary>
internal sealed record SsoAccess(SsoSession Session, Uri? PortalEndpoint, Uri? OidcEndpoint, string Description, string SignInCommand)
{
    public string AccessToken => Session.Token.AccessToken;

    public string Region => Session.Region;

    public override string ToString() => Description;

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(Description);
        return true;
    }
}

/// <summary>
/// Loads IAM Identity Center tokens as botocore's SSOTokenProvider does: from the cache entry of the session
/// (or start URL), refreshing one with less than 15 minutes left with its refresh token while the client
/// registration is unexpired, and saving the result so the refresh happens once. A cross-process lock makes
/// concurrent callers share one refresh. It never signs in: a missing or unrefreshable token is an error that
/// says to run Connect-AwsSso.
/// </summary>
internal sealed class SsoTokenProvider
{
    /// <summary>botocore's refresh window for SSO tokens (and `aws sso login`'s test for an expired token).</summary>
    public static readonly TimeSpan RefreshWindow = TimeSpan.FromMinutes(15);

    private readonly EngineContext _context;
    private readonly ProfileStore _store;
    private readonly SsoTargetResolver _resolver;
    private readonly SsoTokenCache _cache;

    public SsoTokenProvider(EngineContext context, ProfileStore store, SsoTokenCache cache)
    {
        _context = context;
        _store = store;
        _resolver = new SsoTargetResolver(store, context.Environment);
        _cache = cache;
    }

    public SsoTargetResolver Resolver => _resolver;

    /// <summary>What identifies the token a source leads to, without reading it (for role credential cache keys).</summary>
    public string IdentityOf(SsoTokenSource source)
    {
        if (source.AccessToken is { Length: > 0 } given)
        {
            return "token:" + CredentialCache.Fingerprint(given);
        }

        if (source.CacheFile is { Length: > 0 } file)
        {
            return "file:" + Path.GetFullPath(file);
        }

        var target = _resolver.Resolve(source, requireRegion: false);
        return "cache:" + _cache.PathFor(target.TokenKey) + "|" + target.StartUrl;
    }

    /// <summary>The profile whose endpoint settings apply to a source.</summary>
    public ConfigProfile? SettingsProfile(SsoTokenSource source, SsoTarget? target) =>
        target?.Profile
        ?? (source.ProfileName is { Length: > 0 } name && _store.TryGetProfile(name, out var named) ? named : null)
        ?? _resolver.ProfileForSettings();

    public Uri? PortalEndpoint(ConfigProfile? profile) => ServiceEndpointResolver.Resolve(ServiceEndpointResolver.Sso, profile, _store, _context.Environment);

    public Uri? OidcEndpoint(ConfigProfile? profile) => ServiceEndpointResolver.Resolve(ServiceEndpointResolver.SsoOidc, profile, _store, _context.Environment);

    /// <summary>A usable token for <paramref name="source"/>, refreshed if it needs to be.</summary>
    public async Task<SsoAccess> GetAccessAsync(SsoTokenSource source, CancellationToken cancellationToken)
    {
        if (source.AccessToken is { Length: > 0 } && source.CacheFile is { Length: > 0 })
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoConflictingSources",
                "Give either an access token or a token file, not both.", source.CacheFile, "Pass -AccessToken or -CacheFile.");
        }

        if (source.AccessToken is { Length: > 0 } accessToken)
        {
            return Given(source, new SsoToken(accessToken, DateTime.MaxValue.AddDays(-1)) { StartUrl = source.StartUrl }, cacheFile: null);
        }

        if (source.CacheFile is { Length: > 0 } cacheFile)
        {
            var fromFile = SsoTokenCache.ReadTokenFile(cacheFile);
            if (fromFile.RemainingAt(_context.UtcNow()) <= TimeSpan.Zero)
            {
                throw new AwsLoginException(FailureKind.Expired, "SsoTokenExpired",
                    $"The IAM Identity Center token in '{cacheFile}' expired at {fromFile.ExpiresAt:u}.", cacheFile,
                    "Get a fresh token file, or sign in with Connect-AwsSso.");
            }

            return Given(source, fromFile, cacheFile);
        }

        var target = _resolver.Resolve(source, requireRegion: false);
        var profile = SettingsProfile(source, target);
        var key = target.TokenKey;
        var path = _cache.PathFor(key);
        var token = _cache.ReadToken(key, out var problem) ?? throw NotSignedIn(target, path, problem);
        var now = _context.UtcNow();
        if (token.RemainingAt(now) >= RefreshWindow)
        {
            return Access(target, profile, token, path, SsoTokenOrigin.Cached);
        }

        using (await FileLock.AcquireAsync(LockPath(key), _context.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            // Another process may have refreshed it while this one waited.
            token = _cache.ReadToken(key, out problem) ?? throw NotSignedIn(target, path, problem);
            now = _context.UtcNow();
            if (token.RemainingAt(now) >= RefreshWindow)
            {
                return Access(target, profile, token, path, SsoTokenOrigin.Cached);
            }

            var (refreshed, why) = await TryRefreshAsync(target, profile, token, cancellationToken).ConfigureAwait(false);
            if (refreshed is not null)
            {
                _cache.WriteToken(key, refreshed);
                return Access(target, profile, refreshed, path, SsoTokenOrigin.Refreshed);
            }

            if (token.RemainingAt(_context.UtcNow()) > TimeSpan.Zero)
            {
                _context.Log.Verbose($"The IAM Identity Center token for {target.Description} expires at {token.ExpiresAt:u} and {why}; using it until then.");
                return Access(target, profile, token, path, SsoTokenOrigin.Cached);
            }

            throw new AwsLoginException(FailureKind.Expired, "SsoTokenExpired",
                $"The IAM Identity Center token for {target.Description} expired at {token.ExpiresAt:u} and {why}. Sign in again: {target.ConnectCommand}.", TargetName(target),
                $"Sign in again: {target.ConnectCommand} (or aws sso login).");
        }
    }

    /// <summary>Refreshes a cached token; the new token, or null and why not.</summary>
    internal async Task<(SsoToken? Token, string Why)> TryRefreshAsync(SsoTarget target, ConfigProfile? profile, SsoToken token, CancellationToken cancellationToken)
    {
        var now = _context.UtcNow();
        if (string.IsNullOrEmpty(token.RefreshToken) || string.IsNullOrEmpty(token.ClientId) || string.IsNullOrEmpty(token.ClientSecret) || token.RegistrationExpiresAt is null)
        {
            return (null, "cannot be refreshed (the sign-in gave no refresh token)");
        }

        if (token.RegistrationExpiresAt <= now)
        {
            return (null, $"cannot be refreshed (its client registration expired at {token.RegistrationExpiresAt:u})");
        }

        var region = target.Region ?? token.Region;
        if (region is null)
        {
            return (null, "cannot be refreshed (its region is unknown)");
        }

        try
        {
            using var oidc = new SsoOidcService(region, OidcEndpoint(profile), _context.Log);
            var grant = await oidc.RefreshAsync(token.ClientId!, token.ClientSecret!, token.RefreshToken!, target.Description, cancellationToken).ConfigureAwait(false);
            _context.Log.Verbose($"Refreshed the IAM Identity Center token for {target.Description}.");
            return (new SsoToken(grant.AccessToken, _context.UtcNow().AddSeconds(grant.ExpiresInSeconds))
            {
                StartUrl = target.StartUrl,
                Region = region,
                ClientId = token.ClientId,
                ClientSecret = token.ClientSecret,
                RegistrationExpiresAt = token.RegistrationExpiresAt,

                // A grant without a new refresh token leaves the old one valid.
                RefreshToken = grant.RefreshToken ?? token.RefreshToken,
            }, string.Empty);
        }
        catch (AwsLoginException ex) when (ex.Kind is not FailureKind.EndpointUnreachable || token.RemainingAt(_context.UtcNow()) > TimeSpan.Zero)
        {
            // As botocore: a failed refresh leaves the cached token to be used while it lasts.
            var message = $"The IAM Identity Center token for {target.Description} could not be refreshed: {ex.Message}";
            if (token.RemainingAt(_context.UtcNow()) > TimeSpan.Zero)
            {
                _context.Log.Warning(message);
            }
            else
            {
                _context.Log.Verbose(message);
            }

            var code = ex.InnerException is Amazon.Runtime.AmazonServiceException service ? SsoErrors.CodeOf(service) : ex.Code;
            return (null, "could not be refreshed (" + code + ")");
        }
    }

    internal string LockPath(string key) => Path.Combine(_context.CacheDirectory, "sso-" + key + ".lock");

    private SsoAccess Access(SsoTarget target, ConfigProfile? profile, SsoToken token, string path, SsoTokenOrigin origin)
    {
        var region = target.Region ?? token.Region ?? throw new AwsLoginException(FailureKind.InvalidArgument, "SsoRegionRequired",
            $"The IAM Identity Center region of {target.Description} is unknown: the cached token does not say.", TargetName(target), "Pass the Identity Center region (-Region or -SsoRegion).");
        var session = new SsoSession(target.SessionName, target.StartUrl, region, token, path, origin);
        return new SsoAccess(session, PortalEndpoint(profile), OidcEndpoint(profile), target.Description, target.ConnectCommand);
    }

    private SsoAccess Given(SsoTokenSource source, SsoToken token, string? cacheFile)
    {
        SsoTarget? named = null;
        if (source.SessionName is { Length: > 0 } || source.ProfileName is { Length: > 0 })
        {
            named = _resolver.Resolve(source with { AccessToken = null, CacheFile = null }, requireRegion: false);
        }

        var region = NonEmpty(source.Region) ?? named?.Region ?? token.Region ?? throw new AwsLoginException(FailureKind.InvalidArgument, "SsoRegionRequired",
            "The IAM Identity Center region of the given token is unknown.", cacheFile ?? "-AccessToken", "Pass the Identity Center region (-Region or -SsoRegion).");
        var profile = SettingsProfile(source, named);
        var description = cacheFile is null ? "the given access token" : $"the token in '{cacheFile}'";
        var session = new SsoSession(named?.SessionName, token.StartUrl ?? named?.StartUrl, region, token, cacheFile, SsoTokenOrigin.Given);
        return new SsoAccess(session, PortalEndpoint(profile), OidcEndpoint(profile), description, "get a fresh access token");
    }

    private static AwsLoginException NotSignedIn(SsoTarget target, string path, string? problem) =>
        new(FailureKind.NoCredentials, "SsoNotSignedIn",
            (problem is null
                ? $"There is no IAM Identity Center token for {target.Description} in the cache ({path})."
                : $"The cached IAM Identity Center token for {target.Description} ({path}) is unusable: {problem}")
            + $" Sign in first: {target.ConnectCommand}.",
            TargetName(target),
            $"Sign in first: {target.ConnectCommand} (or aws sso login). In credential_process use, sign in once interactively; the token is then used from the cache.");

    private static string TargetName(SsoTarget target) => target.Profile?.Name ?? target.SessionName ?? target.StartUrl;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
