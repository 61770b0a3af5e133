using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Text;
using System.Threading.Tasks;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>
/// Set-/Get-/Remove-AwsLoginProfile, Connect-AwsSaml from a login profile, silent Get-AwsRoleCredential, a
/// SecretManagement vault (a stand-in module with the real module's name and commands), and the profile's
/// credential_process line run by the AWS SDK in a child process (through a `pwsh` shim on PATH).
/// </summary>
public sealed class LoginProfileCmdletTests : CmdletTestBase
{
    private const string Set = "AwsLogin.Commands.Saml.SetAwsLoginProfileCommand";
    private const string Get = "AwsLogin.Commands.Saml.GetAwsLoginProfileCommand";
    private const string Remove = "AwsLogin.Commands.Saml.RemoveAwsLoginProfileCommand";
    private const string Connect = "AwsLogin.Commands.Saml.ConnectAwsSamlCommand";
    private const string GetCredential = "AwsLogin.Commands.Sts.GetAwsRoleCredentialCommand";
    private const string Password = "Correct-Horse-7 battery";
    private const string Provider = "arn:aws:iam::111111111111:saml-provider/Shibboleth";
    private const string Admin = "arn:aws:iam::111111111111:role/Admin";
    private const string Reader = "arn:aws:iam::111111111111:role/Reader";

