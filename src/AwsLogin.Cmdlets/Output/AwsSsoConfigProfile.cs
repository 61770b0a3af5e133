namespace AwsLogin;

/// <summary>
/// One profile that Export-AwsSsoConfig wrote (or would write, or skipped) for an IAM Identity Center account and
/// role, or for an IAM role reached from one. ProfileName binds by name to the other AwsLogin cmdlets.
/// </summary>
public sealed class AwsSsoConfigProfile
{
    internal AwsSsoConfigProfile(string profileName, string kind, string accountId, string? accountName, string roleName, string? targetRoleArn, string? sourceProfile, string? region, string action, string? reason, string ssoSession, string? configFile)
    {
        ProfileName = profileName;
        Kind = kind;
        AccountId = accountId;
        AccountName = accountName;
        RoleName = roleName;
        TargetRoleArn = targetRoleArn;
        SourceProfile = sourceProfile;
        Region = region;
        Action = action;
        Reason = reason;
        SsoSession = ssoSession;
        ConfigFile = configFile;
    }

    /// <summary>The profile name.</summary>
    public string ProfileName { get; }

    /// <summary>SsoRole (a permission set in an account) or TargetRole (an IAM role assumed from one).</summary>
    public string Kind { get; }

    /// <summary>The account of the permission set.</summary>
    public string AccountId { get; }

    /// <summary>The account name, when known.</summary>
    public string? AccountName { get; }

    /// <summary>The permission set's role name.</summary>
    public string RoleName { get; }

    /// <summary>For a TargetRole: the role_arn.</summary>
    public string? TargetRoleArn { get; }

    /// <summary>For a TargetRole: the source_profile.</summary>
    public string? SourceProfile { get; }

    /// <summary>The region written, when one was.</summary>
    public string? Region { get; }

    /// <summary>Added, Updated, Unchanged, Removed, Stale or Skipped.</summary>
    public string Action { get; }

    /// <summary>Why the profile was skipped or left stale.</summary>
    public string? Reason { get; }

    /// <summary>The sso-session the profile uses.</summary>
    public string SsoSession { get; }

    /// <summary>The config file written; null for text output.</summary>
    public string? ConfigFile { get; }

    public override string ToString() => ProfileName;
}
