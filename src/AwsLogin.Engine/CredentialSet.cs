using System;

namespace AwsLogin.Engine;

/// <summary>How a credential set was obtained; decides what AWS lets it do next (console session duration, caching).</summary>
public enum CredentialOrigin
{
    /// <summary>Long-term IAM user keys (no session token).</summary>
    LongTermKeys,
    /// <summary>Temporary keys of unknown origin (environment, profile, credential_process, container).</summary>
    Temporary,
    /// <summary>GetSessionToken.</summary>
    SessionToken,
    /// <summary>GetFederationToken.</summary>
    FederationToken,
    /// <summary>AssumeRole from long-term keys or a non-role session.</summary>
    AssumedRole,
    /// <summary>AssumeRole signed by another role's session (role chaining: AWS caps these at one hour).</summary>
    ChainedRole,
    /// <summary>AssumeRoleWithSAML.</summary>
    SamlRole,
    /// <summary>IAM Identity Center GetRoleCredentials.</summary>
    SsoRole,
}

/// <summary>
/// One set of AWS credentials. <see cref="ToString"/> never shows the secret or the token.
/// </summary>
public sealed record CredentialSet
{
    public CredentialSet(string accessKeyId, string secretAccessKey, string? sessionToken)
    {
        if (string.IsNullOrEmpty(accessKeyId))
        {
            throw new ArgumentException("An access key id is required.", nameof(accessKeyId));
        }

        if (string.IsNullOrEmpty(secretAccessKey))
        {
            throw new ArgumentException("A secret access key is required.", nameof(secretAccessKey));
        }

        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
    }

    /// <summary>The access key id (not a secret, but still identifies the key).</summary>
    public string AccessKeyId { get; }

    /// <summary>The secret access key.</summary>
    public string SecretAccessKey { get; }

    /// <summary>The session token of temporary credentials, else null.</summary>
    public string? SessionToken { get; }

    /// <summary>When temporary credentials expire (UTC), else null.</summary>
    public DateTime? Expiration { get; init; }

    /// <summary>The 12-digit account id, when known.</summary>
    public string? AccountId { get; init; }

    /// <summary>The ARN of the identity (assumed-role ARN for roles), when known.</summary>
    public string? Arn { get; init; }

    /// <summary>The region the credentials were obtained for, when known.</summary>
    public string? Region { get; init; }

    /// <summary>A human description of where they came from: "profile dev", "environment", "role arn:...".</summary>
    public string Source { get; init; } = "explicit";

    /// <summary>How they were obtained.</summary>
    public CredentialOrigin Origin { get; init; } = CredentialOrigin.Temporary;

    /// <summary>True for keys without a session token.</summary>
    public bool IsLongTerm => SessionToken is null;

    /// <summary>Time left before expiry at <paramref name="nowUtc"/>; null for credentials that do not expire.</summary>
    public TimeSpan? RemainingAt(DateTime nowUtc) => Expiration is { } e ? e - nowUtc : null;

    /// <summary>The access key id with all but the last four characters hidden, for messages.</summary>
    public string MaskedAccessKeyId => Mask.AccessKeyId(AccessKeyId);

    public override string ToString() => $"{MaskedAccessKeyId} ({Source})";

    // Records print every property by default; this one must not.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("AccessKeyId = ").Append(MaskedAccessKeyId).Append(", Source = ").Append(Source);
        return true;
    }
}

/// <summary>Masking of secrets for display.</summary>
public static class Mask
{
    /// <summary>What every masked secret looks like.</summary>
    public const string Hidden = "********";

    /// <summary>"ASIA****************WXYZ"-style: the prefix tells key kind, the tail tells keys apart.</summary>
    public static string AccessKeyId(string? accessKeyId)
    {
        if (string.IsNullOrEmpty(accessKeyId))
        {
            return string.Empty;
        }

        var id = accessKeyId!;
        return id.Length <= 8 ? Hidden : id.Substring(0, 4) + new string('*', id.Length - 8) + id.Substring(id.Length - 4);
    }

    /// <summary>A secret is shown only as present or absent.</summary>
    public static string Secret(string? secret) => string.IsNullOrEmpty(secret) ? string.Empty : Hidden;
}
