using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading.Tasks;
using AwsLogin.TestServers;

namespace AwsLogin.Bench;

/// <summary>
/// Export-AwsSsoConfig (and Get-AwsSsoRole) against a fake IAM Identity Center organisation of 1,000 accounts with
/// 3 roles each, where every portal call takes 50 ms: the built module in a hosted runspace, a private HOME and
/// config file, the token in the AWS CLI cache. Prints one line per run and a summary; exit code 1 when the median
/// Export-AwsSsoConfig run takes 10 seconds or more.
/// </summary>
internal static class Program
{
    private const int Accounts = 1000;
    private const int RolesPerAccount = 3;
    private static readonly TimeSpan s_latency = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_target = TimeSpan.FromSeconds(10);

    private static async Task<int> Main(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
        var manifest = Path.Combine(FindRoot(), "out", "AwsLogin", "0.1.0", "AwsLogin.psd1");
        if (!File.Exists(manifest))
        {
            Console.Error.WriteLine($"{manifest} is missing: run `dotnet build AwsLogin.PowerShell.sln` first.");
            return 2;
        }

        var home = Path.Combine(Path.GetTempPath(), "awslogin-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(home, ".aws", "sso", "cache"));
        await using var sts = await FakeSts.StartAsync();
        await using var sso = await FakeIdentityCenter.StartAsync(sts);
        sso.CreateOrganization(Accounts, RolesPerAccount);
        var config = Path.Combine(home, ".aws", "config");
        var sessionConfig = $"[sso-session corp]\nsso_start_url = {sso.StartUrl}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n";
        File.WriteAllText(config, sessionConfig);
        SeedToken(sso, Path.Combine(home, ".aws", "sso", "cache", Sha1("corp") + ".json"));
        SetEnvironment(home, config, sso.Endpoint);
        sso.Latency = s_latency;

        Console.WriteLine($"Organisation: {Accounts} accounts x {RolesPerAccount} roles, {s_latency.TotalMilliseconds:0} ms per portal call, {Environment.ProcessorCount} CPUs, .NET {Environment.Version}.");
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Invoke(runspace, $"Import-Module '{manifest}' -ErrorAction Stop");

        var results = new List<(string Name, TimeSpan Elapsed, int Calls, int Objects)>();
        foreach (var (name, script, resetConfig) in new[]
        {
            ("Export-AwsSsoConfig (merge into ~/.aws/config)", "Export-AwsSsoConfig -SsoSession corp -Path $env:AWS_CONFIG_FILE", true),
            ("Export-AwsSsoConfig -AsText", "Export-AwsSsoConfig -SsoSession corp -AsText", false),
            ("Get-AwsSsoRole (all accounts)", "Get-AwsSsoRole -SsoSession corp", false),
            ("Export-AwsSsoConfig -ThrottleLimit 8", "Export-AwsSsoConfig -SsoSession corp -ThrottleLimit 8 -AsText", false),
        })
        {
            for (var run = 1; run <= runs; run++)
            {
                if (resetConfig)
                {
                    File.WriteAllText(config, sessionConfig);
                }

                var before = sso.Calls.Count;
                var watch = Stopwatch.StartNew();
                var output = Invoke(runspace, script);
                watch.Stop();
                var calls = sso.Calls.Count - before;
                results.Add((name, watch.Elapsed, calls, output.Count));
                Console.WriteLine($"{name,-48} run {run}: {watch.Elapsed.TotalSeconds,6:0.00} s, {calls} portal calls, {output.Count} objects");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| Command | Median | Fastest | Slowest | Portal calls |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var group in results.GroupBy(r => r.Name))
        {
            var times = group.Select(r => r.Elapsed.TotalSeconds).OrderBy(t => t).ToList();
            Console.WriteLine($"| {group.Key} | {times[times.Count / 2]:0.00} s | {times[0]:0.00} s | {times[^1]:0.00} s | {group.First().Calls} |");
        }

        var exportMedian = results.Where(r => r.Name.StartsWith("Export-AwsSsoConfig (merge", StringComparison.Ordinal)).Select(r => r.Elapsed).OrderBy(t => t).ToList();
        var median = exportMedian[exportMedian.Count / 2];
        Console.WriteLine();
        Console.WriteLine(median < s_target
            ? $"PASS: Export-AwsSsoConfig takes {median.TotalSeconds:0.00} s (target: under {s_target.TotalSeconds:0} s)."
            : $"FAIL: Export-AwsSsoConfig takes {median.TotalSeconds:0.00} s (target: under {s_target.TotalSeconds:0} s).");
        try
        {
            Directory.Delete(home, recursive: true);
        }
        catch (IOException)
        {
        }

        return median < s_target ? 0 : 1;
    }

    private static List<PSObject> Invoke(Runspace runspace, string script)
    {
        using var shell = PowerShell.Create(runspace);
        shell.AddScript(script);
        var output = shell.Invoke().ToList();
        if (shell.Streams.Error.Count > 0)
        {
            throw new InvalidOperationException($"'{script}' failed: {shell.Streams.Error[0]}");
        }

        return output;
    }

    // The token as `aws sso login` leaves it, seeded in the fake without HTTP.
    private static void SeedToken(FakeIdentityCenter sso, string path)
    {
        var seeded = sso.SeedSignIn();
        static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        File.WriteAllText(path,
            $"{{\"startUrl\": \"{sso.StartUrl}\", \"region\": \"us-east-1\", \"accessToken\": \"{seeded.AccessToken}\", \"expiresAt\": \"{Utc(seeded.AccessTokenExpiresAt)}\", " +
            $"\"clientId\": \"{seeded.ClientId}\", \"clientSecret\": \"{seeded.ClientSecret}\", \"registrationExpiresAt\": \"{Utc(seeded.RegistrationExpiresAt)}\", \"refreshToken\": \"{seeded.RefreshToken}\"}}");
    }

    private static void SetEnvironment(string home, string config, Uri endpoint)
    {
        Environment.SetEnvironmentVariable("HOME", home);
        Environment.SetEnvironmentVariable("USERPROFILE", home);
        Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", config);
        Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", Path.Combine(home, ".aws", "credentials"));
        Environment.SetEnvironmentVariable("AWSLOGIN_HOME", Path.Combine(home, "awslogin"));
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SSO", endpoint.ToString());
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SSO_OIDC", endpoint.ToString());
        Environment.SetEnvironmentVariable("AWS_PROFILE", null);
    }

    private static string Sha1(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AwsLogin.PowerShell.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("AwsLogin.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }
}
