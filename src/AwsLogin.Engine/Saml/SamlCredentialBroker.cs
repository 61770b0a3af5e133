using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Saml;

/// <summary>What a SAML sign-in should produce: which roles, for how long, and any role hops after each.</summary>
public sealed record SamlCredentialRequest
{
    public SamlCredentialRequest(ISamlAssertionProvider provider)
    {
        Provider = provider;
    }

    public ISamlAssertionProvider Provider { get; }

    /// <summary>The roles wanted; each must be granted by the assertion. Empty: the only role, or the user's choice.</summary>
    public IReadOnlyList<string> RoleArns { get; init; } = Array.Empty<string>();

    /// <summary>Every role the assertion grants.</summary>
    public bool AllRoles { get; init; }

    /// <summary>Asks the user to choose a role; null where nobody can answer.</summary>
    public SamlRoleChooser? RoleChooser { get; init; }

    /// <summary>The session length wanted; the IdP's SessionDuration attribute shortens it.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>The STS region; else AWS_REGION, AWS_DEFAULT_REGION, or the role's partition default.</summary>
    public string? Region { get; init; }

    /// <summary>Roles to assume in turn after the SAML role (role chaining); only with a single SAML role.</summary>
    public IReadOnlyList<RoleHop> ChainHops { get; init; } = Array.Empty<RoleHop>();

    /// <summary>Ignore cached role credentials (the IdP session is still used).</summary>
    public bool ForceRefresh { get; init; }

    /// <summary>The AwsLogin profile signing in: the keys of the role credentials cached are recorded in its index.</summary>
    public string? ProfileName { get; init; }

    /// <summary>The shared config already read by the caller (for the STS endpoint); null reads it.</summary>
    public ProfileStore? Store { get; init; }
}

/// <summary>
/// Turns a SAML sign-in into role credentials: signs in through the provider (once, however many roles), chooses the
/// roles, calls AssumeRoleWithSAML for each with the same assertion, then runs any role hops through
/// <see cref="CredentialBroker"/>. Role credentials are cached under <see cref="CacheKey"/> (IdP endpoint, user,
/// role), so a later call for the same roles, another role from the same sign-in, or a credential_process finds them
/// without contacting the IdP.
/// </summary>
public sealed class SamlCredentialBroker
{
    private readonly EngineContext _context;
    private readonly StsService _sts;
    private readonly CredentialCache _cache;

    public SamlCredentialBroker(EngineContext context)
    {
        _context = context;
        _sts = new StsService(context.Log);
        _cache = new CredentialCache(context.CacheDirectory, context.RefreshMargin, context.UtcNow);
    }

    /// <summary>
    /// The cache key of a SAML role's credentials: the IdP endpoint (without query or credentials), the user name
    /// (case-insensitive), the role ARN and the STS endpoint override ("aws" for AWS's own). A login profile that knows
    /// these can find the credentials a multi-role sign-in cached for it.
    /// </summary>
    public static string CacheKey(Uri idpEndpoint, string userName, string roleArn, Uri? stsEndpointUrl) =>
        CredentialCache.Key(new[]
        {
            "v1",
            "saml",
            NormalizeEndpoint(idpEndpoint),
            userName.Trim().ToLowerInvariant(),
            roleArn,
            stsEndpointUrl?.ToString() ?? "aws",
        });

