using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>The fake IdP refuses what Shibboleth's ECP endpoint refuses, so the client tests against it mean something.</summary>
public sealed class FakeEcpIdpTests
{
    private const string Good = "urn:amazon:webservices|https://signin.aws.amazon.com/saml|urn:oasis:names:tc:SAML:2.0:bindings:PAOS";

    [Theory]
    [InlineData("urn:example:other|https://signin.aws.amazon.com/saml|urn:oasis:names:tc:SAML:2.0:bindings:PAOS", "Unknown relying party")]
    [InlineData("urn:amazon:webservices|https://evil.example.test/saml|urn:oasis:names:tc:SAML:2.0:bindings:PAOS", "AssertionConsumerServiceURL")]
    [InlineData("urn:amazon:webservices|https://signin.aws.amazon.com/saml|urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST", "PAOS")]
    public async Task A_request_not_for_aws_over_paos_is_a_soap_fault(string request, string fault)
    {
        await using var idp = await StartAsync();
        using var http = new HttpClient();

        using var response = await http.SendAsync(Post(idp, request, withPassword: true));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains(fault, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("BadRequest", Assert.Single(idp.Calls).Outcome);
    }

    [Fact]
    public async Task Without_credentials_it_challenges_for_basic_and_records_no_password()
    {
        await using var idp = await StartAsync();
        using var http = new HttpClient();

        using var anonymous = await http.SendAsync(Post(idp, Good, withPassword: false));
        using var signedIn = await http.SendAsync(Post(idp, Good, withPassword: true));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains(FakeEcpIdp.SessionCookieName + "=", signedIn.Headers.GetValues("Set-Cookie").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", string.Join("|", idp.Calls.Select(c => c.ToString())), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_POST_to_the_ecp_path_is_served()
    {
        await using var idp = await StartAsync();
        using var http = new HttpClient();

        using var get = await http.GetAsync(idp.EcpEndpoint);
        using var other = await http.PostAsync(new Uri(idp.EcpEndpoint, "/idp/profile/SAML2/Redirect/SSO"), new StringContent(string.Empty));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    private static async Task<FakeEcpIdp> StartAsync()
    {
        var idp = await FakeEcpIdp.StartAsync();
        idp.AddUser("alice", "s3cret", new[] { "arn:aws:iam::111111111111:role/Admin,arn:aws:iam::111111111111:saml-provider/Shib" });
        return idp;
    }

    private static HttpRequestMessage Post(FakeEcpIdp idp, string request, bool withPassword)
    {
        var parts = request.Split('|');
        var envelope =
            "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>" +
            $"<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_1\" Version=\"2.0\" IssueInstant=\"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\" AssertionConsumerServiceURL=\"{parts[1]}\" ProtocolBinding=\"{parts[2]}\">" +
            $"<saml:Issuer>{parts[0]}</saml:Issuer></samlp:AuthnRequest></S:Body></S:Envelope>";
        var message = new HttpRequestMessage(HttpMethod.Post, idp.EcpEndpoint) { Content = new StringContent(envelope, Encoding.UTF8, "text/xml") };
        if (withPassword)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cret")));
        }

        return message;
    }
}
