namespace AwsLogin;

/// <summary>
/// A role (permission set) the signed-in IAM Identity Center user may use in an account. AccountId, RoleName,
/// SsoSession, StartUrl and SsoRegion bind by name to Get-AwsRoleCredential (-SsoAccountId, -SsoRoleName, ...).
/// </summary>
public sealed class AwsSsoRole
{
    internal AwsSsoRole(string accountId, string? accountName, string roleName, string? ssoSession, string? startUrl, string ssoRegion)
    {
        AccountId = accountId;
        AccountName = accountName;
        RoleName = roleName;
        SsoSession = ssoSession;
        StartUrl = startUrl;
        SsoRegion = ssoRegion;
    }

    /// <summary>The 12-digit account id.</summary>
    public string AccountId { get; }

    /// <summary>The account name, when the account was listed (null for roles listed by account id).</summary>
    public string? AccountName { get; }

    /// <summary>The role (permission set) name.</summary>
    public string RoleName { get; }

    /// <summary>The sso-session the role was listed through, if any.</summary>
    public string? SsoSession { get; }

    /// <summary>The AWS access portal URL.</summary>
    public string? StartUrl { get; }

    /// <summary>The region of the IAM Identity Center instance.</summary>
    public string SsoRegion { get; }

    public override string ToString() => $"{RoleName} in {AccountId}" + (AccountName is null ? string.Empty : $" ({AccountName})");
}
