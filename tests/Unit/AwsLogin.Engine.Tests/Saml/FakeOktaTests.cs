using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>The fake Okta org refuses what Okta refuses, so the client tests against it mean something.</summary>
public sealed class FakeOktaTests
{
    private const string Login = "carol@example.com";
    private const string Secret = "s3cret password";

    [Fact]
    public async Task The_authn_api_takes_only_json_and_answers_errors_in_oktas_shape()
    {
        await using var okta = await StartAsync();
        using var http = new HttpClient();

        using var form = await http.PostAsync(new Uri(okta.OrgUrl, "/api/v1/authn"), new StringContent("username=carol", Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var wrong = await http.SendAsync(Json(new Uri(okta.OrgUrl, "/api/v1/authn"), $"{{\"username\":\"{Login}\",\"password\":\"nope\"}}"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var error = JsonDocument.Parse(await wrong.Content.ReadAsStringAsync());
        Assert.Equal("E0000004", error.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal("Authentication failed", error.RootElement.GetProperty("errorSummary").GetString());
        Assert.StartsWith("oae", error.RootElement.GetProperty("errorId").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, error.RootElement.GetProperty("errorCauses").ValueKind);
        Assert.DoesNotContain("nope", string.Join("|", okta.Calls.Select(c => c.ToString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_token_works_once_and_only_redirects_to_the_org()
    {
        await using var okta = await StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var token = await SessionTokenAsync(http, okta);
        var back = Uri.EscapeDataString(okta.EmbedLink.ToString());

        using var foreign = await http.GetAsync(new Uri(okta.OrgUrl, $"{FakeOkta.SessionRedirectPath}?token={token}&redirectUrl={Uri.EscapeDataString("https://evil.example.test/")}"));
        using var first = await http.GetAsync(new Uri(okta.OrgUrl, $"{FakeOkta.SessionRedirectPath}?token={token}&redirectUrl={back}"));
        using var again = await http.GetAsync(new Uri(okta.OrgUrl, $"{FakeOkta.SessionRedirectPath}?token={token}&redirectUrl={back}"));

        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        Assert.Equal(okta.EmbedLink, first.Headers.Location);
        Assert.StartsWith(FakeOkta.SessionCookieName + "=", first.Headers.GetValues("Set-Cookie").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, again.StatusCode);
        Assert.StartsWith(FakeOkta.LoginPath, again.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(new[] { "UntrustedRedirect", "SessionCreated", "BadSessionToken" }, okta.Calls.Skip(1).Select(c => c.Outcome));
    }

    [Fact]
    public async Task State_tokens_expire_and_belong_to_their_transaction()
    {
        await using var okta = await StartAsync();
        var time = new ManualClock(DateTimeOffset.UtcNow);
        okta.TimeProvider = time;
        using var http = new HttpClient();
        using var primary = await http.SendAsync(Json(new Uri(okta.OrgUrl, "/api/v1/authn"), $"{{\"username\":\"{Login}\",\"password\":\"{Secret}\"}}"));
        using var state = JsonDocument.Parse(await primary.Content.ReadAsStringAsync());
        var stateToken = state.RootElement.GetProperty("stateToken").GetString();
        var verify = new Uri(state.RootElement.GetProperty("_embedded").GetProperty("factors")[0].GetProperty("_links").GetProperty("verify").GetProperty("href").GetString()!);

        using var forged = await http.SendAsync(Json(verify, "{\"stateToken\":\"00forged\",\"passCode\":\"123456\"}"));
        time.Advance(TimeSpan.FromMinutes(6));
        using var late = await http.SendAsync(Json(verify, $"{{\"stateToken\":\"{stateToken}\",\"passCode\":\"{okta.TotpCode(Login)}\"}}"));

        Assert.Equal("MFA_REQUIRED", state.RootElement.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Contains("E0000011", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Totp_codes_follow_rfc_6238()
    {
        await using var okta = await StartAsync();
        okta.TimeProvider = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(59));
        okta.AddUser("rfc@example.com", Secret, Array.Empty<string>(), totp: OktaTotpProvider.Google, totpSecret: Encoding.ASCII.GetBytes("12345678901234567890"));

        // RFC 6238 appendix B: the SHA-1 seed "12345678901234567890" at T = 59 s gives 94287082 (8 digits; Okta shows 6).
        Assert.Equal("287082", okta.TotpCode("rfc@example.com"));
    }

    [Fact]
    public async Task The_app_without_a_session_redirects_to_the_sign_in_page()
    {
        await using var okta = await StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var embed = await http.GetAsync(okta.EmbedLink);
        using var app = await http.GetAsync(new Uri(okta.OrgUrl, FakeOkta.AppSsoPath));

        Assert.Equal(HttpStatusCode.Found, embed.StatusCode);
        Assert.StartsWith(FakeOkta.LoginPath + "?fromURI=", embed.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, app.StatusCode);
        Assert.Empty(okta.IssuedAssertions);
    }

    private static async Task<FakeOkta> StartAsync()
    {
        var okta = await FakeOkta.StartAsync();
        okta.AddUser(Login, Secret, new[] { "arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/Okta" }, totp: OktaTotpProvider.Okta);
        return okta;
    }

    private static async Task<string> SessionTokenAsync(HttpClient http, FakeOkta okta)
    {
        okta.AddUser("plain@example.com", Secret, Array.Empty<string>());
        using var response = await http.SendAsync(Json(new Uri(okta.OrgUrl, "/api/v1/authn"), $"{{\"username\":\"plain@example.com\",\"password\":\"{Secret}\"}}"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("SUCCESS", json.RootElement.GetProperty("status").GetString());
        return Uri.EscapeDataString(json.RootElement.GetProperty("sessionToken").GetString()!);
    }

    private static HttpRequestMessage Json(Uri url, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }
}
