using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Get-AwsRoleCredential, Invoke-AwsAs and Get-AwsCallerIdentity against the fake STS, in a hosted runspace.</summary>
public sealed class RoleCredentialTests : CmdletTestBase
{
    [Fact]
    public void RoleChainPipedIntoInvokeAwsAsRunsAsTheLastRole()
    {
        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}','{RoleB}' | Invoke-AwsAs {{ $env:AWS_ACCESS_KEY_ID }}").ThrowOnError();

        var keyInScript = Assert.Single(result.Output).BaseObject as string;
        var assumeCalls = _aws.Sts.Calls.Where(c => c.Action == "AssumeRole").ToList();
        Assert.Equal(2, assumeCalls.Count);
        Assert.Equal(_aws.BaseUser.AccessKeyId, assumeCalls[0].SigningAccessKeyId);
        Assert.Equal(RoleA, assumeCalls[0].Parameters["RoleArn"]);
        Assert.Equal(RoleB, assumeCalls[1].Parameters["RoleArn"]);
        Assert.Equal(assumeCalls[0].IssuedAccessKeyId, assumeCalls[1].SigningAccessKeyId);
        Assert.Equal(assumeCalls[1].IssuedAccessKeyId, keyInScript);
        Assert.Equal(RoleB, _aws.Sts.FindIssued(keyInScript!)!.RoleArn);
    }

    [Fact]
    public void CredentialObjectCarriesTheIdentityAndMasksSecrets()
    {
        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -RoleSessionName build-42 -DurationSeconds 1800").ThrowOnError();

        var credential = Assert.Single(result.Output);
        Assert.Equal("AwsLogin.AwsCredential", credential.BaseObject.GetType().FullName);
        var issued = _aws.Sts.FindIssued((string)credential.Properties["AccessKeyId"].Value)!;
        Assert.Equal(issued.SecretAccessKey, credential.Properties["SecretAccessKey"].Value);
        Assert.Equal(issued.SecretAccessKey, credential.Properties["SecretKey"].Value);
        Assert.Equal(issued.AccessKeyId, credential.Properties["AccessKey"].Value);
        Assert.Equal(issued.SessionToken, credential.Properties["SessionToken"].Value);
        Assert.Equal("222222222222", credential.Properties["AccountId"].Value);
        Assert.Equal("arn:aws:sts::222222222222:assumed-role/RoleA/build-42", credential.Properties["Arn"].Value);
        Assert.Equal("us-east-1", credential.Properties["Region"].Value);
        Assert.Equal("AssumedRole", credential.Properties["Origin"].Value);
        var expiration = (DateTime)credential.Properties["Expiration"].Value;
        Assert.Equal(DateTimeKind.Utc, expiration.Kind);
        Assert.InRange(expiration - DateTime.UtcNow, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(31));
        Assert.DoesNotContain(issued.SecretAccessKey, credential.ToString());
        Assert.DoesNotContain(issued.AccessKeyId, credential.ToString());
        Assert.Equal("1800", _aws.Sts.Calls.Single(c => c.Action == "AssumeRole").Parameters["DurationSeconds"]);
    }

    [Fact]
    public void CachedChainIsReusedWithoutCallingSts()
    {
        _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}','{RoleB}'").ThrowOnError();
        var first = _aws.Sts.Calls.Count;

        var second = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}','{RoleB}'").ThrowOnError();

        Assert.Equal(first, _aws.Sts.Calls.Count);
        Assert.Equal(_aws.Sts.Calls.Last(c => c.Action == "AssumeRole").IssuedAccessKeyId, Assert.Single(second.Output).Properties["AccessKeyId"].Value);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_aws.CacheDirectory));
            foreach (var file in Directory.GetFiles(_aws.CacheDirectory, "*.json"))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
    }

    [Fact]
    public void ForceFetchesNewCredentialsAndLongerChainReusesTheCachedPrefix()
    {
        _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}'").ThrowOnError();
        _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}','{RoleB}'").ThrowOnError();
        Assert.Equal(2, _aws.Sts.CountCalls("AssumeRole"));

        _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -Force").ThrowOnError();
        Assert.Equal(3, _aws.Sts.CountCalls("AssumeRole"));
    }

    [Fact]
    public void CachedCredentialsNearExpiryAreRefreshed()
    {
        _aws.Set("AWSLOGIN_REFRESH_MARGIN_SECONDS", "3500");
        _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -DurationSeconds 3600").ThrowOnError();
        _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -DurationSeconds 3600").ThrowOnError();
        Assert.Equal(1, _aws.Sts.CountCalls("AssumeRole"));

        _aws.Set("AWSLOGIN_REFRESH_MARGIN_SECONDS", "3700");
        _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -DurationSeconds 3600").ThrowOnError();
        Assert.Equal(2, _aws.Sts.CountCalls("AssumeRole"));
    }

    [Fact]
    public void ProfileRoleChainWithSourceProfileIsFollowed()
    {
        _aws.WriteConfig($"[profile base]\nregion = us-east-1\n\n[profile a]\nrole_arn = {RoleA}\nsource_profile = base\n\n[profile b]\nrole_arn = {RoleB}\nsource_profile = a\nrole_session_name = from-config\n");

        var result = _shell.Run("Get-AwsRoleCredential -ProfileName b").ThrowOnError();

        var calls = _aws.Sts.Calls.Where(c => c.Action == "AssumeRole").ToList();
        Assert.Equal(new[] { RoleA, RoleB }, calls.Select(c => c.Parameters["RoleArn"]));
        Assert.Equal(_aws.BaseUser.AccessKeyId, calls[0].SigningAccessKeyId);
        Assert.Equal(calls[0].IssuedAccessKeyId, calls[1].SigningAccessKeyId);
        Assert.Equal("from-config", calls[1].Parameters["RoleSessionName"]);
        Assert.Equal("ChainedRole", Assert.Single(result.Output).Properties["Origin"].Value);
    }

    [Fact]
    public void ExplicitKeysAndEnvironmentStartTheChain()
    {
        var bob = _aws.Sts.SeedUser("bob");
        _shell.Run($"Get-AwsRoleCredential -AccessKey {bob.AccessKeyId} -SecretKey {bob.SecretAccessKey} -RoleArn '{RoleA}'").ThrowOnError();
        Assert.Equal(bob.AccessKeyId, _aws.Sts.Calls.Last().SigningAccessKeyId);

        var carol = _aws.Sts.SeedUser("carol");
        _aws.Set("AWS_ACCESS_KEY_ID", carol.AccessKeyId);
        _aws.Set("AWS_SECRET_ACCESS_KEY", carol.SecretAccessKey);
        _shell.Run($"Get-AwsRoleCredential -RoleArn '{RoleA}'").ThrowOnError();
        Assert.Equal(carol.AccessKeyId, _aws.Sts.Calls.Last().SigningAccessKeyId);
    }

    [Fact]
    public void PipedCredentialStartsANewHop()
    {
        _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' | Get-AwsRoleCredential -RoleArn '{RoleB}'").ThrowOnError();

        var calls = _aws.Sts.Calls.Where(c => c.Action == "AssumeRole").ToList();
        Assert.Equal(calls[0].IssuedAccessKeyId, calls[1].SigningAccessKeyId);
    }

    [Fact]
    public void MfaSessionTokenAndFederationToken()
    {
        _aws.Sts.SeedMfaDevice("alice", "arn:aws:iam::111111111111:mfa/alice", "123456");

        var session = _shell.Run("Get-AwsRoleCredential -ProfileName base -SerialNumber arn:aws:iam::111111111111:mfa/alice -TokenCode 123456").ThrowOnError();
        Assert.Equal("SessionToken", Assert.Single(session.Output).Properties["Origin"].Value);
        Assert.Equal(_aws.BaseUser.AccessKeyId, _aws.Sts.Calls.Single(c => c.Action == "GetSessionToken").SigningAccessKeyId);

        var federated = _shell.Run("Get-AwsRoleCredential -ProfileName base -FederationToken -FederationName ops-console").ThrowOnError();
        var output = Assert.Single(federated.Output);
        Assert.Equal("FederationToken", output.Properties["Origin"].Value);
        Assert.Equal("arn:aws:sts::111111111111:federated-user/ops-console", output.Properties["Arn"].Value);
    }

    [Fact]
    public void MissingMfaCodeInAProfileGivesASpecificError()
    {
        _aws.WriteConfig($"[profile base]\nregion = us-east-1\n\n[profile mfa]\nrole_arn = {RoleA}\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n");

        var result = _shell.Run("Get-AwsRoleCredential -ProfileName mfa -AsProcessJson");

        Assert.Equal("MfaCodeRequired,AwsLogin.Commands.Sts.GetAwsRoleCredentialCommand", result.SingleError.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, result.SingleError.CategoryInfo.Category);
        Assert.Empty(_aws.Sts.Calls);
    }

    [Fact]
    public void AsProcessJsonWritesOnlyTheCredentialProcessContract()
    {
        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -AsProcessJson").ThrowOnError();

        var json = Assert.IsType<string>(Assert.Single(result.Output).BaseObject);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var issued = _aws.Sts.FindIssued(root.GetProperty("AccessKeyId").GetString()!)!;
        Assert.Equal(1, root.GetProperty("Version").GetInt32());
        Assert.Equal(issued.SecretAccessKey, root.GetProperty("SecretAccessKey").GetString());
        Assert.Equal(issued.SessionToken, root.GetProperty("SessionToken").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", root.GetProperty("Expiration").GetString());
        Assert.Empty(result.Warnings);
        Assert.DoesNotContain('\n', json);
    }

    [Fact]
    public void CallerIdentityOfAPipedCredential()
    {
        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -RoleSessionName who | Get-AwsCallerIdentity").ThrowOnError();

        var identity = Assert.Single(result.Output);
        Assert.Equal("222222222222", identity.Properties["Account"].Value);
        Assert.Equal("arn:aws:sts::222222222222:assumed-role/RoleA/who", identity.Properties["Arn"].Value);
        var call = _aws.Sts.Calls.Last();
        Assert.Equal("GetCallerIdentity", call.Action);
        Assert.Equal(_aws.Sts.Calls.First().IssuedAccessKeyId, call.SigningAccessKeyId);
    }

    [Fact]
    public void PipesIntoAwsToolsParametersByPropertyName()
    {
        // A stand-in declaring Set-AWSCredential's binding parameters exactly as AWS Tools for PowerShell does.
        var result = _shell.Run($$"""
            function Set-AWSCredential {
                [CmdletBinding()]
                param(
                    [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('AK')][string]$AccessKey,
                    [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('SK', 'SecretAccessKey')][string]$SecretKey,
                    [Parameter(ValueFromPipelineByPropertyName = $true)][Alias('ST')][string]$SessionToken,
                    [Parameter(ValueFromPipelineByPropertyName = $true)][object]$Region,
                    [Parameter()][Alias('StoredCredentials')][string]$ProfileName)
                process { "$AccessKey|$SecretKey|$SessionToken|$Region|$ProfileName" }
            }
            Get-AwsRoleCredential -ProfileName base -RoleArn '{{RoleA}}' | Set-AWSCredential
            """).ThrowOnError();

        var issued = _aws.Sts.IssuedCredentials.Single();
        Assert.Equal($"{issued.AccessKeyId}|{issued.SecretAccessKey}|{issued.SessionToken}|us-east-1|", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void StoppingThePipelineCancelsAPendingStsCall()
    {
        _aws.Sts.Latency = TimeSpan.FromSeconds(60);
        using var shell = PowerShell.Create(_shell.Runspace);
        shell.AddScript($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}'");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var invocation = shell.BeginInvoke();
        while (_aws.Sts.CountCalls("AssumeRole") == 0 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            System.Threading.Thread.Sleep(20);
        }

        shell.Stop();

        Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(invocation));
        // The fake would answer only after 60 s: the call was abandoned, not awaited.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"Stop took {clock.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
    }
}
