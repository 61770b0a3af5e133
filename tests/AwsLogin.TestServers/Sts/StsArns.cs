using System.Text.RegularExpressions;

namespace AwsLogin.TestServers;

/// <summary>The IAM ARNs STS takes as parameters.</summary>
internal static partial class StsArns
{
    public sealed record Parsed(string Partition, string AccountId, string Name);

    /// <summary>arn:PARTITION:iam::ACCOUNT:role[/path]/NAME; the assumed-role ARN drops the path.</summary>
    public static Parsed? Role(string arn)
    {
        Match match = RolePattern().Match(arn);
        return match.Success ? new Parsed(match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value) : null;
    }

    /// <summary>arn:PARTITION:iam::ACCOUNT:saml-provider/NAME.</summary>
    public static Parsed? SamlProvider(string arn)
    {
        Match match = SamlProviderPattern().Match(arn);
        return match.Success ? new Parsed(match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value) : null;
    }

    [GeneratedRegex(@"^arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):role/(?:[\x21-\x7E]*/)?([A-Za-z0-9_+=,.@-]{1,64})$")]
    private static partial Regex RolePattern();

    [GeneratedRegex(@"^arn:(aws|aws-us-gov|aws-cn):iam::([0-9]{12}):saml-provider/([A-Za-z0-9_.-]{1,128})$")]
    private static partial Regex SamlProviderPattern();
}
