using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Browser;
using AwsLogin.TestServers;
using Xunit;
using static AwsLogin.Engine.Tests.Saml.SamlHarness;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>
/// Sign-in through a real headless Chromium against the fake browser IdP, ending in credentials the fake STS issued.
/// Each test starts a browser (a second or more each), so there are few; each checks that no browser process is left.
/// </summary>
public sealed class BrowserSignInTests : IClassFixture<ChromiumFixture>
{
    private readonly ChromiumFixture _chromium;

    public BrowserSignInTests(ChromiumFixture chromium)
    {
        _chromium = chromium;
    }

    [Fact]
    public async Task The_login_form_then_the_kept_profile_session_end_in_credentials_sts_issued()
    {
        await using var h = await BrowserHarness.StartAsync(_chromium.Path);
        h.Idp.AutoSubmit = (BrowserHarness.UserName, BrowserHarness.Password);
        h.Idp.CacheablePostPage = true;

        var first = Assert.Single(await h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Admin } }));

        Assert.Equal(new[] { ("GET", "LoginPage"), ("POST", "SignedIn"), ("GET", "Issued") }, h.Idp.Calls.Where(c => c.Path == FakeBrowserIdp.StartPath).Select(c => (c.Method, c.Outcome)));
        var stsCall = Assert.Single(h.SamlCalls);
        Assert.Null(stsCall.SigningAccessKeyId);
        Assert.Equal((Admin, ProviderA), (stsCall.Parameters["RoleArn"], stsCall.Parameters["PrincipalArn"]));
        Assert.Equal(h.Idp.IssuedAssertions.Single().Length, stsCall.SamlAssertionLength);
        Assert.Equal(stsCall.IssuedAccessKeyId, first.AccessKeyId);
        Assert.True(h.Sts.IsValidSession(first.AccessKeyId, first.SecretAccessKey, first.SessionToken));
        Assert.Equal(("arn:aws:sts::111111111111:assumed-role/Admin/alice", CredentialOrigin.SamlRole), (first.Arn, first.Origin));
        Assert.Empty(Chromium.ProcessesUsing(h.ProfileDirectory));

        // The browser was closed cleanly, so its profile kept the IdP's session cookie: no login form the second time.
        h.Idp.AutoSubmit = null;
        var second = Assert.Single(await h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Deploy } }));

        Assert.Equal(1, h.Idp.LoginPosts);
        var sessionCall = h.Idp.Calls.Last(c => c.Path == FakeBrowserIdp.StartPath);
        Assert.Equal(("GET", true, true, "Issued"), (sessionCall.Method, sessionCall.SentSessionCookie, sessionCall.UsedSession, sessionCall.Outcome));
        Assert.Equal("arn:aws:sts::222222222222:assumed-role/Deploy/alice", second.Arn);
        Assert.Empty(Chromium.ProcessesUsing(h.ProfileDirectory));

        // The user was recorded, so a role already cached is returned without starting the browser at all.
        var provider = new BrowserSamlProvider(h.Options(), h.World.Context());
        Assert.Equal(UserName, provider.KnownUserName);
        var calls = h.Idp.Calls.Count;
        var cached = Assert.Single(await h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Admin } }));
        Assert.Equal(first.AccessKeyId, cached.AccessKeyId);
        Assert.Equal(calls, h.Idp.Calls.Count);

        var log = string.Join("\n", h.Log.Messages);
        Assert.Contains("Starting the browser " + _chromium.Path + " headless with the profile folder " + h.ProfileDirectory, log, StringComparison.Ordinal);
        Assert.Contains("accepts DevTools connections on 127.0.0.1:", log, StringComparison.Ordinal);
        Assert.Contains("Intercepted the form the identity provider posts to https://signin.aws.amazon.com/saml", log, StringComparison.Ordinal);
        Assert.Contains("Closed the browser.", log, StringComparison.Ordinal);
        h.AssertLogClean();

        // Neither the browser's session files (a POST that ends a navigation is kept for restoring tabs) nor its cache
        // (this IdP lets the page that posts the assertion be cached) hold the assertion or the password.
        h.AssertNoSecretsOnDisk();
        Assert.False(Directory.Exists(Path.Combine(h.ProfileDirectory, BrowserSamlProvider.CacheFolder)));
        Assert.True(Directory.Exists(Path.Combine(h.ProfileDirectory, "Default")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(h.ProfileDirectory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(h.ProfileDirectory, BrowserSamlProvider.KnownUsersFile)));
        }
    }

    [Fact]
    public async Task A_page_nobody_answers_is_SamlBrowserTimedOut_and_the_browser_is_ended_and_skipping_certificate_checks_warns()
    {
        await using var h = await BrowserHarness.StartAsync(_chromium.Path);
        var watch = Stopwatch.StartNew();

        var error = await h.FailAsync(h.Options() with { Timeout = TimeSpan.FromSeconds(4), SkipCertificateCheck = true }, r => r with { RoleArns = new[] { Admin } });

        Assert.Equal(SamlErrors.BrowserTimedOut, error.Code);
        Assert.Contains(h.Log.Messages, m => m.StartsWith("SkipCertificateCheck is set: the browser accepts ANY TLS certificate", StringComparison.Ordinal));
        Assert.Contains("headless", error.Message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(30));
        Assert.Equal("LoginPage", Assert.Single(h.Idp.Calls, c => c.Path == FakeBrowserIdp.StartPath).Outcome);
        Assert.Empty(h.Sts.Calls);
        Assert.Empty(Chromium.ProcessesUsing(h.ProfileDirectory));
    }

    [Fact]
    public async Task A_browser_closed_before_the_sign_in_is_SamlBrowserClosed()
    {
        await using var h = await BrowserHarness.StartAsync(_chromium.Path);
        var sign = h.GetAsync(h.Options(), r => r with { RoleArns = new[] { Admin } });

        // The user closes the browser while the IdP's login page waits for them.
        await WaitUntilAsync(() => h.Idp.Calls.Any(c => c.Outcome == "LoginPage"));
        Assert.NotEmpty(Chromium.ProcessesUsing(h.ProfileDirectory));
        Chromium.KillProcessesUsing(h.ProfileDirectory);

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => sign);
        Assert.Equal(SamlErrors.BrowserClosed, error.Code);
        Assert.Empty(h.Sts.Calls);
        h.AssertNoSecrets(error);
    }

    [Fact]
    public async Task A_form_without_SAMLResponse_or_an_assertion_without_roles_never_reaches_sts()
    {
        await using var h = await BrowserHarness.StartAsync(_chromium.Path);
        h.Idp.AutoSubmit = (BrowserHarness.UserName, BrowserHarness.Password);
        h.Idp.Behavior = BrowserIdpBehavior.MissingSamlResponse;

        var missing = await h.FailAsync(h.Options(), r => r with { RoleArns = new[] { Admin } });
        h.Idp.Behavior = BrowserIdpBehavior.NoRoles;
        var roleless = await h.FailAsync(h.Options(), r => r with { RoleArns = new[] { Admin } });

        Assert.Equal((SamlErrors.NotXml, FailureKind.InvalidResponse), (missing.Code, missing.Kind));
        Assert.Contains("no SAMLResponse", missing.Message, StringComparison.Ordinal);
        Assert.Equal(SamlErrors.NoRoles, roleless.Code);
        Assert.Equal(1, h.Idp.LoginPosts);
        Assert.Empty(h.Sts.Calls);
        Assert.Empty(Chromium.ProcessesUsing(h.ProfileDirectory));
    }

    [Fact]
    public async Task An_idp_that_cannot_be_reached_is_EndpointUnreachable()
    {
        await using var h = await BrowserHarness.StartAsync(_chromium.Path);
        await h.Idp.StopAsync();

        var error = await h.FailAsync(h.Options());

        Assert.Equal(("EndpointUnreachable", FailureKind.EndpointUnreachable), (error.Code, error.Kind));
        Assert.Contains("ERR_CONNECTION_REFUSED", error.Message, StringComparison.Ordinal);
        Assert.Equal(h.Idp.StartUrl.ToString(), error.Target);
        Assert.Empty(Chromium.ProcessesUsing(h.ProfileDirectory));
    }

    [Fact]
    public async Task A_browser_that_is_not_there_is_SamlBrowserNotFound_before_anything_starts()
    {
        await using var h = await BrowserHarness.StartAsync(_chromium.Path);
        var missing = Path.Combine(h.World.Root, "no-such-browser");

        var error = await h.FailAsync(h.Options() with { BrowserPath = missing });

        Assert.Equal((SamlErrors.BrowserNotFound, FailureKind.NotFound, missing), (error.Code, error.Kind, error.Target));
        Assert.Contains("-BrowserPath", error.RecommendedAction, StringComparison.Ordinal);
        Assert.Empty(h.Idp.Calls);
        Assert.False(Directory.Exists(h.ProfileDirectory));
    }

    [Fact]
    public async Task A_program_that_is_no_browser_is_SamlBrowserFailed()
    {
        await using var h = await BrowserHarness.StartAsync(_chromium.Path);
        var notBrowser = Path.Combine(h.World.Root, "not-a-browser");
        await File.WriteAllTextAsync(notBrowser, "#!/bin/sh\necho 'no DevTools here' >&2\nexit 3\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(notBrowser, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var error = await h.FailAsync(h.Options() with { BrowserPath = notBrowser });

        Assert.Equal((SamlErrors.BrowserFailed, notBrowser), (error.Code, error.Target));
        Assert.Contains("exited with code 3 before opening its DevTools port", error.Message, StringComparison.Ordinal);
        Assert.Contains("no DevTools here", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Idp.Calls);
    }

    [Fact]
    public void An_http_idp_other_than_loopback_is_SamlInsecureEndpoint()
    {
        var context = new EngineContext(new AwsLogin.Engine.Config.DictionaryEnvironment { ["HOME"] = Path.GetTempPath() }, NullEngineLog.Instance);

        var error = Assert.Throws<AwsLoginException>(() => SamlProviders.Create(new BrowserProviderOptions(new Uri("http://idp.example.test/sso")), context));

        Assert.Equal(SamlErrors.InsecureEndpoint, error.Code);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met within 30 seconds.");
            await Task.Delay(50);
        }
    }
}
