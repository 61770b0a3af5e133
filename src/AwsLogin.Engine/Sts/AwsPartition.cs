using System;

namespace AwsLogin.Engine.Sts;

/// <summary>An AWS partition and the hosts that differ between partitions.</summary>
public sealed class AwsPartition
{
    public static readonly AwsPartition Aws = new("aws", "amazonaws.com", "signin.aws.amazon.com", "console.aws.amazon.com", "us-east-1");
    public static readonly AwsPartition AwsUsGov = new("aws-us-gov", "amazonaws.com", "signin.amazonaws-us-gov.com", "console.amazonaws-us-gov.com", "us-gov-west-1");
    public static readonly AwsPartition AwsCn = new("aws-cn", "amazonaws.com.cn", "signin.amazonaws.cn", "console.amazonaws.cn", "cn-north-1");

    private AwsPartition(string id, string dnsSuffix, string signInHost, string consoleHost, string defaultRegion)
    {
        Id = id;
        DnsSuffix = dnsSuffix;
        SignInHost = signInHost;
        ConsoleHost = consoleHost;
        DefaultRegion = defaultRegion;
    }

    /// <summary>aws, aws-us-gov or aws-cn, as in ARNs.</summary>
    public string Id { get; }

    public string DnsSuffix { get; }

    /// <summary>The federation sign-in host.</summary>
    public string SignInHost { get; }

    /// <summary>The console host.</summary>
    public string ConsoleHost { get; }

    /// <summary>The region to use when none is configured.</summary>
    public string DefaultRegion { get; }

    /// <summary>The partition named in an ARN, or null for an unknown one.</summary>
    public static AwsPartition? FromId(string id) => id switch
    {
        "aws" => Aws,
        "aws-us-gov" => AwsUsGov,
        "aws-cn" => AwsCn,
        _ => null,
    };

    /// <summary>The partition a region belongs to (cn-* is aws-cn, us-gov-* is aws-us-gov).</summary>
    public static AwsPartition FromRegion(string? region)
    {
        if (region is null)
        {
            return Aws;
        }

        if (region.StartsWith("cn-", StringComparison.OrdinalIgnoreCase))
        {
            return AwsCn;
        }

        return region.StartsWith("us-gov-", StringComparison.OrdinalIgnoreCase) ? AwsUsGov : Aws;
    }

    public override string ToString() => Id;
}
