using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>The fake browser IdP behaves as an IdP's web pages do, so the browser tests against it mean something.</summary>
public sealed class FakeBrowserIdpTests
{
    [Fact]
    public async Task A_good_login_form_sets_a_persistent_session_that_gets_the_self_posting_saml_form()
    {
        await using var idp = await StartAsync();
        using var http = Client();

        using var loginPage = await http.GetAsync(idp.StartUrl);
        using var login = await http.PostAsync(idp.StartUrl, Form(("j_username", "alice"), ("j_password", "s3cret pass")));
        var cookie = login.Headers.GetValues("Set-Cookie").Single();
        using var withSession = new HttpRequestMessage(HttpMethod.Get, login.Headers.Location is { } location ? new Uri(idp.StartUrl, location) : idp.StartUrl);
        withSession.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var postPage = await http.SendAsync(withSession);
        var html = await postPage.Content.ReadAsStringAsync();

        Assert.Contains("name=\"j_password\"", await loginPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal(idp.StartUrl.PathAndQuery, login.Headers.Location!.OriginalString);
        Assert.Matches("; Max-Age=28800; HttpOnly; SameSite=Lax$", cookie);
        Assert.Contains("action=\"https://signin.aws.amazon.com/saml\"", html, StringComparison.Ordinal);
        Assert.Contains("onload=\"document.forms[0].submit()\"", html, StringComparison.Ordinal);
        Assert.Equal("no-store", postPage.Headers.CacheControl!.ToString());
        var response = Regex.Match(html, "name=\"SAMLResponse\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.Equal(idp.IssuedAssertions.Single(), response);
        var xml = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(response));
        Assert.Contains("Recipient=\"https://signin.aws.amazon.com/saml\"", xml, StringComparison.Ordinal);
        Assert.Contains(">alice</", xml, StringComparison.Ordinal);
        Assert.Contains("SignatureValue", xml, StringComparison.Ordinal);
        Assert.Equal(
            new[] { ("GET", "LoginPage", false), ("POST", "SignedIn", false), ("GET", "Issued", true) },
            idp.Calls.Select(c => (c.Method, c.Outcome, c.UsedSession)));
        Assert.Equal(1, idp.LoginPosts);
        Assert.DoesNotContain("s3cret", string.Join("|", idp.Calls.Select(c => c.ToString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_or_another_service_provider_signs_nobody_in()
    {
        await using var idp = await StartAsync();
        idp.AutoSubmit = ("alice", "s3cret pass");
        using var http = Client();

        using var wrong = await http.PostAsync(idp.StartUrl, Form(("j_username", "alice"), ("j_password", "guess")));
        using var other = await http.GetAsync(new Uri(idp.StartUrl, FakeBrowserIdp.StartPath + "?providerId=urn:example:other"));
        using var autoPage = await http.GetAsync(idp.StartUrl);
        using var stale = new HttpRequestMessage(HttpMethod.Get, idp.StartUrl);
        stale.Headers.Add("Cookie", FakeBrowserIdp.SessionCookieName + "=0123");
        using var staleAnswer = await http.SendAsync(stale);

        var wrongPage = await wrong.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("incorrect", wrongPage, StringComparison.Ordinal);
        Assert.DoesNotContain("submit();", wrongPage, StringComparison.Ordinal);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Contains("document.forms[0].submit();", await autoPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(new[] { "BadPassword", "UnknownServiceProvider", "LoginPage", "LoginPage" }, idp.Calls.Select(c => c.Outcome));
        Assert.True(idp.Calls[3].SentSessionCookie);
        Assert.Empty(idp.IssuedAssertions);
    }

    private static async Task<FakeBrowserIdp> StartAsync()
    {
        var idp = await FakeBrowserIdp.StartAsync();
        idp.AddUser("alice", "s3cret pass", new[] { "arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/Idp" });
        return idp;
    }

    private static HttpClient Client() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
}
