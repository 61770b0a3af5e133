using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AwsLogin.Completers;

/// <summary>Completes the console paths of common AWS services for Open-AwsConsole -Service.</summary>
internal sealed class ConsoleServiceCompleter : IArgumentCompleter
{
    // Paths as in https://console.aws.amazon.com/<path>/home; other services are still accepted by -Service.
    private static readonly string[] s_services =
    {
        "acm", "apigateway", "athena", "backup", "billing", "cloudformation", "cloudfront", "cloudtrail", "cloudwatch",
        "codebuild", "codecommit", "codepipeline", "cognito", "config", "costmanagement", "dynamodbv2", "ec2", "ecr",
        "ecs", "eks", "elasticache", "events", "glue", "guardduty", "iam", "kinesis", "kms", "lambda", "organizations",
        "rds", "route53", "s3", "sagemaker", "secretsmanager", "securityhub", "servicequotas", "ses", "sns", "sqs",
        "states", "systems-manager", "vpc", "wafv2",
    };

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionText.Matching(s_services, wordToComplete);
}
