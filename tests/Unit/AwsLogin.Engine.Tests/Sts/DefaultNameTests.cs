using System.Threading.Tasks;
using AwsLogin.Engine.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Sts;

/// <summary>Default role session and federated user names must satisfy STS's ASCII pattern [A-Za-z0-9_+=,.@-].</summary>
public sealed class DefaultNameTests
{
    [Theory]
    [InlineData("alice", "awslogin-alice")]
    [InlineData("CORP\\alice", "awslogin-CORP_alice")]
    [InlineData("José Müller", "awslogin-Jos__M_ller")]
    [InlineData("用户", "awslogin-__")]
    [InlineData("a+b=c,d.e@f-g_h", "awslogin-a+b=c,d.e@f-g_h")]
    [InlineData(null, "awslogin-user")]
    public void The_session_name_keeps_only_what_sts_accepts(string? userName, string expected)
    {
        Assert.Equal(expected, StsService.SessionNameFor(userName));
    }

    [Fact]
    public void The_session_name_is_cut_at_64_characters()
    {
        Assert.Equal(64, StsService.SessionNameFor(new string('u', 100)).Length);
    }

    [Fact]
    public void The_default_session_name_matches_the_sts_pattern()
    {
        Assert.Matches("^[A-Za-z0-9_+=,.@-]{2,64}$", StsService.DefaultSessionName());
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("José", "Jos_")]
    [InlineData("x", "awslogin-x")]
    [InlineData("", "awslogin-")]
    [InlineData(null, "awslogin")]
    [InlineData("a-very-long-user-name-that-goes-on-and-on", "a-very-long-user-name-that-goes-")]
    public void The_federated_user_name_is_2_to_32_accepted_characters(string? userName, string expected)
    {
        var name = CredentialBroker.FederatedUserName(userName);

        Assert.Equal(expected, name);
        Assert.Matches("^[A-Za-z0-9_+=,.@-]{2,32}$", name);
    }

    [Fact]
    public async Task An_explicit_session_name_sts_rejects_is_a_ValidationError()
    {
        await using var h = await StartAsync();
        var request = new IdentityRequest
        {
            StartingCredentials = h.UserKeys,
            RoleHops = new[] { new RoleHop(RoleArn.Parse(RoleA)) { RoleSessionName = "José" } },
        };

        var exception = await h.FailAsync(request);

        Assert.Equal("ValidationError", exception.Code);
        Assert.Equal(FailureKind.ServiceValidation, exception.Kind);
    }
}
