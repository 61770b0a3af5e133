using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Get-AwsSsoAccount, Get-AwsSsoRole and Import-AwsSsoToken; pipeline binding, -WhatIf and completers.</summary>
public sealed class SsoDiscoveryTests : SsoTestBase
{
    [Fact]
    public void AccountsAndRolesComeBackAsObjects()
    {
        _sso.CreateOrganization(3, 2);
        SeedCachedToken();

        var accounts = _shell.Run("Get-AwsSsoAccount -SsoSession corp").ThrowOnError().Output;
        var roles = _shell.Run("Get-AwsSsoRole -SsoSession corp").ThrowOnError().Output;

        Assert.Equal(4, accounts.Count);
        var production = accounts.Single(a => (string)a.Properties["AccountId"].Value == Account);
        Assert.Equal("AwsLogin.AwsSsoAccount", production.TypeNames[0]);
        Assert.Equal(("Production", "prod@example.com", "corp", "us-east-1"),
            ((string)production.Properties["AccountName"].Value, (string)production.Properties["EmailAddress"].Value, (string)production.Properties["SsoSession"].Value, (string)production.Properties["SsoRegion"].Value));
        Assert.Equal(7, roles.Count);
        Assert.Equal("AwsLogin.AwsSsoRole", roles[0].TypeNames[0]);
        Assert.Contains(roles, r => (string)r.Properties["AccountId"].Value == Account && (string)r.Properties["RoleName"].Value == Role && (string)r.Properties["AccountName"].Value == "Production");
    }

    [Fact]
    public void PipedAccountsAreListedTogetherAndKeepTheirNames()
    {
        _sso.CreateOrganization(20, 3);
        SeedCachedToken();

        var roles = _shell.Run("Get-AwsSsoAccount -SsoSession corp | Get-AwsSsoRole -ThrottleLimit 4").ThrowOnError().Output;

        Assert.Equal(61, roles.Count);
        Assert.All(roles, r => Assert.NotNull(r.Properties["AccountName"].Value));
        Assert.Equal(21, _sso.CountCalls("ListAccountRoles"));
    }

    [Fact]
    public void ARolePipesIntoGetAwsRoleCredential()
    {
        SeedCachedToken();

        var result = _shell.Run($"Get-AwsSsoRole -SsoSession corp -AccountId {Account} | Get-AwsRoleCredential").ThrowOnError();

        var credential = result.Output.Single();
        Assert.Equal("SsoRole", credential.Properties["Origin"].Value);
        Assert.Equal(Account, credential.Properties["AccountId"].Value);
    }

    [Fact]
    public void TheSessionPipesIntoTheListingCmdlets()
    {
        SeedCachedToken();

        var result = _shell.Run("Connect-AwsSso -SsoSession corp | Get-AwsSsoAccount").ThrowOnError();

        Assert.Equal(Account, Assert.Single(result.Output).Properties["AccountId"].Value);
    }

    [Fact]
    public void AnAccountThatRefusesIsOneErrorAndTheOthersAreListed()
    {
        SeedCachedToken();

        var result = _shell.Run($"Get-AwsSsoRole -SsoSession corp -AccountId {Account},999999999999");

        Assert.Single(result.Output);
        AssertError(result, "SsoAccessDenied", "AwsLogin.Commands.Sso.GetAwsSsoRoleCommand", ErrorCategory.PermissionDenied, "999999999999");
    }

    [Fact]
    public void AnAccessTokenOrTokenFileObtainedElsewhereWorks()
    {
        var elsewhere = Path.Combine(Home, "from-another-tool.json");
        var seeded = SeedCachedToken(path: elsewhere);

        var byToken = _shell.Run($"Get-AwsSsoAccount -AccessToken '{seeded.AccessToken}' -Region us-east-1").ThrowOnError();
        var byFile = _shell.Run($"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName {Role} -CacheFile '{elsewhere}'").ThrowOnError();

        Assert.Single(byToken.Output);
        Assert.Equal("SsoRole", byFile.Output.Single().Properties["Origin"].Value);
        Assert.False(File.Exists(CorpTokenPath));
        Assert.DoesNotContain(seeded.AccessToken, byToken.AllText());
    }

    [Fact]
    public void ImportCopiesATokenFileIntoTheCacheEntryOfItsSession()
    {
        var elsewhere = Path.Combine(Home, "from-another-tool.json");
        var seeded = SeedCachedToken(path: elsewhere);

        var whatIf = _shell.Run($"Import-AwsSsoToken -Path '{elsewhere}' -WhatIf").ThrowOnError();
        Assert.False(File.Exists(CorpTokenPath));
        Assert.Empty(whatIf.Output);

        var imported = _shell.Run($"Import-AwsSsoToken -Path '{elsewhere}'").ThrowOnError().Output.Single();

        Assert.Equal("corp", imported.Properties["SsoSession"].Value);
        Assert.Equal("Imported", imported.Properties["SignInMethod"].Value);
        Assert.Equal(CorpTokenPath, imported.Properties["CacheFile"].Value);
        using var file = JsonDocument.Parse(File.ReadAllText(CorpTokenPath));
        Assert.Equal(seeded.AccessToken, file.RootElement.GetProperty("accessToken").GetString());
        Assert.Equal(seeded.RefreshToken, file.RootElement.GetProperty("refreshToken").GetString());
        _shell.Run("Get-AwsRoleCredential -ProfileName dev").ThrowOnError();
    }

    [Fact]
    public void SsoSessionNamesComplete()
    {
        File.AppendAllText(_aws.ConfigPath, "[sso-session 'lab one']\nsso_start_url = https://lab.awsapps.com/start\nsso_region = us-east-1\n");

        Assert.Equal(new[] { "corp" }, _shell.Complete("Connect-AwsSso -SsoSession co"));
        Assert.Equal(new[] { "'lab one'" }, _shell.Complete("Get-AwsSsoAccount -SsoSession la"));
        Assert.Equal(new[] { "corp" }, _shell.Complete($"Get-AwsRoleCredential -SsoAccountId {Account} -SsoRoleName x -SsoSession c"));
        Assert.Contains("dev", _shell.Complete("Connect-AwsSso -ProfileName d"));
    }

    [Fact]
    public void ViewsShowTheTokenMasked()
    {
        var seeded = SeedCachedToken();

        _shell.Run("Connect-AwsSso corp | Out-Default; Get-AwsSsoAccount -SsoSession corp | Out-Default; Get-AwsSsoRole -SsoSession corp | Out-Default").ThrowOnError();

        var text = _shell.Host.Text;
        Assert.Contains("ExpiresAt (UTC)", text);
        Assert.Contains("********" + seeded.AccessToken[^4..], text);
        Assert.DoesNotContain(seeded.AccessToken, text);
        Assert.Contains("Production", text);
        Assert.Contains(Role, text);
    }
}
