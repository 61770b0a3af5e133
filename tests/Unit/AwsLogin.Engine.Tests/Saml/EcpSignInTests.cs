using System;
using System.IO;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Ecp;
using AwsLogin.Engine.Sts;
using AwsLogin.Engine.Tests.Cache;
using AwsLogin.TestServers;
using Xunit;
using static AwsLogin.Engine.Tests.Saml.SamlHarness;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>
/// Sign-in through the ECP provider against the fake Shibboleth IdP, ending in credentials the fake STS issued for
/// AssumeRoleWithSAML: Basic authentication, Duo factors, the saved IdP session, multi-role sign-in and the cache.
/// </summary>
public sealed class EcpSignInTests
{
    [Fact]
    public async Task Basic_authentication_ends_in_credentials_sts_issued_for_the_role()
    {
        await using var h = await StartAsync();

        var credentials = Assert.Single(await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin } }));

        var idpCall = Assert.Single(h.Idp.Calls);
        Assert.Equal(UserName, idpCall.BasicUserName);
        Assert.Equal("Issued", idpCall.Outcome);
        Assert.Equal("urn:amazon:webservices", idpCall.AuthnRequestIssuer);
        Assert.Equal("https://signin.aws.amazon.com/saml", idpCall.AssertionConsumerServiceUrl);
        Assert.Equal(FakeEcpIdp.PaosBinding, idpCall.ProtocolBinding);
        Assert.Equal("text/html; application/vnd.paos+xml", idpCall.Accept);
        Assert.Equal("ver=\"urn:liberty:paos:2003-08\";\"urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp\"", idpCall.Paos);
        Assert.Null(idpCall.DuoFactor);

        var stsCall = Assert.Single(h.SamlCalls);
        Assert.Null(stsCall.SigningAccessKeyId);
        Assert.Equal(Admin, stsCall.Parameters["RoleArn"]);
        Assert.Equal(ProviderA, stsCall.Parameters["PrincipalArn"]);
        Assert.InRange(stsCall.SamlAssertionLength!.Value, h.Idp.IssuedAssertions.Single().Length, SamlResponseReader.MaxBase64Length);
        Assert.Equal(stsCall.IssuedAccessKeyId, credentials.AccessKeyId);
        Assert.True(h.Sts.IsValidSession(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        Assert.Equal(CredentialOrigin.SamlRole, credentials.Origin);
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/Admin/alice", credentials.Arn);
        Assert.Equal("111111111111", credentials.AccountId);
        Assert.Equal("us-east-1", credentials.Region);
        h.AssertLogClean();
    }

    [Fact]
    public async Task A_wrong_password_is_SamlAuthenticationFailed_and_no_sts_call()
    {
        await using var h = await StartAsync();

        var error = await h.FailAsync(h.Options(Alice("wrong password")));

        Assert.Equal("SamlAuthenticationFailed", error.Code);
        Assert.Equal(FailureKind.AuthenticationFailed, error.Kind);
        Assert.Contains(UserName, error.Message, StringComparison.Ordinal);
        Assert.Equal("BadPassword", Assert.Single(h.Idp.Calls).Outcome);
        Assert.Empty(h.Sts.Calls);
        h.AssertNoSecrets(error, "wrong password");
    }

    [Fact]
    public async Task Without_credential_the_provider_is_asked_and_without_either_it_is_SamlCredentialRequired()
    {
        await using var h = await StartAsync();
        Uri? askedFor = null;

        await h.GetAsync(h.Options() with { CredentialProvider = (endpoint, _, _) => { askedFor = endpoint; return Task.FromResult<IdpCredential?>(Alice()); } }, r => r with { AllRoles = true });
        var error = await h.FailAsync(h.Options() with { ProfileName = "other" }, r => r with { AllRoles = true });

        Assert.Equal(h.Idp.EcpEndpoint, askedFor);
        Assert.Equal("SamlCredentialRequired", error.Code);
        Assert.Equal(FailureKind.InvalidArgument, error.Kind);
    }

    [Theory]
    [InlineData(DuoFactor.Auto, "auto")]
    [InlineData(DuoFactor.Push, "push")]
    [InlineData(DuoFactor.Phone, "phone")]
    public async Task Duo_push_and_phone_are_approved_by_the_fake_user(DuoFactor factor, string header)
    {
        await using var h = await StartAsync(duo: true);

        await h.GetAsync(h.Options(Alice()) with { Factor = factor }, r => r with { RoleArns = new[] { Reader } });

        var call = Assert.Single(h.Idp.Calls);
        Assert.Equal(header, call.DuoFactor);
        Assert.False(call.SentPasscode);
        Assert.Single(h.SamlCalls);
    }

    [Fact]
    public async Task A_denied_push_is_SamlAuthenticationFailed()
    {
        await using var h = await StartAsync(duo: true);
        h.Idp.PushAction = DuoPushAction.Deny;

        var error = await h.FailAsync(h.Options(Alice()) with { Factor = DuoFactor.Push });

        Assert.Equal("SamlAuthenticationFailed", error.Code);
        Assert.Contains("push", error.Message, StringComparison.Ordinal);
        Assert.Equal("DuoDenied", Assert.Single(h.Idp.Calls).Outcome);
    }

    [Fact]
    public async Task A_given_passcode_is_sent_with_factor_passcode_and_used_once()
    {
        await using var h = await StartAsync(duo: true);
        h.Idp.AddPasscodes(UserName, "123456");

        await h.GetAsync(h.Options(Alice()) with { Passcode = Secure("123456") }, r => r with { RoleArns = new[] { Reader }, ForceRefresh = true });
        h.Idp.EndSessions();
        var error = await h.FailAsync(h.Options(Alice()) with { Passcode = Secure("123456") }, r => r with { RoleArns = new[] { Reader }, ForceRefresh = true });

        var calls = h.Idp.Calls;
        Assert.Equal("passcode", calls[0].DuoFactor);
        Assert.True(calls[0].SentPasscode);
        Assert.Equal("SamlAuthenticationFailed", error.Code);
        Assert.Equal("BadPasscode", calls[^1].Outcome);
        h.AssertNoSecrets(error, "123456");
    }

    [Fact]
    public async Task Factor_passcode_without_a_passcode_asks_for_one_or_is_SamlPasscodeRequired()
    {
        await using var h = await StartAsync(duo: true);
        h.Idp.AddPasscodes(UserName, "654321");
        string? prompt = null;

        await h.GetAsync(h.Options(Alice()) with { Factor = DuoFactor.Passcode, PasscodeProvider = (message, _) => { prompt = message; return Task.FromResult<SecureString?>(Secure("654321")); } }, r => r with { AllRoles = true });
        var error = await h.FailAsync(h.Options(Alice()) with { Factor = DuoFactor.Passcode, ProfileName = "other" }, r => r with { AllRoles = true });

        Assert.Contains("passcode", prompt, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("SamlPasscodeRequired", error.Code);
        Assert.Single(h.Idp.Calls);
    }

    [Fact]
    public async Task Sms_fails_the_first_attempt_then_a_texted_passcode_signs_in()
    {
        await using var h = await StartAsync(duo: true);
        string? prompt = null;
        var options = h.Options(Alice()) with
        {
            Factor = DuoFactor.Sms,
            PasscodeProvider = (message, _) =>
            {
                prompt = message;
                return Task.FromResult<SecureString?>(Secure(h.Idp.SmsPasscodes.Last()));
            },
        };

        var credentials = await h.GetAsync(options, r => r with { RoleArns = new[] { Deploy } });

        var calls = h.Idp.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(("sms", 401, "SmsSent", false), (calls[0].DuoFactor, calls[0].HttpStatus, calls[0].Outcome, calls[0].SentPasscode));
        Assert.Equal(("passcode", 200, "Issued", true), (calls[1].DuoFactor, calls[1].HttpStatus, calls[1].Outcome, calls[1].SentPasscode));
        Assert.Contains("SMS", prompt, StringComparison.Ordinal);
        Assert.Equal(Deploy, h.Sts.FindIssued(Assert.Single(credentials).AccessKeyId)!.RoleArn);
        h.AssertLogClean();
    }

    [Fact]
    public async Task Sms_without_anyone_to_ask_is_SamlPasscodeRequired_after_the_texting_attempt()
    {
        await using var h = await StartAsync(duo: true);

        var error = await h.FailAsync(h.Options(Alice()) with { Factor = DuoFactor.Sms });

        Assert.Equal("SamlPasscodeRequired", error.Code);
        Assert.Contains("SMS", error.Message, StringComparison.Ordinal);
        Assert.Equal("SmsSent", Assert.Single(h.Idp.Calls).Outcome);
    }

    [Fact]
    public async Task Custom_duo_header_names_are_used()
    {
        await using var h = await StartAsync(duo: true);
        h.Idp.DuoFactorHeader = "X-Duo-Factor";
        h.Idp.DuoPasscodeHeader = "X-Duo-Passcode";
        h.Idp.AddPasscodes(UserName, "111222");
        h.Idp.PushAction = DuoPushAction.Deny;

        // Under the default names the IdP sees no factor header, falls back to auto (a push) and the user denies it.
        var wrongNames = await h.FailAsync(h.Options(Alice()) with { Passcode = Secure("111222") });
        await h.GetAsync(h.Options(Alice()) with { Passcode = Secure("111222"), DuoFactorHeader = "X-Duo-Factor", DuoPasscodeHeader = "X-Duo-Passcode" }, r => r with { AllRoles = true });

        Assert.Equal("SamlAuthenticationFailed", wrongNames.Code);
        Assert.Equal(("passcode", true, "Issued"), (h.Idp.Calls[^1].DuoFactor, h.Idp.Calls[^1].SentPasscode, h.Idp.Calls[^1].Outcome));
    }

    [Fact]
    public async Task A_header_name_that_is_not_a_token_is_InvalidArgument()
    {
        await using var h = await StartAsync();

        var error = Assert.Throws<AwsLoginException>(() => h.Provider(h.Options(Alice()) with { DuoFactorHeader = "X Duo: Factor" }));

        Assert.Equal("InvalidArgument", error.Code);
    }

    [Fact]
    public async Task The_idp_session_is_saved_0600_and_the_next_sign_in_sends_no_password_or_second_factor()
    {
        await using var h = await StartAsync(duo: true);
        await h.GetAsync(h.Options(Alice()) with { Factor = DuoFactor.Push }, r => r with { RoleArns = new[] { Admin } });

        // With the credential given again, and with none at all: the session cookie alone signs in.
        await h.GetAsync(h.Options(Alice()) with { Factor = DuoFactor.Push }, r => r with { RoleArns = new[] { Reader } });
        await h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Deploy } });

        var calls = h.Idp.Calls;
        Assert.Equal(3, calls.Count);
        Assert.True(calls[0].SentAuthorization);
        Assert.All(calls.Skip(1), call => Assert.Equal((false, true, true, null, "Issued"), (call.SentAuthorization, call.SentSessionCookie, call.UsedSession, call.DuoFactor, call.Outcome)));
        Assert.Equal(3, h.SamlCalls.Count);

        var sessions = Path.Combine(h.World.HomePath, "saml", "sessions");
        var file = Assert.Single(Directory.GetFiles(sessions, "*.json"));
        var text = File.ReadAllText(file);
        Assert.Contains(FakeEcpIdp.SessionCookieName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(UserName + ":", text, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixMode.OwnerOnlyFile, UnixMode.Of(file));
            Assert.Equal(UnixMode.OwnerOnlyFolder, UnixMode.Of(sessions));
        }
    }

    [Fact]
    public async Task An_ended_idp_session_falls_back_to_the_password()
    {
        await using var h = await StartAsync();
        await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin } });
        h.Idp.EndSessions();
        string? suggested = null;

        await h.GetAsync(h.Options() with { CredentialProvider = (_, user, _) => { suggested = user; return Task.FromResult<IdpCredential?>(Alice()); } }, r => r with { RoleArns = new[] { Reader } });

        var calls = h.Idp.Calls;
        Assert.Equal(("NoCredentials", 401), (calls[1].Outcome, calls[1].HttpStatus));
        Assert.True(calls[1].SentSessionCookie);
        Assert.False(calls[1].SentAuthorization);
        Assert.Equal(("Issued", true), (calls[2].Outcome, calls[2].SentAuthorization));
        Assert.Equal(UserName, suggested);
    }

    [Fact]
    public async Task An_ended_session_with_nobody_to_ask_says_the_session_ended()
    {
        await using var h = await StartAsync();
        await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin } });
        h.Idp.EndSessions();

        var error = await h.FailAsync(h.Options(), r => r with { RoleArns = new[] { Reader } });

        Assert.Equal("SamlCredentialRequired", error.Code);
        Assert.Contains("ended", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_users_saved_session_is_not_used()
    {
        await using var h = await StartAsync();
        h.Idp.AddUser("bob", "bobs password", new[] { Role(Reader, ProviderA) });
        await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin } });

        await h.GetAsync(h.Options(new IdpCredential("bob", Secure("bobs password"))), r => r with { RoleArns = new[] { Reader } });

        var last = h.Idp.Calls[^1];
        Assert.Equal("bob", last.BasicUserName);
        Assert.False(last.UsedSession);
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/Reader/bob", h.Sts.FindIssued(h.SamlCalls[^1].IssuedAccessKeyId!)!.Arn);
    }

    [Fact]
    public async Task Sessions_are_kept_per_profile()
    {
        await using var h = await StartAsync();
        await h.GetAsync(h.Options(Alice()) with { ProfileName = "work" }, r => r with { RoleArns = new[] { Admin } });

        var error = await h.FailAsync(h.Options() with { ProfileName = "play" }, r => r with { RoleArns = new[] { Admin }, ForceRefresh = true });
        await h.GetAsync(h.Options() with { ProfileName = "work" }, r => r with { RoleArns = new[] { Admin }, ForceRefresh = true });

        Assert.Equal("SamlCredentialRequired", error.Code);
        Assert.True(h.Idp.Calls[^1].UsedSession);
    }

    [Fact]
    public async Task Concurrent_sign_ins_of_one_session_send_the_password_once()
    {
        await using var h = await StartAsync(duo: true);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => h.Provider(h.Options(Alice()) with { Factor = DuoFactor.Push }).SignInAsync(CancellationToken.None)));

        Assert.Equal(3, h.Idp.Calls.Count);
        Assert.Single(h.Idp.Calls, call => call.SentAuthorization);
        Assert.Equal(2, h.Idp.Calls.Count(call => call.UsedSession));
    }

    [Fact]
    public async Task All_roles_come_from_one_sign_in_with_one_sts_call_each()
    {
        await using var h = await StartAsync(duo: true);

        var credentials = await h.GetAsync(h.Options(Alice()) with { Factor = DuoFactor.Push }, r => r with { AllRoles = true });

        Assert.Single(h.Idp.Calls);
        Assert.Equal(3, h.SamlCalls.Count);
        Assert.Equal(new[] { Admin, Reader, Deploy }, credentials.Select(c => h.Sts.FindIssued(c.AccessKeyId)!.RoleArn));
        Assert.Equal(new[] { ProviderA, ProviderA, ProviderB }, h.SamlCalls.Select(c => c.Parameters["PrincipalArn"]));
        Assert.Single(h.Idp.IssuedAssertions);
    }

    [Fact]
    public async Task Cached_role_credentials_are_reused_without_the_idp_or_sts_until_ForceRefresh()
    {
        await using var h = await StartAsync();
        var first = await h.GetAsync(h.Options(Alice()), r => r with { AllRoles = true });

        var named = await h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Deploy, Admin } });
        Assert.Single(h.Idp.Calls);
        Assert.Equal(3, h.SamlCalls.Count);
        Assert.Equal(new[] { first[2].AccessKeyId, first[0].AccessKeyId }, named.Select(c => c.AccessKeyId));

        // A fresh sign-in (here: the saved session) answers roles it does not know yet; cached ones need no STS call.
        await h.GetAsync(h.Options(), r => r with { AllRoles = true });
        Assert.Equal(2, h.Idp.Calls.Count);
        Assert.Equal(3, h.SamlCalls.Count);

        var forced = await h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Admin }, ForceRefresh = true });
        Assert.Equal(3, h.Idp.Calls.Count);
        Assert.Equal(4, h.SamlCalls.Count);
        Assert.NotEqual(first[0].AccessKeyId, Assert.Single(forced).AccessKeyId);
    }

    [Fact]
    public async Task Cached_credentials_belong_to_the_user()
    {
        await using var h = await StartAsync();
        h.Idp.AddUser("bob", "bobs password", new[] { Role(Admin, ProviderA) });
        await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin } });

        var bobs = await h.GetAsync(h.Options(new IdpCredential("bob", Secure("bobs password"))), r => r with { RoleArns = new[] { Admin } });

        Assert.Equal(2, h.SamlCalls.Count);
        Assert.EndsWith("/Admin/bob", h.Sts.FindIssued(Assert.Single(bobs).AccessKeyId)!.Arn, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3600, 1800, "1800")]
    [InlineData(900, 1800, "900")]
    [InlineData(null, 1800, "1800")]
    [InlineData(7200, null, "7200")]
    public async Task The_session_lasts_the_shorter_of_DurationSeconds_and_SessionDuration(int? requested, int? sessionDuration, string sent)
    {
        await using var h = await StartAsync(sessionDuration: sessionDuration);

        var credentials = Assert.Single(await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin }, DurationSeconds = requested }));

        Assert.Equal(sent, Assert.Single(h.SamlCalls).Parameters["DurationSeconds"]);
        Assert.InRange(credentials.Expiration!.Value - DateTime.UtcNow, TimeSpan.FromSeconds(int.Parse(sent, System.Globalization.CultureInfo.InvariantCulture) - 60), TimeSpan.FromSeconds(int.Parse(sent, System.Globalization.CultureInfo.InvariantCulture) + 1));
    }

    [Fact]
    public async Task Role_hops_after_the_saml_role_are_signed_by_it_and_cached()
    {
        await using var h = await StartAsync();
        var hop = new RoleHop(RoleArn.Parse("arn:aws:iam::333333333333:role/Hub")) { RoleSessionName = "hop" };

        var first = Assert.Single(await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin }, ChainHops = new[] { hop } }));
        var again = Assert.Single(await h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Admin }, ChainHops = new[] { hop } }));

        var assume = Assert.Single(h.Sts.Calls, call => call.Action == "AssumeRole");
        Assert.Equal(h.SamlCalls.Single().IssuedAccessKeyId, assume.SigningAccessKeyId);
        Assert.Equal(CredentialOrigin.ChainedRole, first.Origin);
        Assert.Equal(first.AccessKeyId, again.AccessKeyId);
        Assert.Single(h.Idp.Calls);
    }

    [Fact]
    public async Task Role_hops_with_several_saml_roles_are_InvalidArgument()
    {
        await using var h = await StartAsync();
        var hop = new RoleHop(RoleArn.Parse("arn:aws:iam::333333333333:role/Hub"));

        var error = await h.FailAsync(h.Options(Alice()), r => r with { AllRoles = true, ChainHops = new[] { hop } });

        Assert.Equal("InvalidArgument", error.Code);
        Assert.Empty(h.Idp.Calls);
    }

    [Fact]
    public async Task A_tampered_assertion_is_refused_by_sts_as_InvalidIdentityToken()
    {
        await using var h = await StartAsync();
        h.Idp.Behavior = EcpIdpBehavior.Tampered;
        h.Idp.TamperedRoleValue = Role("arn:aws:iam::111111111111:role/Root", ProviderA);

        var error = await h.FailAsync(h.Options(Alice()), r => r with { RoleArns = new[] { "arn:aws:iam::111111111111:role/Root" } });

        Assert.Equal("InvalidIdentityToken", error.Code);
        Assert.Equal(FailureKind.AccessDenied, error.Kind);
        Assert.Contains("signing certificate", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("InvalidIdentityToken", Assert.Single(h.SamlCalls).ErrorCode);
    }

    [Fact]
    public async Task An_expired_assertion_is_refused_by_sts_as_ExpiredTokenException()
    {
        await using var h = await StartAsync();
        h.Idp.Behavior = EcpIdpBehavior.Expired;

        var error = await h.FailAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin } });

        Assert.Equal("ExpiredTokenException", error.Code);
        Assert.Equal(FailureKind.Expired, error.Kind);
        Assert.Contains("clock", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_that_does_not_trust_the_saml_provider_is_AccessDenied()
    {
        await using var h = await StartAsync();
        h.Sts.ConfigureRole(Reader, trustedPrincipalArns: new[] { "arn:aws:iam::111111111111:saml-provider/Other" });

        var error = await h.FailAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Reader } });

        Assert.Equal("AccessDenied", error.Code);
        Assert.Equal(FailureKind.AccessDenied, error.Kind);
        Assert.Equal(Reader, error.Target);
    }

    [Fact]
    public async Task A_duration_over_the_roles_maximum_is_a_ValidationError()
    {
        await using var h = await StartAsync();

        var error = await h.FailAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Reader }, DurationSeconds = 7200 });

        Assert.Equal("ValidationError", error.Code);
        Assert.Equal(FailureKind.ServiceValidation, error.Kind);
    }

    [Theory]
    [InlineData(EcpIdpBehavior.NoRoles, "SamlNoRoles")]
    [InlineData(EcpIdpBehavior.DtdBearing, "SamlDtdProhibited")]
    [InlineData(EcpIdpBehavior.Oversized, "SamlResponseTooLarge")]
    [InlineData(EcpIdpBehavior.HugeBody, "SamlResponseTooLarge")]
    [InlineData(EcpIdpBehavior.Html, "SamlNotXml")]
    [InlineData(EcpIdpBehavior.FailureStatus, "SamlStatusFailure")]
    [InlineData(EcpIdpBehavior.EncryptedAssertion, "SamlEncryptedAssertion")]
    [InlineData(EcpIdpBehavior.SoapFault, "SamlIdpError")]
    [InlineData(EcpIdpBehavior.WrongConsumer, "SamlUnexpectedRecipient")]
    public async Task A_bad_idp_answer_has_its_own_error_and_never_reaches_sts(EcpIdpBehavior behavior, string code)
    {
        await using var h = await StartAsync();
        h.Idp.Behavior = behavior;

        var error = await h.FailAsync(h.Options(Alice()), r => r with { AllRoles = true });

        Assert.Equal(code, error.Code);
        Assert.Equal(h.Idp.EcpEndpoint.ToString(), error.Target);
        Assert.Empty(h.Sts.Calls);
    }

    [Fact]
    public async Task A_plain_http_idp_other_than_loopback_is_SamlInsecureEndpoint()
    {
        await using var h = await StartAsync();

        var error = Assert.Throws<AwsLoginException>(() => h.Provider(new EcpProviderOptions(new Uri("http://idp.example.test/idp/profile/SAML2/SOAP/ECP")) { Credential = Alice() }));

        Assert.Equal("SamlInsecureEndpoint", error.Code);
    }

    [Fact]
    public async Task An_unreachable_idp_is_EndpointUnreachable()
    {
        await using var h = await StartAsync();
        var endpoint = h.Idp.EcpEndpoint;
        await h.Idp.StopAsync();

        var error = await h.FailAsync(new EcpProviderOptions(endpoint) { Credential = Alice() });

        Assert.Equal("EndpointUnreachable", error.Code);
        Assert.Equal(FailureKind.EndpointUnreachable, error.Kind);
    }

    [Fact]
    public async Task SkipCertificateCheck_warns_loudly()
    {
        await using var h = await StartAsync();

        await h.GetAsync(h.Options(Alice()) with { SkipCertificateCheck = true }, r => r with { RoleArns = new[] { Admin } });

        Assert.Contains(h.Log.Messages, m => m.Contains("NOT checked", StringComparison.Ordinal) && m.Contains(h.Idp.EcpEndpoint.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetRoles_lists_the_roles_grouped_by_account_without_sts()
    {
        await using var h = await StartAsync();

        var roles = await h.Broker().GetRolesAsync(h.Provider(h.Options(Alice())), CancellationToken.None);

        Assert.Equal(new[] { Admin, Reader, Deploy }, roles.Select(r => r.RoleArn.Value));
        Assert.Empty(h.Sts.Calls);
    }
}
