using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Tests.Sts;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>Role attribute values, role selection (all, by ARN, the only one, the user's choice) and the duration rule.</summary>
public sealed class SamlRoleTests
{
    private const string Provider1 = "arn:aws:iam::111111111111:saml-provider/Shib";
    private const string Provider2 = "arn:aws:iam::222222222222:saml-provider/Shib";
    private const string Zeta = "arn:aws:iam::111111111111:role/Zeta";
    private const string Alpha = "arn:aws:iam::111111111111:role/alpha";
    private const string Deploy = "arn:aws:iam::222222222222:role/Deploy";
    private const string Target = "https://idp.example.test/idp/profile/SAML2/SOAP/ECP";

    [Theory]
    [InlineData(Zeta + "," + Provider1)]
    [InlineData(Provider1 + "," + Zeta)]
    [InlineData("  " + Provider1 + " ,\r\n " + Zeta + "\t")]
    public void A_role_value_parses_in_either_order(string value)
    {
        Assert.True(SamlRole.TryParse(value, out var role));
        Assert.Equal(Zeta, role!.RoleArn.Value);
        Assert.Equal(Provider1, role.PrincipalArn);
        Assert.Equal("111111111111", role.AccountId);
        Assert.Equal("Zeta", role.RoleName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(Zeta)]
    [InlineData(Zeta + "," + Zeta)]
    [InlineData(Provider1 + "," + Provider1)]
    [InlineData(Zeta + "," + Provider1 + "," + Provider1)]
    [InlineData("arn:aws:iam::111111111111:role/Zeta,arn:aws:iam::111111111111:saml-provider/bad name")]
    [InlineData("arn:aws:iam::1111:role/Zeta," + Provider1)]
    [InlineData("arn:aws:iam::111111111111:user/Zeta," + Provider1)]
    public void Anything_else_is_not_a_role(string value)
    {
        Assert.False(SamlRole.TryParse(value, out _));
    }

    [Fact]
    public async Task All_takes_every_role_grouped_by_account()
    {
        var roles = await Select(all: true);

        Assert.Equal(new[] { Alpha, Zeta, Deploy }, roles.Select(r => r.RoleArn.Value));
    }

    [Fact]
    public async Task Named_roles_are_taken_in_the_order_given_whatever_their_case()
    {
        var roles = await Select(roleArns: new[] { Deploy, "arn:aws:iam::111111111111:role/ZETA" });

        Assert.Equal(new[] { Deploy, Zeta }, roles.Select(r => r.RoleArn.Value));
    }

    [Fact]
    public async Task A_role_the_assertion_does_not_grant_is_SamlRoleNotInAssertion()
    {
        const string Other = "arn:aws:iam::111111111111:role/Other";

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => Select(roleArns: new[] { Other }));

        Assert.Equal("SamlRoleNotInAssertion", error.Code);
        Assert.Equal(Other, error.Target);
        Assert.Contains(Deploy, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_role_arn_is_InvalidRoleArn()
    {
        var error = await Assert.ThrowsAsync<AwsLoginException>(() => Select(roleArns: new[] { "Admin" }));

        Assert.Equal("InvalidRoleArn", error.Code);
    }

    [Fact]
    public async Task The_only_role_is_taken_without_asking()
    {
        var asked = false;
        var roles = await SamlRoleSelection.SelectAsync(Assertion(Role(Zeta, Provider1)), Array.Empty<string>(), false, (_, _) => { asked = true; return Task.FromResult<SamlRole?>(null); }, Target, CancellationToken.None);

        Assert.Equal(Zeta, Assert.Single(roles).RoleArn.Value);
        Assert.False(asked);
    }

    [Fact]
    public async Task Otherwise_the_chooser_gets_the_roles_grouped_by_account_and_its_answer_is_taken()
    {
        IReadOnlyList<SamlRole>? offered = null;
        var roles = await Select(chooser: (list, _) => { offered = list; return Task.FromResult<SamlRole?>(list[2]); });

        Assert.Equal(new[] { Alpha, Zeta, Deploy }, offered!.Select(r => r.RoleArn.Value));
        Assert.Equal(Deploy, Assert.Single(roles).RoleArn.Value);
    }

    [Fact]
    public async Task Without_a_chooser_or_an_answer_it_is_SamlRoleChoiceRequired()
    {
        var noChooser = await Assert.ThrowsAsync<AwsLoginException>(() => Select());
        var noAnswer = await Assert.ThrowsAsync<AwsLoginException>(() => Select(chooser: (_, _) => Task.FromResult<SamlRole?>(null)));

        Assert.Equal("SamlRoleChoiceRequired", noChooser.Code);
        Assert.Equal("SamlRoleChoiceRequired", noAnswer.Code);
        Assert.Equal(FailureKind.InvalidArgument, noChooser.Kind);
        Assert.Contains(Alpha, noChooser.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3600, 1800, 1800)]
    [InlineData(900, 1800, 900)]
    [InlineData(null, 1800, 1800)]
    [InlineData(7200, null, 7200)]
    [InlineData(null, null, null)]
    public void The_duration_is_the_shorter_of_the_request_and_the_SessionDuration(int? requested, int? sessionDuration, int? expected)
    {
        Assert.Equal(expected, SamlCredentialBroker.EffectiveDuration(requested, sessionDuration));
    }

    [Fact]
    public void The_cache_key_ignores_user_case_query_and_user_info_but_not_the_role_or_sts_endpoint()
    {
        var endpoint = new Uri("https://idp.example.test/idp/profile/SAML2/SOAP/ECP");
        var key = SamlCredentialBroker.CacheKey(endpoint, "alice", Zeta, null);

        Assert.Equal(key, SamlCredentialBroker.CacheKey(new Uri("https://someone@IDP.example.test/idp/profile/SAML2/SOAP/ECP?x=1"), " Alice ", Zeta, null));
        Assert.NotEqual(key, SamlCredentialBroker.CacheKey(endpoint, "bob", Zeta, null));
        Assert.NotEqual(key, SamlCredentialBroker.CacheKey(endpoint, "alice", Alpha, null));
        Assert.NotEqual(key, SamlCredentialBroker.CacheKey(endpoint, "alice", Zeta, new Uri("http://127.0.0.1:5000/")));
        Assert.NotEqual(key, SamlCredentialBroker.CacheKey(new Uri("https://other.example.test/idp/profile/SAML2/SOAP/ECP"), "alice", Zeta, null));
    }

    private static string Role(string role, string provider) => role + "," + provider;

    private static SamlAssertion Assertion(params string[] roles)
    {
        using var certificate = SamlAssertionBuilder.CreateSigningCertificate();
        var base64 = SamlAssertionBuilder.Build(new SamlAssertionOptions { SigningCertificate = certificate, Roles = roles });
        return SamlResponseReader.FromBase64(base64, Target, new RecordingLog());
    }

    private static Task<IReadOnlyList<SamlRole>> Select(IReadOnlyList<string>? roleArns = null, bool all = false, SamlRoleChooser? chooser = null) =>
        SamlRoleSelection.SelectAsync(
            Assertion(Role(Zeta, Provider1), Role(Deploy, Provider2), Role(Alpha, Provider1)),
            roleArns ?? Array.Empty<string>(),
            all,
            chooser,
            Target,
            CancellationToken.None);
}
