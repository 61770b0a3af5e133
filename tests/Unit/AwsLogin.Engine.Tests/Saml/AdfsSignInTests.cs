using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Adfs;
using AwsLogin.Engine.Tests.Cache;
using AwsLogin.TestServers;
using Xunit;
using static AwsLogin.Engine.Tests.Saml.AdfsHarness;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>
/// Sign-in through ADFS's IdP-initiated sign-on page against the fake ADFS, ending in credentials the fake STS issued
/// for AssumeRoleWithSAML: the login form, the session cookie, verification codes, Windows sign-in falling back to the
/// form, TLS, and what a broken or hostile IdP gets.
/// </summary>
public sealed class AdfsSignInTests
{
    [Fact]
    public async Task The_login_form_ends_in_credentials_sts_issued_for_the_role()
    {
        await using var h = await StartAsync();

        var credentials = Assert.Single(await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin } }));

        var calls = h.Idp.Calls;
        Assert.Equal(new[] { ("GET", "LoginForm"), ("POST", "SignedIn"), ("GET", "Issued") }, calls.Select(c => (c.Method, c.Outcome)));
        var post = calls[1];
        Assert.Equal(UserName, post.PostedUserName);
        Assert.True(post.SentPassword);
        Assert.Equal(FakeAdfsIdp.FormsAuthentication, post.AuthMethod);
        Assert.False(post.SentKmsi);
        Assert.All(calls, c => Assert.StartsWith("AwsLogin/", c.UserAgent, StringComparison.Ordinal));
        Assert.True(calls[2].SentSessionCookie);

        var stsCall = Assert.Single(h.SamlCalls);
        Assert.Equal(Admin, stsCall.Parameters["RoleArn"]);
        Assert.Equal(ProviderA, stsCall.Parameters["PrincipalArn"]);
        Assert.Equal(stsCall.IssuedAccessKeyId, credentials.AccessKeyId);
        Assert.True(h.Sts.IsValidSession(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        Assert.Equal(CredentialOrigin.SamlRole, credentials.Origin);
        Assert.Equal("arn:aws:sts::111111111111:assumed-role/ADFS-Admin/" + UserName, credentials.Arn);
        h.AssertLogClean();
    }

    [Theory]
    [InlineData("")]
    [InlineData("adfs/ls/IdpInitiatedSignOn.aspx")]
    [InlineData("adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices")]
    [InlineData("adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn%3aamazon%3awebservices")]
    public async Task The_server_or_its_sign_on_page_are_both_accepted(string path)
    {
        await using var h = await StartAsync();
        var url = new Uri(h.Idp.BaseUri, path);

        var roles = await new SamlCredentialBroker(h.World.Context()).GetRolesAsync(h.Provider(new AdfsProviderOptions(url) { Credential = Alice() }), CancellationToken.None);

        Assert.Equal(3, roles.Count);
        Assert.Equal("Issued", h.Idp.Calls[^1].Outcome);
        Assert.Equal(h.Idp.SignOnUrl.AbsolutePath, new AdfsProviderOptions(url).EndpointUrl.AbsolutePath);
    }

    [Fact]
    public void The_sign_on_url_names_the_service_provider_unless_it_names_one()
    {
        var bare = new AdfsProviderOptions(new Uri("https://adfs.example.com"));
        var govCloud = new AdfsProviderOptions(new Uri("https://adfs.example.com/adfs/ls/IdpInitiatedSignOn.aspx?RelayState=x")) { ServiceProviderEntityId = "urn:amazon:webservices:govcloud" };
        var named = new AdfsProviderOptions(new Uri("https://adfs.example.com/adfs/ls/IdpInitiatedSignOn.aspx?LoginToRP=urn:example:other"));

        Assert.Equal("https://adfs.example.com/adfs/ls/IdpInitiatedSignOn.aspx", bare.EndpointUrl.ToString());
        Assert.Equal("https://adfs.example.com/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn%3Aamazon%3Awebservices", bare.SignOnUrl().AbsoluteUri);
        Assert.Equal("?RelayState=x&loginToRp=urn%3Aamazon%3Awebservices%3Agovcloud", govCloud.SignOnUrl().Query);
        Assert.Equal(named.EndpointUrl, named.SignOnUrl());
    }

    [Fact]
    public async Task A_wrong_password_is_SamlAuthenticationFailed_with_adfs_own_text_and_no_sts_call()
    {
        await using var h = await StartAsync();

        var error = await h.FailAsync(h.Options(Alice("wrong password")), more: "wrong password");

        Assert.Equal(SamlErrors.AuthenticationFailed, error.Code);
        Assert.Equal(FailureKind.AuthenticationFailed, error.Kind);
        Assert.Contains(UserName, error.Message, StringComparison.Ordinal);
        Assert.Contains(FakeAdfsIdp.BadPasswordText, error.Message, StringComparison.Ordinal);
        Assert.Equal(h.Options().EndpointUrl.ToString(), error.Target);
        Assert.Equal(new[] { "LoginForm", "BadPassword" }, h.Idp.Calls.Select(c => c.Outcome));
        Assert.Empty(h.Sts.Calls);
    }

    [Fact]
    public async Task A_refused_vault_password_is_asked_for_again_and_the_typed_one_saved()
    {
        await using var h = await StartAsync();
        var vault = new MemoryVault();
        await vault.SaveAsync(h.Options().EndpointUrl, UserName, SamlHarness.Secure("stale password"), CancellationToken.None);
        var asked = 0;

        var credentials = await h.GetAsync(
            h.Options() with
            {
                UserName = UserName,
                PasswordVault = vault,
                CredentialProvider = (_, user, _) => { asked++; Assert.Equal(UserName, user); return Task.FromResult<IdpCredential?>(Alice()); },
            },
            r => r with { RoleArns = new[] { Reader } });

        Assert.Single(credentials);
        Assert.Equal(1, asked);
        Assert.Equal(new[] { "LoginForm", "BadPassword", "LoginForm", "SignedIn", "Issued" }, h.Idp.Calls.Select(c => c.Outcome));
        Assert.Equal(Password, IdpCredential.Reveal(vault.Saved[UserName]));
        Assert.Contains(h.Log.Messages, m => m.Contains("refused the password saved in vault", StringComparison.Ordinal));
        h.AssertLogClean("stale password");
    }

    [Fact]
    public async Task The_adfs_session_is_saved_0600_and_the_next_sign_in_sends_no_password()
    {
        await using var h = await StartAsync();
        await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin } });

        // With the credential given again, and with none at all: the MSISAuth cookie alone signs in.
        await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Reader } });
        await h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Deploy } });

        var calls = h.Idp.Calls;
        Assert.Equal(5, calls.Count);
        Assert.Equal(1, calls.Count(c => c.SentPassword));
        Assert.All(calls.Skip(3), c => Assert.Equal(("GET", true, true, "Issued"), (c.Method, c.SentSessionCookie, c.UsedSession, c.Outcome)));
        Assert.Equal(3, h.SamlCalls.Count);

        var sessions = Path.Combine(h.World.HomePath, "saml", "sessions");
        var file = Assert.Single(Directory.GetFiles(sessions, "*.json"));
        var text = File.ReadAllText(file);
        Assert.Contains(FakeAdfsIdp.SessionCookieName, text, StringComparison.Ordinal);
        Assert.Contains(UserName, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.All(h.Idp.IssuedAssertions, a => Assert.DoesNotContain(a.Substring(0, 60), text, StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixMode.OwnerOnlyFile, UnixMode.Of(file));
            Assert.Equal(UnixMode.OwnerOnlyFolder, UnixMode.Of(sessions));
        }
    }

    [Fact]
    public async Task Cached_role_credentials_need_neither_adfs_nor_sts()
    {
        await using var h = await StartAsync();
        var first = await h.GetAsync(h.Options(Alice()), r => r with { AllRoles = true });

        var again = await h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Deploy } });

        Assert.Equal(3, h.Idp.Calls.Count);
        Assert.Equal(3, h.SamlCalls.Count);
        Assert.Equal(first[2].AccessKeyId, Assert.Single(again).AccessKeyId);
    }

    [Fact]
    public async Task An_ended_session_falls_back_to_the_password_suggesting_its_user()
    {
        await using var h = await StartAsync();
        await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin } });
        h.Idp.EndSessions();
        string? suggested = null;

        await h.GetAsync(h.Options() with { CredentialProvider = (_, user, _) => { suggested = user; return Task.FromResult<IdpCredential?>(Alice()); } }, r => r with { RoleArns = new[] { Reader } });

        var calls = h.Idp.Calls.Skip(3).ToArray();
        Assert.Equal(("LoginForm", true, false), (calls[0].Outcome, calls[0].SentSessionCookie, calls[0].UsedSession));
        Assert.Equal(new[] { "LoginForm", "SignedIn", "Issued" }, calls.Skip(1).Select(c => c.Outcome));
        Assert.Equal(UserName, suggested);
    }

    [Fact]
    public async Task An_ended_session_with_nobody_to_ask_says_the_session_ended()
    {
        await using var h = await StartAsync();
        await h.GetAsync(h.Options(Alice()), r => r with { RoleArns = new[] { Admin } });
        h.Idp.EndSessions();

        var error = await h.FailAsync(h.Options(), r => r with { RoleArns = new[] { Reader } });

        Assert.Equal(SamlErrors.CredentialRequired, error.Code);
        Assert.Contains("ended", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(h.World.HomePath, "saml", "sessions"), "*.json"));
    }

    [Fact]
    public async Task Concurrent_sign_ins_of_one_session_send_the_password_once()
    {
        await using var h = await StartAsync();

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => h.Provider(h.Options(Alice())).SignInAsync(CancellationToken.None)));

        // One password sign-in (form, post, the page it redirects to), then two sign-ins by the saved session alone.
        Assert.Single(h.Idp.Calls, c => c.SentPassword);
        Assert.Equal(new[] { "LoginForm", "SignedIn", "Issued", "Issued", "Issued" }, h.Idp.Calls.Select(c => c.Outcome));
    }

    [Fact]
    public async Task A_given_verification_code_answers_the_mfa_page()
    {
        await using var h = await StartAsync(mfa: true);
        h.Idp.AddVerificationCodes(UserName, "123456");

        await h.GetAsync(h.Options(Alice()) with { Passcode = SamlHarness.Secure(" 123456 ") }, r => r with { RoleArns = new[] { Reader } });

        var calls = h.Idp.Calls;
        Assert.Equal(new[] { "LoginForm", "MfaForm", "SignedIn", "Issued" }, calls.Select(c => c.Outcome));
        Assert.Equal((FakeAdfsIdp.AzureMfaAuthentication, true, false), (calls[2].AuthMethod, calls[2].SentVerificationCode, calls[2].SentPassword));
        Assert.Single(h.SamlCalls);
        h.AssertLogClean("123456");
    }

    [Fact]
    public async Task Without_a_code_it_is_asked_for_and_without_anyone_to_ask_it_is_SamlPasscodeRequired()
    {
        await using var h = await StartAsync(mfa: true);
        h.Idp.AddVerificationCodes(UserName, "654321");
        string? prompt = null;

        await h.GetAsync(h.Options(Alice()) with { PasscodeProvider = (message, _) => { prompt = message; return Task.FromResult<SecureString?>(SamlHarness.Secure("654321")); } }, r => r with { AllRoles = true });
        var error = await h.FailAsync(h.Options(Alice()) with { ProfileName = "other" }, r => r with { AllRoles = true });

        Assert.Contains(UserName, prompt, StringComparison.Ordinal);
        Assert.Contains("verification code", prompt, StringComparison.Ordinal);
        Assert.Equal(SamlErrors.PasscodeRequired, error.Code);
        Assert.Equal("MfaForm", h.Idp.Calls[^1].Outcome);
    }

    [Fact]
    public async Task A_refused_code_is_SamlPasscodeRejected_and_the_password_is_not_asked_again()
    {
        await using var h = await StartAsync(mfa: true);
        h.Idp.AddVerificationCodes(UserName, "111111");
        var asked = 0;

        var error = await h.FailAsync(
            h.Options() with
            {
                Passcode = SamlHarness.Secure("999999"),
                CredentialProvider = (_, _, _) => { asked++; return Task.FromResult<IdpCredential?>(Alice()); },
            },
            more: "999999");

        Assert.Equal(SamlErrors.PasscodeRejected, error.Code);
        Assert.Equal(FailureKind.AuthenticationFailed, error.Kind);
        Assert.Contains(FakeAdfsIdp.BadCodeText, error.Message, StringComparison.Ordinal);
        Assert.Equal(1, asked);
        Assert.Equal("BadCode", h.Idp.Calls[^1].Outcome);
    }

    [Theory]
    [InlineData(AdfsMfaMode.AzurePush, FakeAdfsIdp.AzureMfaAuthentication)]
    [InlineData(AdfsMfaMode.DuoFrame, "frame")]
    public async Task A_second_factor_only_a_browser_can_complete_is_SamlBrowserRequired(AdfsMfaMode mode, string named)
    {
        await using var h = await StartAsync(mfa: true);
        h.Idp.MfaMode = mode;

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Equal(SamlErrors.BrowserRequired, error.Code);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains("-Provider Browser", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Equal("MfaForm", h.Idp.Calls[^1].Outcome);
    }

    [Fact]
    public async Task A_redirect_loop_stops_at_the_bound_as_SamlIdpError()
    {
        await using var h = await StartAsync();
        h.Idp.Behavior = AdfsIdpBehavior.RedirectLoop;

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Equal(SamlErrors.IdpError, error.Code);
        Assert.Contains("redirected", error.Message, StringComparison.Ordinal);
        Assert.Equal(AdfsSamlProvider.MaxRedirects + 1, h.Idp.Calls.Count);
    }

    [Theory]
    [InlineData(AdfsIdpBehavior.HugePage, SamlErrors.ResponseTooLarge)]
    [InlineData(AdfsIdpBehavior.SignOnPageDisabled, SamlErrors.UnexpectedPage)]
    [InlineData(AdfsIdpBehavior.ForeignRedirect, SamlErrors.BrowserRequired)]
    [InlineData(AdfsIdpBehavior.WrongConsumer, SamlErrors.UnexpectedRecipient)]
    [InlineData(AdfsIdpBehavior.NoRoles, SamlErrors.NoRoles)]
    public async Task A_broken_idp_has_its_own_error_and_never_reaches_sts(AdfsIdpBehavior behavior, string code)
    {
        await using var h = await StartAsync();
        h.Idp.Behavior = behavior;

        var error = await h.FailAsync(h.Options(Alice()), r => r with { AllRoles = true });

        Assert.Equal(code, error.Code);
        Assert.Equal(h.Options().EndpointUrl.ToString(), error.Target);
        Assert.Empty(h.Sts.Calls);
    }

    [Fact]
    public async Task The_disabled_sign_on_page_is_explained_with_adfs_own_words()
    {
        await using var h = await StartAsync();
        h.Idp.Behavior = AdfsIdpBehavior.SignOnPageDisabled;

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Contains("not available", error.Message, StringComparison.Ordinal);
        Assert.Contains("EnableIdPInitiatedSignonPage", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_login_form_posting_to_another_host_never_gets_the_password()
    {
        await using var h = await StartAsync();
        h.Idp.Behavior = AdfsIdpBehavior.ForeignFormAction;

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Equal(SamlErrors.InsecureEndpoint, error.Code);
        Assert.Contains("collect.example.test", error.Message, StringComparison.Ordinal);
        Assert.Equal("LoginForm", Assert.Single(h.Idp.Calls).Outcome);
    }

    [Fact]
    public async Task A_plain_http_endpoint_other_than_loopback_is_SamlInsecureEndpoint()
    {
        await using var h = await StartAsync();

        var error = Assert.Throws<AwsLoginException>(() => h.Provider(new AdfsProviderOptions(new Uri("http://adfs.example.test/")) { Credential = Alice() }));

        Assert.Equal(SamlErrors.InsecureEndpoint, error.Code);
    }

    [Fact]
    public async Task An_unreachable_adfs_is_EndpointUnreachable()
    {
        await using var h = await StartAsync();
        var options = h.Options(Alice());
        await h.Idp.StopAsync();

        var error = await h.FailAsync(options);

        Assert.Equal("EndpointUnreachable", error.Code);
        Assert.Equal(FailureKind.EndpointUnreachable, error.Kind);
    }

    [Fact]
    public async Task Over_https_an_untrusted_certificate_is_SamlCertificateUntrusted_before_anything_is_sent()
    {
        await using var h = await StartAsync(https: true);
        Assert.Equal("https", h.Idp.BaseUri.Scheme);

        var error = await h.FailAsync(h.Options(Alice()));

        Assert.Equal(SamlErrors.CertificateUntrusted, error.Code);
        Assert.Equal(FailureKind.EndpointUnreachable, error.Kind);
        Assert.Contains("-SkipCertificateCheck", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(h.Idp.Calls);
    }

    [Fact]
    public async Task SkipCertificateCheck_signs_in_over_https_with_a_loud_warning_and_secure_cookies()
    {
        await using var h = await StartAsync(https: true);

        await h.GetAsync(h.Options(Alice()) with { SkipCertificateCheck = true }, r => r with { RoleArns = new[] { Admin } });
        await h.GetAsync(h.Options() with { SkipCertificateCheck = true }, r => r with { RoleArns = new[] { Reader } });

        Assert.Contains(h.Log.Messages, m => m.Contains("NOT checked", StringComparison.Ordinal) && m.Contains(h.Options().EndpointUrl.ToString(), StringComparison.Ordinal));
        Assert.Equal(("Issued", true), (h.Idp.Calls[^1].Outcome, h.Idp.Calls[^1].UsedSession));
        Assert.Equal(2, h.SamlCalls.Count);
    }

    [Fact]
    public async Task UseDefaultCredentials_tries_windows_sign_in_first_and_falls_back_to_the_form()
    {
        await using var h = await StartAsync();
        h.Idp.IntegratedAuthentication = true;

        var credentials = await h.GetAsync(
            h.Options() with { UseDefaultCredentials = true, CredentialProvider = (_, _, _) => Task.FromResult<IdpCredential?>(Alice()) },
            r => r with { RoleArns = new[] { Admin } });

        Assert.Single(credentials);
        var calls = h.Idp.Calls;
        Assert.Equal(("ToWia", true), (calls[0].Outcome, calls[0].UserAgent!.Contains("Trident/7.0", StringComparison.Ordinal)));
        Assert.Contains(calls, c => c.Outcome == "WiaChallenge");
        var forms = calls.SkipWhile(c => c.Outcome is "ToWia" or "WiaChallenge").ToArray();
        Assert.Equal(new[] { "LoginForm", "SignedIn", "Issued" }, forms.Select(c => c.Outcome));
        Assert.All(forms, c => Assert.DoesNotContain("Trident", c.UserAgent, StringComparison.Ordinal));
        Assert.Contains(h.Log.Messages, m => m.Contains("did not sign the Windows user in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UseDefaultCredentials_outside_the_intranet_meets_the_form_and_needs_a_password()
    {
        await using var h = await StartAsync();

        var error = await h.FailAsync(h.Options() with { UseDefaultCredentials = true });

        Assert.Equal(SamlErrors.CredentialRequired, error.Code);
        var call = Assert.Single(h.Idp.Calls);
        Assert.Equal("LoginForm", call.Outcome);
        Assert.Contains("Trident/7.0", call.UserAgent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_credential_given_UseDefaultCredentials_is_not_tried()
    {
        await using var h = await StartAsync();
        h.Idp.IntegratedAuthentication = true;

        await h.GetAsync(h.Options(Alice()) with { UseDefaultCredentials = true }, r => r with { RoleArns = new[] { Admin } });

        Assert.Equal(new[] { "LoginForm", "SignedIn", "Issued" }, h.Idp.Calls.Select(c => c.Outcome));
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
