using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using System.Threading.Tasks;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Connect-AwsSso end to end in a hosted runspace, then Get-AwsRoleCredential from the cache alone.</summary>
public sealed class SsoSignInTests : SsoTestBase
{
    private const string Connect = "AwsLogin.Commands.Sso.ConnectAwsSsoCommand";

    [Fact]
    public async Task PkceSignInLeavesAnAwsCliCacheFileThatServesRoleCredentials()
    {
        var result = _shell.Run("Connect-AwsSso -SsoSession corp").ThrowOnError();

        var session = result.Output.Single();
        Assert.Equal("AwsLogin.AwsSsoSession", session.TypeNames[0]);
        Assert.Equal("corp", session.Properties["SsoSession"].Value);
        Assert.Equal("AuthorizationCode", session.Properties["SignInMethod"].Value);
        Assert.Equal(CorpTokenPath, session.Properties["CacheFile"].Value);
        Assert.True((bool)session.Properties["CanRefresh"].Value);
        AssertCliTokenFile(CorpTokenPath, withRefreshToken: true);
        Assert.StartsWith(_sso.Endpoint + "authorize?response_type=code&client_id=", Assert.Single(BrowserVisits()));
        Assert.Contains(result.Information, i => i.Contains("/authorize?", StringComparison.Ordinal));

        // A new process with nothing but the cache file: the credential_process path.
        var child = await ChildPowerShell.RunAsync(ChildPowerShell.Import + $"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName {Role} -SsoSession corp -AsProcessJson", _aws.ChildEnvironment());
        Assert.True(child.ExitCode == 0, child.StandardError);
        using var json = JsonDocument.Parse(child.StandardOutput);
        var accessKey = json.RootElement.GetProperty("AccessKeyId").GetString()!;
        Assert.Equal(accessKey, _sso.Calls.Single(c => c.Operation == "GetRoleCredentials").IssuedAccessKeyId);
        Assert.Equal(Account, json.RootElement.GetProperty("AccountId").GetString());
    }

    [Fact]
    public void DeviceCodeSignInShowsTheCodeAndLeavesAnAwsCliCacheFile()
    {
        _sso.AutoApproveDeviceAfterPolls = 1;

        var result = _shell.Run("Connect-AwsSso -ProfileName dev -UseDeviceCode -NoBrowser").ThrowOnError();

        var device = Assert.Single(_sso.DeviceAuthorizations);
        Assert.Equal("DeviceCode", result.Output.Single().Properties["SignInMethod"].Value);
        Assert.Contains(result.Information, i => i.Contains(device.UserCode, StringComparison.Ordinal));
        Assert.Empty(BrowserVisits());
        AssertCliTokenFile(CorpTokenPath, withRefreshToken: true);

        var credential = _shell.Run("Get-AwsRoleCredential -ProfileName dev").ThrowOnError().Output.Single();
        Assert.Equal("SsoRole", credential.Properties["Origin"].Value);
        Assert.Equal("eu-west-1", credential.Properties["Region"].Value);
    }

    [Fact]
    public void DeviceCodeSignInOpensTheVerificationPageInTheBrowser()
    {
        var result = _shell.Run("Connect-AwsSso -SsoSession corp -UseDeviceCode").ThrowOnError();

        Assert.Equal("DeviceCode", result.Output.Single().Properties["SignInMethod"].Value);
        Assert.Contains("user_code=", Assert.Single(BrowserVisits()));
        Assert.Equal(SsoDeviceState.Redeemed, _sso.DeviceAuthorizations.Single().State);
    }

    [Fact]
    public void ALegacyStartUrlSignsInByDeviceCodeAndIsCachedUnderTheStartUrl()
    {
        var result = _shell.Run($"Connect-AwsSso -StartUrl '{_sso.StartUrl}' -Region us-east-1").ThrowOnError();

        Assert.Equal("DeviceCode", result.Output.Single().Properties["SignInMethod"].Value);
        Assert.Equal(SsoDeviceState.Redeemed, _sso.DeviceAuthorizations.Single().State);
        var path = Path.Combine(SsoCacheDirectory, Sha1(_sso.StartUrl) + ".json");
        Assert.Equal(path, result.Output.Single().Properties["CacheFile"].Value);
        Assert.Null(result.Output.Single().Properties["SsoSession"].Value);
        AssertCliTokenFile(path, withRefreshToken: false);
        _shell.Run($"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName {Role} -StartUrl '{_sso.StartUrl}'").ThrowOnError();
    }

    [Fact]
    public void AValidCachedTokenIsReusedUntilForced()
    {
        SeedCachedToken();

        var cached = _shell.Run("Connect-AwsSso corp").ThrowOnError().Output.Single();
        var forced = _shell.Run("Connect-AwsSso corp -Force").ThrowOnError().Output.Single();

        Assert.Equal("Cached", cached.Properties["SignInMethod"].Value);
        Assert.Equal("AuthorizationCode", forced.Properties["SignInMethod"].Value);
        Assert.Single(BrowserVisits());
    }

