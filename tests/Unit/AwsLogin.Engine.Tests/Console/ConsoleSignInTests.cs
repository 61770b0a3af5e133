using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Console;
using AwsLogin.Engine.Sts;
using AwsLogin.TestServers;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Console;

/// <summary>Sign-in URLs made against the fake STS and the fake federation endpoint, followed as a browser would.</summary>
public sealed class ConsoleSignInTests
{
    [Fact]
    public async Task A_role_session_gets_a_sign_in_url_that_signs_out_first_and_leads_to_the_console_home()
    {
        await using var h = await ConsoleHarness.StartAsync();

        var url = await h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { SignOutFirst = true });

        var role = h.Fake.IssuedCredentials.Single();
        var signOut = new Uri(url.Url);
        Assert.Equal(h.SignIn.Endpoint.Authority, signOut.Authority);
        Assert.Equal("/oauth", signOut.AbsolutePath);
        Assert.Equal("logout", ConsoleHarness.QueryOf(url.Url)["Action"]);
        var login = ConsoleHarness.LoginUrlOf(url.Url);
        Assert.StartsWith(h.SignIn.Endpoint + "federation?Action=login&Issuer=AwsLogin&Destination=", login, StringComparison.Ordinal);
        Assert.Equal(role.AccessKeyId, h.SignIn.SessionOf(ConsoleHarness.QueryOf(login)["SigninToken"]));
        Assert.True(url.SignsOutFirst);
        Assert.Equal("https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1", url.Destination.AbsoluteUri);
        Assert.Equal(role.Arn, url.Arn);
        Assert.Equal("222222222222", url.AccountId);
        Assert.Equal(role.Expiration.UtcDateTime, url.SessionExpiration);
        Assert.InRange(url.Expiration - DateTime.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));

        Assert.Equal(url.Destination, await ConsoleHarness.FollowAsync(url.Url));
        var getToken = h.SignIn.Calls.Single(c => c.Action == "getSigninToken");
        Assert.Equal((200, role.AccessKeyId, (string?)null), (getToken.HttpStatus, getToken.AccessKeyId, getToken.SessionDuration));
        var loginCall = h.SignIn.Calls.Single(c => c.Action == "login");
        Assert.Equal((302, "AwsLogin"), (loginCall.HttpStatus, loginCall.Issuer));
        h.AssertLogClean(url);
    }

    [Fact]
    public async Task Service_and_region_choose_the_console_page_and_the_url_encodes_it_exactly()
    {
        await using var h = await ConsoleHarness.StartAsync();
        h.Fake.Region = null;

        var url = await h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys, Region = "eu-west-1" }, new ConsoleOptions { Service = "cloudwatch" });

        Assert.Equal("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1", url.Destination.AbsoluteUri);
        Assert.Equal("eu-west-1", url.Region);
        var login = ConsoleHarness.LoginUrlOf(url.Url);
        Assert.Contains("&Destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fcloudwatch%2Fhome%3Fregion%3Deu-west-1&", login, StringComparison.Ordinal);
        Assert.Equal(url.Destination.AbsoluteUri, ConsoleHarness.QueryOf(login)["Destination"]);
        Assert.Equal(url.Destination, await ConsoleHarness.FollowAsync(url.Url));
    }

    [Fact]
    public async Task A_destination_url_with_its_own_query_and_fragment_survives_both_levels_of_encoding()
    {
        await using var h = await ConsoleHarness.StartAsync();
        const string Destination = "https://s3.console.aws.amazon.com/s3/buckets/my-bucket?region=eu-west-1&prefix=a+b/c%20d&tab=objects#top";

        var url = await h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { Destination = Destination });

        Assert.Equal(new Uri(Destination).AbsoluteUri, ConsoleHarness.QueryOf(ConsoleHarness.LoginUrlOf(url.Url))["Destination"]);
        Assert.Equal(new Uri(Destination).AbsoluteUri, (await ConsoleHarness.FollowAsync(url.Url)).AbsoluteUri);
    }

    [Fact]
    public async Task By_default_the_url_is_the_login_itself()
    {
        await using var h = await ConsoleHarness.StartAsync();

        var url = await h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys });

        Assert.False(url.SignsOutFirst);
        Assert.StartsWith(h.SignIn.Endpoint + "federation?Action=login&", url.Url, StringComparison.Ordinal);
        Assert.Equal(url.Destination, await ConsoleHarness.FollowAsync(url.Url));
        Assert.Equal(0, h.SignIn.CountCalls("logout"));
    }

    [Fact]
    public async Task A_session_duration_is_sent_for_a_role_assumed_with_user_keys()
    {
        await using var h = await ConsoleHarness.StartAsync();

        var url = await h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { SessionDurationSeconds = 43200 });

        Assert.Equal("43200", h.SignIn.Calls.Single(c => c.Action == "getSigninToken").SessionDuration);
        Assert.Equal(url.Destination, await ConsoleHarness.FollowAsync(url.Url));
    }

    [Fact]
    public async Task Long_term_keys_become_a_federation_token_with_a_pass_through_policy_signed_by_the_user_key()
    {
        await using var h = await ConsoleHarness.StartAsync();

        var url = await h.CreateAsync(new IdentityRequest { StartingCredentials = h.Sts.UserKeys });

        var call = Assert.Single(h.Fake.Calls);
        Assert.Equal("GetFederationToken", call.Action);
        Assert.Equal(h.Sts.User.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(ConsoleSignIn.PassThroughPolicy, call.Parameters["Policy"]);
        Assert.Equal(CredentialBroker.FederatedUserName(Environment.UserName), call.Parameters["Name"]);
        Assert.False(call.Parameters.ContainsKey("DurationSeconds"));
        var federated = h.Fake.FindIssued(call.IssuedAccessKeyId!)!;
        Assert.Equal("GetFederationToken", federated.Action);
        Assert.Equal(federated.AccessKeyId, h.SignIn.Calls.Single(c => c.Action == "getSigninToken").AccessKeyId);
        Assert.Equal(federated.Arn, url.Arn);
        Assert.Equal(url.Destination, await ConsoleHarness.FollowAsync(url.Url));
        h.AssertLogClean(url);
    }

    [Fact]
    public async Task A_policy_name_and_duration_given_for_long_term_keys_go_to_GetFederationToken()
    {
        await using var h = await ConsoleHarness.StartAsync();
        const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}]}";

        await h.CreateAsync(new IdentityRequest { StartingCredentials = h.Sts.UserKeys, Policy = Policy, FederationName = "console-bob", DurationSeconds = 7200 });

        var call = Assert.Single(h.Fake.Calls);
        Assert.Equal((Policy, "console-bob", "7200"), (call.Parameters["Policy"], call.Parameters["Name"], call.Parameters["DurationSeconds"]));
    }

    [Fact]
    public async Task Keys_from_a_profile_are_recognised_as_long_term_once_resolved()
    {
        await using var h = await ConsoleHarness.StartAsync();
        h.Sts.WriteCredentials(h.Sts.UserKeySection("base"));

        var url = await h.CreateAsync(new IdentityRequest { ProfileName = "base" });

        Assert.Equal("GetFederationToken", Assert.Single(h.Fake.Calls).Action);
        Assert.Equal(url.Destination, await ConsoleHarness.FollowAsync(url.Url));
    }

    [Fact]
    public async Task A_federation_token_from_the_broker_signs_in_as_it_is()
    {
        await using var h = await ConsoleHarness.StartAsync();

        var url = await h.CreateAsync(new IdentityRequest { StartingCredentials = h.Sts.UserKeys, FederationToken = true, FederationName = "fed-user" });

        Assert.Equal(1, h.Fake.CountCalls("GetFederationToken"));
        Assert.EndsWith(":federated-user/fed-user", url.Arn, StringComparison.Ordinal);
        Assert.Equal(url.Destination, await ConsoleHarness.FollowAsync(url.Url));
    }

    [Fact]
    public async Task Credentials_of_another_partition_open_that_partitions_console()
    {
        await using var h = await ConsoleHarness.StartAsync();
        h.Fake.Region = null;
        const string GovRole = "arn:aws-us-gov:iam::222222222222:role/GovAdmin";

        var url = await h.CreateAsync(Hops(GovRole) with { StartingCredentials = h.Sts.UserKeys, Region = "us-gov-east-1" }, new ConsoleOptions { Service = "ec2" });

        Assert.Equal(AwsPartition.AwsUsGov, url.Partition);
        Assert.Equal("https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-east-1", url.Destination.AbsoluteUri);
        Assert.Equal(url.Destination, await ConsoleHarness.FollowAsync(url.Url));
    }

    [Fact]
    public async Task A_piped_role_credential_without_region_uses_the_partition_default_region()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var role = await h.Sts.GetAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys });

        var url = await h.Console().CreateAsync(role with { Region = null }, new ConsoleOptions(), CancellationToken.None);

        Assert.Equal("us-east-1", url.Region);
        Assert.Equal(url.Destination, await ConsoleHarness.FollowAsync(url.Url));
    }

    [Fact]
    public async Task The_url_object_never_shows_the_url_or_token()
    {
        await using var h = await ConsoleHarness.StartAsync();

        var url = await h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { Service = "ec2" });

        var text = url.ToString();
        foreach (var secret in h.Secrets(url))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        Assert.Contains("https://us-east-1.console.aws.amazon.com/ec2/home", text, StringComparison.Ordinal);
        Assert.Contains(url.Arn!, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_endpoint_parameter_overrides_the_environment()
    {
        await using var h = await ConsoleHarness.StartAsync();
        await using var other = await FakeSignIn.StartAsync(h.Fake);

        var url = await h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { SignInEndpoint = other.Endpoint.ToString().TrimEnd('/'), SignOutFirst = true });

        Assert.Equal(1, other.CountCalls("getSigninToken"));
        Assert.Empty(h.SignIn.Calls);
        Assert.StartsWith(other.Endpoint + "oauth?Action=logout&redirect_uri=", url.Url, StringComparison.Ordinal);
    }
}
