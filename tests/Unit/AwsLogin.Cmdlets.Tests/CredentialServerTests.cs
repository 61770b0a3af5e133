using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Threading.Tasks;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Where the build put the AWS SDK probe program; stamped in by the csproj.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class SdkProbePathAttribute : Attribute
{
    public SdkProbePathAttribute(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static string Current => typeof(SdkProbePathAttribute).Assembly.GetCustomAttribute<SdkProbePathAttribute>()!.Path;
}

/// <summary>
/// Invoke-AwsAs -AutoRefresh, Start-AwsCredentialServer and Stop-AwsCredentialServer: a real AWS SDK program keeps
/// working across many short STS sessions, the token is required, the environment comes back, and servers stop.
/// </summary>
public sealed class CredentialServerTests : IAsyncLifetime
{
    private const string RoleA = "arn:aws:iam::222222222222:role/RoleA";
    private const string StartCommand = "AwsLogin.Commands.Run.StartAwsCredentialServerCommand";
    private const string StopCommand = "AwsLogin.Commands.Run.StopAwsCredentialServerCommand";

    private AwsTestEnvironment _aws = null!;
    private PowerShellSession _shell = null!;

    public async Task InitializeAsync()
    {
        _aws = await AwsTestEnvironment.StartAsync();
        _shell = new PowerShellSession();
        _aws.Set("AWS_PROFILE", "base");
    }

    public async Task DisposeAsync()
    {
        _shell.Run("Stop-AwsCredentialServer -All");
        _shell.Dispose();
        await _aws.DisposeAsync();
    }

    [Fact]
    public void AnSdkProgramKeepsWorkingForThreeMinutesOfOneMinuteCredentials()
    {
        _aws.Sts.IssuedLifetimeOverride = TimeSpan.FromSeconds(60);
        var probe = SdkProbePathAttribute.Current;
        Assert.True(File.Exists(probe), probe + " is missing.");

        var result = _shell.Run($"Invoke-AwsAs -ProfileName base -RoleArn '{RoleA}' -AutoRefresh -FilePath dotnet -ArgumentList '{probe}', 185, 3 -Verbose; $LASTEXITCODE").ThrowOnError();

        var lines = result.Output.Take(result.Output.Count - 1).Select(o => o.ToString()).ToList();
        Assert.Equal(0, result.Output[^1].BaseObject);
        Assert.Equal("provider GenericContainerCredentials", lines[0]);
        Assert.Equal("done failures 0", lines[^1]);
        Assert.DoesNotContain(lines, l => l.Contains(" error ", StringComparison.Ordinal));

        // What the fake saw: every GetCallerIdentity signed by a key it issued for the role, from at least three
        // keys, over at least three minutes.
        var calls = _aws.Sts.Calls.Where(c => c.Action == "GetCallerIdentity").ToList();
        Assert.All(calls, c => Assert.Equal(200, c.HttpStatus));
        foreach (var key in calls.Select(c => c.SigningAccessKeyId).Distinct())
        {
            var issued = _aws.Sts.FindIssued(key!);
            Assert.True(issued is not null, $"{key} was not issued by the fake");
            Assert.Equal(RoleA, issued!.RoleArn);
            Assert.Equal(_aws.BaseUser.AccessKeyId, issued.SignedBy);
        }

        var keys = calls.Select(c => c.SigningAccessKeyId).Distinct().ToList();
        Assert.True(keys.Count >= 3, $"the fake saw {keys.Count} key(s)");
        Assert.True(calls[^1].ReceivedAt - calls[0].ReceivedAt >= TimeSpan.FromMinutes(3), $"calls spanned {calls[^1].ReceivedAt - calls[0].ReceivedAt}");

        // The program printed keys the fake issued for the role (it asks the SDK before each call, so its list
        // may miss a key that a refresh between its question and the call brought in).
        var printed = lines.Where(l => l.StartsWith("call ", StringComparison.Ordinal)).Select(l => l.Split(' ')[4]).Distinct().ToList();
        Assert.True(printed.Count >= 3, string.Join("\n", lines));
        Assert.All(printed, key => Assert.Equal(RoleA, _aws.Sts.FindIssued(key)?.RoleArn));
        Assert.True(result.Verbose.Count(v => v.Contains("refreshed", StringComparison.Ordinal)) >= 2, string.Join("\n", result.Verbose));
        AssertNoSecrets(result.AllText());
        AssertEnvironmentRestored();
    }

    [Fact]
    public void TheScriptSeesOnlyTheServerAndARequestWithoutTheTokenIsRefused()
    {
        var result = _shell.Run($$"""
            Invoke-AwsAs -ProfileName base -RoleArn '{{RoleA}}' -AutoRefresh {
                $http = [System.Net.Http.HttpClient]::new()
                $uri = $env:AWS_CONTAINER_CREDENTIALS_FULL_URI
                $uri
                [int]$http.GetAsync($uri).GetAwaiter().GetResult().StatusCode
                $request = [System.Net.Http.HttpRequestMessage]::new('GET', $uri)
                $null = $request.Headers.TryAddWithoutValidation('Authorization', $env:AWS_CONTAINER_AUTHORIZATION_TOKEN)
                $response = $http.SendAsync($request).GetAwaiter().GetResult()
                [int]$response.StatusCode
                [System.Text.Json.JsonDocument]::Parse($response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty('AccessKeyId').GetString()
                $env:AWS_CONTAINER_AUTHORIZATION_TOKEN.Length
                [string]$env:AWS_ACCESS_KEY_ID
                [string]$env:AWS_PROFILE
                $env:AWS_REGION
            }
            """).ThrowOnError();

        var values = result.Output.Select(o => o.BaseObject).ToList();
        var uri = new Uri((string)values[0]);
        Assert.Equal("127.0.0.1", uri.Host);
        Assert.Equal("/credentials", uri.AbsolutePath);
        Assert.Equal(403, values[1]);
        Assert.Equal(200, values[2]);
        Assert.Equal(_aws.Sts.IssuedCredentials.Single().AccessKeyId, values[3]);
        Assert.Equal(43, values[4]);
        Assert.Equal(string.Empty, values[5]);
        Assert.Equal(string.Empty, values[6]);
        Assert.Equal("us-east-1", values[7]);
        AssertPortClosed(uri.Port);
        AssertEnvironmentRestored();
    }

    [Fact]
    public void TheServerStopsAndTheEnvironmentIsRestoredWhenTheScriptThrows()
    {
        var result = _shell.Run($"Invoke-AwsAs -ProfileName base -RoleArn '{RoleA}' -AutoRefresh {{ $global:port = ([uri]$env:AWS_CONTAINER_CREDENTIALS_FULL_URI).Port; throw 'boom' }}");

        Assert.Equal("boom", Assert.Single(result.Errors).Exception.Message);
        var port = (int)_shell.Run("$global:port").Output.Single().BaseObject;
        AssertPortClosed(port);
        AssertEnvironmentRestored();
        Assert.Empty(_shell.Run("Stop-AwsCredentialServer -All -Verbose").ThrowOnError().Verbose);
    }

    [Fact]
    public void StartReturnsAServerThatStopRemovesAndSetEnvironmentIsUndone()
    {
        _aws.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "caller's own");

        var started = _shell.Run($"$s = Start-AwsCredentialServer -ProfileName base -RoleArn '{RoleA}' -SetEnvironment; $s; $env:AWS_CONTAINER_CREDENTIALS_FULL_URI; $env:AWS_CONTAINER_AUTHORIZATION_TOKEN -eq $s.AuthorizationToken; [string]$env:AWS_PROFILE").ThrowOnError();

        var server = started.Output[0];
        Assert.Equal("AwsLogin.AwsCredentialServer", server.BaseObject.GetType().FullName);
        var port = (int)server.Properties["Port"].Value;
        var issued = _aws.Sts.IssuedCredentials.Single();
        Assert.Equal($"http://127.0.0.1:{port}/credentials", server.Properties["Uri"].Value.ToString());
        Assert.Equal($"http://127.0.0.1:{port}/credentials", started.Output[1].BaseObject);
        Assert.Equal(true, started.Output[2].BaseObject);
        Assert.Equal(string.Empty, started.Output[3].BaseObject);
        Assert.Equal(Environment.ProcessId, server.Properties["ProcessId"].Value);
        Assert.Equal(true, server.Properties["IsRunning"].Value);
        Assert.Equal(true, server.Properties["EnvironmentSet"].Value);
        Assert.Equal($"role {RoleA}", server.Properties["Source"].Value);
        Assert.Equal(issued.AccessKeyId[..4] + "************" + issued.AccessKeyId[^4..], server.Properties["MaskedAccessKeyId"].Value);
        Assert.Equal(issued.Expiration.UtcDateTime, server.Properties["Expiration"].Value);
        Assert.Equal($"http://127.0.0.1:{port}/credentials (role {RoleA})", server.ToString());

        _shell.Run("$s | Out-Default").ThrowOnError();
        var token = (string)server.Properties["AuthorizationToken"].Value;
        Assert.Contains("Refreshes", _shell.Host.Text);
        Assert.DoesNotContain(token, _shell.Host.Text);
        Assert.DoesNotContain(issued.AccessKeyId, _shell.Host.Text);

        var stopped = _shell.Run("$s | Stop-AwsCredentialServer -Verbose; $s.IsRunning; $env:AWS_CONTAINER_AUTHORIZATION_TOKEN; [string]$env:AWS_CONTAINER_CREDENTIALS_FULL_URI; $env:AWS_PROFILE").ThrowOnError();

        Assert.Equal(new object[] { false, "caller's own", string.Empty, "base" }, stopped.Output.Select(o => o.BaseObject).ToArray());
        Assert.Contains(stopped.Verbose, v => v.Contains($"port {port}", StringComparison.Ordinal));
        AssertPortClosed(port);
        AssertNoSecrets(started.AllText().Replace(token, "<token>") + stopped.AllText(), token);
    }

    [Fact]
    public void AStartedServerServesAnotherProcess()
    {
        var result = _shell.Run($"$s = Start-AwsCredentialServer -ProfileName base -RoleArn '{RoleA}'; $s.Uri.ToString(); $s.AuthorizationToken").ThrowOnError();
        var environment = _aws.ChildEnvironment();
        environment["AWS_PROFILE"] = null;
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = (string)result.Output[0].BaseObject;
        environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = (string)result.Output[1].BaseObject;

        var probe = RunProbe(environment);

        Assert.Contains("provider GenericContainerCredentials", probe);
        Assert.Contains($"key {_aws.Sts.IssuedCredentials.Single().AccessKeyId} arn arn:aws:sts::222222222222:assumed-role/RoleA/", probe);
        Assert.Contains("done failures 0", probe);
    }

    [Fact]
    public void WhatIfStartsAndStopsNothing()
    {
        var start = _shell.Run($"Start-AwsCredentialServer -ProfileName base -RoleArn '{RoleA}' -SetEnvironment -WhatIf").ThrowOnError();

        Assert.Empty(start.Output);
        Assert.Empty(_aws.Sts.Calls);
        Assert.Null(Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
        Assert.Contains($"profile base, then role {RoleA}", _shell.Host.Text);

        var stop = _shell.Run($"$s = Start-AwsCredentialServer -ProfileName base -RoleArn '{RoleA}'; Stop-AwsCredentialServer -All -WhatIf; $s | Stop-AwsCredentialServer -WhatIf; $s.IsRunning").ThrowOnError();

        Assert.Equal(true, stop.Output.Single().BaseObject);
        Assert.Contains("Stop the credential server", _shell.Host.Text);
    }

    [Fact]
    public void StoppingAServerThatIsNotRunningIsAnError()
    {
        var byPort = _shell.Run("Stop-AwsCredentialServer -Port 1");
        var twice = _shell.Run($"$s = Start-AwsCredentialServer -ProfileName base -RoleArn '{RoleA}'; $s | Stop-AwsCredentialServer; $s | Stop-AwsCredentialServer");

        AssertError(byPort.SingleError, "CredentialServerNotFound," + StopCommand, ErrorCategory.ObjectNotFound);
        Assert.Equal(1, byPort.SingleError.TargetObject);
        AssertError(twice.SingleError, "CredentialServerNotFound," + StopCommand, ErrorCategory.ObjectNotFound);
        Assert.NotNull(twice.SingleError.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void StartWithAnUnknownProfileIsAnError()
    {
        var result = _shell.Run("Start-AwsCredentialServer -ProfileName nosuch");

        AssertError(result.SingleError, "ProfileNotFound," + StartCommand, ErrorCategory.ObjectNotFound);
        Assert.Empty(result.Output);
        Assert.Null(Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
    }

    [Fact]
    public void InvokeWithExpiredPipedCredentialsIsAnError()
    {
        _aws.Sts.IssuedLifetimeOverride = TimeSpan.FromSeconds(2);
        var result = _shell.Run($"$c = Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}'; [System.Threading.Thread]::Sleep(2500); $c | Invoke-AwsAs -AutoRefresh {{ 'ran' }}");

        // Piped credentials without a role to assume cannot be renewed; expired ones cannot be served at all.
        AssertError(result.SingleError, "CredentialsExpired,AwsLogin.Commands.Run.InvokeAwsAsCommand", ErrorCategory.AuthenticationError);
        Assert.Empty(result.Output);
        AssertNoSecrets(result.AllText());
        AssertEnvironmentRestored();
    }

    [Fact]
    public void RemoveModuleStopsTheServersOfItsSession()
    {
        var result = _shell.Run($"$s = Start-AwsCredentialServer -ProfileName base -RoleArn '{RoleA}' -SetEnvironment; $s.Port").ThrowOnError();
        var port = (int)result.Output.Single().BaseObject;
        using (var other = new PowerShellSession())
        {
            var otherPort = (int)other.Run($"(Start-AwsCredentialServer -ProfileName base -RoleArn '{RoleA}').Port").ThrowOnError().Output.Single().BaseObject;
            _shell.Run("Remove-Module AwsLogin").ThrowOnError();

            AssertPortClosed(port);
            AssertPortOpen(otherPort);
            Assert.Null(Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
            Assert.Null(Environment.GetEnvironmentVariable("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
            other.Run("Stop-AwsCredentialServer -All").ThrowOnError();
            AssertPortClosed(otherPort);
        }

        _shell.Run($"Import-Module '{ModulePathsAttribute.Manifest}'").ThrowOnError();
    }

    [Fact]
    public void StartCompletesProfileNames()
    {
        _aws.WriteConfig("[profile base]\nregion = us-east-1\n[profile production]\n");

        using var shell = PowerShell.Create(_shell.Runspace);
        var input = "Start-AwsCredentialServer -ProfileName pro";
        var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);

        Assert.Equal(new[] { "production" }, completion.CompletionMatches.Select(m => m.CompletionText));
    }

    [Fact]
    public void StopCompletesThePortsOfRunningServers()
    {
        var port = (int)_shell.Run($"(Start-AwsCredentialServer -ProfileName base -RoleArn '{RoleA}').Port").ThrowOnError().Output.Single().BaseObject;
        var text = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        using var shell = PowerShell.Create(_shell.Runspace);
        var all = CommandCompletion.CompleteInput("Stop-AwsCredentialServer -Port ", 31, null, shell).CompletionMatches.Select(m => m.CompletionText).ToList();
        var prefix = CommandCompletion.CompleteInput("Stop-AwsCredentialServer -Port " + text[..2], 33, null, shell).CompletionMatches.Select(m => m.CompletionText).ToList();
        _shell.Run("Stop-AwsCredentialServer -All").ThrowOnError();
        var none = CommandCompletion.CompleteInput("Stop-AwsCredentialServer -Port ", 31, null, shell).CompletionMatches.Select(m => m.CompletionText).ToList();

        Assert.Equal(new[] { text }, all);
        Assert.Equal(new[] { text }, prefix);
        Assert.Empty(none);
    }

    private static void AssertError(ErrorRecord error, string fullyQualifiedErrorId, ErrorCategory category)
    {
        Assert.Equal(fullyQualifiedErrorId, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
    }

    private string RunProbe(IDictionary<string, string?> environment)
    {
        var startInfo = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(SdkProbePathAttribute.Current);
        startInfo.ArgumentList.Add("1");
        foreach (var pair in environment)
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

        using var process = System.Diagnostics.Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    private void AssertNoSecrets(string text, params string[] extra)
    {
        var secrets = _aws.Sts.IssuedCredentials.SelectMany(i => new[] { i.SecretAccessKey, i.SessionToken }).Append(_aws.BaseUser.SecretAccessKey).Concat(extra);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    private static void AssertPortClosed(int port)
    {
        using var client = new TcpClient();
        var error = Assert.Throws<SocketException>(() => client.Connect(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }

    private static void AssertPortOpen(int port)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
    }

    private static void AssertEnvironmentRestored()
    {
        Assert.Null(Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"));
        Assert.Null(Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"));
        Assert.Equal("us-east-1", Environment.GetEnvironmentVariable("AWS_REGION"));
        Assert.Equal("base", Environment.GetEnvironmentVariable("AWS_PROFILE"));
    }
}
