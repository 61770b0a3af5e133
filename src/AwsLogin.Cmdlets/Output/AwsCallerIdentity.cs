namespace AwsLogin;

/// <summary>Who a set of credentials is, as STS GetCallerIdentity says.</summary>
public sealed class AwsCallerIdentity
{
    internal AwsCallerIdentity(string account, string arn, string userId)
    {
        Account = account;
        Arn = arn;
        UserId = userId;
    }

    /// <summary>The 12-digit account id.</summary>
    public string Account { get; }

    /// <summary>The ARN of the caller.</summary>
    public string Arn { get; }

    /// <summary>The unique id of the caller (AIDA.../AROA...:session).</summary>
    public string UserId { get; }

    public override string ToString() => Arn;
}