    private FakeEcpIdp _idp = null!;
    private string _vaultFile = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _idp = await FakeEcpIdp.StartAsync();
        _idp.RegisterWith(_aws.Sts, Provider);
        _idp.AddUser("alice", Password, new[] { $"{Admin},{Provider}", $"{Reader},{Provider}" });
        _vaultFile = Path.Combine(_aws.Root, "vault.txt");
        _aws.Set("AWSLOGIN_TEST_VAULT_FILE", _vaultFile);
    }

    public override async Task DisposeAsync()
    {
        await _idp.DisposeAsync();
        await base.DisposeAsync();
    }

    private int IdpCalls => _idp.Calls.Count;

    [Fact]
    public void SetWritesTheProfileBesideEveryOtherLineAndGetReadsItBack()
    {
        _aws.WriteConfig("# team settings\n[profile base]\nregion = us-east-1\n\n[profile prod]\noutput = json\n");

        var set = Run($"Set-AwsLoginProfile -ProfileName prod -Provider Ecp -EndpointUrl $url -UserName alice -RoleArn '{Admin}' -DurationSeconds 3600 -Factor push -Region eu-west-1 -PassThru").ThrowOnError();
        var get = Run("Get-AwsLoginProfile").ThrowOnError();

        var config = File.ReadAllText(_aws.ConfigPath);
        Assert.StartsWith("# team settings\n[profile base]\nregion = us-east-1\n\n[profile prod]\noutput = json\n", config, StringComparison.Ordinal);
        Assert.Contains("awslogin_saml_provider = ecp\n", config, StringComparison.Ordinal);
        Assert.Contains("credential_process = pwsh -NoProfile -NonInteractive -Command \"Get-AwsRoleCredential -ProfileName 'prod' -AsProcessJson\"\n", config, StringComparison.Ordinal);
        var profile = Assert.Single(get.Output);
        Assert.Equal("AwsLogin.AwsLoginProfile", profile.BaseObject.GetType().FullName);
        Assert.Equal(("prod", "Ecp", "alice", Admin, 3600, "push", "eu-west-1"), (
            (string)profile.Properties["ProfileName"].Value,
            profile.Properties["Provider"].Value.ToString(),
            (string)profile.Properties["UserName"].Value,
            (string)profile.Properties["RoleArn"].Value,
            (int)profile.Properties["DurationSeconds"].Value,
            (string)profile.Properties["Factor"].Value,
            (string)profile.Properties["Region"].Value));
        Assert.Equal(profile.Properties["CredentialProcess"].Value, Assert.Single(set.Output).Properties["CredentialProcess"].Value);
        Assert.Empty(Run("Get-AwsLoginProfile -ProfileName 'pr*','base'").Output.Skip(1));
    }

    [Fact]
    public void SetWhatIfShowsTheChangeAndWritesNothing()
    {
        var before = File.ReadAllText(_aws.ConfigPath);

        var result = Run("Set-AwsLoginProfile -ProfileName prod -Provider Ecp -EndpointUrl $url -WhatIf").ThrowOnError();

        Assert.Equal(before, File.ReadAllText(_aws.ConfigPath));
        Assert.Contains("awslogin_saml_endpoint_url", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains("[profile prod]", _shell.Host.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SetSkipCertificateCheckWarnsLoudly()
    {
        var result = Run("Set-AwsLoginProfile -ProfileName prod -Provider Ecp -EndpointUrl $url -SkipCertificateCheck").ThrowOnError();

        Assert.Contains(result.Warnings, w => w.Contains("does not check the TLS certificate", StringComparison.Ordinal));
        Assert.Contains("awslogin_saml_verify_ssl = false", File.ReadAllText(_aws.ConfigPath), StringComparison.Ordinal);
    }

    [Fact]
    public void SetRefusesAProfileThatIsAlreadySomethingElse()
    {
        _aws.WriteConfig("[profile prod]\nrole_arn = arn:aws:iam::111111111111:role/x\nsource_profile = base\n");

        var result = Run("Set-AwsLoginProfile -ProfileName prod -Provider Ecp -EndpointUrl $url");

        AssertError(result, Set, "LoginProfileConflict", ErrorCategory.ResourceExists, "prod");
        Assert.DoesNotContain("awslogin", File.ReadAllText(_aws.ConfigPath), StringComparison.Ordinal);
    }

    [Fact]
    public void SetANewProfileWithoutProviderIsSamlSettingsRequired()
    {
        AssertError(Run("Set-AwsLoginProfile -ProfileName prod -UserName alice"), Set, "SamlSettingsRequired", ErrorCategory.InvalidArgument, "prod");
    }

    [Fact]
    public void GetAndRemoveOfAMissingProfileAreLoginProfileNotFound()
    {
        AssertError(Run("Get-AwsLoginProfile -ProfileName nope"), Get, "LoginProfileNotFound", ErrorCategory.ObjectNotFound, "nope");
        AssertError(Run("Remove-AwsLoginProfile -ProfileName base"), Remove, "LoginProfileNotFound", ErrorCategory.ObjectNotFound, "base");
    }

    [Fact]
    public void AnInvalidProfileIsReportedByGetAndConnect()
    {
        _aws.WriteConfig("[profile prod]\nawslogin_saml_provider = ecp\nawslogin_saml_endpoint_url = https://idp.example.edu/ecp\nawslogin_saml_duration_seconds = 5\n");

        AssertError(Run("Get-AwsLoginProfile"), Get, "InvalidLoginProfile", ErrorCategory.InvalidData, "prod");
        AssertError(Run("Connect-AwsSaml -ProfileName prod"), Connect, "InvalidLoginProfile", ErrorCategory.InvalidData, "prod");
        AssertError(Run("Get-AwsRoleCredential -ProfileName prod"), GetCredential, "InvalidLoginProfile", ErrorCategory.InvalidData, "prod");
    }

    [Fact]
    public void ConnectTakesEverySettingFromTheProfileAndGetAwsRoleCredentialThenUsesTheCache()
    {
        SetProd($"-UserName alice -RoleArn '{Admin}' -DurationSeconds 1800");

        var connected = Run("Connect-AwsSaml -ProfileName prod -Credential $cred").ThrowOnError();
        var silent = Run("Get-AwsRoleCredential -ProfileName prod").ThrowOnError();

        var issued = _aws.Sts.FindIssued((string)Assert.Single(connected.Output).Properties["AccessKeyId"].Value)!;
        Assert.Equal(Admin, issued.RoleArn);
        Assert.Equal("1800", _aws.Sts.Calls.Single(c => c.Action == "AssumeRoleWithSAML").Parameters["DurationSeconds"]);
        Assert.Equal(issued.AccessKeyId, Assert.Single(silent.Output).Properties["AccessKeyId"].Value);
        Assert.Equal(1, IdpCalls);
        AssertNoSecrets(connected);
        AssertNoSecrets(silent);
    }

    [Fact]
    public void ForceSignsInAgainSilentlyWithTheIdpSession()
    {
        SetProd($"-UserName alice -RoleArn '{Admin}'");
        var connected = Run("Connect-AwsSaml -ProfileName prod -Credential $cred").ThrowOnError();

        var forced = Run("Get-AwsRoleCredential -ProfileName prod -Force").ThrowOnError();

        Assert.Equal(2, IdpCalls);
        Assert.True(_idp.Calls[1].UsedSession);
        Assert.Null(_idp.Calls[1].BasicUserName);
        Assert.NotEqual(Assert.Single(connected.Output).Properties["AccessKeyId"].Value, Assert.Single(forced.Output).Properties["AccessKeyId"].Value);
        Assert.Equal(2, _aws.Sts.Calls.Count(c => c.Action == "AssumeRoleWithSAML"));
    }

    [Fact]
    public void ParametersChangeTheProfileForOneSignInOnly()
    {
        SetProd($"-UserName alice -RoleArn '{Admin}'");

        var result = Run($"Connect-AwsSaml -ProfileName prod -Credential $cred -RoleArn '{Reader}'").ThrowOnError();

        Assert.Equal(Reader, _aws.Sts.FindIssued((string)Assert.Single(result.Output).Properties["AccessKeyId"].Value)!.RoleArn);
        Assert.Contains($"awslogin_saml_role_arn = {Admin}", File.ReadAllText(_aws.ConfigPath), StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAProfileOrProviderConnectIsSamlSettingsRequired()
    {
        AssertError(Run("Connect-AwsSaml -ProfileName nothing -Credential $cred"), Connect, "SamlSettingsRequired", ErrorCategory.InvalidArgument, "nothing");
    }

    [Fact]
    public void SilentUseWithoutSessionOrVaultIsSamlSignInRequiredNamingTheCommand()
    {
        SetProd($"-UserName alice -RoleArn '{Admin}'");

        var result = Run("Get-AwsRoleCredential -ProfileName prod");

        AssertError(result, GetCredential, "SamlSignInRequired", ErrorCategory.AuthenticationError, "prod");
        Assert.Contains("Connect-AwsSaml -ProfileName 'prod'", result.SingleError.ErrorDetails!.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal(0, IdpCalls);
    }

    [Fact]
    public void AskPasswordPromptsEvenInSilentUse()
    {
        SetProd($"-UserName alice -RoleArn '{Admin}'");
        _shell.Host.CredentialAnswers.Enqueue(new PSCredential("alice", SecureText.Of(Password)));

        var result = Run("Get-AwsRoleCredential -ProfileName prod -AskPassword").ThrowOnError();

        Assert.Equal(Admin, _aws.Sts.FindIssued((string)Assert.Single(result.Output).Properties["AccessKeyId"].Value)!.RoleArn);
        Assert.Equal("alice", _idp.Calls.Single().BasicUserName);
        AssertNoSecrets(result);
    }

    [Fact]
    public void AFactorOfAnotherProviderIsRefusedAndASwitchCanTurnTheProfilesSettingOff()
    {
        SetProd($"-UserName alice -RoleArn '{Admin}' -SkipCertificateCheck");

        AssertError(Run("Connect-AwsSaml -ProfileName prod -Credential $cred -OktaFactor Push"), Connect, "InvalidArgument", ErrorCategory.InvalidArgument, "OktaFactor");
        var checkedTls = Run("Connect-AwsSaml -ProfileName prod -Credential $cred -SkipCertificateCheck:$false").ThrowOnError();
        var skipped = Run("Connect-AwsSaml -ProfileName prod -Credential $cred -Force").ThrowOnError();

        Assert.DoesNotContain(checkedTls.Warnings, w => w.Contains("SkipCertificateCheck", StringComparison.Ordinal));
        Assert.Contains(skipped.Warnings, w => w.Contains("SkipCertificateCheck", StringComparison.Ordinal));
    }

    [Fact]
    public void AskPasswordWithAsProcessJsonIsRefused()
    {
        SetProd($"-UserName alice -RoleArn '{Admin}'");

        var result = Run("Get-AwsRoleCredential -ProfileName prod -AskPassword -AsProcessJson");

        AssertError(result, GetCredential, "InvalidArgument", ErrorCategory.InvalidArgument, "AskPassword");
        Assert.Equal(0, IdpCalls);
    }

    [Fact]
    public void ALoginProfileWithoutARolePipesIntoConnect()
    {
        SetProd(string.Empty);
        _idp.AddUser("carol", Password, new[] { $"{Reader},{Provider}" });

        var result = Run("Get-AwsLoginProfile -ProfileName prod | Connect-AwsSaml -Credential $carol", ("carol", new PSCredential("carol", SecureText.Of(Password)))).ThrowOnError();

        Assert.Equal(Reader, _aws.Sts.FindIssued((string)Assert.Single(result.Output).Properties["AccessKeyId"].Value)!.RoleArn);
    }

    [Fact]
    public void SetRefusesASessionLengthAwsWouldRefuseAndClearsTheRegionWithAnEmptyString()
    {
        SetProd("-Region eu-west-1");

        AssertError(Run("Set-AwsLoginProfile -ProfileName prod -DurationSeconds 300"), Set, "InvalidLoginProfile", ErrorCategory.InvalidData, "prod");
        Assert.Contains("region = eu-west-1", File.ReadAllText(_aws.ConfigPath), StringComparison.Ordinal);
        Run("Set-AwsLoginProfile -ProfileName prod -Region ''").ThrowOnError();

        var config = File.ReadAllText(_aws.ConfigPath);
        Assert.DoesNotContain("region = eu-west-1", config, StringComparison.Ordinal);
        Assert.DoesNotContain("duration", config, StringComparison.Ordinal);
        Assert.Null(Assert.Single(Run("Get-AwsLoginProfile prod").Output).Properties["Region"].Value);
    }

    [Fact]
    public void AVaultKeepsThePasswordForASilentSignInAfterDisconnect()
    {
        SetProd($"-UserName alice -RoleArn '{Admin}' -Vault TestVault");
        Run("Connect-AwsSaml -ProfileName prod -Credential $cred").ThrowOnError();
        Run("Disconnect-AwsSaml -ProfileName prod").ThrowOnError();

        var silent = Run("Get-AwsRoleCredential -ProfileName prod").ThrowOnError();

        Assert.Equal(2, IdpCalls);
        Assert.Equal(("alice", false), (_idp.Calls[1].BasicUserName, _idp.Calls[1].UsedSession));
        Assert.Equal(Admin, _aws.Sts.FindIssued((string)Assert.Single(silent.Output).Properties["AccessKeyId"].Value)!.RoleArn);
        Assert.Contains("AwsLogin:127.0.0.1:alice\t", File.ReadAllText(_vaultFile), StringComparison.Ordinal);
        AssertNoSecrets(silent);
    }

    [Fact]
    public void AVaultWithoutTheSecretManagementModuleIsSamlVaultUnavailable()
    {
        SetProd($"-UserName alice -RoleArn '{Admin}' -Vault TestVault");
        _aws.Set("PSModulePath", Path.Combine(_aws.Root, "empty-modules"));

        var result = Run("Connect-AwsSaml -ProfileName prod", withVaultModule: false);

        AssertError(result, Connect, "SamlVaultUnavailable", ErrorCategory.NotInstalled, "TestVault");
    }

    [Fact]
    public void RemoveTakesOutTheSettingsAndTheCachedCredentials()
    {
        _aws.WriteConfig("[profile base]\nregion = us-east-1\n\n[profile prod]\n# production account\noutput = json\n");
        SetProd($"-UserName alice -RoleArn '{Admin}'");
        Run("Connect-AwsSaml -ProfileName prod -Credential $cred").ThrowOnError();

        var whatIf = Run("Remove-AwsLoginProfile -ProfileName prod -WhatIf").ThrowOnError();
        Assert.Contains("awslogin_saml", File.ReadAllText(_aws.ConfigPath), StringComparison.Ordinal);
        Run("Get-AwsLoginProfile -ProfileName prod | Remove-AwsLoginProfile").ThrowOnError();

        Assert.Equal("[profile base]\nregion = us-east-1\n\n[profile prod]\n# production account\noutput = json\n", File.ReadAllText(_aws.ConfigPath));
        Assert.Empty(Directory.GetFiles(_aws.CacheDirectory, "*.json"));
        Assert.Empty(whatIf.Errors);
    }

    [Fact]
    public void ProfileNamesComplete()
    {
        SetProd(string.Empty);

        Assert.Equal(new[] { "prod" }, _shell.Complete("Connect-AwsSaml -ProfileName p"));
        Assert.Equal(new[] { "prod" }, _shell.Complete("Get-AwsLoginProfile -ProfileName "));
        Assert.Equal(new[] { "base", "prod" }, _shell.Complete("Set-AwsLoginProfile -ProfileName "));
        Assert.Equal(new[] { "passcode", "phone", "push" }, _shell.Complete("Set-AwsLoginProfile -Factor p"));
    }

    [Fact]
    public async Task TheCredentialProcessLineServesTheAwsSdkFromTheCacheOnTheSecondUse()
    {
        SetProd($"-UserName alice -RoleArn '{Admin}' -Vault TestVault");
        Run("Connect-AwsSaml -ProfileName prod -Credential $cred").ThrowOnError();
        Run("Disconnect-AwsSaml -ProfileName prod").ThrowOnError();

        // First use: nothing cached and no IdP session, so the child signs in with the vault's password.
        var first = await RunSdkAsync("prod");
        Assert.Equal(2, IdpCalls);
        // Second use: the cached role credentials, with no call to the IdP or STS.
        var samlCalls = _aws.Sts.Calls.Count(c => c.Action == "AssumeRoleWithSAML");
        var second = await RunSdkAsync("prod");

        Assert.Equal(2, IdpCalls);
        Assert.Equal(samlCalls, _aws.Sts.Calls.Count(c => c.Action == "AssumeRoleWithSAML"));
        Assert.Equal(first.AccessKeyId, second.AccessKeyId);
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/Admin/alice", second.Arn);
        Assert.Equal(Admin, _aws.Sts.FindIssued(second.AccessKeyId)!.RoleArn);
    }

    private async Task<(string AccessKeyId, string Arn)> RunSdkAsync(string profile)
    {
        var shims = Path.Combine(_aws.Root, "bin");
        Directory.CreateDirectory(shims);
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(Path.Combine(shims, "pwsh.cmd"), $"@dotnet \"{ModulePathsAttribute.Current.TestHostPath}\" %*\r\n");
        }
        else
        {
            var shim = Path.Combine(shims, "pwsh");
            File.WriteAllText(shim, $"#!/bin/sh\nexec dotnet '{ModulePathsAttribute.Current.TestHostPath}' \"$@\"\n");
            File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(SdkProbePathAttribute.Current);
        startInfo.ArgumentList.Add("0");
        foreach (var (name, value) in _aws.ChildEnvironment())
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment["AWS_PROFILE"] = profile;
        startInfo.Environment["PATH"] = shims + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        startInfo.Environment["PSModulePath"] = ModuleRoots(withVaultModule: true);
        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        Assert.True(process.ExitCode == 0, output + await stderr);
        Assert.Contains("provider ProcessAWSCredentials", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, output + await stderr, StringComparison.Ordinal);
        var call = output.Split('\n').Single(line => line.StartsWith("call 1 ", StringComparison.Ordinal)).Split(' ');
        return (call[Array.IndexOf(call, "key") + 1], call[Array.IndexOf(call, "arn") + 1]);
    }

    private void SetProd(string more) =>
        Run($"Set-AwsLoginProfile -ProfileName prod -Provider Ecp -EndpointUrl $url {more}").ThrowOnError();

    private RunResult Run(string script, bool withVaultModule = true) => Run(script, withVaultModule, Array.Empty<(string, object)>());

    private RunResult Run(string script, params (string Name, object Value)[] more) => Run(script, true, more);

    private RunResult Run(string script, bool withVaultModule, (string Name, object Value)[] more)
    {
        if (withVaultModule)
        {
            _aws.Set("PSModulePath", ModuleRoots(withVaultModule: true));
        }

        var variables = new Dictionary<string, object?>
        {
            ["url"] = _idp.EcpEndpoint,
            ["cred"] = new PSCredential("alice", SecureText.Of(Password)),
        };
        foreach (var (name, value) in more)
        {
            variables[name] = value;
        }

        return _shell.Run(script, variables);
    }

    // The built module's folder (for autoloading in child processes) and the stand-in SecretManagement module.
    private string ModuleRoots(bool withVaultModule)
    {
        var moduleRoot = Path.GetDirectoryName(Path.GetDirectoryName(ModulePathsAttribute.Current.ModuleDirectory.TrimEnd('/', '\\')))!;
        return withVaultModule ? FakeSecretManagement.Write(Path.Combine(_aws.Root, "modules")) + Path.PathSeparator + moduleRoot : moduleRoot;
    }

    private void AssertError(RunResult result, string command, string errorId, ErrorCategory category, string target)
    {
        AssertErrorIdentity(result, command, errorId, category, target);
        AssertNoSecrets(result);
    }

    private void AssertNoSecrets(RunResult result)
    {
        var text = result.AllText() + _shell.Host.Text;
        var secrets = _idp.IssuedAssertions.SelectMany(a => new[] { a, a[..60] })
            .Concat(new[] { Password })
            .Concat(_aws.Sts.IssuedCredentials.SelectMany(i => new[] { i.SecretAccessKey, i.SessionToken }));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

}

/// <summary>
/// A stand-in for the Microsoft.PowerShell.SecretManagement module (which is not on these machines): the same module
/// name and the Get-Secret/Set-Secret parameters AwsLogin uses, with secrets in the file AWSLOGIN_TEST_VAULT_FILE
/// (name TAB value per line) so that child processes share them. Only the vault named TestVault exists.
/// </summary>
internal static class FakeSecretManagement
{
    private const string Script = """
        function Get-Secret {
            [CmdletBinding()]
            param([Parameter(Mandatory)][string] $Name, [string] $Vault, [switch] $AsPlainText)
            if ($Vault -ne 'TestVault') {
                $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new("Vault $Vault does not exist."), 'GetSecretInvalidVault', 'InvalidArgument', $Vault))
                return
            }
            $file = $env:AWSLOGIN_TEST_VAULT_FILE
            if ([System.IO.File]::Exists($file)) {
                foreach ($line in [System.IO.File]::ReadAllLines($file)) {
                    $parts = $line.Split([char]9, 2)
                    if ($parts[0] -eq $Name) {
                        $secure = [System.Security.SecureString]::new()
                        foreach ($c in $parts[1].ToCharArray()) { $secure.AppendChar($c) }
                        return $secure
                    }
                }
            }
            $PSCmdlet.WriteError([System.Management.Automation.ErrorRecord]::new([System.Management.Automation.ItemNotFoundException]::new("The secret $Name was not found."), 'GetSecretNotFound', 'ObjectNotFound', $Name))
        }

        function Set-Secret {
            [CmdletBinding()]
            param([Parameter(Mandatory)][string] $Name, [string] $Vault, [Parameter(Mandatory)][System.Security.SecureString] $SecureStringSecret)
            $file = $env:AWSLOGIN_TEST_VAULT_FILE
            $plain = [System.Net.NetworkCredential]::new('', $SecureStringSecret).Password
            $lines = [System.Collections.Generic.List[string]]::new()
            if ([System.IO.File]::Exists($file)) {
                foreach ($line in [System.IO.File]::ReadAllLines($file)) { if (-not $line.StartsWith($Name + [char]9)) { $lines.Add($line) } }
            }
            $lines.Add($Name + [char]9 + $plain)
            [System.IO.File]::WriteAllLines($file, $lines)
        }

        Export-ModuleMember -Function Get-Secret, Set-Secret
        """;

    /// <summary>Writes the module under <paramref name="root"/> and returns that folder (for PSModulePath).</summary>
    public static string Write(string root)
    {
        var folder = Path.Combine(root, "Microsoft.PowerShell.SecretManagement");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Microsoft.PowerShell.SecretManagement.psm1"), Script, new UTF8Encoding(false));
        return root;
    }
}
