using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AwsLogin.Completers;

/// <summary>Completes AWS region names in the aws, aws-us-gov and aws-cn partitions.</summary>
internal sealed class RegionCompleter : IArgumentCompleter
{
    // A fixed list keeps completion instant and offline; unknown regions are still accepted by -Region.
    private static readonly string[] s_regions =
    {
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
        "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
        "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
        "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionText.Matching(s_regions, wordToComplete);
}
