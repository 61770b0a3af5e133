using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Sts;

/// <summary>
/// Turns an <see cref="IdentityRequest"/> into credentials: resolves the starting identity, then runs the STS
/// steps (profile role hops, requested role hops, MFA session or federation token), each signed by the
/// previous result. Every step's result is cached, so a later call reuses the longest cached prefix; a
/// cross-process lock makes concurrent callers on a cold cache share one STS call per step.
/// </summary>
public sealed class CredentialBroker
{
    private readonly EngineContext _context;
    private readonly StsService _sts;
    private readonly CredentialCache _cache;

    public CredentialBroker(EngineContext context)
    {
        _context = context;
        _sts = new StsService(context.Log);
        _cache = new CredentialCache(context.CacheDirectory, context.RefreshMargin, context.UtcNow);
    }

    /// <summary>Gets the credentials for a request.</summary>
    public async Task<CredentialSet> GetCredentialsAsync(IdentityRequest request, CancellationToken cancellationToken)
    {
        var store = ProfileStore.Load(_context.Environment);
        var plan = new SourceCredentialResolver(_context, store).Plan(request);
        var steps = BuildSteps(request, plan);
        var endpoint = ResolveEndpoint(request, plan, store, steps);

        if (steps.Count == 0)
        {
            var source = await plan.ResolveAsync(cancellationToken).ConfigureAwait(false);
            return source with { Region = endpoint.Region };
        }

        var keys = PrefixKeys(plan.CacheKey, steps, endpoint);
        if (!request.ForceRefresh && _cache.TryGet(keys[keys.Count - 1]) is { } cached)
        {
            _context.Log.Verbose($"Using cached credentials for {steps[steps.Count - 1].Target} (valid until {cached.Expiration:u}).");
            return cached;
        }

        using (await _cache.LockAsync(keys[keys.Count - 1], _context.LockTimeout, cancellationToken).ConfigureAwait(false))
        {
            // Another process may have filled the entry while this one waited for the lock.
            CredentialSet? signer = null;
            var start = request.ForceRefresh ? -1 : LongestCachedPrefix(keys, out signer);
            if (start == steps.Count - 1)
            {
                return signer!;
            }

            try
            {
                return await RunStepsAsync(request, plan, steps, keys, endpoint, start, signer, cancellationToken).ConfigureAwait(false);
            }
            catch (AwsLoginException ex) when (start >= 0 && IsRevokedSigner(ex))
            {
                // A cached session can be revoked or expired early (role session revocation, clock skew): drop the
                // cached prefix and start again from the source once, instead of failing until -Force.
                _context.Log.Verbose($"The cached session for step {start + 1} was refused ({ex.Code}); fetching new credentials.");
                for (var i = 0; i <= start; i++)
                {
                    _cache.Remove(keys[i]);
                }

                return await RunStepsAsync(request, plan, steps, keys, endpoint, -1, null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<CredentialSet> RunStepsAsync(IdentityRequest request, SourcePlan plan, List<ChainStep> steps, List<string> keys, StsEndpoint endpoint, int start, CredentialSet? signer, CancellationToken cancellationToken)
    {
        if (start < 0)
        {
            signer = await plan.ResolveAsync(cancellationToken).ConfigureAwait(false);
            _context.Log.Verbose($"Starting from {plan.Description} ({signer.MaskedAccessKeyId}).");
        }

        for (var i = start + 1; i < steps.Count; i++)
        {
            var step = steps[i];
            var tokenCode = await TokenCodeForAsync(step, request, cancellationToken).ConfigureAwait(false);
            signer = await step.ExecuteAsync(_sts, signer!, endpoint, tokenCode, cancellationToken).ConfigureAwait(false);
            _cache.Store(keys[i], signer);
        }

        return signer!;
    }

    private static bool IsRevokedSigner(AwsLoginException exception) =>
        exception.Kind == FailureKind.Expired || exception.Code is "InvalidClientTokenId" or "UnrecognizedClientException";

    /// <summary>Who the credentials belong to.</summary>
    public Task<CallerIdentity> GetCallerIdentityAsync(CredentialSet credentials, string? region, CancellationToken cancellationToken)
    {
        var store = ProfileStore.Load(_context.Environment);
        var profile = store.TryGetProfile(_context.Environment.Get("AWS_PROFILE") ?? "default", out var found) ? found : null;
        var endpoint = new StsEndpoint(
            region ?? credentials.Region ?? DefaultRegion(null, profile),
            ServiceEndpointResolver.Resolve(ServiceEndpointResolver.Sts, profile, store, _context.Environment));
        return _sts.GetCallerIdentityAsync(credentials, endpoint, cancellationToken);
    }

    /// <summary>Deletes every cached credential set.</summary>
    public int ClearCache() => _cache.Clear();

    /// <summary>
    /// What <see cref="GetCredentialsAsync"/> would produce for <paramref name="request"/>, from the request and the
    /// local config only: no STS call, no credential_process, no cache read.
    /// </summary>
    public IdentityPreview Preview(IdentityRequest request)
    {
        var store = ProfileStore.Load(_context.Environment);
        var plan = new SourceCredentialResolver(_context, store).Plan(request);
        var steps = BuildSteps(request, plan);
        var endpoint = ResolveEndpoint(request, plan, store, steps);
        var roles = steps.OfType<AssumeRoleStep>().ToList();
        var starting = request.StartingCredentials is { } given ? (given.IsLongTerm ? CredentialOrigin.LongTermKeys : given.Origin) : (CredentialOrigin?)null;

        // The same rule as StsService.AssumeRoleAsync: a role assumed with a role session's keys is role chaining.
        CredentialOrigin? origin = steps.Count == 0 ? starting
            : steps[steps.Count - 1] is FederationTokenStep ? CredentialOrigin.FederationToken
            : steps[steps.Count - 1] is SessionTokenStep ? CredentialOrigin.SessionToken
            : roles.Count > 1 || starting is CredentialOrigin.AssumedRole or CredentialOrigin.ChainedRole or CredentialOrigin.SamlRole or CredentialOrigin.SsoRole
                ? CredentialOrigin.ChainedRole
                : CredentialOrigin.AssumedRole;
        var target = steps.Count == 0 ? plan.Description : steps[steps.Count - 1].Target;
        return new IdentityPreview(origin, endpoint.Region, target, roles.Count == 0 ? null : roles[roles.Count - 1].Hop.RoleArn.Partition);
    }

    private static List<ChainStep> BuildSteps(IdentityRequest request, SourcePlan plan)
    {
        var steps = new List<ChainStep>();
        foreach (var hop in plan.ProfileHops)
        {
            steps.Add(new AssumeRoleStep(hop));
        }

        if (request.FederationToken)
        {
            if (request.RoleHops.Count > 0 || plan.ProfileHops.Count > 0)
            {
                throw new AwsLoginException(
                    FailureKind.InvalidArgument,
                    "FederationTokenWithRole",
                    "GetFederationToken needs an IAM user's long-term keys; it cannot follow or precede a role.",
                    request.ProfileName ?? plan.Description,
                    "Use -FederationToken with a profile or keys of an IAM user, without -RoleArn.");
            }

            var name = request.FederationName ?? FederatedUserName(Environment.UserName);
            steps.Add(new FederationTokenStep(name, request.Policy, request.DurationSeconds));
            return steps;
        }

        if (request.RoleHops.Count == 0)
        {
            if (request.SerialNumber is not null || request.SessionToken)
            {
                steps.Add(new SessionTokenStep(request.SerialNumber, request.DurationSeconds));
            }

            return steps;
        }

        for (var i = 0; i < request.RoleHops.Count; i++)
        {
            var hop = request.RoleHops[i];
            if (request.DurationSeconds is { } duration && hop.DurationSeconds is null)
            {
                hop = hop with { DurationSeconds = duration };
            }

            // The MFA device goes with the first requested hop, as the AWS CLI sends mfa_serial with AssumeRole.
            if (i == 0 && request.SerialNumber is not null)
            {
                hop = hop with { MfaSerial = request.SerialNumber };
            }

            steps.Add(new AssumeRoleStep(hop));
        }

        return steps;
    }

    private StsEndpoint ResolveEndpoint(IdentityRequest request, SourcePlan plan, ProfileStore store, List<ChainStep> steps)
    {
        var firstRole = steps.OfType<AssumeRoleStep>().FirstOrDefault()?.Hop.RoleArn;
        var region = request.Region ?? DefaultRegion(firstRole, plan.Profile);
        return new StsEndpoint(region, ServiceEndpointResolver.Resolve(ServiceEndpointResolver.Sts, plan.Profile, store, _context.Environment));
    }

    private string DefaultRegion(RoleArn? firstRole, ConfigProfile? profile) =>
        NonEmpty(profile?.Region)
        ?? NonEmpty(_context.Environment.Get("AWS_REGION"))
        ?? NonEmpty(_context.Environment.Get("AWS_DEFAULT_REGION"))
        ?? (firstRole?.Partition ?? AwsPartition.Aws).DefaultRegion;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

    // The region and endpoint are part of each key: a session from a fake endpoint must never serve real AWS.
    private static List<string> PrefixKeys(string sourceKey, List<ChainStep> steps, StsEndpoint endpoint)
    {
        var keys = new List<string>(steps.Count);
        var parts = new List<string> { "v1", sourceKey, endpoint.EndpointUrl?.ToString() ?? "aws", endpoint.Region };
        foreach (var step in steps)
        {
            parts.AddRange(step.CacheKeyParts());
            keys.Add(CredentialCache.Key(parts));
        }

        return keys;
    }

    private int LongestCachedPrefix(List<string> keys, out CredentialSet? credentials)
    {
        for (var i = keys.Count - 1; i >= 0; i--)
        {
            if (_cache.TryGet(keys[i]) is { } found)
            {
                credentials = found;
                _context.Log.Verbose($"Using cached credentials for step {i + 1} of {keys.Count}.");
                return i;
            }
        }

        credentials = null;
        return -1;
    }

    private static async Task<string?> TokenCodeForAsync(ChainStep step, IdentityRequest request, CancellationToken cancellationToken)
    {
        if (step.MfaSerial is not { } serial)
        {
            return null;
        }

        if (request.TokenCode is not null && (request.SerialNumber is null || request.SerialNumber == serial))
        {
            return request.TokenCode;
        }

        var code = request.MfaCodeProvider is null ? null : await request.MfaCodeProvider(serial, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(code))
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "MfaCodeRequired",
                $"{step.Target} needs a code from the MFA device {serial}, and none was given.",
                step.Target,
                "Pass -TokenCode with the current code from the device (in credential_process use, run the command once interactively to cache the session).");
        }

        return code!.Trim();
    }

    // STS's [\w+=,.@-] is ASCII; .NET's \w would keep letters such as 'é', which STS rejects.
    internal static string FederatedUserName(string? userName)
    {
        var name = System.Text.RegularExpressions.Regex.Replace(userName ?? "awslogin", @"[^A-Za-z0-9_+=,.@-]", "_");
        if (name.Length < 2)
        {
            name = "awslogin-" + name;
        }

        return name.Length > 32 ? name.Substring(0, 32) : name;
    }
}
