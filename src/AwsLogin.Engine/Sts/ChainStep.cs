using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Sts;

/// <summary>Asks the user for an MFA code; returns null when nobody can answer (credential_process).</summary>
public delegate Task<string?> MfaCodeProvider(string serialNumber, CancellationToken cancellationToken);

/// <summary>One STS call in a chain: each step is signed by the result of the step before it.</summary>
internal abstract record ChainStep
{
    /// <summary>What identifies the step for caching (no secrets).</summary>
    public abstract IEnumerable<string> CacheKeyParts();

    /// <summary>The MFA device the step needs a code for, if any.</summary>
    public abstract string? MfaSerial { get; }

    /// <summary>For messages.</summary>
    public abstract string Target { get; }

    public abstract Task<CredentialSet> ExecuteAsync(StsService sts, CredentialSet signer, StsEndpoint endpoint, string? tokenCode, CancellationToken cancellationToken);
}

internal sealed record AssumeRoleStep(RoleHop Hop) : ChainStep
{
    public override string? MfaSerial => Hop.MfaSerial;

    public override string Target => Hop.RoleArn.Value;

    public override IEnumerable<string> CacheKeyParts()
    {
        yield return "AssumeRole";
        foreach (var part in Hop.CacheKeyParts())
        {
            yield return part;
        }
    }

    public override Task<CredentialSet> ExecuteAsync(StsService sts, CredentialSet signer, StsEndpoint endpoint, string? tokenCode, CancellationToken cancellationToken) =>
        sts.AssumeRoleAsync(signer, Hop, endpoint, tokenCode, cancellationToken);
}

internal sealed record SessionTokenStep(string? SerialNumber, int? DurationSeconds) : ChainStep
{
    public override string? MfaSerial => SerialNumber;

    public override string Target => SerialNumber ?? "GetSessionToken";

    public override IEnumerable<string> CacheKeyParts()
    {
        yield return "GetSessionToken";
        yield return SerialNumber ?? string.Empty;
        yield return DurationSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }

    public override Task<CredentialSet> ExecuteAsync(StsService sts, CredentialSet signer, StsEndpoint endpoint, string? tokenCode, CancellationToken cancellationToken) =>
        sts.GetSessionTokenAsync(signer, SerialNumber, tokenCode, DurationSeconds, endpoint, cancellationToken);
}

internal sealed record FederationTokenStep(string Name, string? Policy, int? DurationSeconds) : ChainStep
{
    public override string? MfaSerial => null;

    public override string Target => Name;

    public override IEnumerable<string> CacheKeyParts()
    {
        yield return "GetFederationToken";
        yield return Name;
        yield return Policy ?? string.Empty;
        yield return DurationSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
    }

    public override Task<CredentialSet> ExecuteAsync(StsService sts, CredentialSet signer, StsEndpoint endpoint, string? tokenCode, CancellationToken cancellationToken) =>
        sts.GetFederationTokenAsync(signer, Name, Policy, DurationSeconds, endpoint, cancellationToken);
}
