using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Config;

/// <summary>
/// Where a request starts: how to get the base credentials, and the role hops a profile adds on top of them.
/// The base is resolved lazily, so a cache hit never runs a credential_process or touches the network.
/// </summary>
internal sealed class SourcePlan
{
    public SourcePlan(string cacheKey, string description, Func<CancellationToken, Task<CredentialSet>> resolveAsync, IReadOnlyList<RoleHop> profileHops, ConfigProfile? profile)
    {
        CacheKey = cacheKey;
        Description = description;
        ResolveAsync = resolveAsync;
        ProfileHops = profileHops;
        Profile = profile;
    }

    /// <summary>Identifies the source for caching (a hash input; secrets only as fingerprints).</summary>
    public string CacheKey { get; }

    /// <summary>For messages: "profile dev", "environment variables".</summary>
    public string Description { get; }

    public Func<CancellationToken, Task<CredentialSet>> ResolveAsync { get; }

    /// <summary>role_arn hops from the profile chain, outermost last.</summary>
    public IReadOnlyList<RoleHop> ProfileHops { get; }

    /// <summary>The profile the request named (or the default profile used), for region and endpoint settings.</summary>
    public ConfigProfile? Profile { get; }
}
