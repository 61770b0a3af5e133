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
/// Connect-AwsSaml and Get-AwsSamlRole in a hosted runspace, end to end against the fake Shibboleth ECP IdP and the
/// fake STS: prompts answered by the capture host, error records, -WhatIf, completers, and a scan of every stream, the
/// host text and the AwsLogin folder for the password, passcodes, assertions and keys.
/// </summary>
public sealed class SamlCmdletTests : CmdletTestBase
{
    private const string Connect = "AwsLogin.Commands.Saml.ConnectAwsSamlCommand";
    private const string GetRole = "AwsLogin.Commands.Saml.GetAwsSamlRoleCommand";
    private const string Password = "Tr0ub4dor&3 horse";
    private const string ProviderA = "arn:aws:iam::111111111111:saml-provider/Shibboleth";
    private const string ProviderB = "arn:aws:iam::222222222222:saml-provider/Shibboleth";
    private const string Admin = "arn:aws:iam::111111111111:role/Admin";
    private const string Reader = "arn:aws:iam::111111111111:role/Reader";
    private const string Deploy = "arn:aws:iam::222222222222:role/Deploy";

    private FakeEcpIdp _idp = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _idp = await FakeEcpIdp.StartAsync();
        _idp.RegisterWith(_aws.Sts, ProviderA);
        _idp.RegisterWith(_aws.Sts, ProviderB);
        _idp.AddUser("alice", Password, new[] { $"{Deploy},{ProviderB}", $"{ProviderA}, {Reader}", $"{Admin},{ProviderA}" }, requireDuo: true);
    }

    public override async Task DisposeAsync()
    {
        await _idp.DisposeAsync();
        await base.DisposeAsync();
    }

    private IReadOnlyList<StsCall> SamlCalls => _aws.Sts.Calls.Where(c => c.Action == "AssumeRoleWithSAML").ToArray();

    [Fact]
    public void ConnectEndsInCredentialsTheFakeStsIssuedForTheSamlRole()
    {
        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -Factor Push -RoleArn '{Admin}' -DurationSeconds 1800");

        var credential = Assert.Single(result.ThrowOnError().Output);
        Assert.Equal("AwsLogin.AwsCredential", credential.BaseObject.GetType().FullName);
        var issued = _aws.Sts.FindIssued((string)credential.Properties["AccessKeyId"].Value)!;
        Assert.Equal(Admin, issued.RoleArn);
        Assert.Equal(issued.SecretAccessKey, credential.Properties["SecretAccessKey"].Value);
        Assert.Equal(issued.SessionToken, credential.Properties["SessionToken"].Value);
        Assert.Equal("SamlRole", credential.Properties["Origin"].Value);
        Assert.Equal("111111111111", credential.Properties["AccountId"].Value);
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/Admin/alice", credential.Properties["Arn"].Value);
        Assert.Equal("us-east-1", credential.Properties["Region"].Value);
        Assert.Equal("1800", Assert.Single(SamlCalls).Parameters["DurationSeconds"]);
        var idpCall = Assert.Single(_idp.Calls);
        Assert.Equal(("alice", "push", "Issued"), (idpCall.BasicUserName, idpCall.DuoFactor, idpCall.Outcome));
        AssertNoSecrets(result);

        // The credentials work as any other: piped into Get-AwsCallerIdentity they sign a call.
        var identity = _shell.Run("$samlCredential | Get-AwsCallerIdentity", new Dictionary<string, object?> { ["samlCredential"] = credential }).ThrowOnError();
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/Admin/alice", Assert.Single(identity.Output).Properties["Arn"].Value);
    }

    [Fact]
    public void SeveralRolesAndAllComeFromOneSignIn()
    {
        var two = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -RoleArn '{Deploy}','{Reader}'").ThrowOnError();
        Assert.Equal(new[] { Deploy, Reader }, two.Output.Select(o => _aws.Sts.FindIssued((string)o.Properties["AccessKeyId"].Value)!.RoleArn));

        var all = Run("Connect-AwsSaml -Provider Ecp -EndpointUrl $url -All -Force").ThrowOnError();

        Assert.Equal(new[] { Admin, Reader, Deploy }, all.Output.Select(o => _aws.Sts.FindIssued((string)o.Properties["AccessKeyId"].Value)!.RoleArn));
        Assert.Equal(2, _idp.Calls.Count);
        Assert.True(_idp.Calls[1].UsedSession);
        Assert.Equal(5, SamlCalls.Count);
    }

    [Fact]
    public void TheRoleIsChosenThroughTheHostsChoicePromptGroupedByAccount()
    {
        _shell.Host.PromptAnswers.Enqueue("1");

        var result = Run("Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred").ThrowOnError();

        Assert.Equal(Reader, _aws.Sts.FindIssued((string)Assert.Single(result.Output).Properties["AccessKeyId"].Value)!.RoleArn);
        var prompt = Assert.Single(_shell.Host.Prompts, p => p.StartsWith("Choose an AWS role", StringComparison.Ordinal));
        var account1 = prompt.IndexOf("Account 111111111111", StringComparison.Ordinal);
        var account2 = prompt.IndexOf("Account 222222222222", StringComparison.Ordinal);
        Assert.InRange(account1, 0, prompt.IndexOf("[1] Admin", StringComparison.Ordinal));
        Assert.True(prompt.IndexOf("[2] Reader", StringComparison.Ordinal) < account2);
        Assert.True(account2 < prompt.IndexOf("[3] Deploy", StringComparison.Ordinal));
    }

    [Fact]
    public void WithoutAnAnswerToTheChoiceItIsSamlRoleChoiceRequired()
    {
        var result = Run("Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred");

        AssertError(result, Connect, "SamlRoleChoiceRequired", ErrorCategory.InvalidArgument, _idp.EcpEndpoint.ToString());
        Assert.Empty(SamlCalls);
    }

    [Fact]
    public void GetAwsSamlRoleListsTheRolesWithoutAssumingAny()
    {
        var result = Run("Get-AwsSamlRole -Provider Ecp -EndpointUrl $url -Credential $cred -ProfileName work").ThrowOnError();

        Assert.Equal(new[] { Admin, Reader, Deploy }, result.Output.Select(o => (string)o.Properties["RoleArn"].Value));
        var deploy = result.Output[2];
        Assert.Equal("AwsLogin.AwsSamlRole", deploy.BaseObject.GetType().FullName);
        Assert.Equal(ProviderB, deploy.Properties["PrincipalArn"].Value);
        Assert.Equal("222222222222", deploy.Properties["AccountId"].Value);
        Assert.Equal("Deploy", deploy.Properties["RoleName"].Value);
        Assert.Equal("Ecp", deploy.Properties["Provider"].Value.ToString());
        Assert.Equal(_idp.EcpEndpoint, deploy.Properties["EndpointUrl"].Value);
        Assert.Equal("work", deploy.Properties["ProfileName"].Value);
        Assert.Empty(_aws.Sts.Calls);

        _shell.Run("$roles | Out-Default", new Dictionary<string, object?> { ["roles"] = result.Output }).ThrowOnError();
        Assert.Contains("Account: 111111111111", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains("Account: 222222222222", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains(ProviderB, _shell.Host.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void RolesPipedFromGetAwsSamlRoleAreConnectedWithOneMoreSignInThroughTheSavedSession()
    {
        var result = Run("Get-AwsSamlRole -Provider Ecp -EndpointUrl $url -Credential $cred | Where-Object AccountId -eq '111111111111' | Connect-AwsSaml").ThrowOnError();

        Assert.Equal(new[] { Admin, Reader }, result.Output.Select(o => _aws.Sts.FindIssued((string)o.Properties["AccessKeyId"].Value)!.RoleArn));
        Assert.Equal(2, _idp.Calls.Count);
        Assert.Equal((true, false), (_idp.Calls[0].SentAuthorization, _idp.Calls[1].SentAuthorization));
        Assert.True(_idp.Calls[1].UsedSession);
    }

    [Fact]
    public void WithoutCredentialTheHostIsAskedAndTheSavedSessionNeedsNoPasswordNextTime()
    {
        _shell.Host.CredentialAnswers.Enqueue(new PSCredential("alice", SecureText.Of(Password)));

        Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -RoleArn '{Admin}'").ThrowOnError();
        var second = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -RoleArn '{Reader}' -Factor Push").ThrowOnError();

        Assert.Single(_shell.Host.Prompts, p => p.StartsWith("AwsLogin SAML sign-in: ", StringComparison.Ordinal) && p.Contains("127.0.0.1", StringComparison.Ordinal));
        Assert.Equal(2, _idp.Calls.Count);
        Assert.Equal((false, true, null), (_idp.Calls[1].SentAuthorization, _idp.Calls[1].UsedSession, _idp.Calls[1].DuoFactor));
        Assert.Single(second.Output);
        if (!OperatingSystem.IsWindows())
        {
            var sessions = Path.Combine(_aws.Root, "awslogin", "saml", "sessions");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(sessions));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Assert.Single(Directory.GetFiles(sessions, "*.json"))));
        }
    }

    [Fact]
    public void CachedCredentialsAreReturnedWithoutTheIdpOrStsUntilForce()
    {
        var first = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -RoleArn '{Admin}'").ThrowOnError();
        var cached = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -RoleArn '{Admin}'").ThrowOnError();

        Assert.Single(_idp.Calls);
        Assert.Single(SamlCalls);
        Assert.Equal(first.Output[0].Properties["AccessKeyId"].Value, cached.Output[0].Properties["AccessKeyId"].Value);

        var forced = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -RoleArn '{Admin}' -Force").ThrowOnError();
        Assert.Equal(2, SamlCalls.Count);
        Assert.NotEqual(first.Output[0].Properties["AccessKeyId"].Value, forced.Output[0].Properties["AccessKeyId"].Value);
    }

    [Fact]
    public void NonInteractiveWithoutCredentialIsSamlCredentialRequired()
    {
        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -RoleArn '{Admin}'");

        AssertError(result, Connect, "SamlCredentialRequired", ErrorCategory.AuthenticationError, _idp.EcpEndpoint.ToString());
        Assert.Empty(_idp.Calls);
    }

    [Fact]
    public void SmsFailsOnceThenTheHostIsAskedForATextedPasscode()
    {
        _idp.NextSmsPasscode = "7654321";
        _shell.Host.PromptAnswers.Enqueue("7654321");

        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -Factor Sms -RoleArn '{Deploy}' -Verbose").ThrowOnError();

        Assert.Single(result.Output);
        Assert.Equal(new[] { ("sms", "SmsSent"), ("passcode", "Issued") }, _idp.Calls.Select(c => (c.DuoFactor!, c.Outcome)));
        Assert.Contains(_shell.Host.Prompts, p => p.StartsWith("Passcode: Duo has sent passcodes by SMS", StringComparison.Ordinal));
        AssertNoSecrets(result, "7654321");
    }

    [Fact]
    public void APasscodeParameterIsSentAsFactorPasscode()
    {
        _idp.AddPasscodes("alice", "246810");

        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -Passcode $passcode -RoleArn '{Reader}' -Verbose", ("passcode", SecureText.Of("246810"))).ThrowOnError();

        Assert.Single(result.Output);
        Assert.Equal(("passcode", true), (_idp.Calls[0].DuoFactor, _idp.Calls[0].SentPasscode));
        AssertNoSecrets(result, "246810");
    }

    [Fact]
    public void AWrongPasswordIsSamlAuthenticationFailed()
    {
        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $wrong -RoleArn '{Admin}'", ("wrong", new PSCredential("alice", SecureText.Of("not " + Password))));

        AssertError(result, Connect, "SamlAuthenticationFailed", ErrorCategory.AuthenticationError, _idp.EcpEndpoint.ToString(), "not " + Password);
    }

    [Fact]
    public void ADeniedPushIsSamlAuthenticationFailedForGetAwsSamlRoleToo()
    {
        _idp.PushAction = DuoPushAction.Deny;

        var result = Run("Get-AwsSamlRole -Provider Ecp -EndpointUrl $url -Credential $cred");

        AssertError(result, GetRole, "SamlAuthenticationFailed", ErrorCategory.AuthenticationError, _idp.EcpEndpoint.ToString());
    }

    [Theory]
    [InlineData(EcpIdpBehavior.NoRoles, "SamlNoRoles", ErrorCategory.PermissionDenied)]
    [InlineData(EcpIdpBehavior.DtdBearing, "SamlDtdProhibited", ErrorCategory.SecurityError)]
    [InlineData(EcpIdpBehavior.Oversized, "SamlResponseTooLarge", ErrorCategory.LimitsExceeded)]
    [InlineData(EcpIdpBehavior.Html, "SamlNotXml", ErrorCategory.InvalidData)]
    [InlineData(EcpIdpBehavior.FailureStatus, "SamlStatusFailure", ErrorCategory.AuthenticationError)]
    [InlineData(EcpIdpBehavior.EncryptedAssertion, "SamlEncryptedAssertion", ErrorCategory.InvalidData)]
    [InlineData(EcpIdpBehavior.SoapFault, "SamlIdpError", ErrorCategory.ProtocolError)]
    [InlineData(EcpIdpBehavior.WrongConsumer, "SamlUnexpectedRecipient", ErrorCategory.SecurityError)]
    public void ABadIdpAnswerIsItsOwnErrorAndNeverReachesSts(EcpIdpBehavior behavior, string errorId, ErrorCategory category)
    {
        _idp.Behavior = behavior;

        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -RoleArn '{Admin}'");

        AssertError(result, Connect, errorId, category, _idp.EcpEndpoint.ToString());
        Assert.Empty(_aws.Sts.Calls);
    }

    [Fact]
    public void ATamperedAssertionIsRefusedByStsAsSamlAssertionRejected()
    {
        _idp.Behavior = EcpIdpBehavior.Tampered;
        _idp.TamperedRoleValue = "arn:aws:iam::111111111111:role/Root," + ProviderA;

        var result = Run("Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -RoleArn arn:aws:iam::111111111111:role/Root");

        AssertError(result, Connect, "SamlAssertionRejected", ErrorCategory.SecurityError, "arn:aws:iam::111111111111:role/Root");
        Assert.Equal("InvalidIdentityToken", Assert.Single(SamlCalls).ErrorCode);
    }

    [Fact]
    public void AnExpiredAssertionIsSamlAssertionExpired()
    {
        _idp.Behavior = EcpIdpBehavior.Expired;

        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -RoleArn '{Admin}'");

        AssertError(result, Connect, "SamlAssertionExpired", ErrorCategory.AuthenticationError, Admin);
    }

    [Fact]
    public void ARoleTheAssertionDoesNotGrantIsSamlRoleNotInAssertion()
    {
        const string Other = "arn:aws:iam::111111111111:role/Other";

        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -RoleArn '{Other}'");

        AssertError(result, Connect, "SamlRoleNotInAssertion", ErrorCategory.ObjectNotFound, Other);
    }

    [Fact]
    public void AMalformedRoleArnIsInvalidRoleArnBeforeAnySignIn()
    {
        var result = Run("Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -RoleArn Admin");

        AssertError(result, Connect, "InvalidRoleArn", ErrorCategory.InvalidArgument, "Admin");
        Assert.Empty(_idp.Calls);
    }

    [Fact]
    public void AnHttpEndpointOtherThanLoopbackIsSamlInsecureEndpoint()
    {
        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl http://idp.example.test/idp/profile/SAML2/SOAP/ECP -Credential $cred -RoleArn '{Admin}'");

        AssertError(result, Connect, "SamlInsecureEndpoint", ErrorCategory.SecurityError, "http://idp.example.test/idp/profile/SAML2/SOAP/ECP");
    }

    [Fact]
    public async Task AnUnreachableIdpIsEndpointUnreachable()
    {
        await _idp.StopAsync();

        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -RoleArn '{Admin}'");

        AssertError(result, Connect, "EndpointUnreachable", ErrorCategory.ConnectionError, _idp.EcpEndpoint.ToString());
    }

    [Fact]
    public void WhatIfSignsNothingIn()
    {
        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -RoleArn '{Admin}' -WhatIf").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Empty(_idp.Calls);
        Assert.Empty(_aws.Sts.Calls);
        Assert.Contains("What if: ", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains(_idp.EcpEndpoint.ToString(), _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains("as alice", _shell.Host.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, _shell.Host.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipCertificateCheckWarnsLoudly()
    {
        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -RoleArn '{Admin}' -SkipCertificateCheck").ThrowOnError();

        Assert.Contains(result.Warnings, w => w.Contains("NOT checked", StringComparison.Ordinal));
    }

    [Fact]
    public void CustomDuoHeaderNamesAreUsedAndBadOnesRefused()
    {
        _idp.DuoFactorHeader = "X-Duo-Factor";
        _idp.PushAction = DuoPushAction.Deny;
        _idp.AddPasscodes("alice", "135790");

        var result = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -Factor Passcode -Passcode $passcode -DuoFactorHeader X-Duo-Factor -RoleArn '{Admin}'", ("passcode", SecureText.Of("135790"))).ThrowOnError();
        var bad = Run("Connect-AwsSaml -Provider Ecp -EndpointUrl $url -DuoFactorHeader 'X Duo'");

        Assert.Single(result.Output);
        Assert.Equal("ParameterArgumentValidationError,AwsLogin.Commands.Saml.ConnectAwsSamlCommand", bad.SingleError.FullyQualifiedErrorId);
    }

    [Fact]
    public void NothingSecretReachesAnyStreamTheHostOrTheAwsLoginFolder()
    {
        _idp.AddPasscodes("alice", "864209");
        _idp.NextSmsPasscode = "5550123";
        _shell.Host.PromptAnswers.Enqueue("5550123");

        var results = new[]
        {
            Run("Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -Passcode $passcode -All -Verbose", ("passcode", SecureText.Of("864209"))),
            Run("Get-AwsSamlRole -Provider Ecp -EndpointUrl $url -Credential $cred -ProfileName other -Factor Sms -Verbose"),
            Run("Connect-AwsSaml -Provider Ecp -EndpointUrl $url -All -Verbose | Out-Default"),
            Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $wrong -ProfileName third -RoleArn '{Admin}' -Verbose", ("wrong", new PSCredential("alice", SecureText.Of("bad-" + Password)))),
        };

        Assert.All(results.Take(3), r => r.ThrowOnError());
        Assert.NotEmpty(_idp.IssuedAssertions);
        foreach (var result in results)
        {
            AssertNoSecrets(result, "864209", "5550123", "bad-" + Password);
        }

        foreach (var file in Directory.GetFiles(Path.Combine(_aws.Root, "awslogin"), "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            foreach (var secret in AssertionSecrets().Concat(new[] { Password, "864209", "5550123" }))
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void ParametersComplete()
    {
        Assert.Equal(new[] { "eu-west-1", "eu-west-2", "eu-west-3" }, _shell.Complete("Connect-AwsSaml -Region eu-west"));
        Assert.Equal(new[] { "Passcode", "Phone", "Push" }, _shell.Complete("Connect-AwsSaml -Factor P"));
        Assert.Equal(new[] { "Adfs", "Browser", "Ecp", "Okta" }, _shell.Complete("Get-AwsSamlRole -Provider "));
    }

    [Fact]
    public void DisconnectDeletesOneProfilesCredentialsAndCookiesOnly()
    {
        var work = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -ProfileName work -RoleArn '{Admin}'").ThrowOnError();
        var other = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -ProfileName other -RoleArn '{Reader}'").ThrowOnError();
        Assert.Equal(2, Directory.GetFiles(SessionDirectory, "*.json").Length);
        var cachedBefore = Directory.GetFiles(CacheDirectory, "*.json").Length;

        var result = Run("Disconnect-AwsSaml -ProfileName work -Verbose").ThrowOnError();

        Assert.Empty(result.Output);
        Assert.Contains(result.Verbose, v => v.Contains("1 cached role credential file(s) and 1 IdP session file(s) of profile 'work'", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(SessionDirectory, "*.json"));
        Assert.Equal(cachedBefore - 1, Directory.GetFiles(CacheDirectory, "*.json").Length);

        // The other profile still has its session and its cached credentials: no IdP, no STS.
        var again = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -ProfileName other -RoleArn '{Reader}'").ThrowOnError();
        Assert.Equal(other.Output[0].Properties["AccessKeyId"].Value, again.Output[0].Properties["AccessKeyId"].Value);
        Assert.Equal(2, _idp.Calls.Count);

        // The disconnected profile needs the password again.
        var signedOut = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -ProfileName work -RoleArn '{Admin}'");
        AssertError(signedOut, Connect, "SamlCredentialRequired", ErrorCategory.AuthenticationError, _idp.EcpEndpoint.ToString());
        var fresh = Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -ProfileName work -RoleArn '{Admin}'").ThrowOnError();
        Assert.NotEqual(work.Output[0].Properties["AccessKeyId"].Value, fresh.Output[0].Properties["AccessKeyId"].Value);
        Assert.True(_idp.Calls[^1].SentAuthorization);
        AssertNoSecrets(result);
    }

    [Fact]
    public void DisconnectWhatIfDeletesNothingAndAllDeletesEverything()
    {
        Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -ProfileName work -RoleArn '{Admin}','{Deploy}'").ThrowOnError();
        Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -ProfileName other -RoleArn '{Reader}'").ThrowOnError();
        var cached = Directory.GetFiles(CacheDirectory, "*.json").Length;

        Run("Disconnect-AwsSaml -ProfileName work -WhatIf").ThrowOnError();
        Run("Disconnect-AwsSaml -All -WhatIf").ThrowOnError();

        Assert.Contains("What if: ", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Contains("work", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(SessionDirectory, "*.json").Length);
        Assert.Equal(cached, Directory.GetFiles(CacheDirectory, "*.json").Length);

        var all = Run("Disconnect-AwsSaml -All -Verbose").ThrowOnError();

        Assert.Contains(all.Verbose, v => v.Contains("3 cached role credential file(s) and 2 IdP session file(s) of all profiles", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(SessionDirectory, "*.json"));
        Assert.Equal(cached - 3, Directory.GetFiles(CacheDirectory, "*.json").Length);
        AssertError(Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -ProfileName other -RoleArn '{Reader}'"), Connect, "SamlCredentialRequired", ErrorCategory.AuthenticationError, _idp.EcpEndpoint.ToString());
    }

    [Fact]
    public void DisconnectOfAProfileWithNothingCachedIsNoErrorAndABadNameIsRefused()
    {
        Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -ProfileName work -RoleArn '{Admin}'").ThrowOnError();

        var unknown = Run("Disconnect-AwsSaml nobody -Verbose").ThrowOnError();

        Assert.Contains(unknown.Verbose, v => v.Contains("Nothing SAML was cached for profile 'nobody'", StringComparison.Ordinal));
        Assert.Single(Directory.GetFiles(SessionDirectory, "*.json"));
        Run($"Connect-AwsSaml -Provider Ecp -EndpointUrl $url -Credential $cred -ProfileName work2 -RoleArn '{Reader}'").ThrowOnError();
        Assert.Equal(new[] { "work", "work2" }, _shell.Complete("Disconnect-AwsSaml -ProfileName w"));
        Assert.Equal(new[] { "work2" }, _shell.Complete("Disconnect-AwsSaml work2"));

        var bad = Run("Disconnect-AwsSaml -ProfileName '../work'");
        Assert.Equal("ParameterArgumentValidationError,AwsLogin.Commands.Saml.DisconnectAwsSamlCommand", bad.SingleError.FullyQualifiedErrorId);
        Assert.Equal(2, Directory.GetFiles(SessionDirectory, "*.json").Length);
    }

    private string SessionDirectory => Path.Combine(_aws.Root, "awslogin", "saml", "sessions");

    private string CacheDirectory => Path.Combine(_aws.Root, "awslogin", "cache");

    private RunResult Run(string script, params (string Name, object Value)[] more)
    {
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

    private void AssertError(RunResult result, string command, string errorId, ErrorCategory category, string target, params string[] moreSecrets)
    {
        AssertErrorIdentity(result, command, errorId, category, target);
        AssertNoSecrets(result, moreSecrets);
    }

    /// <summary>The assertions the IdP issued: base64 (whole and its start) and what identifies their XML.</summary>
    private IEnumerable<string> AssertionSecrets() => AssertionFingerprints(_idp.IssuedAssertions);

    private void AssertNoSecrets(RunResult result, params string[] moreSecrets)
    {
        AssertNoneIn(result, AssertionSecrets().Concat(new[] { Password }).Concat(moreSecrets));
    }
}
