using System;
using System.Linq;
using AwsLogin.Engine.Sso;
using Xunit;

namespace AwsLogin.Engine.Tests.Sso;

public sealed class PkceTests
{
    [Fact]
    public void The_challenge_is_the_unpadded_base64url_sha256_of_the_verifier()
    {
        // base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode()[:-1], as the AWS CLI computes it.
        Assert.Equal("ngF5GsXcbwljx6u133FFr3Xht9xooA_DuaX_3QwODtc", Pkce.ChallengeFor("dBjftJeZ4CVP-mJ92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    [Fact]
    public void Verifiers_are_64_unreserved_characters_and_differ_each_time()
    {
        var verifiers = Enumerable.Range(0, 50).Select(_ => Pkce.Create()).ToList();

        Assert.All(verifiers, p =>
        {
            Assert.Matches("^[A-Za-z0-9._~-]{64}$", p.Verifier);
            Assert.Equal(Pkce.ChallengeFor(p.Verifier), p.Challenge);
            Assert.Matches("^[A-Za-z0-9_-]{43}$", p.Challenge);
        });
        Assert.Equal(50, verifiers.Select(p => p.Verifier).Distinct().Count());
        Assert.True(Guid.TryParse(Pkce.NewState(), out _));
    }

    [Fact]
    public void The_authorize_url_has_the_aws_cli_parameters_in_its_order()
    {
        var url = SsoSignIn.AuthorizeUrl(new Uri("https://oidc.eu-west-1.amazonaws.com/"), "client id", "http://127.0.0.1:51234/oauth/callback", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", null);
        var withScopes = SsoSignIn.AuthorizeUrl(new Uri("http://127.0.0.1:9000/base/"), "c", "r", "s", "x", new[] { "sso:account:access", "codewhisperer:completions" });

        Assert.Equal(
            "https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code&client_id=client%20id&redirect_uri=http%3A%2F%2F127.0.0.1%3A51234%2Foauth%2Fcallback" +
            "&state=1b4e28ba-2fa1-11d2-883f-0016d3cca427&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            url);
        Assert.Equal("http://127.0.0.1:9000/authorize?response_type=code&client_id=c&redirect_uri=r&state=s&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess%20codewhisperer%3Acompletions&code_challenge=x", withScopes);
    }
}
