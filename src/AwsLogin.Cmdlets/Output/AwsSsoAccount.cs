namespace AwsLogin;

/// <summary>
/// An AWS account assigned to the signed-in IAM Identity Center user. AccountId, SsoSession, StartUrl and
/// SsoRegion bind by name to Get-AwsSsoRole.
/// </summary>
public sealed class AwsSsoAccount
{
    internal AwsSsoAccount(string accountId, string accountName, string? emailAddress, string? ssoSession, string? startUrl, string ssoRegion)
    {
        AccountId = accountId;
        AccountName = accountName;
        EmailAddress = emailAddress;
        SsoSession = ssoSession;
        StartUrl = startUrl;
        SsoRegion = ssoRegion;
    }

    /// <summary>The 12-digit account id.</summary>
    public string AccountId { get; }

    /// <summary>The account name.</summary>
    public string AccountName { get; }

    /// <summary>The account's root email address, when the portal gives it.</summary>
    public string? EmailAddress { get; }

    /// <summary>The sso-session the account was listed through, if any.</summary>
    public string? SsoSession { get; }

    /// <summary>The AWS access portal URL.</summary>
    public string? StartUrl { get; }

    /// <summary>The region of the IAM Identity Center instance.</summary>
    public string SsoRegion { get; }

    public override string ToString() => $"{AccountId} ({AccountName})";
}
