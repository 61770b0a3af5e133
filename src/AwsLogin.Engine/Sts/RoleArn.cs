using System;
using System.Text.RegularExpressions;

namespace AwsLogin.Engine.Sts;

/// <summary>A parsed IAM role ARN: arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME.</summary>
public sealed class RoleArn
{
    // IAM role names: 1-64 of [\w+=,.@-]; paths: / or /segments/ of printable ASCII. IAM's \w and digits are ASCII,
    // while .NET's \d and \w also match other scripts' digits and letters, so the classes are spelled out.
    private static readonly Regex s_pattern = new(
        @"^arn:(?<partition>aws|aws-us-gov|aws-cn):iam::(?<account>[0-9]{12}):role/(?<path>(?:[\x21-\x7E]+/)*)(?<name>[A-Za-z0-9_+=,.@-]{1,64})$",
        RegexOptions.CultureInvariant);

    private RoleArn(string value, AwsPartition partition, string accountId, string path, string roleName)
    {
        Value = value;
        Partition = partition;
        AccountId = accountId;
        Path = "/" + path;
        RoleName = roleName;
    }

    /// <summary>The ARN as given (whitespace trimmed).</summary>
    public string Value { get; }

    public AwsPartition Partition { get; }

    public string AccountId { get; }

    /// <summary>The role path, "/" when none.</summary>
    public string Path { get; }

    public string RoleName { get; }

    /// <summary>Parses a role ARN; false for anything else.</summary>
    public static bool TryParse(string? text, out RoleArn? arn)
    {
        arn = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text!.Trim();
        var match = s_pattern.Match(trimmed);
        if (!match.Success)
        {
            return false;
        }

        arn = new RoleArn(trimmed, AwsPartition.FromId(match.Groups["partition"].Value)!, match.Groups["account"].Value, match.Groups["path"].Value, match.Groups["name"].Value);
        return true;
    }

    /// <summary>Parses a role ARN or throws an <see cref="AwsLoginException"/> with code InvalidRoleArn.</summary>
    public static RoleArn Parse(string? text)
    {
        if (TryParse(text, out var arn))
        {
            return arn!;
        }

        throw new AwsLoginException(
            FailureKind.InvalidArgument,
            "InvalidRoleArn",
            $"'{text}' is not an IAM role ARN. A role ARN looks like arn:aws:iam::123456789012:role/RoleName (partitions aws, aws-us-gov, aws-cn).",
            text,
            "Check the role ARN; copy it from the IAM console or 'aws iam get-role'.");
    }

    public override string ToString() => Value;
}
