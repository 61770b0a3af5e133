using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using AwsLogin.Engine.Sts;
using AwsLogin.TestServers;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Console;

/// <summary>The fake federation endpoint refuses what AWS refuses, so the engine tests can fail.</summary>
public sealed class FakeSignInTests
{
    private const string Destination = "https://us-east-1.console.aws.amazon.com/console/home";

    [Fact]
    public async Task Long_term_keys_cannot_get_a_sign_in_token()
    {
        await using var h = await ConsoleHarness.StartAsync();

        var (status, _) = await GetTokenAsync(h, h.Sts.User.AccessKeyId, h.Sts.User.SecretAccessKey, null);

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task A_wrong_secret_or_token_is_refused()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var role = await h.Sts.GetAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys });

        Assert.Equal(HttpStatusCode.BadRequest, (await GetTokenAsync(h, role.AccessKeyId, role.SecretAccessKey + "x", role.SessionToken)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetTokenAsync(h, role.AccessKeyId, role.SecretAccessKey, role.SessionToken + "x")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetTokenAsync(h, role.AccessKeyId, role.SecretAccessKey, role.SessionToken)).Status);
    }

    [Fact]
    public async Task Session_duration_is_refused_for_role_chains_and_federation_tokens_and_outside_its_range()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var direct = await h.Sts.GetAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys });
        var chained = await h.Sts.GetAsync(Hops(RoleA, RoleB) with { StartingCredentials = h.Sts.UserKeys });
        var federated = await h.Sts.GetAsync(new IdentityRequest { StartingCredentials = h.Sts.UserKeys, FederationToken = true });

        Assert.Equal(HttpStatusCode.OK, (await GetTokenAsync(h, direct, "43200")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetTokenAsync(h, direct, "899")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetTokenAsync(h, direct, "43201")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetTokenAsync(h, direct, "1h")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetTokenAsync(h, chained, "3600")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetTokenAsync(h, chained, null)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetTokenAsync(h, federated, "3600")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetTokenAsync(h, federated, null)).Status);
    }

    [Fact]
    public async Task A_login_needs_a_fresh_known_token_an_issuer_and_a_console_destination_of_the_partition()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var clock = new ShiftedClock();
        h.SignIn.TimeProvider = clock;
        var role = await h.Sts.GetAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys });
        var (_, token) = await GetTokenAsync(h, role, null);

        Assert.Equal(HttpStatusCode.BadRequest, await LoginAsync(h, token + "x", "AwsLogin", Destination));
        Assert.Equal(HttpStatusCode.BadRequest, await LoginAsync(h, token, string.Empty, Destination));
        Assert.Equal(HttpStatusCode.BadRequest, await LoginAsync(h, token, "AwsLogin", "https://console.amazonaws.cn/console/home"));
        Assert.Equal(HttpStatusCode.BadRequest, await LoginAsync(h, token, "AwsLogin", "http://console.aws.amazon.com/"));
        Assert.Equal(HttpStatusCode.BadRequest, await LoginAsync(h, token, "AwsLogin", "https://example.com/"));
        Assert.Equal(HttpStatusCode.Found, await LoginAsync(h, token, "AwsLogin", Destination));
        clock.Offset = FakeSignIn.TokenLifetime + TimeSpan.FromSeconds(1);
        Assert.Equal(HttpStatusCode.BadRequest, await LoginAsync(h, token, "AwsLogin", Destination));
    }

    [Fact]
    public async Task GetSessionToken_credentials_are_refused_at_login()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var session = await h.Sts.GetAsync(new IdentityRequest { StartingCredentials = h.Sts.UserKeys, SessionToken = true });
        var (status, token) = await GetTokenAsync(h, session, null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.BadRequest, await LoginAsync(h, token, "AwsLogin", Destination));
        Assert.StartsWith("Only federation tokens", h.SignIn.Calls.Last().Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_out_redirects_only_to_its_own_sign_in_or_aws_pages()
    {
        await using var h = await ConsoleHarness.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        async Task<string> LogoutAsync(string redirect)
        {
            using var response = await client.GetAsync(h.SignIn.Endpoint + "oauth?Action=logout&redirect_uri=" + Uri.EscapeDataString(redirect));
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            return response.Headers.Location!.AbsoluteUri;
        }

        Assert.Equal(h.SignIn.Endpoint + "federation?Action=login", await LogoutAsync(h.SignIn.Endpoint + "federation?Action=login"));
        Assert.Equal("https://us-east-1.console.aws.amazon.com/", await LogoutAsync("https://us-east-1.console.aws.amazon.com/"));
        Assert.Equal("https://aws.amazon.com/", await LogoutAsync("https://example.com/phish"));
    }

    private static Task<(HttpStatusCode Status, string Token)> GetTokenAsync(ConsoleHarness h, CredentialSet credentials, string? sessionDuration) =>
        GetTokenAsync(h, credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken, sessionDuration);

    private static async Task<(HttpStatusCode Status, string Token)> GetTokenAsync(ConsoleHarness h, string id, string key, string? token, string? sessionDuration = null)
    {
        using var client = new HttpClient();
        var session = JsonSerializer.Serialize(new { sessionId = id, sessionKey = key, sessionToken = token ?? string.Empty });
        var url = h.SignIn.Endpoint + "federation?Action=getSigninToken"
            + (sessionDuration is null ? string.Empty : "&SessionDuration=" + sessionDuration)
            + "&Session=" + Uri.EscapeDataString(session);
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? JsonDocument.Parse(body).RootElement.GetProperty("SigninToken").GetString()! : string.Empty);
    }

    private static async Task<HttpStatusCode> LoginAsync(ConsoleHarness h, string token, string issuer, string destination)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await client.GetAsync(h.SignIn.Endpoint + "federation?Action=login&Issuer=" + Uri.EscapeDataString(issuer)
            + "&Destination=" + Uri.EscapeDataString(destination) + "&SigninToken=" + Uri.EscapeDataString(token));
        return response.StatusCode;
    }
}
