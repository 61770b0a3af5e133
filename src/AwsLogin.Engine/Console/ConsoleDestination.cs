using System;
using System.Text.RegularExpressions;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Console;

/// <summary>Console URLs per partition: building them from a service and region, and checking a given one.</summary>
public static class ConsoleDestination
{
    // Console paths are lower-case service ids: ec2, s3, cloudwatch, systems-manager, billing ...
    private static readonly Regex s_service = new("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant);
    private static readonly Regex s_region = new("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant);

    /// <summary>
    /// The console page of <paramref name="service"/> (the console home when null) in <paramref name="region"/>:
    /// https://REGION.console.aws.amazon.com/SERVICE/home?region=REGION in aws, and
    /// https://console.amazonaws-us-gov.com/SERVICE/home?region=REGION (console.amazonaws.cn in aws-cn) elsewhere.
    /// </summary>
    public static Uri Build(AwsPartition partition, string region, string? service)
    {
        CheckRegion(partition, region, explicitRegion: true);
        var path = service ?? "console";
        if (!s_service.IsMatch(path))
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "InvalidConsoleDestination",
                $"'{service}' is not a console service name such as ec2, s3 or cloudwatch.",
                service,
                "Pass the service as it appears in console URLs (lower case), or a full console URL with -Destination.");
        }

        // The aws partition serves every region's console on its own host; the older partitions keep one host.
        var host = partition == AwsPartition.Aws ? region + "." + partition.ConsoleHost : partition.ConsoleHost;
        return new Uri($"https://{host}/{path}/home?region={region}");
    }

    /// <summary>Checks that <paramref name="destination"/> is an https URL on a console host of the partition.</summary>
    public static Uri Validate(AwsPartition partition, string destination)
    {
        if (!Uri.TryCreate(destination.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || uri.UserInfo.Length > 0
            || !uri.IsDefaultPort
            || !IsConsoleHost(partition, uri.Host))
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "InvalidConsoleDestination",
                $"'{destination}' is not a console URL of the {partition.Id} partition: it must be an https URL on {partition.ConsoleHost} or a subdomain of it.",
                destination,
                $"Pass a URL such as https://{(partition == AwsPartition.Aws ? "us-east-1." : string.Empty)}{partition.ConsoleHost}/ec2/home, or use -Service and -Region.");
        }

        return uri;
    }

    /// <summary>True for the console host of the partition and its subdomains (us-east-1.console.aws.amazon.com).</summary>
    public static bool IsConsoleHost(AwsPartition partition, string host) =>
        string.Equals(host, partition.ConsoleHost, StringComparison.OrdinalIgnoreCase)
        || host.EndsWith("." + partition.ConsoleHost, StringComparison.OrdinalIgnoreCase);

    /// <summary>Throws RegionNotInPartition when a region is malformed or belongs to another partition.</summary>
    internal static void CheckRegion(AwsPartition partition, string region, bool explicitRegion)
    {
        if (!s_region.IsMatch(region) || AwsPartition.FromRegion(region) != partition)
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "RegionNotInPartition",
                $"The region '{region}' is not a region of the {partition.Id} partition, which the credentials belong to.",
                region,
                explicitRegion
                    ? $"Pass a region of the {partition.Id} partition with -Region (for example {partition.DefaultRegion})."
                    : $"Set a region of the {partition.Id} partition in the profile or AWS_REGION, or pass -Region.");
        }
    }
}