    [Fact]
    public void AnExpiredCachedRegistrationIsReplacedAtTheNextSignIn()
    {
        _shell.Run("Connect-AwsSso corp").ThrowOnError();
        var registrationFile = Directory.GetFiles(SsoCacheDirectory, "*.json").Single(f => f != CorpTokenPath);
        var first = JsonDocument.Parse(File.ReadAllText(registrationFile)).RootElement.GetProperty("clientId").GetString();
        File.WriteAllText(registrationFile, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(registrationFile), "\"expiresAt\": \"[^\"]+\"", "\"expiresAt\": \"2020-01-01T00:00:00Z\""));

        var session = _shell.Run("Connect-AwsSso corp -Force").ThrowOnError().Output.Single();

        Assert.Equal(2, _sso.Registrations.Count);
        var second = JsonDocument.Parse(File.ReadAllText(registrationFile)).RootElement.GetProperty("clientId").GetString();
        Assert.NotEqual(first, second);
        Assert.Equal(second, _sso.Registrations[1].ClientId);
        Assert.True((bool)session.Properties["CanRefresh"].Value);
    }

    [Fact]
    public void WhatIfSignsNothingIn()
    {
        var result = _shell.Run("Connect-AwsSso -SsoSession corp -WhatIf").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Empty(_sso.Calls);
        Assert.Empty(BrowserVisits());
        Assert.False(File.Exists(CorpTokenPath));
    }

    [Fact]
    public void AnExpiredTokenIsRefreshedOnceNotOnEveryCall()
    {
        var seeded = SeedCachedToken(accessTokenLifetime: TimeSpan.FromMinutes(5));

        _shell.Run($"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName {Role} -SsoSession corp -Force").ThrowOnError();
        _shell.Run($"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName {Role} -SsoSession corp -Force").ThrowOnError();
        _shell.Run("Get-AwsRoleCredential -ProfileName dev -Force").ThrowOnError();

        Assert.Equal(1, _sso.CountCalls("CreateToken"));
        Assert.Equal(3, _sso.CountCalls("GetRoleCredentials"));
        using var file = JsonDocument.Parse(File.ReadAllText(CorpTokenPath));
        Assert.NotEqual(seeded.AccessToken, file.RootElement.GetProperty("accessToken").GetString());
        Assert.True(_sso.IsValidAccessToken(file.RootElement.GetProperty("accessToken").GetString()!));
    }

    [Fact]
    public void RoleCredentialsChainFurtherRoles()
    {
        SeedCachedToken();

        var result = _shell.Run($"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName {Role} -SsoSession corp -RoleArn arn:aws:iam::222222222222:role/Deploy").ThrowOnError();

        var credential = result.Output.Single();
        Assert.Equal("ChainedRole", credential.Properties["Origin"].Value);
        Assert.Equal("222222222222", credential.Properties["AccountId"].Value);
        var assume = _aws.Sts.Calls.Single(c => c.Action == "AssumeRole");
        Assert.Equal(_sso.Calls.Single(c => c.Operation == "GetRoleCredentials").IssuedAccessKeyId, assume.SigningAccessKeyId);
    }

    [Fact]
    public void NoSecretReachesAnyStreamOrView()
    {
        _sso.AutoApproveDeviceAfterPolls = 1;
        var result = _shell.Run("Connect-AwsSso corp -UseDeviceCode -NoBrowser -Verbose | Out-Default; Get-AwsRoleCredential -ProfileName dev -Verbose").ThrowOnError();

        var token = JsonDocument.Parse(File.ReadAllText(CorpTokenPath)).RootElement;
        var text = result.AllText() + _shell.Host.Text;
        foreach (var field in new[] { "accessToken", "refreshToken", "clientSecret" })
        {
            Assert.DoesNotContain(token.GetProperty(field).GetString()!, text);
        }

        Assert.Contains("********" + token.GetProperty("accessToken").GetString()![^4..], _shell.Host.Text);
    }

    private void AssertCliTokenFile(string path, bool withRefreshToken)
    {
        Assert.True(File.Exists(path), path);
        using var file = JsonDocument.Parse(File.ReadAllText(path));
        var root = file.RootElement;
        var expected = new[] { "startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt" }.ToList();
        if (withRefreshToken)
        {
            expected.Add("refreshToken");
        }

        Assert.Equal(expected, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(_sso.StartUrl, root.GetProperty("startUrl").GetString());
        Assert.Equal("us-east-1", root.GetProperty("region").GetString());
        Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", root.GetProperty("expiresAt").GetString());
        Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", root.GetProperty("registrationExpiresAt").GetString());
        Assert.True(_sso.IsValidAccessToken(root.GetProperty("accessToken").GetString()!));
        Assert.Contains(_sso.Registrations, r => r.ClientId == root.GetProperty("clientId").GetString() && r.ClientSecret == root.GetProperty("clientSecret").GetString());
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }
}
