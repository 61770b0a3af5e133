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
/// Connect-AwsSaml and Get-AwsSamlRole with -Provider Okta in a hosted runspace, end to end against the fake Okta org
/// and the fake STS: push and TOTP, the saved Okta session, error records, and a scan of every stream, the host text
/// and the AwsLogin folder for the password, codes, Okta tokens, assertions and keys.
/// </summary>
public sealed class OktaCmdletTests : CmdletTestBase
{
    private const string Connect = "AwsLogin.Commands.Saml.ConnectAwsSamlCommand";
    private const string GetRole = "AwsLogin.Commands.Saml.GetAwsSamlRoleCommand";
    private const string User = "alice@example.com";
    private const string Password = "Okta-Tr0ub4dor&3 horse";
    private const string ProviderA = "arn:aws:iam::111111111111:saml-provider/Okta";
    private const string ProviderB = "arn:aws:iam::222222222222:saml-provider/Okta";
    private const string Admin = "arn:aws:iam::111111111111:role/Admin";
    private const string Reader = "arn:aws:iam::111111111111:role/Reader";
    private const string Deploy = "arn:aws:iam::222222222222:role/Deploy";

    private readonly List<string> _codes = new();
    private FakeOkta _okta = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _okta = await FakeOkta.StartAsync();
        _okta.RegisterWith(_aws.Sts, ProviderA);
        _okta.RegisterWith(_aws.Sts, ProviderB);
        _okta.AddUser(User, Password, new[] { $"{Admin},{ProviderA}", $"{Reader},{ProviderA}", $"{Deploy},{ProviderB}" }, push: true, totp: OktaTotpProvider.Okta);
        _aws.Set("AWSLOGIN_OKTA_PUSH_POLL_SECONDS", "0.02");
    }

    public override async Task DisposeAsync()
    {
        await _okta.DisposeAsync();
        await base.DisposeAsync();
    }

    private IReadOnlyList<StsCall> SamlCalls => _aws.Sts.Calls.Where(c => c.Action == "AssumeRoleWithSAML").ToArray();

    private string SessionDirectory => Path.Combine(_aws.Root, "awslogin", "saml", "sessions");

    [Fact]
    public void APushEndsInCredentialsTheFakeStsIssuedForTheSamlRole()
    {
        _okta.PushAnswerOnPoll = 2;

        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -OktaFactor Push -RoleArn '{Admin}' -Verbose").ThrowOnError();

        var credential = Assert.Single(result.Output);
        Assert.Equal("AwsLogin.AwsCredential", credential.BaseObject.GetType().FullName);
        var issued = _aws.Sts.FindIssued((string)credential.Properties["AccessKeyId"].Value)!;
        Assert.Equal(Admin, issued.RoleArn);
        Assert.Equal(issued.SecretAccessKey, credential.Properties["SecretAccessKey"].Value);
        Assert.Equal(issued.SessionToken, credential.Properties["SessionToken"].Value);
        Assert.Equal("SamlRole", credential.Properties["Origin"].Value);
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/Admin/alice@example.com", credential.Properties["Arn"].Value);
        Assert.Equal(ProviderA, Assert.Single(SamlCalls).Parameters["PrincipalArn"]);
        Assert.Equal(new[] { "Waiting", "Waiting", "Approved" }, _okta.Calls.Where(c => c.Path.Contains("/factors/", StringComparison.Ordinal)).Select(c => c.Outcome));
        Assert.Contains(result.Verbose, v => v.Contains("Okta Verify push", StringComparison.Ordinal));
        AssertNoSecrets(result);

        var identity = _shell.Run("$samlCredential | Get-AwsCallerIdentity", new Dictionary<string, object?> { ["samlCredential"] = credential }).ThrowOnError();
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/Admin/alice@example.com", Assert.Single(identity.Output).Properties["Arn"].Value);
    }

    [Fact]
    public void ATotpCodeFromPasscodeEndsInCredentialsForEveryRole()
    {
        var code = Code();

        var result = Run("Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -OktaFactor Totp -Passcode $passcode -All -Verbose", ("passcode", SecureText.Of(code))).ThrowOnError();

        Assert.Equal(new[] { Admin, Reader, Deploy }, result.Output.Select(o => _aws.Sts.FindIssued((string)o.Properties["AccessKeyId"].Value)!.RoleArn));
        var verify = Assert.Single(_okta.Calls, c => c.Path.Contains("/factors/", StringComparison.Ordinal));
        Assert.Equal((true, "Success"), (verify.SentPasscode, verify.Outcome));
        Assert.Single(_okta.IssuedAssertions);
        AssertNoSecrets(result);
    }

    [Fact]
    public void WithoutPasscodeTheHostIsAskedForTheOktaCode()
    {
        _shell.Host.PromptAnswers.Enqueue(Code());

        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -OktaFactor Totp -RoleArn '{Reader}'").ThrowOnError();

        Assert.Single(result.Output);
        Assert.Contains(_shell.Host.Prompts, p => p.StartsWith("Passcode: Enter the code from Okta Verify for alice@example.com", StringComparison.Ordinal));
        AssertNoSecrets(result);
    }

    [Fact]
    public void TheSavedOktaSessionSignsInAgainWithoutPasswordOrFactor()
    {
        _shell.Host.CredentialAnswers.Enqueue(new PSCredential(User, SecureText.Of(Password)));

        Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -RoleArn '{Admin}'").ThrowOnError();
        var passwords = _okta.Calls.Count(c => c.SentPassword);
        var second = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -RoleArn '{Reader}' -OktaFactor Totp").ThrowOnError();
        var roles = Run("Get-AwsSamlRole -Provider Okta -EndpointUrl $url").ThrowOnError();

        Assert.Equal(1, passwords);
        Assert.Equal(1, _okta.Calls.Count(c => c.SentPassword));
        Assert.Equal(1, _okta.Calls.Count(c => c.Outcome == "Approved"));
        Assert.Equal(3, _okta.Calls.Count(c => c.Outcome == "Form"));
        Assert.Single(_shell.Host.Prompts, p => p.StartsWith("AwsLogin SAML sign-in: ", StringComparison.Ordinal));
        Assert.Single(second.Output);
        Assert.Equal(3, roles.Output.Count);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Assert.Single(Directory.GetFiles(SessionDirectory, "*.json"))));
        }
    }

    [Fact]
    public void GetAwsSamlRoleListsTheRolesAndPipesThemToConnect()
    {
        var result = Run("Get-AwsSamlRole -Provider Okta -EndpointUrl $url -Credential $cred -ProfileName work | Where-Object AccountId -eq '111111111111' | Connect-AwsSaml").ThrowOnError();
        var roles = Run("Get-AwsSamlRole -Provider Okta -EndpointUrl $url -ProfileName work").ThrowOnError();

        Assert.Equal(new[] { Admin, Reader }, result.Output.Select(o => _aws.Sts.FindIssued((string)o.Properties["AccessKeyId"].Value)!.RoleArn));
        Assert.Equal("Okta", roles.Output[0].Properties["Provider"].Value.ToString());
        Assert.Equal(_okta.EmbedLink, roles.Output[0].Properties["EndpointUrl"].Value);
        Assert.Equal(1, _okta.Calls.Count(c => c.SentPassword));
    }

    [Fact]
    public void ANumberChallengeIsWrittenAsAWarning()
    {
        _okta.PushNumberChallenge = 73;

        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -RoleArn '{Admin}'").ThrowOnError();

        Assert.Contains(result.Warnings, w => w.Contains("tap 73 in Okta Verify", StringComparison.Ordinal));
    }

    [Fact]
    public void AWrongPasswordIsSamlAuthenticationFailed()
    {
        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $wrong -RoleArn '{Admin}'", ("wrong", new PSCredential(User, SecureText.Of("not " + Password))));

        AssertError(result, Connect, "SamlAuthenticationFailed", ErrorCategory.AuthenticationError, "not " + Password);
        Assert.Single(_okta.Calls);
    }

    [Theory]
    [InlineData(OktaPushAction.Reject, "OktaPushRejected", ErrorCategory.AuthenticationError)]
    [InlineData(OktaPushAction.Timeout, "OktaPushTimedOut", ErrorCategory.OperationTimeout)]
    public void AnUnapprovedPushIsItsOwnError(OktaPushAction action, string errorId, ErrorCategory category)
    {
        _okta.PushAction = action;

        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -OktaFactor Push -RoleArn '{Admin}'");

        AssertError(result, Connect, errorId, category);
        Assert.Empty(_aws.Sts.Calls);
    }

    [Fact]
    public void AWrongCodeIsOktaPasscodeRejectedAfterTheHostHadNoBetterOne()
    {
        var result = Run("Get-AwsSamlRole -Provider Okta -EndpointUrl $url -Credential $cred -Passcode $passcode", ("passcode", SecureText.Of("000000")));

        AssertError(result, GetRole, "OktaPasscodeRejected", ErrorCategory.AuthenticationError, "000000");
        Assert.Contains(_shell.Host.Prompts, p => p.StartsWith("Passcode: Okta did not accept that code.", StringComparison.Ordinal));
    }

    [Fact]
    public void TotpWithoutAnyCodeIsSamlPasscodeRequired()
    {
        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -OktaFactor Totp -RoleArn '{Admin}'");

        AssertError(result, Connect, "SamlPasscodeRequired", ErrorCategory.AuthenticationError);
    }

    [Fact]
    public void AFactorTheUserHasNotEnrolledIsOktaFactorNotEnrolled()
    {
        _okta.AddUser("bob@example.com", Password, new[] { $"{Admin},{ProviderA}" }, totp: OktaTotpProvider.Google, sms: true);

        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $bob -OktaFactor Push -RoleArn '{Admin}'", ("bob", new PSCredential("bob@example.com", SecureText.Of(Password))));

        AssertError(result, Connect, "OktaFactorNotEnrolled", ErrorCategory.NotEnabled);
    }

    [Theory]
    [InlineData(OktaAccountState.LockedOut, "OktaAccountLockedOut", ErrorCategory.PermissionDenied)]
    [InlineData(OktaAccountState.PasswordExpired, "OktaPasswordExpired", ErrorCategory.AuthenticationError)]
    [InlineData(OktaAccountState.MfaEnroll, "OktaMfaEnrollRequired", ErrorCategory.NotEnabled)]
    [InlineData(OktaAccountState.PasswordReset, "OktaUnexpectedStatus", ErrorCategory.InvalidOperation)]
    public void AnAccountStateIsItsOwnError(OktaAccountState state, string errorId, ErrorCategory category)
    {
        _okta.AddUser("carol@example.com", Password, new[] { $"{Admin},{ProviderA}" }, push: true, state: state);

        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $carol -RoleArn '{Admin}'", ("carol", new PSCredential("carol@example.com", SecureText.Of(Password))));

        AssertError(result, Connect, errorId, category);
    }

    [Fact]
    public void AnExpiredTransactionIsOktaTransactionExpired()
    {
        _okta.StateTokenLifetime = TimeSpan.Zero;

        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -RoleArn '{Admin}'");

        AssertError(result, Connect, "OktaTransactionExpired", ErrorCategory.OperationTimeout);
    }

    [Fact]
    public void ThrottlingIsOktaRateLimited()
    {
        _okta.InjectError("/api/v1/authn", 429, "E0000047", "API call exceeded rate limit due to too many requests.");

        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -RoleArn '{Admin}'");

        AssertError(result, Connect, "OktaRateLimited", ErrorCategory.LimitsExceeded);
    }

    [Fact]
    public void AUrlThatIsNotTheEmbedLinkIsOktaNoSamlResponse()
    {
        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $login -Credential $cred -RoleArn '{Admin}'", ("login", new Uri(_okta.OrgUrl, FakeOkta.LoginPath)));

        AssertErrorFor(new Uri(_okta.OrgUrl, FakeOkta.LoginPath).ToString(), result, Connect, "OktaNoSamlResponse", ErrorCategory.InvalidResult);
    }

    [Theory]
    [InlineData(OktaAppBehavior.NotAssigned, "SamlIdpError", ErrorCategory.ProtocolError)]
    [InlineData(OktaAppBehavior.WrongAction, "SamlUnexpectedRecipient", ErrorCategory.SecurityError)]
    [InlineData(OktaAppBehavior.NoRoles, "SamlNoRoles", ErrorCategory.PermissionDenied)]
    [InlineData(OktaAppBehavior.HugePage, "SamlResponseTooLarge", ErrorCategory.LimitsExceeded)]
    public void ABadAppAnswerIsItsOwnErrorAndNeverReachesSts(OktaAppBehavior behavior, string errorId, ErrorCategory category)
    {
        _okta.Behavior = behavior;

        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -RoleArn '{Admin}'");

        AssertError(result, Connect, errorId, category);
        Assert.Empty(_aws.Sts.Calls);
    }

    [Fact]
    public void WhatIfContactsNeitherOktaNorSts()
    {
        Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -RoleArn '{Admin}' -WhatIf").ThrowOnError();

        Assert.Contains("What if: ", _shell.Host.Text, StringComparison.Ordinal);
        Assert.Empty(_okta.Calls);
        Assert.Empty(_aws.Sts.Calls);
    }

    [Fact]
    public void SkipCertificateCheckWarnsLoudly()
    {
        var result = Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -RoleArn '{Admin}' -SkipCertificateCheck").ThrowOnError();

        Assert.Contains(result.Warnings, w => w.Contains("NOT checked", StringComparison.Ordinal) && w.Contains(_okta.EmbedLink.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void ParametersComplete()
    {
        Assert.Equal(new[] { "Auto", "Push", "Totp" }, _shell.Complete("Connect-AwsSaml -OktaFactor "));
        Assert.Equal(new[] { "Totp" }, _shell.Complete("Get-AwsSamlRole -OktaFactor T"));
        Assert.Equal(new[] { "Okta" }, _shell.Complete("Connect-AwsSaml -Provider O"));
    }

    [Fact]
    public void NothingSecretReachesAnyStreamTheHostOrTheAwsLoginFolder()
    {
        _okta.PushNumberChallenge = 19;
        var code = Code();
        _okta.AddUser("dave@example.com", "dave's " + Password, new[] { $"{Admin},{ProviderA}" }, totp: OktaTotpProvider.Google);
        _shell.Host.PromptAnswers.Enqueue(Code("dave@example.com"));

        var results = new[]
        {
            Run("Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $cred -Passcode $passcode -All -Verbose", ("passcode", SecureText.Of(code))),
            Run("Get-AwsSamlRole -Provider Okta -EndpointUrl $url -Credential $cred -ProfileName other -OktaFactor Push -Verbose"),
            Run("Connect-AwsSaml -Provider Okta -EndpointUrl $url -All -Verbose | Out-Default"),
            Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $dave -ProfileName dave -RoleArn '{Admin}' -Verbose", ("dave", new PSCredential("dave@example.com", SecureText.Of("dave's " + Password)))),
            Run($"Connect-AwsSaml -Provider Okta -EndpointUrl $url -Credential $wrong -ProfileName third -RoleArn '{Admin}' -Verbose", ("wrong", new PSCredential(User, SecureText.Of("bad-" + Password)))),
        };

        Assert.All(results.Take(4), r => r.ThrowOnError());
        Assert.NotEmpty(_okta.IssuedAssertions);
        Assert.NotEmpty(_okta.IssuedTokens);
        foreach (var result in results)
        {
            AssertNoSecrets(result, "bad-" + Password, "dave's " + Password);
        }

        var fileSecrets = AssertionSecrets().Concat(_okta.IssuedTokens).Concat(_codes).Concat(new[] { Password, "dave's " + Password }).ToArray();
        foreach (var file in Directory.GetFiles(Path.Combine(_aws.Root, "awslogin"), "*", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            Assert.All(fileSecrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        }
    }

    private string Code(string login = User)
    {
        var code = _okta.TotpCode(login);
        _codes.Add(code);
        return code;
    }

    private RunResult Run(string script, params (string Name, object Value)[] more)
    {
        var variables = new Dictionary<string, object?>
        {
            ["url"] = _okta.EmbedLink,
            ["cred"] = new PSCredential(User, SecureText.Of(Password)),
        };
        foreach (var (name, value) in more)
        {
            variables[name] = value;
        }

        return _shell.Run(script, variables);
    }

    private void AssertError(RunResult result, string command, string errorId, ErrorCategory category, params string[] moreSecrets) =>
        AssertErrorFor(_okta.EmbedLink.ToString(), result, command, errorId, category, moreSecrets);

    private void AssertErrorFor(string target, RunResult result, string command, string errorId, ErrorCategory category, params string[] moreSecrets)
    {
        AssertErrorIdentity(result, command, errorId, category, target);
        AssertNoSecrets(result, moreSecrets);
    }

    /// <summary>The assertions the org issued: base64 (whole and its start) and what identifies their XML.</summary>
    private IEnumerable<string> AssertionSecrets()
    {
        foreach (var fingerprint in AssertionFingerprints(_okta.IssuedAssertions))
        {
            yield return fingerprint;
        }
        yield return "&#x2b;";
    }

    private void AssertNoSecrets(RunResult result, params string[] moreSecrets)
    {
        AssertNoneIn(result, AssertionSecrets().Concat(new[] { Password }).Concat(moreSecrets).Concat(_codes)
            .Concat(_okta.IssuedTokens).Concat(_okta.IssuedSessionIds));
    }
}