    /// <summary>The endpoint as it takes part in keys: scheme, host, port and path; no user info, query or fragment.</summary>
    public static string NormalizeEndpoint(Uri endpoint) =>
        endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);

    /// <summary>The effective session length: the shorter of the requested duration and the IdP's SessionDuration.</summary>
    public static int? EffectiveDuration(int? requested, int? sessionDuration) =>
        (requested, sessionDuration) switch
        {
            ({ } r, { } s) => Math.Min(r, s),
            ({ } r, null) => r,
            (null, { } s) => s,
            _ => null,
        };

    /// <summary>Signs in and lists the granted roles (ordered by account), without assuming any.</summary>
    public async Task<IReadOnlyList<SamlRole>> GetRolesAsync(ISamlAssertionProvider provider, CancellationToken cancellationToken)
    {
        var result = await provider.SignInAsync(cancellationToken).ConfigureAwait(false);
        return SamlRoleSelection.Ordered(result.Assertion.Roles);
    }

    /// <summary>Credentials for every chosen role (after its hops), in the order chosen.</summary>
    public async Task<IReadOnlyList<CredentialSet>> GetCredentialsAsync(SamlCredentialRequest request, CancellationToken cancellationToken)
    {
        var provider = request.Provider;
        var target = provider.Endpoint.ToString();
        if (request.ChainHops.Count > 0 && (request.AllRoles || request.RoleArns.Count > 1))
        {
            throw SamlErrors.HopsNeedOneRole(target);
        }

        var wanted = request.RoleArns.Select(RoleArn.Parse).ToArray();
        var store = request.Store ?? ProfileStore.Load(_context.Environment);
        var stsUrl = ServiceEndpointResolver.Resolve(ServiceEndpointResolver.Sts, null, store, _context.Environment);

        // Known roles and a known user: the cache can answer without contacting the IdP. A profile's last sign-in
        // names the user (when the provider cannot) and, when no role is asked for, the one role it gave.
        var last = request.ProfileName is { } profileName ? new SamlProfileIndex(_context).Last(profileName, provider.Endpoint) : null;
        var knownUser = provider.KnownUserName ?? last?.UserName;
        if (wanted.Length == 0 && !request.AllRoles && last is { RoleArns.Count: 1 } && RoleArn.TryParse(last.RoleArns[0], out var lastRole))
        {
            wanted = new[] { lastRole! };
        }

        if (!request.ForceRefresh && !request.AllRoles && wanted.Length > 0 && knownUser is not null)
        {
            var endpoint = Endpoint(request, wanted[0], stsUrl);
            var cachedKeys = wanted.Select(role => CacheKey(provider.Endpoint, knownUser, role.Value, stsUrl)).ToArray();
            var cached = cachedKeys.Select(_cache.TryGet).ToArray();
            if (cached.All(credentials => credentials is not null))
            {
                await RecordAsync(request, cachedKeys, knownUser, wanted.Select(r => r.Value).ToArray(), cancellationToken).ConfigureAwait(false);
                _context.Log.Verbose($"Using cached credentials for {string.Join(", ", wanted.Select(r => r.Value))} ({knownUser} at {target}); the identity provider is not contacted.");
                return await ChainAsync(request, cached.Select(c => c! with { Region = endpoint.Region }).ToArray(), endpoint, cancellationToken).ConfigureAwait(false);
            }
        }

        var signIn = await provider.SignInAsync(cancellationToken).ConfigureAwait(false);
        var assertion = signIn.Assertion;
        var roles = await SamlRoleSelection.SelectAsync(assertion, request.RoleArns, request.AllRoles, request.RoleChooser, target, cancellationToken).ConfigureAwait(false);
        var duration = EffectiveDuration(request.DurationSeconds, assertion.SessionDuration);
        if (assertion.SessionDuration is { } limit && request.DurationSeconds > limit)
        {
            _context.Log.Verbose($"The identity provider limits sessions to {limit.ToString(CultureInfo.InvariantCulture)} seconds (SessionDuration); asking for that instead of {request.DurationSeconds.Value.ToString(CultureInfo.InvariantCulture)}.");
        }

        var results = new List<CredentialSet>(roles.Count);
        var keys = new List<string>(roles.Count);
        foreach (var role in roles)
        {
            var endpoint = Endpoint(request, role.RoleArn, stsUrl);
            var key = CacheKey(provider.Endpoint, signIn.UserName, role.RoleArn.Value, stsUrl);
            keys.Add(key);
            if (!request.ForceRefresh && _cache.TryGet(key) is { } cached)
            {
                _context.Log.Verbose($"Using cached credentials for {role.RoleArn} (valid until {cached.Expiration:u}).");
                results.Add(cached with { Region = endpoint.Region });
                continue;
            }

            var credentials = await _sts.AssumeRoleWithSamlAsync(role, assertion, duration, endpoint, cancellationToken).ConfigureAwait(false);
            _cache.Store(key, credentials);
            results.Add(credentials);
        }

        await RecordAsync(request, keys, signIn.UserName, roles.Select(r => r.RoleArn.Value).ToArray(), cancellationToken).ConfigureAwait(false);

        return await ChainAsync(request, results, Endpoint(request, roles[0].RoleArn, stsUrl), cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<CredentialSet>> ChainAsync(SamlCredentialRequest request, IReadOnlyList<CredentialSet> samlCredentials, StsEndpoint endpoint, CancellationToken cancellationToken)
    {
        if (request.ChainHops.Count == 0)
        {
            return samlCredentials;
        }

        // The broker caches each hop under a fingerprint of the SAML session, so a cached SAML session reuses its hops.
        var broker = new CredentialBroker(_context);
        var chained = await broker.GetCredentialsAsync(
            new IdentityRequest
            {
                StartingCredentials = samlCredentials[0],
                RoleHops = request.ChainHops,
                Region = endpoint.Region,
                ForceRefresh = request.ForceRefresh,
            },
            cancellationToken).ConfigureAwait(false);
        return new[] { chained };
    }

    // Shared entries (the same user and role signed in from two profiles) are recorded for each profile that uses them.
    private Task RecordAsync(SamlCredentialRequest request, IReadOnlyList<string> keys, string userName, IReadOnlyList<string> roleArns, CancellationToken cancellationToken) =>
        request.ProfileName is { } profileName
            ? new SamlProfileIndex(_context).RecordAsync(profileName, keys, request.Provider.Endpoint, userName, roleArns, cancellationToken)
            : Task.CompletedTask;

    private StsEndpoint Endpoint(SamlCredentialRequest request, RoleArn role, Uri? stsUrl) =>
        new(request.Region ?? NonEmpty(_context.Environment.Get("AWS_REGION")) ?? NonEmpty(_context.Environment.Get("AWS_DEFAULT_REGION")) ?? role.Partition.DefaultRegion, stsUrl);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
