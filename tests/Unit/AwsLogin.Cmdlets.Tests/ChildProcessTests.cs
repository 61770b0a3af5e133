using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Where NuGet restored packages; stamped in by the csproj.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class NuGetPackageRootAttribute : Attribute
{
    public NuGetPackageRootAttribute(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static string Get(string package, string version, string tfm, string file) =>
        System.IO.Path.Combine(typeof(NuGetPackageRootAttribute).Assembly.GetCustomAttribute<NuGetPackageRootAttribute>()!.Path, package, version, "lib", tfm, file);
}

/// <summary>The module in new processes, as `pwsh -c` runs it: credential_process, concurrency, AWS SDK coexistence.</summary>
public sealed class ChildProcessTests : IAsyncLifetime
{
    private const string RoleA = "arn:aws:iam::222222222222:role/RoleA";
    private const string RoleB = "arn:aws:iam::333333333333:role/RoleB";

    private AwsTestEnvironment _aws = null!;

    public async Task InitializeAsync() => _aws = await AwsTestEnvironment.StartAsync();

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    [Fact]
    public async Task CredentialProcessStdoutIsOnlyTheJson()
    {
        var result = await ChildPowerShell.RunAsync(ChildPowerShell.Import + $"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}','{RoleB}' -AsProcessJson", _aws.ChildEnvironment());

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Empty, result.StandardError);
        var json = result.StandardOutput.TrimEnd('\n');
        Assert.DoesNotContain('\n', json);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(new[] { "Version", "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "AccountId" }, root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(1, root.GetProperty("Version").GetInt32());
        var issued = _aws.Sts.FindIssued(root.GetProperty("AccessKeyId").GetString()!)!;
        Assert.Equal(RoleB, issued.RoleArn);
        Assert.Equal(issued.SecretAccessKey, root.GetProperty("SecretAccessKey").GetString());
        Assert.Equal("333333333333", root.GetProperty("AccountId").GetString());
    }

    [Fact]
    public async Task ModuleAutoloadsFromPSModulePathAsInAConfigLine()
    {
        // credential_process = pwsh -NoProfile -c Get-AwsRoleCredential ... -AsProcessJson: no Import-Module.
        var environment = _aws.ChildEnvironment();
        var modulesRoot = Path.GetDirectoryName(Path.GetDirectoryName(ModulePathsAttribute.Current.ModuleDirectory.TrimEnd('/', '\\')))!;
        environment["PSModulePath"] = modulesRoot + Path.PathSeparator + Environment.GetEnvironmentVariable("PSModulePath");

        var result = await ChildPowerShell.RunAsync($"Get-AwsRoleCredential -ProfileName base -RoleArn {RoleA} -AsProcessJson", environment);

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var document = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(RoleA, _aws.Sts.FindIssued(document.RootElement.GetProperty("AccessKeyId").GetString()!)!.RoleArn);
    }

    [Fact]
    public async Task CredentialProcessFailureExitsNonZeroWithTheErrorOnStderr()
    {
        var result = await ChildPowerShell.RunAsync(ChildPowerShell.Import + $"Get-AwsRoleCredential -ProfileName base -RoleArn 'arn:aws:iam::222222222222:role/RoleA' -ExternalId wrong -AsProcessJson", ConfigureExternalId());

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Contains("StsAccessDenied,AwsLogin.Commands.Sts.GetAwsRoleCredentialCommand", result.StandardError);
        Assert.DoesNotContain(_aws.BaseUser.SecretAccessKey, result.StandardError);
    }

    [Fact]
    public async Task TwentyProcessesOnAColdCacheMakeOneCallPerHop()
    {
        _aws.Sts.Latency = TimeSpan.FromMilliseconds(300);
        var command = ChildPowerShell.Import + $"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}','{RoleB}' -AsProcessJson";

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ChildPowerShell.RunAsync(command, _aws.ChildEnvironment())));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.StandardError));
        var keys = results.Select(r => JsonDocument.Parse(r.StandardOutput).RootElement.GetProperty("AccessKeyId").GetString()).Distinct().ToList();
        Assert.Single(keys);
        var calls = _aws.Sts.Calls.Where(c => c.Action == "AssumeRole").ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(new[] { RoleA, RoleB }, calls.Select(c => c.Parameters["RoleArn"]));
    }

    [Theory]
    [InlineData("4.0.3.3", "net8.0")]
    [InlineData("3.7.402", "netcoreapp3.1")]
    public async Task ForeignAwsSdkLoadedFirst(string version, string tfm)
    {
        var foreign = NuGetPackageRootAttribute.Get("awssdk.core", version, tfm, "AWSSDK.Core.dll");
        Assert.True(File.Exists(foreign), foreign);
        var script = $"$foreign = [System.Reflection.Assembly]::LoadFrom('{foreign}'); "
            + ChildPowerShell.Import
            + $"$c = Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -ErrorAction Stop; $c.AccountId; "
            + "([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AWSSDK.Core' }).Count; "
            + "[System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($foreign).Name -eq 'Default'";

        var result = await ChildPowerShell.RunAsync(script, _aws.ChildEnvironment());

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(new[] { "222222222222", "2", "True" }, Lines(result.StandardOutput));
    }

    [Fact]
    public async Task OursFirstThenForeignThenReimportAndRemove()
    {
        var foreign = NuGetPackageRootAttribute.Get("awssdk.core", "4.0.3.3", "net8.0", "AWSSDK.Core.dll");
        var script = ChildPowerShell.Import
            + $"(Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -ErrorAction Stop).AccountId; "
            + $"$null = [System.Reflection.Assembly]::LoadFrom('{foreign}'); "
            + $"(Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleB}' -ErrorAction Stop).AccountId; "
            + ChildPowerShell.Import.Replace("-ErrorAction Stop", "-Force -ErrorAction Stop")
            + $"(Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleB}' -Force -ErrorAction Stop).AccountId; "
            + "Remove-Module AwsLogin; [bool](Get-Command Get-AwsRoleCredential -ErrorAction Ignore); "
            + ChildPowerShell.Import
            + $"(Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -Force -ErrorAction Stop).AccountId";

        var result = await ChildPowerShell.RunAsync(script, _aws.ChildEnvironment());

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(new[] { "222222222222", "333333333333", "333333333333", "False", "222222222222" }, Lines(result.StandardOutput));
    }

    private System.Collections.Generic.IDictionary<string, string?> ConfigureExternalId()
    {
        _aws.Sts.ConfigureRole(RoleA, externalId: "expected");
        return _aws.ChildEnvironment();
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToArray();
}
