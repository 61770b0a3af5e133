using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading.Tasks;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>
/// Connect-AwsSaml and Get-AwsSamlRole with -Provider Adfs in a hosted runspace, end to end against the fake ADFS and
/// the fake STS: the login form, the saved ADFS session, verification codes through the host, Windows sign-in falling
/// back to the form, TLS, error records, and a scan of every stream, the host text and the AwsLogin folder for the
/// password, codes, form context tokens, assertions and keys.
/// </summary>
public sealed class AdfsCmdletTests : CmdletTestBase
{
    private const string Connect = "AwsLogin.Commands.Saml.ConnectAwsSamlCommand";
    private const string GetRole = "AwsLogin.Commands.Saml.GetAwsSamlRoleCommand";
    private const string UserName = "EXAMPLE\\alice";
    private const string Password = "Tr0ub4dor&3 h=rse+";
    private const string ProviderA = "arn:aws:iam::111111111111:saml-provider/ADFS";
    private const string ProviderB = "arn:aws:iam::222222222222:saml-provider/ADFS";
    private const string Admin = "arn:aws:iam::111111111111:role/ADFS-Admin";
    private const string Reader = "arn:aws:iam::111111111111:role/ADFS-Reader";
    private const string Deploy = "arn:aws:iam::222222222222:role/ADFS-Deploy";

