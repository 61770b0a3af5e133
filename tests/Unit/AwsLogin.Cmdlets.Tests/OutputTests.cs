using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Format views, Export-AwsCredential, MFA prompts and argument completers.</summary>
public sealed class OutputTests : CmdletTestBase
{
    [Fact]
    public void DefaultViewMasksEverySecret()
    {
        _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -Verbose | Out-Default; Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' | Get-AwsCallerIdentity | Out-Default").ThrowOnError();

        var issued = _aws.Sts.IssuedCredentials.Single();
        var text = _shell.Host.Text;
        Assert.Contains("Expiration (UTC)", text);
        Assert.Contains(issued.AccessKeyId[..4] + "************" + issued.AccessKeyId[^4..], text);
        Assert.Contains("arn:aws:sts::222222222222:assumed-role/RoleA/", text);
        Assert.DoesNotContain(issued.AccessKeyId, text);
        Assert.DoesNotContain(issued.SecretAccessKey, text);
        Assert.DoesNotContain(issued.SessionToken, text);
        Assert.DoesNotContain(_aws.BaseUser.SecretAccessKey, text);
    }

    [Fact]
    public void NoViewInTheFormatFileShowsASecretProperty()
    {
        var format = XDocument.Load(Path.Combine(ModulePathsAttribute.Current.ModuleDirectory, "AwsLogin.Format.ps1xml"));
        var shown = format.Descendants("PropertyName").Select(e => e.Value).ToList();
        var scripts = string.Join("\n", format.Descendants("ScriptBlock").Select(e => e.Value));

        Assert.NotEmpty(shown);
        foreach (var secret in new[] { "AccessKeyId", "SecretAccessKey", "SessionToken", "AccessKey", "SecretKey", "AccessToken" })
        {
            Assert.DoesNotContain(secret, shown);
            Assert.DoesNotContain("$_." + secret + " ", scripts + " ");
        }

        var viewed = format.Descendants("TypeName").Select(e => e.Value).Distinct().ToList();
        Assert.Contains("AwsLogin.AwsCredential", viewed);
        Assert.Contains("AwsLogin.AwsCallerIdentity", viewed);
        Assert.Contains("AwsLogin.AwsSsoSession", viewed);
        Assert.Contains("AwsLogin.AwsSsoAccount", viewed);
        Assert.Contains("AwsLogin.AwsSsoRole", viewed);
    }

    [Fact]
    public void VerboseStreamNamesNoSecret()
    {
        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}','arn:aws:iam::333333333333:role/RoleB' -Verbose").ThrowOnError();

