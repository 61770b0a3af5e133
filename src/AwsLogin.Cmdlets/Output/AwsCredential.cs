using System;

namespace AwsLogin;

/// <summary>
/// AWS credentials as the module hands them down the pipeline. The default views mask the secret key and the
/// session token. AccessKey/SecretKey/SessionToken/Region bind by property name to AWS Tools for PowerShell
/// (Set-AWSCredential and every AWS.Tools cmdlet), so the object can be piped straight into them.
/// </summary>
public sealed class AwsCredential
{
    internal AwsCredential(string accessKeyId, string secretAccessKey, string? sessionToken, DateTime? expiration, string? accountId, string? arn, string? region, string source, string origin)
    {
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = sessionToken;
        Expiration = expiration;
        AccountId = accountId;
        Arn = arn;
        Region = region;
        Source = source;
        Origin = origin;
    }

    /// <summary>The access key id.</summary>
    public string AccessKeyId { get; }

    /// <summary>The secret access key. Masked in every default view.</summary>
    public string SecretAccessKey { get; }

    /// <summary>The session token of temporary credentials; null for long-term keys. Masked in every default view.</summary>
    public string? SessionToken { get; }

    /// <summary>When the credentials expire (UTC); null for long-term keys.</summary>
    public DateTime? Expiration { get; }

    /// <summary>The 12-digit AWS account id, when known.</summary>
    public string? AccountId { get; }

    /// <summary>The ARN of the identity (the assumed-role ARN for roles), when known.</summary>
    public string? Arn { get; }

    /// <summary>The region the credentials were obtained for.</summary>
    public string? Region { get; }

    /// <summary>Where the credentials came from: a profile, the environment, a role.</summary>
    public string Source { get; }

    /// <summary>How they were obtained: LongTermKeys, Temporary, SessionToken, FederationToken, AssumedRole, ChainedRole, SamlRole or SsoRole.</summary>
    public string Origin { get; }

    /// <summary>The access key id under the name AWS Tools for PowerShell binds (-AccessKey).</summary>
    public string AccessKey => AccessKeyId;

    /// <summary>The secret key under the name AWS Tools for PowerShell binds (-SecretKey).</summary>
    public string SecretKey => SecretAccessKey;

    /// <summary>The access key id with its middle hidden, as the views show it.</summary>
    public string MaskedAccessKeyId => AccessKeyId.Length <= 8 ? "********" : AccessKeyId.Substring(0, 4) + new string('*', AccessKeyId.Length - 8) + AccessKeyId.Substring(AccessKeyId.Length - 4);

    /// <summary>Time left before expiry, or null.</summary>
    public TimeSpan? TimeRemaining => Expiration is { } e ? e - DateTime.UtcNow : null;

    public override string ToString() => $"{MaskedAccessKeyId} ({Source})";
}