    private FakeAdfsIdp _idp = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await StartIdpAsync(https: false);
    }

    public override async Task DisposeAsync()
    {
        await _idp.DisposeAsync();
        await base.DisposeAsync();
    }

    private string Target => _idp.SignOnUrl.ToString();

    private IReadOnlyList<StsCall> SamlCalls => _aws.Sts.Calls.Where(c => c.Action == "AssumeRoleWithSAML").ToArray();

    [Fact]
    public void ConnectThroughTheLoginFormEndsInCredentialsTheFakeStsIssued()
    {
        var result = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $cred -RoleArn '{Admin}' -DurationSeconds 1800 -Verbose");

        var credential = Assert.Single(result.ThrowOnError().Output);
        var issued = _aws.Sts.FindIssued((string)credential.Properties["AccessKeyId"].Value)!;
        Assert.Equal(Admin, issued.RoleArn);
        Assert.Equal(issued.SecretAccessKey, credential.Properties["SecretAccessKey"].Value);
        Assert.Equal("SamlRole", credential.Properties["Origin"].Value);
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/ADFS-Admin/alice@example.test", credential.Properties["Arn"].Value);
        Assert.Equal("1800", Assert.Single(SamlCalls).Parameters["DurationSeconds"]);
        Assert.Equal(new[] { "LoginForm", "SignedIn", "Issued" }, _idp.Calls.Select(c => c.Outcome));
        Assert.Equal((UserName, true, "FormsAuthentication"), (_idp.Calls[1].PostedUserName, _idp.Calls[1].SentPassword, _idp.Calls[1].AuthMethod));
        AssertNoSecrets(result);

        var identity = _shell.Run("$samlCredential | Get-AwsCallerIdentity", new Dictionary<string, object?> { ["samlCredential"] = credential }).ThrowOnError();
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/ADFS-Admin/alice@example.test", Assert.Single(identity.Output).Properties["Arn"].Value);
    }

    [Fact]
    public void TheSavedAdfsSessionSignsInAgainWithoutAPassword()
    {
        _shell.Host.CredentialAnswers.Enqueue(new PSCredential(UserName, SecureText.Of(Password)));

        Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -RoleArn '{Admin}'").ThrowOnError();
        var second = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -RoleArn '{Reader}' -Verbose").ThrowOnError();

        Assert.Single(second.Output);
        Assert.Single(_shell.Host.Prompts, p => p.StartsWith("AwsLogin SAML sign-in: ", StringComparison.Ordinal));
        Assert.Single(_idp.Calls, c => c.SentPassword);
        Assert.Equal(("Issued", true), (_idp.Calls[^1].Outcome, _idp.Calls[^1].UsedSession));
        Assert.Contains(second.Verbose, v => v.Contains("saved ADFS session", StringComparison.Ordinal));
        AssertNoSecrets(second);
    }

    [Fact]
    public void GetAwsSamlRoleListsTheRolesAndPipesThemIntoConnectThroughTheSession()
    {
        var roles = Run("Get-AwsSamlRole -Provider Adfs -EndpointUrl $url -Credential $cred -ProfileName work").ThrowOnError();

        Assert.Equal(new[] { Admin, Reader, Deploy }, roles.Output.Select(o => (string)o.Properties["RoleArn"].Value));
        Assert.Equal("Adfs", roles.Output[0].Properties["Provider"].Value.ToString());
        Assert.Equal(_idp.BaseUri, roles.Output[0].Properties["EndpointUrl"].Value);
        Assert.Empty(_aws.Sts.Calls);

        var connected = _shell.Run("$roles | Where-Object AccountId -eq '111111111111' | Connect-AwsSaml", new Dictionary<string, object?> { ["roles"] = roles.Output }).ThrowOnError();

        Assert.Equal(new[] { Admin, Reader }, connected.Output.Select(o => _aws.Sts.FindIssued((string)o.Properties["AccessKeyId"].Value)!.RoleArn));
        Assert.Single(_idp.Calls, c => c.SentPassword);
        Assert.True(_idp.Calls[^1].UsedSession);
    }

    [Fact]
    public void AWrongPasswordIsSamlAuthenticationFailed()
    {
        var result = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $wrong -RoleArn '{Admin}'", ("wrong", new PSCredential(UserName, SecureText.Of("not " + Password))));

        AssertError(result, Connect, "SamlAuthenticationFailed", ErrorCategory.AuthenticationError, "not " + Password);
        Assert.Equal("BadPassword", _idp.Calls[^1].Outcome);
        Assert.Empty(_aws.Sts.Calls);
    }

    [Fact]
    public void NonInteractiveWithoutCredentialIsSamlCredentialRequired()
    {
        var result = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -RoleArn '{Admin}'");

        AssertError(result, Connect, "SamlCredentialRequired", ErrorCategory.AuthenticationError);
        Assert.Empty(_idp.Calls);
    }

    [Fact]
    public void TheVerificationCodeIsAskedForThroughTheHostOrGivenWithPasscode()
    {
        _idp.AddUser("bob", Password, new[] { $"{Reader},{ProviderA}" }, requireMfa: true);
        _idp.AddVerificationCodes("bob", "246810", "135790");
        _shell.Host.PromptAnswers.Enqueue("246810");
        var bob = new PSCredential("bob", SecureText.Of(Password));

        var asked = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $bob -RoleArn '{Reader}' -ProfileName one -Verbose", ("bob", bob)).ThrowOnError();
        var given = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $bob -Passcode $code -RoleArn '{Reader}' -ProfileName two -Force", ("bob", bob), ("code", SecureText.Of("135790"))).ThrowOnError();

        Assert.Single(asked.Output);
        Assert.Single(given.Output);
        Assert.Contains(_shell.Host.Prompts, p => p.StartsWith("Passcode: Enter the verification code for bob", StringComparison.Ordinal));
        Assert.Equal(2, _idp.Calls.Count(c => c.SentVerificationCode && c.Outcome == "SignedIn"));
        AssertNoSecrets(asked, "246810");
        AssertNoSecrets(given, "135790");
    }

    [Fact]
    public void ARefusedCodeIsSamlPasscodeRejected()
    {
        _idp.AddUser("bob", Password, new[] { $"{Reader},{ProviderA}" }, requireMfa: true);

        var result = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $bob -Passcode $code -RoleArn '{Reader}'", ("bob", new PSCredential("bob", SecureText.Of(Password))), ("code", SecureText.Of("000000")));

        AssertError(result, Connect, "SamlPasscodeRejected", ErrorCategory.AuthenticationError, "000000");
    }

    [Fact]
    public void APushOnlySecondFactorIsSamlBrowserRequired()
    {
        _idp.AddUser("bob", Password, new[] { $"{Reader},{ProviderA}" }, requireMfa: true);
        _idp.MfaMode = AdfsMfaMode.AzurePush;

        var result = Run("Get-AwsSamlRole -Provider Adfs -EndpointUrl $url -Credential $bob", ("bob", new PSCredential("bob", SecureText.Of(Password))));

        AssertError(result, GetRole, "SamlBrowserRequired", ErrorCategory.NotImplemented);
        Assert.Contains("-Provider Browser", result.SingleError.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AdfsIdpBehavior.SignOnPageDisabled, "SamlUnexpectedPage", ErrorCategory.InvalidData)]
    [InlineData(AdfsIdpBehavior.RedirectLoop, "SamlIdpError", ErrorCategory.ProtocolError)]
    [InlineData(AdfsIdpBehavior.HugePage, "SamlResponseTooLarge", ErrorCategory.LimitsExceeded)]
    [InlineData(AdfsIdpBehavior.ForeignFormAction, "SamlInsecureEndpoint", ErrorCategory.SecurityError)]
    [InlineData(AdfsIdpBehavior.ForeignRedirect, "SamlBrowserRequired", ErrorCategory.NotImplemented)]
    [InlineData(AdfsIdpBehavior.WrongConsumer, "SamlUnexpectedRecipient", ErrorCategory.SecurityError)]
    [InlineData(AdfsIdpBehavior.NoRoles, "SamlNoRoles", ErrorCategory.PermissionDenied)]
    public void ABrokenAdfsIsItsOwnErrorAndNeverReachesSts(AdfsIdpBehavior behavior, string errorId, ErrorCategory category)
    {
        _idp.Behavior = behavior;

        var result = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $cred -RoleArn '{Admin}'");

        AssertError(result, Connect, errorId, category);
        Assert.Empty(_aws.Sts.Calls);
    }

    [Fact]
    public async Task OverHttpsTheSelfSignedCertificateIsRefusedUnlessSkipCertificateCheckWhichWarns()
    {
        await _idp.DisposeAsync();
        await StartIdpAsync(https: true);

        var refused = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $cred -RoleArn '{Admin}'");
        AssertError(refused, Connect, "SamlCertificateUntrusted", ErrorCategory.SecurityError);
        Assert.Empty(_idp.Calls);

        var skipped = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $cred -RoleArn '{Admin}' -SkipCertificateCheck").ThrowOnError();

        Assert.Single(skipped.Output);
        Assert.Contains(skipped.Warnings, w => w.Contains("NOT checked", StringComparison.Ordinal) && w.Contains(Target, StringComparison.Ordinal));
        Assert.Equal("https", _idp.BaseUri.Scheme);
        Assert.Equal(new[] { "LoginForm", "SignedIn", "Issued" }, _idp.Calls.Select(c => c.Outcome));
        AssertNoSecrets(skipped);
    }

    [Fact]
    public void UseDefaultCredentialsTriesWindowsSignInThenTheHostIsAskedForAPassword()
    {
        _idp.IntegratedAuthentication = true;
        _shell.Host.CredentialAnswers.Enqueue(new PSCredential(UserName, SecureText.Of(Password)));

        var result = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -UseDefaultCredentials -RoleArn '{Deploy}' -Verbose").ThrowOnError();

        Assert.Equal(Deploy, _aws.Sts.FindIssued((string)Assert.Single(result.Output).Properties["AccessKeyId"].Value)!.RoleArn);
        Assert.Equal("ToWia", _idp.Calls[0].Outcome);
        Assert.Contains("Trident/7.0", _idp.Calls[0].UserAgent, StringComparison.Ordinal);
        Assert.Contains(_idp.Calls, c => c.Outcome == "WiaChallenge");
        Assert.Equal(new[] { "LoginForm", "SignedIn", "Issued" }, _idp.Calls.Skip(_idp.Calls.Count - 3).Select(c => c.Outcome));
        Assert.Contains(result.Verbose, v => v.Contains("did not sign the Windows user in", StringComparison.Ordinal));
        AssertNoSecrets(result);
    }

    [Fact]
    public void WhatIfSignsNothingIn()
    {
        var result = Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $cred -RoleArn '{Admin}' -WhatIf").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Empty(_idp.Calls);
        Assert.Contains("What if: ", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains("as " + UserName, _shell.Host.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingSecretReachesAnyStreamTheHostOrTheAwsLoginFolder()
    {
        _idp.AddUser("bob", Password, new[] { $"{Reader},{ProviderA}", $"{Deploy},{ProviderB}" }, requireMfa: true);
        _idp.AddVerificationCodes("bob", "864209", "5550123");
        _shell.Host.PromptAnswers.Enqueue("5550123");

        var results = new[]
        {
            Run("Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $cred -All -Verbose"),
            Run("Connect-AwsSaml -Provider Adfs -EndpointUrl $url -All -Force -Verbose | Out-Default"),
            Run("Get-AwsSamlRole -Provider Adfs -EndpointUrl $url -Credential $bob -Passcode $code -ProfileName b1 -Verbose", ("bob", new PSCredential("bob", SecureText.Of(Password))), ("code", SecureText.Of("864209"))),
            Run("Get-AwsSamlRole -Provider Adfs -EndpointUrl $url -Credential $bob -ProfileName b2 -Verbose", ("bob", new PSCredential("bob", SecureText.Of(Password)))),
            Run($"Connect-AwsSaml -Provider Adfs -EndpointUrl $url -Credential $wrong -ProfileName third -RoleArn '{Admin}' -Verbose", ("wrong", new PSCredential(UserName, SecureText.Of("bad-" + Password)))),
        };

        Assert.All(results.Take(4), r => r.ThrowOnError());
        Assert.NotEmpty(_idp.IssuedAssertions);
        foreach (var result in results)
        {
            AssertNoSecrets(result, "864209", "5550123", "bad-" + Password);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(_aws.Root, "awslogin"), "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            foreach (var secret in AssertionSecrets().Concat(_idp.IssuedContexts).Concat(new[] { Password, "864209", "5550123" }))
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    private async Task StartIdpAsync(bool https)
    {
        _idp = await FakeAdfsIdp.StartAsync(https);
        _idp.RegisterWith(_aws.Sts, ProviderA);
        _idp.RegisterWith(_aws.Sts, ProviderB);
        _idp.AddUser(UserName, Password, new[] { $"{Deploy},{ProviderB}", $"{ProviderA},{Reader}", $"{Admin},{ProviderA}" }, roleSessionName: "alice@example.test");
    }

    private RunResult Run(string script, params (string Name, object Value)[] more)
    {
        var variables = new Dictionary<string, object?>
        {
            ["url"] = _idp.BaseUri,
            ["cred"] = new PSCredential(UserName, SecureText.Of(Password)),
        };
        foreach (var (name, value) in more)
        {
            variables[name] = value;
        }

        return _shell.Run(script, variables);
    }

    private void AssertError(RunResult result, string command, string errorId, ErrorCategory category, params string[] moreSecrets)
    {
        AssertErrorIdentity(result, command, errorId, category, Target);
        AssertNoSecrets(result, moreSecrets);
    }

    /// <summary>The assertions ADFS issued: base64 (whole and its start) and what identifies their XML.</summary>
    private IEnumerable<string> AssertionSecrets() => AssertionFingerprints(_idp.IssuedAssertions);

    private void AssertNoSecrets(RunResult result, params string[] moreSecrets)
    {
        AssertNoneIn(result, AssertionSecrets().Concat(_idp.IssuedContexts).Concat(new[] { Password }).Concat(moreSecrets));
    }
}