        Assert.NotEmpty(result.Verbose);
        var verbose = string.Join("\n", result.Verbose);
        Assert.DoesNotContain(_aws.BaseUser.AccessKeyId, verbose);
        foreach (var issued in _aws.Sts.IssuedCredentials)
        {
            Assert.DoesNotContain(issued.AccessKeyId, verbose);
            Assert.DoesNotContain(issued.SecretAccessKey, verbose);
            Assert.DoesNotContain(issued.SessionToken, verbose);
        }
    }

    [Fact]
    public void MfaCodeIsPromptedOnTheHostWhenAProfileNeedsIt()
    {
        _aws.Sts.SeedMfaDevice("alice", "arn:aws:iam::111111111111:mfa/alice", "654321");
        _aws.WriteConfig($"[profile base]\nregion = us-east-1\n\n[profile mfa]\nrole_arn = {RoleA}\nsource_profile = base\nmfa_serial = arn:aws:iam::111111111111:mfa/alice\n");
        _aws.Sts.ConfigureRole(RoleA, requireMfa: true);
        _shell.Host.PromptAnswers.Enqueue("654321");

        var result = _shell.Run("Get-AwsRoleCredential -ProfileName mfa").ThrowOnError();

        Assert.Single(result.Output);
        Assert.Contains(_shell.Host.Prompts, p => p.Contains("arn:aws:iam::111111111111:mfa/alice"));
        var call = _aws.Sts.Calls.Single(c => c.Action == "AssumeRole");
        Assert.Equal("arn:aws:iam::111111111111:mfa/alice", call.Parameters["SerialNumber"]);
    }

    [Theory]
    [InlineData("Bash", "export AWS_ACCESS_KEY_ID=")]
    [InlineData("Fish", "set -gx AWS_ACCESS_KEY_ID ")]
    [InlineData("PowerShell", "$Env:AWS_ACCESS_KEY_ID")]
    [InlineData("Cmd", "set \"AWS_ACCESS_KEY_ID=")]
    [InlineData("DotEnv", "AWS_ACCESS_KEY_ID=")]
    [InlineData("ProcessJson", "{\"Version\":")]
    public void ExportFormats(string format, string expectedStart)
    {
        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' | Export-AwsCredential -Format {format}").ThrowOnError();

        var text = Assert.IsType<string>(Assert.Single(result.Output).BaseObject);
        var issued = _aws.Sts.IssuedCredentials.Single();
        Assert.Contains(expectedStart, text);
        Assert.Contains(issued.SecretAccessKey, text);
        Assert.Contains(issued.SessionToken, text);
    }

    [Fact]
    public void PowerShellExportRunsAsAScript()
    {
        _aws.Set("AWS_PROFILE", "base");
        var result = _shell.Run($"$text = Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' | Export-AwsCredential -Format PowerShell; . ([scriptblock]::Create($text)); $env:AWS_ACCESS_KEY_ID; [string]$env:AWS_PROFILE").ThrowOnError();

        Assert.Equal(new object[] { _aws.Sts.IssuedCredentials.Single().AccessKeyId, string.Empty }, result.Output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void ToCredentialsFileWhatIfShowsAMaskedDiffAndWritesNothing()
    {
        var before = "# my keys\n[base]\naws_access_key_id = " + _aws.BaseUser.AccessKeyId + "\naws_secret_access_key = " + _aws.BaseUser.SecretAccessKey + "\n";
        _aws.WriteCredentials(before);

        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' | Export-AwsCredential -ToCredentialsFile -ProfileName deploy -WhatIf").ThrowOnError();

        Assert.Equal(before, File.ReadAllText(_aws.CredentialsPath));
        var issued = _aws.Sts.IssuedCredentials.Single();
        Assert.Contains("[deploy]", _shell.Host.Text);
        Assert.DoesNotContain(issued.SecretAccessKey, _shell.Host.Text + result.AllText());
        Assert.DoesNotContain(issued.SessionToken, _shell.Host.Text + result.AllText());
    }

    [Fact]
    public void ToCredentialsFileChangesOnlyThatProfile()
    {
        var before = "# my keys\r\n[base]\r\naws_access_key_id = " + _aws.BaseUser.AccessKeyId + "\r\naws_secret_access_key = " + _aws.BaseUser.SecretAccessKey + "\r\n\r\n; deploy keys below\r\n[deploy]\r\nregion_hint = kept\r\naws_access_key_id = OLD\r\naws_secret_access_key = OLD\r\naws_session_token = OLD\r\n\r\n[other]\r\nfoo = bar";
        _aws.WriteCredentials(before);

        _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' | Export-AwsCredential -ToCredentialsFile -ProfileName deploy -Confirm:$false").ThrowOnError();

        var issued = _aws.Sts.IssuedCredentials.Single();
        var after = File.ReadAllText(_aws.CredentialsPath);
        var expected = before
            .Replace("aws_access_key_id = OLD", "aws_access_key_id = " + issued.AccessKeyId)
            .Replace("aws_secret_access_key = OLD", "aws_secret_access_key = " + issued.SecretAccessKey)
            .Replace("aws_session_token = OLD", "aws_session_token = " + issued.SessionToken
                + "\r\naws_account_id = 222222222222\r\nx_security_token_expires = " + issued.Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        Assert.Equal(expected, after);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_aws.CredentialsPath));
        }

        var reread = _shell.Run("Get-AwsRoleCredential -ProfileName deploy").ThrowOnError();
        Assert.Equal(issued.AccessKeyId, Assert.Single(reread.Output).Properties["AccessKeyId"].Value);
    }

    [Fact]
    public void ProfileNamesComplete()
    {
        _aws.WriteConfig("[profile base]\nregion = us-east-1\n[profile \"prod admin\"]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n[profile production]\n");

        var all = _shell.Complete("Get-AwsRoleCredential -ProfileName ");
        var prod = _shell.Complete("Get-AwsRoleCredential -ProfileName PRO");

        Assert.Equal(new[] { "base", "'prod admin'", "production" }, all);
        Assert.Equal(new[] { "'prod admin'", "production" }, prod);
    }

    [Fact]
    public void RegionsComplete()
    {
        Assert.Equal(new[] { "us-gov-east-1", "us-gov-west-1" }, _shell.Complete("Get-AwsRoleCredential -Region us-gov"));
        Assert.Equal(new[] { "us-east-1", "us-east-2" }, _shell.Complete("Invoke-AwsAs -Region us-east"));
    }
}
