using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>A test that runs a program from PATH; skipped where it is not installed.</summary>
public sealed class FactWithProgramAttribute : FactAttribute
{
    public FactWithProgramAttribute(string program)
    {
        if (Find(program) is null)
        {
            Skip = $"'{program}' is not on PATH.";
        }
    }

    public static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(folder => OperatingSystem.IsWindows() ? new[] { Path.Combine(folder, program + ".exe"), Path.Combine(folder, program + ".cmd") } : new[] { Path.Combine(folder, program) })
            .FirstOrDefault(File.Exists);
}

/// <summary>
/// The AWS CLI (botocore) and AwsLogin on one ~/.aws/sso/cache, against the fakes: botocore reads a token that
/// Connect-AwsSso cached, and AwsLogin reads a token that botocore refreshed and wrote.
/// </summary>
public sealed class SsoAwsCliInteropTests : SsoTestBase
{
    [FactWithProgram("aws")]
    public async Task TheAwsCliUsesATokenThatConnectAwsSsoCached()
    {
        _shell.Run("Connect-AwsSso -SsoSession corp").ThrowOnError();

        var result = await RunAwsAsync("sts", "get-caller-identity", "--profile", "dev", "--region", "us-east-1", "--output", "json");

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var identity = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(Account, identity.RootElement.GetProperty("Account").GetString());
        Assert.Contains("AWSReservedSSO_" + Role, identity.RootElement.GetProperty("Arn").GetString());
        Assert.Equal(1, _sso.CountCalls("GetRoleCredentials"));
        Assert.Equal(1, _sso.CountCalls("CreateToken"));
    }

    [FactWithProgram("aws")]
    public async Task AwsLoginUsesATokenThatTheAwsCliRefreshedAndWrote()
    {
        var seeded = SeedCachedToken(accessTokenLifetime: TimeSpan.FromMinutes(5));

        var result = await RunAwsAsync("sts", "get-caller-identity", "--profile", "dev", "--region", "us-east-1", "--output", "json");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(1, _sso.CountCalls("CreateToken"));
        using (var file = JsonDocument.Parse(File.ReadAllText(CorpTokenPath)))
        {
            Assert.NotEqual(seeded.AccessToken, file.RootElement.GetProperty("accessToken").GetString());
        }

        var session = _shell.Run("Connect-AwsSso corp").ThrowOnError().Output.Single();
        _shell.Run($"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName {Role} -SsoSession corp").ThrowOnError();

        Assert.Equal("Cached", session.Properties["SignInMethod"].Value);
        Assert.Equal(1, _sso.CountCalls("CreateToken"));
        Assert.Equal(2, _sso.CountCalls("GetRoleCredentials"));
    }

    private async Task<ChildPowerShell.Result> RunAwsAsync(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(FactWithProgramAttribute.Find("aws")!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var pair in _aws.ChildEnvironment())
        {
            if (pair.Value is null)
            {
                startInfo.Environment.Remove(pair.Key);
            }
            else
            {
                startInfo.Environment[pair.Key] = pair.Value;
            }
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ChildPowerShell.Result(process.ExitCode, await stdout, await stderr);
    }
}
