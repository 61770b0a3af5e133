using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Okta;
using AwsLogin.Engine.Tests.Cache;
using AwsLogin.TestServers;
using Xunit;
using static AwsLogin.Engine.Tests.Saml.OktaHarness;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>
/// Sign-in through the Okta provider against the fake Okta org, ending in credentials the fake STS issued for
/// AssumeRoleWithSAML: primary authentication, push with polling, TOTP, the session redirect and the app form, the
/// saved Okta session, Okta's statuses and errors, and bad app answers.
/// </summary>
public sealed class OktaSignInTests
{
    [Fact]
    public async Task A_password_alone_ends_in_credentials_sts_issued_through_the_session_redirect_and_the_app_form()
    {
        await using var h = await StartAsync();

        var credentials = Assert.Single(await h.GetAsync(h.Options(Alice())));

        var calls = h.Okta.Calls;
        Assert.Equal(
            new[] { ("POST", "/api/v1/authn", "Success"), ("GET", FakeOkta.SessionRedirectPath, "SessionCreated"), ("GET", FakeOkta.EmbedPath, "AppRedirect"), ("GET", FakeOkta.AppSsoPath, "Form") },
            calls.Select(c => (c.Method, c.Path, c.Outcome)));
        Assert.True(calls[0].SentPassword);
        Assert.Equal(("application/json; charset=utf-8", "application/json"), (calls[0].ContentType, calls[0].Accept));
        Assert.True(calls[1].SentSessionToken);
        Assert.False(calls[1].SentSessionCookie);
        Assert.All(calls.Skip(2), call => Assert.True(call.UsedSession));

        var stsCall = Assert.Single(h.SamlCalls);
        Assert.Equal(Admin, stsCall.Parameters["RoleArn"]);
        Assert.Equal(ProviderA, stsCall.Parameters["PrincipalArn"]);
        Assert.Equal(h.Okta.IssuedAssertions.Single().Length, stsCall.SamlAssertionLength);
        Assert.Equal(stsCall.IssuedAccessKeyId, credentials.AccessKeyId);
        Assert.True(h.Sts.IsValidSession(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        Assert.Equal(CredentialOrigin.SamlRole, credentials.Origin);
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/Admin/alice@example.com", credentials.Arn);
        h.AssertLogClean();
    }

    [Fact]
    public async Task A_push_is_polled_until_the_user_approves_it()
    {
        await using var h = await StartAsync(push: true);
        h.Okta.PushAnswerOnPoll = 3;

        var credentials = await h.GetAsync(h.Options(Alice()) with { Factor = OktaFactor.Push }, r => r with { RoleArns = new[] { Deploy } });

        var verify = h.Okta.Calls.Where(c => c.Path.StartsWith("/api/v1/authn/factors/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[] { "Waiting", "Waiting", "Waiting", "Approved" }, verify.Select(c => c.Outcome));
        Assert.All(verify, call => Assert.Equal((true, false, false), (call.SentStateToken, call.SentPassword, call.SentPasscode)));
        Assert.Equal(Deploy, h.Sts.FindIssued(Assert.Single(credentials).AccessKeyId)!.RoleArn);
        h.AssertLogClean();
    }

    [Fact]
    public async Task A_number_challenge_is_shown_once_as_a_warning()
    {
        await using var h = await StartAsync(push: true);
        h.Okta.PushAnswerOnPoll = 3;
        h.Okta.PushNumberChallenge = 42;

        // Someone is there to be shown the number (the host can prompt).
        await h.GetAsync(h.Options(Alice()) with { PasscodeProvider = (_, _) => Task.FromResult<System.Security.SecureString?>(null) });

        Assert.Single(h.Log.Messages, m => m.Contains("tap 42 in Okta Verify", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_host_a_number_challenge_cancels_the_push_and_asks_for_an_interactive_sign_in()
    {
        await using var h = await StartAsync(push: true);
        h.Okta.PushAnswerOnPoll = 3;
        h.Okta.PushNumberChallenge = 42;

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Equal("SamlPasscodeRequired", error.Code);
        Assert.Contains("Connect-AwsSaml", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains(h.Okta.Calls, c => c.Path.EndsWith("/cancel", StringComparison.Ordinal));
        Assert.Empty(h.Sts.Calls);
    }

    [Theory]
    [InlineData(OktaPushAction.Reject, "OktaPushRejected")]
    [InlineData(OktaPushAction.Timeout, "OktaPushTimedOut")]
    public async Task A_rejected_or_expired_push_is_its_own_error_and_never_reaches_sts(OktaPushAction action, string code)
    {
        await using var h = await StartAsync(push: true);
        h.Okta.PushAction = action;
        h.Okta.PushAnswerOnPoll = 2;

        var error = await h.FailAsync(h.Options(Alice()) with { Factor = OktaFactor.Push });

        Assert.Equal(code, error.Code);
        Assert.Equal(FailureKind.AuthenticationFailed, error.Kind);
        Assert.Equal(h.Okta.EmbedLink.ToString(), error.Target);
        Assert.Empty(h.Sts.Calls);
    }

    [Fact]
    public async Task An_unanswered_push_times_out_and_is_cancelled()
    {
        await using var h = await StartAsync(push: true);
        h.Okta.PushAction = OktaPushAction.Ignore;

        var error = await h.FailAsync(h.Options(Alice()) with { PushTimeout = TimeSpan.FromMilliseconds(200) });

        Assert.Equal("OktaPushTimedOut", error.Code);
        Assert.Contains("within 0.2 seconds", error.Message, StringComparison.Ordinal);
        Assert.Equal(("/api/v1/authn/cancel", "Cancelled"), (h.Okta.Calls[^1].Path, h.Okta.Calls[^1].Outcome));
        Assert.True(h.Okta.Calls.Count(c => c.Outcome == "Waiting") >= 2);
    }

    [Fact]
    public async Task The_poll_interval_comes_from_the_environment_when_not_given()
    {
        await using var h = await StartAsync(push: true);
        h.Okta.PushAnswerOnPoll = 3;
        h.World.Environment[OktaProviderOptions.PushPollIntervalVariable] = "0.05";
        var clock = Stopwatch.StartNew();

        await h.GetAsync(h.Options(Alice()) with { PushPollInterval = null });

        // Three polls at the default two seconds would take six.
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(OktaTotpProvider.Okta, OktaFactor.Totp)]
    [InlineData(OktaTotpProvider.Google, OktaFactor.Totp)]
    [InlineData(OktaTotpProvider.Okta, OktaFactor.Auto)]
    public async Task A_totp_code_signs_in(OktaTotpProvider provider, OktaFactor factor)
    {
        await using var h = await StartAsync(totp: provider);

        await h.GetAsync(h.Options(Alice()) with { Factor = factor, Passcode = Secure(h.Code()) });

        var verify = Assert.Single(h.Okta.Calls, c => c.Path.StartsWith("/api/v1/authn/factors/", StringComparison.Ordinal));
        Assert.Equal((true, true, "Success"), (verify.SentStateToken, verify.SentPasscode, verify.Outcome));
        Assert.Single(h.SamlCalls);
        h.AssertLogClean();
    }

    [Fact]
    public async Task A_wrong_code_is_OktaPasscodeRejected_and_a_used_code_does_not_work_twice()
    {
        await using var h = await StartAsync(totp: OktaTotpProvider.Okta);
        var code = h.Code();

        await h.GetAsync(h.Options(Alice()) with { Passcode = Secure(code) });
        h.Okta.EndSessions();
        var replayed = await h.FailAsync(h.Options(Alice()) with { Passcode = Secure(code) }, r => r with { ForceRefresh = true });
        var wrong = await h.FailAsync(h.Options(Alice()) with { Passcode = Secure("000000"), ProfileName = "other" }, r => r with { ForceRefresh = true });

        Assert.Equal("OktaPasscodeRejected", replayed.Code);
        Assert.Equal("OktaPasscodeRejected", wrong.Code);
        Assert.Contains("doesn't match our records", wrong.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.AuthenticationFailed, wrong.Kind);
        Assert.Equal("BadPasscode", h.Okta.Calls[^1].Outcome);
        Assert.Single(h.SamlCalls);
    }

    [Fact]
    public async Task Without_a_code_the_provider_is_asked_and_asked_again_after_a_wrong_one()
    {
        await using var h = await StartAsync(totp: OktaTotpProvider.Google);
        var prompts = new ConcurrentQueue<string>();
        var answers = new ConcurrentQueue<string>(new[] { "123 000", "current" });
        var options = h.Options(Alice()) with
        {
            PasscodeProvider = (message, _) =>
            {
                prompts.Enqueue(message);
                answers.TryDequeue(out var answer);
                return Task.FromResult<SecureString?>(Secure(answer == "current" ? h.Code() : answer!));
            },
        };

        await h.GetAsync(options);

        Assert.Collection(
            prompts,
            first => Assert.StartsWith("Enter the code from Google Authenticator for alice@example.com", first, StringComparison.Ordinal),
            second => Assert.StartsWith("Okta did not accept that code.", second, StringComparison.Ordinal));
        Assert.Equal(new[] { "BadPasscode", "Success" }, h.Okta.Calls.Where(c => c.SentPasscode).Select(c => c.Outcome));
        h.AssertLogClean("123 000", "123000");
    }

    [Fact]
    public async Task Without_a_code_and_nobody_to_ask_it_is_SamlPasscodeRequired()
    {
        await using var h = await StartAsync(totp: OktaTotpProvider.Okta);

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Equal("SamlPasscodeRequired", error.Code);
        Assert.Contains("TOTP", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Okta.Calls, c => c.SentPasscode);
    }

    [Fact]
    public async Task Auto_prefers_the_push_unless_a_code_is_given()
    {
        await using var h = await StartAsync(push: true, totp: OktaTotpProvider.Okta);

        await h.GetAsync(h.Options(Alice()), r => r with { ForceRefresh = true });
        h.Okta.EndSessions();
        await h.GetAsync(h.Options(Alice()) with { Passcode = Secure(h.Code()) }, r => r with { ForceRefresh = true });

        var verifies = h.Okta.Calls.Where(c => c.Path.StartsWith("/api/v1/authn/factors/", StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[] { "Waiting", "Approved", "Success" }, verifies.Select(c => c.Outcome));
        Assert.Equal(new[] { false, false, true }, verifies.Select(c => c.SentPasscode));
    }

    [Fact]
    public async Task A_factor_that_is_not_enrolled_is_OktaFactorNotEnrolled_naming_the_enrolled_ones()
    {
        await using var h = await StartAsync(totp: OktaTotpProvider.Okta, sms: true);

        var push = await h.FailAsync(h.Options(Alice()) with { Factor = OktaFactor.Push });

        Assert.Equal("OktaFactorNotEnrolled", push.Code);
        Assert.Contains("an Okta Verify code (TOTP), sms (OKTA)", push.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Okta.Calls, c => c.Path.StartsWith("/api/v1/authn/factors/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_unsupported_factors_is_OktaFactorNotEnrolled()
    {
        await using var h = await StartAsync(sms: true);

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Equal("OktaFactorNotEnrolled", error.Code);
        Assert.Contains("sms (OKTA)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_SamlAuthenticationFailed_after_one_request()
    {
        await using var h = await StartAsync(push: true);

        var error = await h.FailAsync(h.Options(Alice("wrong password")));

        Assert.Equal("SamlAuthenticationFailed", error.Code);
        Assert.Equal(FailureKind.AuthenticationFailed, error.Kind);
        Assert.Contains("E0000004", error.Message, StringComparison.Ordinal);
        Assert.Equal(("BadPassword", 401), (Assert.Single(h.Okta.Calls).Outcome, h.Okta.Calls[0].HttpStatus));
        h.AssertNoSecrets(error, "wrong password");
    }

    [Fact]
    public async Task A_refused_vault_password_is_asked_for_again_and_the_typed_one_saved()
    {
        await using var h = await StartAsync();
        var vault = new MemoryVault();
        await vault.SaveAsync(h.Okta.EmbedLink, UserName, Secure("stale password"), CancellationToken.None);
        var options = h.Options() with
        {
            UserName = UserName,
            PasswordVault = vault,
            CredentialProvider = (_, user, _) => Task.FromResult<IdpCredential?>(new IdpCredential(user!, Secure(Password))),
        };

        await h.GetAsync(options);

        Assert.Equal(new[] { "BadPassword", "Success" }, h.Okta.Calls.Where(c => c.SentPassword).Select(c => c.Outcome));
        Assert.Equal(Password, IdpCredential.Reveal(vault.Saved[UserName]));
        Assert.Contains(h.Log.Messages, m => m.Contains("refused the password saved in vault 'memory'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(OktaAccountState.LockedOut, "OktaAccountLockedOut")]
    [InlineData(OktaAccountState.PasswordExpired, "OktaPasswordExpired")]
    [InlineData(OktaAccountState.MfaEnroll, "OktaMfaEnrollRequired")]
    [InlineData(OktaAccountState.PasswordReset, "OktaUnexpectedStatus")]
    public async Task An_account_state_primary_authentication_reports_is_its_own_error(OktaAccountState state, string code)
    {
        await using var h = await StartAsync(push: true, state: state);

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Equal(code, error.Code);
        Assert.Contains(UserName, error.Message, StringComparison.Ordinal);
        Assert.Single(h.Okta.Calls);
        Assert.Empty(h.Sts.Calls);
    }

    [Fact]
    public async Task A_transaction_that_expired_while_the_user_looked_for_the_code_is_OktaTransactionExpired()
    {
        await using var h = await StartAsync(totp: OktaTotpProvider.Okta);
        var options = h.Options(Alice()) with
        {
            PasscodeProvider = (_, _) =>
            {
                h.Okta.ExpireStateTokens();
                return Task.FromResult<SecureString?>(Secure(h.Code()));
            },
        };

        var error = await h.FailAsync(options);

        Assert.Equal("OktaTransactionExpired", error.Code);
        Assert.Equal("BadStateToken", h.Okta.Calls[^1].Outcome);
    }

    [Theory]
    [InlineData(429, "E0000047", "OktaRateLimited", FailureKind.Throttled, "too many requests (HTTP 429)")]
    [InlineData(500, "E0000009", "SamlIdpError", FailureKind.InvalidResponse, "HTTP 500 E0000009: Simulated failure")]
    [InlineData(403, "E0000006", "SamlIdpError", FailureKind.InvalidResponse, "HTTP 403 E0000006: Simulated failure")]
    public async Task Okta_errors_keep_their_code_and_summary(int status, string errorCode, string code, FailureKind kind, string said)
    {
        await using var h = await StartAsync(push: true);
        h.Okta.InjectError("/api/v1/authn/factors/", status, errorCode, "Simulated failure");

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Equal((code, kind), (error.Code, error.Kind));
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
        Assert.Equal("Injected", h.Okta.Calls[^1].Outcome);
    }

    [Fact]
    public async Task The_okta_session_is_saved_0600_and_the_next_sign_in_opens_the_app_without_password_or_factor()
    {
        await using var h = await StartAsync(push: true);
        await h.GetAsync(h.Options(Alice()));
        var first = h.Okta.Calls.Count;

        await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Reader } });
        await h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Deploy } });

        var later = h.Okta.Calls.Skip(first).ToArray();
        Assert.Equal(new[] { FakeOkta.EmbedPath, FakeOkta.AppSsoPath, FakeOkta.EmbedPath, FakeOkta.AppSsoPath }, later.Select(c => c.Path));
        Assert.All(later, call => Assert.Equal((false, false, true, true), (call.SentPassword, call.SentSessionToken, call.SentSessionCookie, call.UsedSession)));
        Assert.Equal(3, h.SamlCalls.Count);
        Assert.Single(h.Okta.Calls, c => c.SentPassword);

        var sessions = Path.Combine(h.World.HomePath, "saml", "sessions");
        var file = Assert.Single(Directory.GetFiles(sessions, "*.json"));
        var text = File.ReadAllText(file);
        Assert.Contains("\"Name\": \"" + FakeOkta.SessionCookieName + "\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.All(h.Okta.IssuedAssertions, a => Assert.DoesNotContain(a.Substring(0, 60), text, StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixMode.OwnerOnlyFile, UnixMode.Of(file));
            Assert.Equal(UnixMode.OwnerOnlyFolder, UnixMode.Of(sessions));
        }
    }

    [Fact]
    public async Task An_ended_okta_session_falls_back_to_the_password_for_the_same_user()
    {
        await using var h = await StartAsync();
        await h.GetAsync(h.Options(Alice()));
        h.Okta.EndSessions();
        string? suggested = null;

        await h.GetAsync(h.Options() with { CredentialProvider = (_, user, _) => { suggested = user; return Task.FromResult<IdpCredential?>(Alice()); } }, r => r with { RoleArns = new[] { Reader } });

        var calls = h.Okta.Calls.Skip(4).ToArray();
        Assert.Equal(("LoginRedirect", true), (calls[0].Outcome, calls[0].SentSessionCookie));
        Assert.Equal("LoginPage", calls[1].Outcome);
        Assert.Equal(("Success", true), (calls[2].Outcome, calls[2].SentPassword));
        Assert.Equal((false, "SessionCreated"), (calls[3].SentSessionCookie, calls[3].Outcome));
        Assert.Equal(UserName, suggested);
        Assert.Contains(h.Log.Messages, m => m.Contains("The Okta session has ended", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ended_session_with_nobody_to_ask_says_the_session_ended()
    {
        await using var h = await StartAsync();
        await h.GetAsync(h.Options(Alice()));
        h.Okta.EndSessions();

        var error = await h.FailAsync(h.Options(), r => r with { RoleArns = new[] { Reader } });

        Assert.Equal("SamlCredentialRequired", error.Code);
        Assert.Contains("ended", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_users_saved_session_is_not_used_and_sessions_are_kept_per_profile()
    {
        await using var h = await StartAsync();
        h.Okta.AddUser("bob@example.com", "bobs password", new[] { Role(Reader, ProviderA) });
        await h.GetAsync(h.Options(Alice()) with { ProfileName = "work" });

        await h.GetAsync(h.Options(new IdpCredential("bob@example.com", Secure("bobs password"))) with { ProfileName = "work" }, r => r with { RoleArns = new[] { Reader } });
        var other = await h.FailAsync(h.Options() with { ProfileName = "play" });

        Assert.Single(h.Okta.Calls, c => c.SentPassword && c.UserName == "bob@example.com");
        Assert.EndsWith("/Reader/bob@example.com", h.Sts.FindIssued(h.SamlCalls[^1].IssuedAccessKeyId!)!.Arn, StringComparison.Ordinal);
        Assert.Equal("SamlCredentialRequired", other.Code);
    }

    [Fact]
    public async Task Concurrent_sign_ins_of_one_session_send_the_password_and_the_push_once()
    {
        await using var h = await StartAsync(push: true);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => h.Provider(h.Options(Alice())).SignInAsync(CancellationToken.None)));

        Assert.Single(h.Okta.Calls, c => c.SentPassword);
        Assert.Single(h.Okta.Calls, c => c.Outcome == "Approved");
        Assert.Equal(3, h.Okta.Calls.Count(c => c.Outcome == "Form"));
    }

    [Theory]
    [InlineData(OktaAppBehavior.NoRoles, "SamlNoRoles")]
    [InlineData(OktaAppBehavior.Oversized, "SamlResponseTooLarge")]
    [InlineData(OktaAppBehavior.HugePage, "SamlResponseTooLarge")]
    [InlineData(OktaAppBehavior.WrongAction, "SamlUnexpectedRecipient")]
    [InlineData(OktaAppBehavior.NotAssigned, "SamlIdpError")]
    [InlineData(OktaAppBehavior.ForeignRedirect, "SamlIdpError")]
    public async Task A_bad_app_answer_has_its_own_error_and_never_reaches_sts(OktaAppBehavior behavior, string code)
    {
        await using var h = await StartAsync();
        h.Okta.Behavior = behavior;

        var error = await h.FailAsync(h.Options(Alice()), r => r with { AllRoles = true });

        Assert.Equal(code, error.Code);
        Assert.Equal(h.Okta.EmbedLink.ToString(), error.Target);
        Assert.DoesNotContain("SAMLRequest", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Sts.Calls);
    }

    [Fact]
    public async Task An_expired_assertion_is_refused_by_sts_as_ExpiredTokenException()
    {
        await using var h = await StartAsync();
        h.Okta.Behavior = OktaAppBehavior.Expired;

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Equal("ExpiredTokenException", error.Code);
    }

    [Fact]
    public async Task A_url_that_is_not_the_apps_embed_link_is_OktaNoSamlResponse()
    {
        await using var h = await StartAsync();
        var login = new Uri(h.Okta.OrgUrl, FakeOkta.LoginPath);

        var error = await h.FailAsync(new OktaProviderOptions(login) { Credential = Alice() });

        Assert.Equal("OktaNoSamlResponse", error.Code);
        Assert.Contains("'/login/login.htm'", error.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.InvalidResponse, error.Kind);
    }

    [Fact]
    public async Task A_server_that_is_not_okta_is_SamlIdpError()
    {
        await using var h = await StartAsync();
        var notOkta = new Uri(h.Sts.Endpoint, FakeOkta.EmbedPath);

        var error = await h.FailAsync(new OktaProviderOptions(notOkta) { Credential = Alice() });

        Assert.Equal("SamlIdpError", error.Code);
        Assert.Empty(h.SamlCalls);
    }

    [Fact]
    public async Task A_plain_http_org_other_than_loopback_is_SamlInsecureEndpoint()
    {
        await using var h = await StartAsync();

        var error = Assert.Throws<AwsLoginException>(() => h.Provider(new OktaProviderOptions(new Uri("http://example.okta.com/home/amazon_aws/0oa1/272")) { Credential = Alice() }));

        Assert.Equal("SamlInsecureEndpoint", error.Code);
    }

    [Fact]
    public async Task An_unreachable_org_is_EndpointUnreachable()
    {
        await using var h = await StartAsync();
        var link = h.Okta.EmbedLink;
        await h.Okta.StopAsync();

        var error = await h.FailAsync(new OktaProviderOptions(link) { Credential = Alice() });

        Assert.Equal(("EndpointUnreachable", FailureKind.EndpointUnreachable), (error.Code, error.Kind));
    }

    [Fact]
    public async Task SkipCertificateCheck_warns_loudly()
    {
        await using var h = await StartAsync();

        await h.GetAsync(h.Options(Alice()) with { SkipCertificateCheck = true });

        Assert.Contains(h.Log.Messages, m => m.Contains("NOT checked", StringComparison.Ordinal) && m.Contains(h.Okta.EmbedLink.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetRoles_lists_the_roles_without_sts_and_KnownUserName_comes_from_the_saved_session()
    {
        await using var h = await StartAsync(push: true);

        var roles = await h.Broker().GetRolesAsync(h.Provider(h.Options(Alice())), CancellationToken.None);

        Assert.Equal(new[] { Admin, Reader, Deploy }, roles.Select(r => r.RoleArn.Value));
        Assert.Empty(h.Sts.Calls);
        Assert.Equal(UserName, h.Provider(h.Options()).KnownUserName);
        Assert.Null(h.Provider(h.Options() with { ProfileName = "other" }).KnownUserName);
        Assert.Equal("Okta", h.Provider(h.Options()).Name);
    }

    private sealed class MemoryVault : IIdpPasswordVault
    {
        public ConcurrentDictionary<string, SecureString> Saved { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string Name => "memory";

        public Task<SecureString?> GetAsync(Uri endpoint, string userName, CancellationToken cancellationToken) =>
            Task.FromResult(Saved.TryGetValue(userName, out var password) ? password : null);

        public Task SaveAsync(Uri endpoint, string userName, SecureString password, CancellationToken cancellationToken)
        {
            Saved[userName] = password;
            return Task.CompletedTask;
        }
    }
}
