using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Tasks;
using AwsLogin.Engine.Sso;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Sso;

/// <summary>Connect: both sign-in flows against the fake Identity Center, the cache they leave, and their failures.</summary>
public sealed class SsoSignInTests
{
    [Fact]
    public async Task Pkce_sign_in_registers_as_the_aws_cli_and_caches_the_token_under_the_session_name()
    {
        await using var h = await SsoHarness.StartAsync();

        var session = await h.ConnectAsync();

        Assert.Equal(SsoTokenOrigin.AuthorizationCode, session.Origin);
        Assert.Equal(h.TokenPath, session.CacheFile);
        Assert.True(h.Sso.IsValidAccessToken(session.Token.AccessToken));
        var registration = Assert.Single(h.Sso.Registrations);
        Assert.Equal(new[] { "authorization_code", "refresh_token" }, registration.GrantTypes);
        Assert.Equal(new[] { "http://127.0.0.1/oauth/callback" }, registration.RedirectUris);
        Assert.Equal(h.Sso.StartUrl, registration.IssuerUrl);
        Assert.Equal(new[] { "sso:account:access" }, registration.Scopes);

        var authorize = h.Sso.Calls.Single(c => c.Operation == "Authorize");
        Assert.Equal("S256", authorize.Parameters["code_challenge_method"]);
        Assert.Matches("^http://127\\.0\\.0\\.1:\\d+/oauth/callback$", authorize.Parameters["redirect_uri"]);
        var create = h.Sso.Calls.Single(c => c.Operation == "CreateToken");
        Assert.Equal("authorization_code", create.Parameters["grantType"]);
        Assert.Equal(authorize.Parameters["redirect_uri"], create.Parameters["redirectUri"]);

        using var file = JsonDocument.Parse(File.ReadAllText(h.TokenPath));
        Assert.Equal(
            new[] { "startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken" },
            file.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(registration.ClientId, file.RootElement.GetProperty("clientId").GetString());
        Assert.Matches("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", file.RootElement.GetProperty("expiresAt").GetString());
        using var cachedRegistration = JsonDocument.Parse(File.ReadAllText(h.RegistrationPath()));
        Assert.Equal(registration.ClientId, cachedRegistration.RootElement.GetProperty("clientId").GetString());
        Assert.Equal("authorization_code", cachedRegistration.RootElement.GetProperty("grantTypes")[0].GetString());

        var prompt = Assert.Single(h.Prompts);
        Assert.Equal(SsoSignInFlow.AuthorizationCode, prompt.Flow);
        Assert.Equal(prompt.Url, Assert.Single(h.Opened));
    }

    [Fact]
    public async Task A_valid_cached_token_is_reused_and_force_signs_in_again_with_the_cached_registration()
    {
        await using var h = await SsoHarness.StartAsync();
        var first = await h.ConnectAsync();
        var calls = h.Sso.Calls.Count;

        var again = await h.ConnectAsync();
        var forced = await h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = SsoHarness.Session }, Force = true, Timeout = TimeSpan.FromSeconds(20) });

        Assert.Equal(SsoTokenOrigin.Cached, again.Origin);
        Assert.Equal(first.Token.AccessToken, again.Token.AccessToken);
        Assert.Equal(SsoTokenOrigin.AuthorizationCode, forced.Origin);
        Assert.NotEqual(first.Token.AccessToken, forced.Token.AccessToken);
        Assert.Equal(1, h.Sso.CountCalls("RegisterClient"));
        Assert.Equal(2, h.Sso.CountCalls("Authorize"));
        Assert.True(h.Sso.Calls.Count > calls);
    }

    [Fact]
    public async Task Device_code_sign_in_shows_the_code_polls_and_caches_the_token()
    {
        await using var h = await SsoHarness.StartAsync(manualClock: true);
        h.Sso.AutoApproveDeviceAfterPolls = 2;
        h.OpenUrl = _ => Task.CompletedTask;

        var session = await h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = SsoHarness.Session }, UseDeviceCode = true });

        Assert.Equal(SsoTokenOrigin.DeviceCode, session.Origin);
        Assert.True(h.Sso.IsValidAccessToken(session.Token.AccessToken));
        Assert.NotNull(session.Token.RefreshToken);
        var registration = Assert.Single(h.Sso.Registrations);
        Assert.Null(registration.GrantTypes);
        Assert.Empty(registration.RedirectUris);
        var device = Assert.Single(h.Sso.DeviceAuthorizations);
        var prompt = Assert.Single(h.Prompts);
        Assert.Equal(device.UserCode, prompt.UserCode);
        Assert.Contains(device.UserCode, prompt.Url);
        Assert.All(h.Delays, d => Assert.Equal(TimeSpan.FromSeconds(1), d));
        Assert.DoesNotContain(h.Sso.Calls, c => c.ErrorCode == "SlowDownException");
        Assert.True(File.Exists(h.TokenPath));
        Assert.False(SsoTokenCache.ParseRegistration(File.ReadAllText(h.RegistrationPath())).IsForAuthorizationCode);
    }

    [Fact]
    public async Task Slow_down_adds_five_seconds_to_the_polling_interval()
    {
        await using var h = await SsoHarness.StartAsync(manualClock: true);
        h.Sso.AutoApproveDeviceAfterPolls = 3;
        h.Sso.InjectError("CreateToken", "SlowDownException", 400, times: 1);
        h.OpenUrl = _ => Task.CompletedTask;

        await h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = SsoHarness.Session }, UseDeviceCode = true });

        Assert.Equal(TimeSpan.FromSeconds(6), h.Delays[0]);
        Assert.All(h.Delays, d => Assert.Equal(TimeSpan.FromSeconds(6), d));
    }

    [Fact]
    public async Task The_device_code_flow_is_used_where_no_browser_can_open_and_opens_none()
    {
        await using var h = await SsoHarness.StartAsync(manualClock: true);
        h.Environment["DISPLAY"] = null;
        h.Environment["SSH_CONNECTION"] = "192.0.2.1 50000 192.0.2.2 22";
        h.Sso.AutoApproveDeviceAfterPolls = 1;

        var session = await h.ConnectAsync();

        Assert.Equal(SsoTokenOrigin.DeviceCode, session.Origin);
        Assert.Empty(h.Opened);
        var prompt = Assert.Single(h.Prompts);
        Assert.False(prompt.OpeningBrowser);
        Assert.Contains("SSH", prompt.Reason);
    }

    [Fact]
    public async Task A_device_code_sign_in_can_be_approved_through_the_verification_page()
    {
        await using var h = await SsoHarness.StartAsync();

        var session = await h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = SsoHarness.Session }, UseDeviceCode = true, Timeout = TimeSpan.FromSeconds(30) });

        Assert.Equal(SsoTokenOrigin.DeviceCode, session.Origin);
        Assert.Equal(SsoDeviceState.Redeemed, Assert.Single(h.Sso.DeviceAuthorizations).State);
        Assert.Contains(h.Sso.Calls, c => c.Operation == "VerifyDevice");
    }

    [Fact]
    public async Task Denied_in_the_browser_is_an_authorization_error_for_both_flows()
    {
        await using var h = await SsoHarness.StartAsync();
        h.Sso.BrowserAction = SsoBrowserAction.Deny;

        var pkce = await Assert.ThrowsAsync<AwsLoginException>(() => h.ConnectAsync());
        var device = await Assert.ThrowsAsync<AwsLoginException>(() => h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = SsoHarness.Session }, UseDeviceCode = true, Timeout = TimeSpan.FromSeconds(30) }));

        Assert.Equal("SsoAuthorizationDenied", pkce.Code);
        Assert.Equal("SsoAuthorizationDenied", device.Code);
        Assert.Equal(SsoHarness.Session, pkce.Target);
        Assert.False(File.Exists(h.TokenPath));
    }

    [Fact]
    public async Task A_closed_browser_times_out_cleanly_and_releases_the_port()
    {
        await using var h = await SsoHarness.StartAsync();
        h.Sso.BrowserAction = SsoBrowserAction.Abandon;

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = SsoHarness.Session }, Timeout = TimeSpan.FromSeconds(1) }));

        Assert.Equal("SsoSignInTimedOut", error.Code);
        Assert.Equal(SsoHarness.Session, error.Target);
        var redirect = new Uri(h.Sso.Calls.Single(c => c.Operation == "Authorize").Parameters["redirect_uri"]);
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, redirect.Port));
    }

    [Fact]
    public async Task A_redirect_with_another_state_is_refused()
    {
        await using var h = await SsoHarness.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        h.OpenUrl = async url =>
        {
            var response = await http.GetAsync(url);
            var location = response.Headers.Location!.ToString();
            var forged = System.Text.RegularExpressions.Regex.Replace(location, "state=[^&]+", "state=forged");
            await http.GetAsync(forged);
        };

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => h.ConnectAsync());

        Assert.Equal("SsoStateMismatch", error.Code);
        Assert.Equal(0, h.Sso.CountCalls("CreateToken"));
    }

    [Fact]
    public async Task A_device_code_that_expires_before_approval_is_a_timeout()
    {
        await using var h = await SsoHarness.StartAsync(manualClock: true);
        h.OpenUrl = _ => Task.CompletedTask;
        h.AfterDelay = n =>
        {
            if (n == 2)
            {
                h.Sso.ExpireDeviceCode(h.Sso.DeviceAuthorizations.Single().UserCode);
            }
        };

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = SsoHarness.Session }, UseDeviceCode = true }));

        Assert.Equal("SsoSignInTimedOut", error.Code);
        Assert.Equal(SsoHarness.Session, error.Target);
    }

    [Fact]
    public async Task An_expired_cached_registration_is_replaced_by_a_new_one()
    {
        await using var h = await SsoHarness.StartAsync();
        await h.ConnectAsync();
        var old = h.Sso.Registrations.Single();
        var cached = SsoTokenCache.ParseRegistration(File.ReadAllText(h.RegistrationPath()));
        File.WriteAllText(h.RegistrationPath(), SsoTokenCache.SerializeRegistration(cached with { }).Replace(SsoTime.Format(cached.ExpiresAt), SsoTime.Format(DateTime.UtcNow.AddMinutes(10))));

        await h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = SsoHarness.Session }, Force = true, Timeout = TimeSpan.FromSeconds(20) });

        Assert.Equal(2, h.Sso.Registrations.Count);
        Assert.NotEqual(old.ClientId, SsoTokenCache.ParseRegistration(File.ReadAllText(h.RegistrationPath())).ClientId);
    }

    [Fact]
    public async Task A_registration_revoked_by_the_service_is_replaced_once_in_the_device_code_flow()
    {
        await using var h = await SsoHarness.StartAsync(manualClock: true);
        h.Sso.AutoApproveDeviceAfterPolls = 1;
        h.OpenUrl = _ => Task.CompletedTask;
        await h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = SsoHarness.Session }, UseDeviceCode = true });
        h.Sso.ExpireRegistration(h.Sso.Registrations.Single().ClientId);

        var session = await h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = SsoHarness.Session }, UseDeviceCode = true, Force = true });

        Assert.Equal(2, h.Sso.Registrations.Count);
        Assert.Equal(h.Sso.Registrations[1].ClientId, session.Token.ClientId);
    }

    [Fact]
    public async Task A_start_url_that_is_not_the_portal_is_reported_as_such_by_both_flows()
    {
        await using var h = await SsoHarness.StartAsync(manualClock: true);
        h.WriteConfig("[sso-session other]\nsso_start_url = https://d-9999999999.awsapps.com/start\nsso_region = us-east-1\n");

        var pkce = await Assert.ThrowsAsync<AwsLoginException>(() => h.ConnectAsync(source: new SsoTokenSource { SessionName = "other" }));
        var device = await Assert.ThrowsAsync<AwsLoginException>(() => h.ConnectAsync(new SsoConnectRequest { Source = new SsoTokenSource { SessionName = "other" }, UseDeviceCode = true }));

        Assert.Equal("SsoInvalidStartUrl", pkce.Code);
        Assert.Equal("SsoInvalidStartUrl", device.Code);
        Assert.Equal("https://d-9999999999.awsapps.com/start", device.Target);
        Assert.Empty(h.Opened);
    }

    [Fact]
    public async Task Several_sso_sessions_sign_in_side_by_side()
    {
        await using var h = await SsoHarness.StartAsync();
        await using var other = await FakeIdentityCenter.StartAsync(h.Sts, "https://d-2222222222.awsapps.com/start", "eu-west-1");
        File.AppendAllText(h.ConfigPath, $"[sso-session lab]\nsso_start_url = {other.StartUrl}\nsso_region = eu-west-1\n");

        // Two organisations, two fakes: the endpoint variable points each sign-in at its own.
        h.Environment["AWS_ENDPOINT_URL_SSO_OIDC"] = h.Sso.Endpoint.ToString();
        var corp = await h.ConnectAsync();
        h.Environment["AWS_ENDPOINT_URL_SSO_OIDC"] = other.Endpoint.ToString();
        var lab = await h.ConnectAsync(source: new SsoTokenSource { SessionName = "lab" });

        Assert.NotEqual(corp.CacheFile, lab.CacheFile);
        Assert.True(File.Exists(corp.CacheFile));
        Assert.True(File.Exists(lab.CacheFile));
        Assert.Equal(SsoTokenCache.TokenKey("lab", other.StartUrl) + ".json", Path.GetFileName(lab.CacheFile));
        Assert.True(other.IsValidAccessToken(lab.Token.AccessToken));
        Assert.True(h.Sso.IsValidAccessToken(corp.Token.AccessToken));
    }
}
