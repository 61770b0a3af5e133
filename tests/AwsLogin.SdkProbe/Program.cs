using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace AwsLogin.SdkProbe;

/// <summary>
/// Calls STS GetCallerIdentity at AWS_ENDPOINT_URL_STS every few seconds for a while, with whatever credentials
/// the SDK's default chain finds, and prints one line per call: the provider, the access key id used (never a
/// secret) and the caller ARN, or the error. Usage: AwsLogin.SdkProbe &lt;seconds&gt; [interval seconds].
/// Exits 0 when every call succeeded.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 1 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            Console.Error.WriteLine("usage: AwsLogin.SdkProbe <seconds> [interval seconds]");
            return 2;
        }

        var interval = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var config = new AmazonSecurityTokenServiceConfig();
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_STS");
        if (!string.IsNullOrEmpty(endpoint))
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";
        }

        var credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials(config);
        Console.WriteLine("provider " + credentials.GetType().Name);
        using var client = new AmazonSecurityTokenServiceClient(credentials, config);
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var failures = 0;
        for (var call = 1; ; call++)
        {
            try
            {
                var used = await credentials.GetCredentialsAsync();
                var identity = await client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), CancellationToken.None);
                Console.WriteLine($"call {call} {DateTime.UtcNow:HH:mm:ss} key {used.AccessKey} arn {identity.Arn}");
            }
            catch (Exception ex)
            {
                failures++;
                Console.WriteLine($"call {call} {DateTime.UtcNow:HH:mm:ss} error {ex.GetType().Name}: {ex.Message}");
            }

            if (DateTime.UtcNow.AddSeconds(interval) > until)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromSeconds(interval));
        }

        Console.WriteLine($"done failures {failures}");
        return failures == 0 ? 0 : 1;
    }
}
