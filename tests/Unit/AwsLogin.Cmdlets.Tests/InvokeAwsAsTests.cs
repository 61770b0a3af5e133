using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Invoke-AwsAs sets the AWS variables for a script or program and restores the caller's environment exactly.</summary>
public sealed class InvokeAwsAsTests : CmdletTestBase
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _aws.Set("AWS_PROFILE", "base");
        _aws.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
    }

    [Fact]
    public void ScriptSeesTheRoleAndNoConflictingVariables()
    {
        var result = _shell.Run($"Invoke-AwsAs -ProfileName base -RoleArn '{RoleA}' {{ $env:AWS_ACCESS_KEY_ID; $env:AWS_SECRET_ACCESS_KEY; $env:AWS_SESSION_TOKEN; $env:AWS_REGION; $env:AWS_DEFAULT_REGION; [string]$env:AWS_PROFILE; [string]$env:AWS_CONTAINER_CREDENTIALS_FULL_URI; $env:AWS_CREDENTIAL_EXPIRATION }}").ThrowOnError();

        var issued = _aws.Sts.IssuedCredentials.Single();
        var values = result.Output.Select(o => o.BaseObject as string).ToList();
        Assert.Equal(issued.AccessKeyId, values[0]);
        Assert.Equal(issued.SecretAccessKey, values[1]);
        Assert.Equal(issued.SessionToken, values[2]);
        Assert.Equal("us-east-1", values[3]);
        Assert.Equal("us-east-1", values[4]);
        Assert.Equal(string.Empty, values[5]);
        Assert.Equal(string.Empty, values[6]);
        Assert.Equal(issued.Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), values[7]);
        AssertEnvironmentRestored();
    }

    [Fact]
    public void EnvironmentIsRestoredAfterATerminatingError()
    {
        var result = _shell.Run($"Invoke-AwsAs -ProfileName base -RoleArn '{RoleA}' {{ throw 'boom' }}");

        Assert.Equal("boom", Assert.Single(result.Errors).Exception.Message);
        AssertEnvironmentRestored();
    }

    [Fact]
    public void EnvironmentIsRestoredWhenThePipelineIsStopped()
    {
        using var shell = System.Management.Automation.PowerShell.Create(_shell.Runspace);
        var started = new ManualResetEventSlim();
        _shell.Runspace.SessionStateProxy.SetVariable("started", started);
        shell.AddScript($"Invoke-AwsAs -ProfileName base -RoleArn '{RoleA}' {{ $started.Set(); while ($true) {{ [System.Threading.Thread]::Sleep(20) }} }}");
        var output = new System.Management.Automation.PSDataCollection<System.Management.Automation.PSObject>();
        var invocation = shell.BeginInvoke<System.Management.Automation.PSObject, System.Management.Automation.PSObject>(null, output);

        Assert.True(started.Wait(TimeSpan.FromSeconds(30)), "the script block never started");
        Assert.Equal(_aws.Sts.IssuedCredentials.Single().AccessKeyId, Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"));
        shell.Stop();

        Assert.Throws<System.Management.Automation.PipelineStoppedException>(() => shell.EndInvoke(invocation));
        AssertEnvironmentRestored();
    }

    [Fact]
    public void ExternalProgramGetsTheVariablesAndItsExitCodeComesBack()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var result = _shell.Run($"Invoke-AwsAs -ProfileName base -RoleArn '{RoleA}' -FilePath sh -ArgumentList '-c', 'echo \"$AWS_ACCESS_KEY_ID:${{AWS_PROFILE:-none}}\"; exit 7'; $LASTEXITCODE").ThrowOnError();

        var issued = _aws.Sts.IssuedCredentials.Single();
        Assert.Equal(new object[] { issued.AccessKeyId + ":none", 7 }, result.Output.Select(o => o.BaseObject).ToArray());
        AssertEnvironmentRestored();
    }

    [Fact]
    public async Task OutputStreamsBeforeTheScriptEnds()
    {
        // In a child process (pwsh -c stand-in): the script prints 'first', then waits for a file that the test
        // creates only after it has read 'first' from stdout.
        var gate = Path.Combine(_aws.Root, "gate");
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(ModulePathsAttribute.Current.TestHostPath);
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(ChildPowerShell.Import + $"Invoke-AwsAs -ProfileName base {{ 'first'; $n = 0; while (-not [IO.File]::Exists('{gate}') -and $n++ -lt 200) {{ [Threading.Thread]::Sleep(50) }}; if ([IO.File]::Exists('{gate}')) {{ 'second' }} else {{ 'held back' }} }}");
        foreach (var pair in _aws.ChildEnvironment())
        {
            startInfo.Environment[pair.Key] = pair.Value;
        }

        using var process = Process.Start(startInfo)!;
        var firstLine = await process.StandardOutput.ReadLineAsync();
        var gateExistedWhenFirstArrived = File.Exists(gate);
        File.WriteAllText(gate, string.Empty);
        var rest = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal("first", firstLine);
        Assert.False(gateExistedWhenFirstArrived);
        Assert.Equal("second", rest.Trim());
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void ArgumentsReachTheScriptBlock()
    {
        var result = _shell.Run("Invoke-AwsAs -ProfileName base { param($a, $b) \"$a-$b\" } -ArgumentList one, two").ThrowOnError();

        Assert.Equal("one-two", Assert.Single(result.Output).BaseObject);
    }

    private void AssertEnvironmentRestored()
    {
        Assert.Null(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_CREDENTIAL_EXPIRATION"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));
        Assert.Equal("us-east-1", Environment.GetEnvironmentVariable("AWS_REGION"));
        Assert.Equal("base", Environment.GetEnvironmentVariable("AWS_PROFILE"));
        Assert.Equal("http://127.0.0.1:9/creds", Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    }
}
