using System.Collections.Generic;

namespace AwsLogin.Engine.Sts;

/// <summary>One AssumeRole step of a chain, from a -RoleArn argument or a profile's role_arn.</summary>
public sealed record RoleHop
{
    public RoleHop(RoleArn roleArn)
    {
        RoleArn = roleArn;
    }

    public RoleArn RoleArn { get; }

    /// <summary>The session name; null means the module's default for this user.</summary>
    public string? RoleSessionName { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>The MFA device to present with this hop (a profile's mfa_serial).</summary>
    public string? MfaSerial { get; init; }

    public int? DurationSeconds { get; init; }

    /// <summary>A session policy (JSON) to narrow the role's permissions.</summary>
    public string? Policy { get; init; }

    /// <summary>Where the hop came from, for messages ("profile dev" or "-RoleArn").</summary>
    public string Origin { get; init; } = "-RoleArn";

    /// <summary>The parts that make two hops the same for caching (secrets never take part).</summary>
    internal IEnumerable<string> CacheKeyParts()
    {
        yield return RoleArn.Value;
        yield return RoleSessionName ?? string.Empty;
        yield return ExternalId ?? string.Empty;
        yield return MfaSerial ?? string.Empty;
        yield return DurationSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        yield return Policy ?? string.Empty;
    }
}
