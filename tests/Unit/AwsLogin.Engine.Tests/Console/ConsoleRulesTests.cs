using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Console;
using AwsLogin.Engine.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Console;

/// <summary>What AWS refuses is refused before any network call: SessionDuration, session-token credentials, regions, destinations, endpoints.</summary>
public sealed class ConsoleRulesTests
{
    [Fact]
    public async Task A_role_chain_with_a_session_duration_is_refused_before_any_call()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var console = h.Console();

        var exception = Assert.Throws<AwsLoginException>(() => console.Plan(Hops(RoleA, RoleB) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { SessionDurationSeconds = 3600 }));

        Assert.Equal(("SessionDurationNotAllowed", FailureKind.InvalidArgument, RoleB), (exception.Code, exception.Kind, exception.Target));
        Assert.Empty(h.Fake.Calls);
        Assert.Empty(h.SignIn.Calls);
    }

    [Fact]
    public async Task A_profile_role_followed_by_a_requested_role_is_a_chain_too()
    {
        await using var h = await ConsoleHarness.StartAsync();
        h.Sts.WriteCredentials(h.Sts.UserKeySection("base"));
        h.Sts.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\n");

        var exception = Assert.Throws<AwsLoginException>(() => h.Console().Plan(Hops(RoleB) with { ProfileName = "admin" }, new ConsoleOptions { SessionDurationSeconds = 900 }));

        Assert.Equal("SessionDurationNotAllowed", exception.Code);
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task A_piped_chained_role_credential_with_a_session_duration_is_refused_before_any_call()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var chained = await h.Sts.GetAsync(Hops(RoleA, RoleB) with { StartingCredentials = h.Sts.UserKeys });
        Assert.Equal(CredentialOrigin.ChainedRole, chained.Origin);
        var stsCalls = h.Fake.Calls.Count;

        var viaPlan = Assert.Throws<AwsLoginException>(() => h.Console().Plan(new IdentityRequest { StartingCredentials = chained }, new ConsoleOptions { SessionDurationSeconds = 3600 }));
        var direct = await h.FailAsync(() => h.Console().CreateAsync(chained, new ConsoleOptions { SessionDurationSeconds = 3600 }, CancellationToken.None));

        Assert.Equal("SessionDurationNotAllowed", viaPlan.Code);
        Assert.Equal("SessionDurationNotAllowed", direct.Code);
        Assert.Equal(stsCalls, h.Fake.Calls.Count);
        Assert.Empty(h.SignIn.Calls);
    }

    [Fact]
    public async Task A_role_assumed_with_a_role_session_is_a_chain()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var role = await h.Sts.GetAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys });

        var exception = Assert.Throws<AwsLoginException>(() => h.Console().Plan(Hops(RoleB) with { StartingCredentials = role }, new ConsoleOptions { SessionDurationSeconds = 3600 }));

        Assert.Equal("SessionDurationNotAllowed", exception.Code);
    }

    [Fact]
    public async Task Federation_tokens_and_long_term_keys_cannot_have_a_session_duration()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var options = new ConsoleOptions { SessionDurationSeconds = 3600 };

        var federation = Assert.Throws<AwsLoginException>(() => h.Console().Plan(new IdentityRequest { StartingCredentials = h.Sts.UserKeys, FederationToken = true }, options));
        var keys = Assert.Throws<AwsLoginException>(() => h.Console().Plan(new IdentityRequest { StartingCredentials = h.Sts.UserKeys }, options));

        Assert.Equal("SessionDurationNotAllowed", federation.Code);
        Assert.Equal("SessionDurationNotAllowed", keys.Code);
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task Long_term_keys_found_only_when_resolving_a_profile_are_refused_before_GetFederationToken()
    {
        await using var h = await ConsoleHarness.StartAsync();
        h.Sts.WriteCredentials(h.Sts.UserKeySection("base"));

        var exception = await h.FailAsync(() => h.CreateAsync(new IdentityRequest { ProfileName = "base" }, new ConsoleOptions { SessionDurationSeconds = 3600 }));

        Assert.Equal("SessionDurationNotAllowed", exception.Code);
        Assert.Empty(h.Fake.Calls);
        Assert.Empty(h.SignIn.Calls);
    }

    [Theory]
    [InlineData(899)]
    [InlineData(43201)]
    public async Task A_session_duration_outside_900_to_43200_is_refused(int seconds)
    {
        await using var h = await ConsoleHarness.StartAsync();

        var exception = Assert.Throws<AwsLoginException>(() => h.Console().Plan(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { SessionDurationSeconds = seconds }));

        Assert.Equal(("SessionDurationOutOfRange", FailureKind.InvalidArgument), (exception.Code, exception.Kind));
    }

    [Fact]
    public async Task GetSessionToken_credentials_cannot_sign_in()
    {
        await using var h = await ConsoleHarness.StartAsync();

        var planned = Assert.Throws<AwsLoginException>(() => h.Console().Plan(new IdentityRequest { StartingCredentials = h.Sts.UserKeys, SessionToken = true }, new ConsoleOptions()));
        var session = await h.Sts.GetAsync(new IdentityRequest { StartingCredentials = h.Sts.UserKeys, SessionToken = true });
        var direct = await h.FailAsync(() => h.Console().CreateAsync(session, new ConsoleOptions(), CancellationToken.None));

        Assert.Equal("ConsoleCredentialsNotSupported", planned.Code);
        Assert.Equal("ConsoleCredentialsNotSupported", direct.Code);
        Assert.Empty(h.SignIn.Calls);
    }

    [Fact]
    public async Task A_region_of_another_partition_is_refused()
    {
        await using var h = await ConsoleHarness.StartAsync();

        var exception = Assert.Throws<AwsLoginException>(() => h.Console().Plan(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { Region = "cn-north-1" }));

        Assert.Equal(("RegionNotInPartition", "cn-north-1"), (exception.Code, exception.Target));
    }

    [Theory]
    [InlineData("http://console.aws.amazon.com/ec2/home")]
    [InlineData("https://console.aws.amazon.com.example.com/")]
    [InlineData("https://example.com/?u=https://console.aws.amazon.com/")]
    [InlineData("https://user@console.aws.amazon.com/")]
    [InlineData("https://console.aws.amazon.com:8443/")]
    [InlineData("https://console.amazonaws-us-gov.com/ec2/home")]
    [InlineData("https://evilconsole.aws.amazon.com/")]
    [InlineData("console.aws.amazon.com/ec2")]
    public async Task A_destination_that_is_not_an_https_console_url_of_the_partition_is_refused(string destination)
    {
        await using var h = await ConsoleHarness.StartAsync();

        var exception = Assert.Throws<AwsLoginException>(() => h.Console().Plan(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { Destination = destination }));

        Assert.Equal(("InvalidConsoleDestination", FailureKind.InvalidArgument), (exception.Code, exception.Kind));
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task A_service_and_a_destination_together_are_refused()
    {
        await using var h = await ConsoleHarness.StartAsync();

        var exception = Assert.Throws<AwsLoginException>(() => h.Console().Plan(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { Service = "ec2", Destination = "https://console.aws.amazon.com/s3/home" }));

        Assert.Equal("InvalidConsoleDestination", exception.Code);
    }

    [Theory]
    [InlineData("EC2")]
    [InlineData("ec2/home")]
    [InlineData("../iam")]
    public void A_service_name_that_is_not_a_console_path_is_refused(string service)
    {
        var exception = Assert.Throws<AwsLoginException>(() => ConsoleDestination.Build(AwsPartition.Aws, "us-east-1", service));

        Assert.Equal("InvalidConsoleDestination", exception.Code);
    }

    [Theory]
    [InlineData("aws", "eu-central-1", "s3", "https://eu-central-1.console.aws.amazon.com/s3/home?region=eu-central-1")]
    [InlineData("aws", "us-east-1", null, "https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1")]
    [InlineData("aws-us-gov", "us-gov-west-1", "ec2", "https://console.amazonaws-us-gov.com/ec2/home?region=us-gov-west-1")]
    [InlineData("aws-us-gov", "us-gov-east-1", null, "https://console.amazonaws-us-gov.com/console/home?region=us-gov-east-1")]
    [InlineData("aws-cn", "cn-northwest-1", "iam", "https://console.amazonaws.cn/iam/home?region=cn-northwest-1")]
    public void Console_urls_follow_each_partitions_form(string partition, string region, string? service, string expected)
    {
        Assert.Equal(expected, ConsoleDestination.Build(AwsPartition.FromId(partition)!, region, service).AbsoluteUri);
    }

    [Theory]
    [InlineData("aws", true, "https://us-east-1.signin.aws.amazon.com/federation", true)]
    [InlineData("aws", false, "https://signin.aws.amazon.com/federation", true)]
    [InlineData("aws-us-gov", true, "https://signin.amazonaws-us-gov.com/federation", false)]
    [InlineData("aws-cn", true, "https://signin.amazonaws.cn/federation", false)]
    public void Each_partition_has_its_sign_in_host(string partition, bool signOut, string federation, bool canSignOut)
    {
        var endpoint = SignInEndpoint.Resolve(AwsPartition.FromId(partition)!, signOut, null, new DictionaryEnvironment());

        Assert.Equal((federation, canSignOut, false), (endpoint.Federation.AbsoluteUri, endpoint.CanSignOut, endpoint.IsOverride));
        Assert.Equal(endpoint.BaseUri + "oauth", endpoint.OAuth.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://signin.example.com")]
    [InlineData("ftp://127.0.0.1/")]
    [InlineData("https://127.0.0.1/?x=1")]
    [InlineData("https://me:pw@signin.example.com/")]
    [InlineData("not a url")]
    public void A_sign_in_endpoint_must_be_https_or_loopback_http(string url)
    {
        var fromParameter = Assert.Throws<AwsLoginException>(() => SignInEndpoint.Resolve(AwsPartition.Aws, true, url, new DictionaryEnvironment()));
        var fromEnvironment = Assert.Throws<AwsLoginException>(() => SignInEndpoint.Resolve(AwsPartition.Aws, true, null, new DictionaryEnvironment { [SignInEndpoint.EnvironmentVariable] = url }));

        Assert.Equal(("InvalidSignInEndpoint", FailureKind.InvalidArgument), (fromParameter.Code, fromParameter.Kind));
        Assert.Equal(("InvalidSignInEndpoint", FailureKind.InvalidConfiguration, SignInEndpoint.EnvironmentVariable), (fromEnvironment.Code, fromEnvironment.Kind, fromEnvironment.Target));
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/federation")]
    [InlineData("http://localhost:8080/base", "http://localhost:8080/base/federation")]
    [InlineData("http://[::1]:8080/", "http://[::1]:8080/federation")]
    [InlineData("https://signin.example.com/aws/", "https://signin.example.com/aws/federation")]
    public void An_overriding_endpoint_keeps_its_path(string url, string federation)
    {
        var endpoint = SignInEndpoint.Resolve(AwsPartition.AwsCn, true, url, new DictionaryEnvironment());

        Assert.Equal((federation, true, true), (endpoint.Federation.AbsoluteUri, endpoint.CanSignOut, endpoint.IsOverride));
    }

    [Fact]
    public async Task Plan_looks_at_no_network_and_runs_no_credential_process()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var marker = System.IO.Path.Combine(h.Sts.Root, "ran");
        h.Sts.WriteConfig($"[profile proc]\ncredential_process = sh -c \"touch '{marker}'; exit 1\"\n");

        var plan = h.Console().Plan(Hops(RoleA) with { ProfileName = "proc" }, new ConsoleOptions { Service = "ec2" });

        Assert.Equal(RoleA, plan.Target);
        Assert.Equal(CredentialOrigin.AssumedRole, plan.Preview.Origin);
        Assert.Equal("https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1", plan.Destination.AbsoluteUri);
        Assert.False(System.IO.File.Exists(marker));
        Assert.Empty(h.Fake.Calls);
    }
}
