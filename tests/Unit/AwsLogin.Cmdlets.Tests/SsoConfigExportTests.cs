using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Export-AwsSsoConfig: discovery into AWS config text or a merged config file whose profiles work.</summary>
public sealed class SsoConfigExportTests : SsoTestBase
{
    private const string Export = "AwsLogin.Commands.Sso.ExportAwsSsoConfigCommand";

    [Fact]
    public void TextHasTheSessionAndAProfilePerRole()
    {
        _sso.CreateOrganization(2, 2);
        SeedCachedToken();

        var text = (string)_shell.Run("Export-AwsSsoConfig corp -AsText -Region eu-west-2").ThrowOnError().Output.Single().BaseObject;

        Assert.Contains("[sso-session corp]", text);
        Assert.Contains("[profile Production-ReadOnlyAccess]", text);
        Assert.Contains("[profile account-0001-AdministratorAccess]", text);
        Assert.Contains("[profile account-0002-ReadOnlyAccess]", text);
        Assert.Contains($"sso_account_id = {Account}", text);
        Assert.Contains("region = eu-west-2", text);
        Assert.Equal(5, text.Split('\n').Count(l => l.StartsWith("[profile ", StringComparison.Ordinal)));
    }

    [Fact]
    public void WithoutPathTheTextIsOutputAndNoFileChanges()
    {
        _sso.CreateOrganization(1, 1);
        SeedCachedToken();
        var before = File.ReadAllText(_aws.ConfigPath);
        var targets = "[{\"SourceAccountID\":\"" + Account + "\",\"SourceRoleName\":\"" + Role + "\",\"TargetArn\":\"arn:aws:iam::999988887777:role/Audit\",\"TargetAccountName\":\"Audit\"}]";

        var output = _shell.Run("Export-AwsSsoConfig corp -TargetRoleProfile $targets", new System.Collections.Generic.Dictionary<string, object?> { ["targets"] = targets }).ThrowOnError().Output;

        var text = Assert.IsType<string>(Assert.Single(output).BaseObject);
        Assert.Contains("[sso-session corp]", text);
        Assert.Contains("role_arn = arn:aws:iam::999988887777:role/Audit", text);
        Assert.Contains("source_profile = Production-ReadOnlyAccess", text);
        Assert.Equal(before, File.ReadAllText(_aws.ConfigPath));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_aws.ConfigPath)!, "config.awslogin-backup-*"));
    }

    [Fact]
    public void MergedProfilesWorkAndASecondRunChangesNothing()
    {
        _sso.CreateOrganization(3, 1);
        SeedCachedToken();
        var before = File.ReadAllText(_aws.ConfigPath);

        var first = _shell.Run($"Export-AwsSsoConfig -SsoSession corp -Path '{_aws.ConfigPath}'").ThrowOnError().Output;
        var afterFirst = File.ReadAllText(_aws.ConfigPath);
        var second = _shell.Run($"Export-AwsSsoConfig -SsoSession corp -Path '{_aws.ConfigPath}'").ThrowOnError().Output;

        Assert.Equal(4, first.Count);
        Assert.All(first, p => Assert.Equal("Added", p.Properties["Action"].Value));
        Assert.Equal("AwsLogin.AwsSsoConfigProfile", first[0].TypeNames[0]);
        Assert.StartsWith(before, afterFirst.Replace("\r\n", "\n"));
        Assert.All(second, p => Assert.Equal("Unchanged", p.Properties["Action"].Value));
        Assert.Equal(afterFirst, File.ReadAllText(_aws.ConfigPath));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(_aws.ConfigPath)!, "config.awslogin-backup-*"));

        var credential = _shell.Run("Get-AwsRoleCredential -ProfileName account-0002-AdministratorAccess").ThrowOnError().Output.Single();
        Assert.Equal("100000000002", credential.Properties["AccountId"].Value);
        Assert.Equal("SsoRole", credential.Properties["Origin"].Value);
    }

    [Fact]
    public void WhatIfWritesNothing()
    {
        SeedCachedToken();
        var before = File.ReadAllText(_aws.ConfigPath);

        var result = _shell.Run($"Export-AwsSsoConfig -SsoSession corp -Path '{_aws.ConfigPath}' -WhatIf").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Equal(before, File.ReadAllText(_aws.ConfigPath));
    }

    [Fact]
    public void PipedRolesAreTheOnlyOnesWritten()
    {
        _sso.CreateOrganization(5, 3);
        SeedCachedToken();

        var text = (string)_shell.Run($"Get-AwsSsoRole -AccountId {Account} -SsoSession corp | Export-AwsSsoConfig -AsText").ThrowOnError().Output.Single().BaseObject;

        Assert.Equal(new[] { "[profile Production-ReadOnlyAccess]" }, text.Split('\n').Where(l => l.StartsWith("[profile ", StringComparison.Ordinal)).Select(l => l.TrimEnd('\r')));
        Assert.Equal(1, _sso.CountCalls("ListAccountRoles"));
    }

    [Fact]
    public void ANewSsoSessionFromAStartUrlSignInWorksAtOnce()
    {
        SeedCachedToken(path: Path.Combine(SsoCacheDirectory, Sha1(_sso.StartUrl) + ".json"));

        var result = _shell.Run($"Export-AwsSsoConfig -SsoSession neworg -StartUrl '{_sso.StartUrl}' -SsoRegion us-east-1 -NameTemplate 'org-{{AccountId}}-{{RoleName}}' -Path '{_aws.ConfigPath}'").ThrowOnError();

        Assert.Single(result.Output);
        Assert.Contains("[sso-session neworg]", File.ReadAllText(_aws.ConfigPath));
        Assert.True(File.Exists(Path.Combine(SsoCacheDirectory, Sha1("neworg") + ".json")));
        _shell.Run($"Get-AwsRoleCredential -ProfileName org-{Account}-{Role}").ThrowOnError();
    }

    [Fact]
    public void AnAccountThatFailsIsReportedAndTheRestWritten()
    {
        _sso.CreateOrganization(3, 1);
        SeedCachedToken();
        _sso.InjectError("ListAccountRoles", "ForbiddenException", 403, times: 1);

        var result = _shell.Run("Export-AwsSsoConfig corp -AsText -ThrottleLimit 1");

        Assert.Equal("SsoAccessDenied," + Export, result.SingleError.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, result.SingleError.CategoryInfo.Category);
        Assert.Equal(3, ((string)result.Output.Single().BaseObject).Split('\n').Count(l => l.StartsWith("[profile ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Errors()
    {
        AssertError(_shell.Run("Export-AwsSsoConfig corp -AsText"), "SsoNotSignedIn", Export, ErrorCategory.AuthenticationError, "corp");

        SeedCachedToken();
        AssertError(_shell.Run("Export-AwsSsoConfig corp -AsText -NameTemplate static"), "InvalidNameTemplate", Export, ErrorCategory.InvalidArgument);
        AssertError(_shell.Run($"Export-AwsSsoConfig corp -AsText -TargetRoleFile '{Path.Combine(Home, "none.json")}'"), "TargetRoleFileNotFound", Export, ErrorCategory.ObjectNotFound);
        AssertError(_shell.Run($"Export-AwsSsoConfig corp -StartUrl https://other.awsapps.com/start -Path '{_aws.ConfigPath}'"), "SsoSessionConflict", Export, ErrorCategory.InvalidData);
        AssertError(_shell.Run("Export-AwsSsoConfig brandnew -AsText"), "SsoTargetRequired", Export, ErrorCategory.InvalidArgument, "brandnew");
    }
}
