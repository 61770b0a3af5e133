using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Amazon.SSO.Model;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests;

/// <summary>Drives the SSO OIDC side of <see cref="FakeIdentityCenter"/> with the real AWS SDK client.</summary>
public sealed class FakeIdentityCenterOidcTests
{
    [Fact]
    public async Task RegisterClient_IssuesA90DayClient_UnsignedAndRecorded()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();

        RegisterClientResponse client = await h.RegisterDeviceClientAsync();

        Assert.False(string.IsNullOrEmpty(client.ClientId));
        Assert.True(client.ClientSecret.Length > 100);
        long issuedAt = client.ClientIdIssuedAt!.Value;
        Assert.InRange(issuedAt, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(TimeSpan.FromDays(90).TotalSeconds, client.ClientSecretExpiresAt!.Value - issuedAt);

        SsoCall call = Assert.Single(h.Sso.Calls);
        Assert.Equal("RegisterClient", call.Operation);
        Assert.False(call.Signed);
        Assert.Equal("public", call.Parameters["clientType"]);
        Assert.Equal("sso:account:access", call.Parameters["scopes"]);
        Assert.DoesNotContain(call.Parameters.Values, value => value == client.ClientSecret);
        SsoClientRegistration registration = Assert.Single(h.Sso.Registrations);
        Assert.Equal(client.ClientId, registration.ClientId);
        Assert.DoesNotContain(client.ClientSecret, registration.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterClient_RejectsWhatAwsRejects()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();

        var metadata = await Assert.ThrowsAsync<InvalidClientMetadataException>(() =>
            h.Oidc.RegisterClientAsync(new RegisterClientRequest { ClientName = "x", ClientType = "confidential" }));
        Assert.Equal("invalid_client_metadata", metadata.Error);
        await Assert.ThrowsAsync<InvalidScopeException>(() => h.RegisterDeviceClientAsync(scopes: ["s3:everything"]));
        await Assert.ThrowsAsync<UnsupportedGrantTypeException>(() => h.RegisterDeviceClientAsync(grantTypes: ["password"]));
        await Assert.ThrowsAsync<InvalidRedirectUriException>(() => h.Oidc.RegisterClientAsync(new RegisterClientRequest
        {
            ClientName = "x",
            ClientType = "public",
            GrantTypes = [FakeIdentityCenter.AuthorizationCodeGrant],
            RedirectUris = ["http://evil.example.com/callback"],
            IssuerUrl = h.Sso.StartUrl,
        }));
        await Assert.ThrowsAsync<Amazon.SSOOIDC.Model.InvalidRequestException>(() => h.Oidc.RegisterClientAsync(new RegisterClientRequest
        {
            ClientName = "x",
            ClientType = "public",
            GrantTypes = [FakeIdentityCenter.AuthorizationCodeGrant],
            RedirectUris = [IdentityCenterHarness.CliRedirectUri],
            IssuerUrl = "https://d-9999999999.awsapps.com/start",
        }));
        Assert.Empty(h.Sso.Registrations);
    }

    [Fact]
    public async Task DeviceCode_IsPendingUntilApproved_ThenIssuesOneToken()
    {
        var clock = new ManualClock();
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync(clock);
        RegisterClientResponse client = await h.RegisterDeviceClientAsync();

        StartDeviceAuthorizationResponse device = await h.StartDeviceAsync(client);

        Assert.Matches("^[A-Z]{4}-[A-Z]{4}$", device.UserCode);
        Assert.Equal(600, device.ExpiresIn);
        Assert.Equal(1, device.Interval);
        Assert.Equal(new Uri(h.Sso.Endpoint, "device").ToString(), device.VerificationUri);
        Assert.Equal(device.VerificationUri + "?user_code=" + device.UserCode, device.VerificationUriComplete);

        var pending = await Assert.ThrowsAsync<AuthorizationPendingException>(() => h.PollAsync(client, device));
        Assert.Equal("authorization_pending", pending.Error);
        Assert.Equal(HttpStatusCode.BadRequest, pending.StatusCode);
        Assert.Equal("AuthorizationPendingException", pending.ErrorCode);

        h.Sso.ApproveDevice(device.UserCode, "bob");
        clock.Advance(TimeSpan.FromSeconds(1));
        CreateTokenResponse token = await h.PollAsync(client, device);

        Assert.StartsWith("aoa", token.AccessToken, StringComparison.Ordinal);
        Assert.Equal("Bearer", token.TokenType);
        Assert.Equal(3600, token.ExpiresIn);
        Assert.StartsWith("aor", token.RefreshToken, StringComparison.Ordinal);
        Assert.True(h.Sso.IsValidAccessToken(token.AccessToken));
        SsoDeviceAuthorization record = Assert.Single(h.Sso.DeviceAuthorizations);
        Assert.Equal(SsoDeviceState.Redeemed, record.State);
        Assert.Equal("bob", record.UserName);
        Assert.Equal(FakeIdentityCenter.TokenHash(token.AccessToken), h.Sso.Calls[^1].IssuedTokenHash);
        Assert.All(h.Sso.Calls, call => Assert.False(call.Signed));

        clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<InvalidGrantException>(() => h.PollAsync(client, device));
    }

    [Fact]
    public async Task DeviceCode_PolledFasterThanTheInterval_IsSlowDown_AndTheIntervalGrowsByFiveSeconds()
    {
        var clock = new ManualClock();
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync(clock);
        RegisterClientResponse client = await h.RegisterDeviceClientAsync();
        StartDeviceAuthorizationResponse device = await h.StartDeviceAsync(client);
        await Assert.ThrowsAsync<AuthorizationPendingException>(() => h.PollAsync(client, device));

        clock.Advance(TimeSpan.FromMilliseconds(500));
        var slow = await Assert.ThrowsAsync<SlowDownException>(() => h.PollAsync(client, device));
        Assert.Equal("slow_down", slow.Error);

        clock.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<SlowDownException>(() => h.PollAsync(client, device));
        Assert.Equal(TimeSpan.FromSeconds(11), h.Sso.DeviceAuthorizations[0].Interval);

        clock.Advance(TimeSpan.FromSeconds(11));
        await Assert.ThrowsAsync<AuthorizationPendingException>(() => h.PollAsync(client, device));
    }

    [Fact]
    public async Task DeviceCode_DeniedIsAccessDenied_AndAnExpiredCodeIsExpiredToken()
    {
        var clock = new ManualClock();
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync(clock);
        RegisterClientResponse client = await h.RegisterDeviceClientAsync();
        StartDeviceAuthorizationResponse denied = await h.StartDeviceAsync(client);
        StartDeviceAuthorizationResponse expiring = await h.StartDeviceAsync(client);

        h.Sso.DenyDevice(denied.UserCode);
        var error = await Assert.ThrowsAsync<AccessDeniedException>(() => h.PollAsync(client, denied));
        Assert.Equal("access_denied", error.Error);

        clock.Advance(TimeSpan.FromSeconds(601));
        var expired = await Assert.ThrowsAsync<ExpiredTokenException>(() => h.PollAsync(client, expiring));
        Assert.Equal("expired_token", expired.Error);
        Assert.Throws<InvalidOperationException>(() => h.Sso.ApproveDevice(expiring.UserCode));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task DeviceCode_AutoApproval_ComesAfterTheGivenNumberOfPendingPolls(int polls)
    {
        var clock = new ManualClock();
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync(clock);
        h.Sso.AutoApproveDeviceAfterPolls = polls;
        h.Sso.BrowserUserName = "erin";
        RegisterClientResponse client = await h.RegisterDeviceClientAsync();
        StartDeviceAuthorizationResponse device = await h.StartDeviceAsync(client);

        for (int i = 0; i < polls; i++)
        {
            await Assert.ThrowsAsync<AuthorizationPendingException>(() => h.PollAsync(client, device));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.NotNull((await h.PollAsync(client, device)).AccessToken);
        Assert.Equal("erin", h.Sso.DeviceAuthorizations[0].UserName);
    }

    [Fact]
    public async Task DeviceAuthorization_ChecksTheClientAndTheStartUrl()
    {
        var clock = new ManualClock();
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync(clock);
        RegisterClientResponse client = await h.RegisterDeviceClientAsync();

        var unknown = await Assert.ThrowsAsync<Amazon.SSOOIDC.Model.InvalidRequestException>(() =>
            h.StartDeviceAsync(client, "https://d-0000000000.awsapps.com/start"));
        Assert.Equal("invalid_request", unknown.Error);

        var badSecret = await Assert.ThrowsAsync<InvalidClientException>(() => h.Oidc.StartDeviceAuthorizationAsync(
            new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = "nope", StartUrl = h.Sso.StartUrl }));
        Assert.Equal(HttpStatusCode.Unauthorized, badSecret.StatusCode);
        Assert.Equal("invalid_client", badSecret.Error);

        RegisterClientResponse pkceOnly = await h.RegisterPkceClientAsync();
        await Assert.ThrowsAsync<UnauthorizedClientException>(() => h.StartDeviceAsync(pkceOnly));

        clock.Advance(TimeSpan.FromDays(90));
        await Assert.ThrowsAsync<InvalidClientException>(() => h.StartDeviceAsync(client));
        StartDeviceAuthorizationResponse trailingSlash = await h.StartDeviceAsync(await h.RegisterDeviceClientAsync(), h.Sso.StartUrl + "/");
        Assert.False(string.IsNullOrEmpty(trailingSlash.DeviceCode));
    }

    [Fact]
    public async Task VerificationPage_OpenedInTheBrowser_ApprovesAsTheBrowserUser()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        using var browser = new FakeBrowser();
        h.Sso.BrowserUserName = "carol";
        RegisterClientResponse client = await h.RegisterDeviceClientAsync();
        StartDeviceAuthorizationResponse device = await h.StartDeviceAsync(client);

        FakeBrowserPage page = await browser.OpenAsync(device.VerificationUriComplete);

        Assert.Equal(HttpStatusCode.OK, page.Status);
        SsoDeviceAuthorization record = Assert.Single(h.Sso.DeviceAuthorizations);
        Assert.Equal(SsoDeviceState.Approved, record.State);
        Assert.Equal("carol", record.UserName);
        Assert.NotNull((await h.PollAsync(client, device)).AccessToken);
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.OpenAsync(device.VerificationUriComplete)).Status);
    }

    [Theory]
    [InlineData(SsoBrowserAction.Deny, SsoDeviceState.Denied)]
    [InlineData(SsoBrowserAction.Abandon, SsoDeviceState.Pending)]
    public async Task VerificationPage_FollowsTheBrowserAction(SsoBrowserAction action, SsoDeviceState expected)
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        using var browser = new FakeBrowser();
        h.Sso.BrowserAction = action;
        StartDeviceAuthorizationResponse device = await h.StartDeviceAsync(await h.RegisterDeviceClientAsync());

        await browser.OpenAsync(device.VerificationUriComplete);

        Assert.Equal(expected, h.Sso.DeviceAuthorizations[0].State);
    }

    [Fact]
    public async Task Pkce_FollowingTheAuthorizeRedirect_YieldsACodeThatBuysARefreshableToken()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        await using var callback = await LoopbackCallback.StartAsync();
        using var browser = new FakeBrowser();
        RegisterClientResponse client = await h.RegisterPkceClientAsync();
        string verifier = IdentityCenterHarness.NewCodeVerifier();
        string state = Guid.NewGuid().ToString();

        FakeBrowserPage page = await browser.OpenAsync(h.AuthorizeUrl(client.ClientId, callback.RedirectUri, state, FakeIdentityCenter.CodeChallenge(verifier)));
        (string? code, string? returnedState, string? error) = await callback.Result;

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(callback.Port, page.Address.Port);
        Assert.Null(error);
        Assert.Equal(state, returnedState);
        CreateTokenResponse token = await h.Oidc.CreateTokenAsync(new CreateTokenRequest
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            GrantType = FakeIdentityCenter.AuthorizationCodeGrant,
            Code = code,
            RedirectUri = callback.RedirectUri,
            CodeVerifier = verifier,
        });

        Assert.Equal(3600, token.ExpiresIn);
        Assert.NotNull(token.RefreshToken);
        Assert.True(h.Sso.IsValidAccessToken(token.AccessToken));
        SsoCall authorize = h.Sso.Calls.Single(call => call.Operation == "Authorize");
        Assert.Equal("S256", authorize.Parameters["code_challenge_method"]);
        Assert.Equal("sso:account:access", authorize.Parameters["scopes"]);
    }

    [Fact]
    public async Task Pkce_AWrongVerifierOrRedirectUri_IsInvalidGrant_AndACodeWorksOnce()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        RegisterClientResponse client = await h.RegisterPkceClientAsync();
        string verifier = IdentityCenterHarness.NewCodeVerifier();
        string redirectUri = $"http://127.0.0.1:{IdentityCenterHarness.FreeLoopbackPort()}/oauth/callback";
        string code = await AuthorizeWithoutFollowingAsync(h, client, redirectUri, verifier);
        CreateTokenRequest Exchange(string codeVerifier, string uri) => new()
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            GrantType = FakeIdentityCenter.AuthorizationCodeGrant,
            Code = code,
            RedirectUri = uri,
            CodeVerifier = codeVerifier,
        };

        var wrong = await Assert.ThrowsAsync<InvalidGrantException>(() => h.Oidc.CreateTokenAsync(Exchange(IdentityCenterHarness.NewCodeVerifier(), redirectUri)));
        Assert.Equal("invalid_grant", wrong.Error);
        await Assert.ThrowsAsync<InvalidGrantException>(() => h.Oidc.CreateTokenAsync(Exchange(verifier, IdentityCenterHarness.CliRedirectUri)));

        CreateTokenResponse token = await h.Oidc.CreateTokenAsync(Exchange(verifier, redirectUri));
        await Assert.ThrowsAsync<InvalidGrantException>(() => h.Oidc.CreateTokenAsync(Exchange(verifier, redirectUri)));
        Assert.False(h.Sso.IsValidAccessToken(token.AccessToken));
    }

    [Fact]
    public async Task Authorize_AnUnregisteredRedirectUri_GetsAnErrorPage_NotARedirect()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        using var browser = new FakeBrowser();
        RegisterClientResponse client = await h.RegisterPkceClientAsync();
        string challenge = FakeIdentityCenter.CodeChallenge(IdentityCenterHarness.NewCodeVerifier());

        FakeBrowserPage page = await browser.OpenAsync(h.AuthorizeUrl(client.ClientId, "http://localhost:8080/oauth/callback", "s", challenge));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Single(browser.Visited);
        Assert.Equal("invalid_redirect_uri", h.Sso.Calls[^1].ErrorCode);
    }

    [Fact]
    public async Task Authorize_WhenTheUserDenies_RedirectsWithAccessDenied_AndWhenTheBrowserIsClosed_NeverRedirects()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        using var browser = new FakeBrowser();
        RegisterClientResponse client = await h.RegisterPkceClientAsync();
        string challenge = FakeIdentityCenter.CodeChallenge(IdentityCenterHarness.NewCodeVerifier());
        string redirectUri = $"http://127.0.0.1:{IdentityCenterHarness.FreeLoopbackPort()}/oauth/callback";

        h.Sso.BrowserAction = SsoBrowserAction.Deny;
        Uri denied = await RedirectOfAsync(h, h.AuthorizeUrl(client.ClientId, redirectUri, "st-1", challenge));
        Assert.Equal(redirectUri, denied.GetLeftPart(UriPartial.Path));
        Assert.Contains("error=access_denied", denied.Query, StringComparison.Ordinal);
        Assert.Contains("state=st-1", denied.Query, StringComparison.Ordinal);

        h.Sso.BrowserAction = SsoBrowserAction.Abandon;
        FakeBrowserPage page = await browser.OpenAsync(h.AuthorizeUrl(client.ClientId, redirectUri, "st-2", challenge));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(h.Sso.Endpoint.Port, page.Address.Port);
    }

    [Fact]
    public async Task Authorize_WithoutS256_RedirectsWithInvalidRequest()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        RegisterClientResponse client = await h.RegisterPkceClientAsync();
        string url = h.AuthorizeUrl(client.ClientId, "http://127.0.0.1:1234/oauth/callback", "s", "short").Replace("S256", "plain", StringComparison.Ordinal);

        Uri location = await RedirectOfAsync(h, url);

        Assert.Contains("error=invalid_request", location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefreshToken_RotatesTokens_AndTheOldRefreshTokenStopsWorking()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        (RegisterClientResponse client, CreateTokenResponse first) = await h.SignInAsync();

        CreateTokenResponse second = await Refresh(h, client, first.RefreshToken);

        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(3600, second.ExpiresIn);
        Assert.True(h.Sso.IsValidAccessToken(second.AccessToken));
        var replay = await Assert.ThrowsAsync<InvalidGrantException>(() => Refresh(h, client, first.RefreshToken));
        Assert.Equal("invalid_grant", replay.Error);
        Assert.NotNull((await Refresh(h, client, second.RefreshToken)).AccessToken);
    }

    [Fact]
    public async Task RefreshToken_WithoutRotation_ReturnsTheSameRefreshToken()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        h.Sso.RotateRefreshTokens = false;
        (RegisterClientResponse client, CreateTokenResponse first) = await h.SignInAsync();

        CreateTokenResponse second = await Refresh(h, client, first.RefreshToken);

        Assert.Equal(first.RefreshToken, second.RefreshToken);
        Assert.NotNull((await Refresh(h, client, first.RefreshToken)).AccessToken);
    }

    [Fact]
    public async Task RefreshToken_FailsAfterTheRegistrationOrTheSessionExpires()
    {
        var clock = new ManualClock();
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync(clock);
        (RegisterClientResponse client, CreateTokenResponse token) = await h.SignInAsync();

        clock.Advance(TimeSpan.FromHours(8));
        await Assert.ThrowsAsync<InvalidGrantException>(() => Refresh(h, client, token.RefreshToken));

        (RegisterClientResponse client2, CreateTokenResponse token2) = await h.SignInAsync();
        h.Sso.ExpireRegistration(client2.ClientId);
        await Assert.ThrowsAsync<InvalidClientException>(() => Refresh(h, client2, token2.RefreshToken));
    }

    [Fact]
    public async Task RefreshToken_NeedsARegistrationWithTheRefreshGrantAndScopes()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        RegisterClientResponse deviceOnly = await h.RegisterDeviceClientAsync(grantTypes: [FakeIdentityCenter.DeviceCodeGrant]);
        StartDeviceAuthorizationResponse device = await h.StartDeviceAsync(deviceOnly);
        h.Sso.ApproveDevice(device.UserCode);
        CreateTokenResponse token = await h.PollAsync(deviceOnly, device);

        Assert.Null(token.RefreshToken);
        Assert.Equal(8 * 3600, token.ExpiresIn);
        await Assert.ThrowsAsync<UnauthorizedClientException>(() => Refresh(h, deviceOnly, "aor-anything"));

        // The AWS CLI's legacy registration names neither scopes nor grant types: device code works, no refresh token.
        RegisterClientResponse legacy = await h.Oidc.RegisterClientAsync(new RegisterClientRequest { ClientName = "botocore-client-1700000000", ClientType = "public" });
        StartDeviceAuthorizationResponse legacyDevice = await h.StartDeviceAsync(legacy);
        h.Sso.ApproveDevice(legacyDevice.UserCode);
        Assert.Null((await h.PollAsync(legacy, legacyDevice)).RefreshToken);
    }

    [Fact]
    public async Task CreateToken_UnknownGrantTypeAndInjectedErrors_MapToTheSdkExceptions()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        RegisterClientResponse client = await h.RegisterDeviceClientAsync();

        await Assert.ThrowsAsync<UnsupportedGrantTypeException>(() => h.Oidc.CreateTokenAsync(new CreateTokenRequest
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            GrantType = "password",
        }));

        h.Sso.InjectError("CreateToken", "InternalServerException", 500);
        var server = await Assert.ThrowsAsync<InternalServerException>(() => Refresh(h, client, "aor-x"));
        Assert.Equal("server_error", server.Error);
        Assert.Equal(1, h.Sso.CallCounts["RegisterClient"]);
        Assert.Equal(2, h.Sso.CountCalls("CreateToken"));
    }

    [Fact]
    public async Task SeedSignIn_GivesTokensTheServiceAccepts()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();

        SsoSeededSignIn signIn = h.Sso.SeedSignIn("dave");

        Assert.True(h.Sso.IsValidAccessToken(signIn.AccessToken));
        Assert.DoesNotContain(signIn.AccessToken, signIn.ToString(), StringComparison.Ordinal);
        CreateTokenResponse refreshed = await h.Oidc.CreateTokenAsync(new CreateTokenRequest
        {
            ClientId = signIn.ClientId,
            ClientSecret = signIn.ClientSecret,
            GrantType = FakeIdentityCenter.RefreshTokenGrant,
            RefreshToken = signIn.RefreshToken,
        });
        Assert.True(h.Sso.IsValidAccessToken(refreshed.AccessToken));
        await h.Portal.LogoutAsync(new LogoutRequest { AccessToken = refreshed.AccessToken });
        Assert.False(h.Sso.IsValidAccessToken(signIn.AccessToken));
    }

    private static Task<CreateTokenResponse> Refresh(IdentityCenterHarness h, RegisterClientResponse client, string refreshToken) =>
        h.Oidc.CreateTokenAsync(new CreateTokenRequest
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            GrantType = FakeIdentityCenter.RefreshTokenGrant,
            RefreshToken = refreshToken,
        });

    private static async Task<string> AuthorizeWithoutFollowingAsync(IdentityCenterHarness h, RegisterClientResponse client, string redirectUri, string verifier)
    {
        Uri location = await RedirectOfAsync(h, h.AuthorizeUrl(client.ClientId, redirectUri, "state-1", FakeIdentityCenter.CodeChallenge(verifier)));
        string code = System.Web.HttpUtility.ParseQueryString(location.Query)["code"] ?? throw new InvalidOperationException("No code in " + location.Query);
        return code;
    }

    private static async Task<Uri> RedirectOfAsync(IdentityCenterHarness h, string url)
    {
        using var http = new System.Net.Http.HttpClient(new System.Net.Http.HttpClientHandler { AllowAutoRedirect = false });
        using System.Net.Http.HttpResponseMessage response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!;
    }
}
