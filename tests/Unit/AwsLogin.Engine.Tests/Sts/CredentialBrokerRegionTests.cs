using System.Threading.Tasks;
using AwsLogin.Engine.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Sts;

/// <summary>
/// The STS signing region (and the result's region): the request's, else the profile's, AWS_REGION,
/// AWS_DEFAULT_REGION, and last the default region of the first role's partition.
/// </summary>
public sealed class CredentialBrokerRegionTests
{
    [Theory]
    [InlineData("request", "eu-west-1")]
    [InlineData("profile", "us-west-2")]
    [InlineData("AWS_REGION", "ap-south-1")]
    [InlineData("AWS_DEFAULT_REGION", "sa-east-1")]
    [InlineData("none", "us-east-1")]
    public async Task The_region_comes_from_the_first_source_that_sets_one(string firstSet, string expected)
    {
        await using var h = await StartAsync();
        h.Fake.Region = null;
        h.WriteCredentials(h.UserKeySection("base"));
        var order = new[] { "request", "profile", "AWS_REGION", "AWS_DEFAULT_REGION", "none" };
        var from = System.Array.IndexOf(order, firstSet);
        string? Set(string source, string value) => System.Array.IndexOf(order, source) >= from ? value : null;

        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\n" + (Set("profile", "us-west-2") is { } region ? $"region = {region}\n" : string.Empty));
        h.Environment["AWS_REGION"] = Set("AWS_REGION", "ap-south-1");
        h.Environment["AWS_DEFAULT_REGION"] = Set("AWS_DEFAULT_REGION", "sa-east-1");

        var result = await h.GetAsync(new IdentityRequest { ProfileName = "admin", Region = Set("request", "eu-west-1") });

        Assert.Equal(expected, Assert.Single(h.Calls("AssumeRole")).SigningRegion);
        Assert.Equal(expected, result.Region);
    }

    [Theory]
    [InlineData("arn:aws-cn:iam::222222222222:role/Admin", "cn-north-1")]
    [InlineData("arn:aws-us-gov:iam::222222222222:role/Admin", "us-gov-west-1")]
    [InlineData("arn:aws:iam::222222222222:role/Admin", "us-east-1")]
    public async Task Without_any_configured_region_the_first_role_partition_decides(string roleArn, string expected)
    {
        await using var h = await StartAsync();
        h.Fake.Region = null;
        h.Environment["AWS_REGION"] = null;

        var result = await h.GetAsync(Hops(roleArn, RoleB) with { StartingCredentials = h.UserKeys });

        var calls = h.Calls("AssumeRole");
        Assert.Equal(2, calls.Count);
        Assert.All(calls, call => Assert.Equal(expected, call.SigningRegion));
        Assert.Equal(expected, result.Region);
    }

    [Fact]
    public async Task A_blank_profile_region_is_skipped()
    {
        await using var h = await StartAsync();
        h.Fake.Region = null;
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\nregion =\n");
        h.Environment["AWS_REGION"] = "  ";
        h.Environment["AWS_DEFAULT_REGION"] = "eu-north-1";

        var result = await h.GetAsync(new IdentityRequest { ProfileName = "admin" });

        Assert.Equal("eu-north-1", result.Region);
        Assert.Equal("eu-north-1", Assert.Single(h.Fake.Calls).SigningRegion);
    }

    [Fact]
    public async Task The_region_of_the_named_profile_counts_not_that_of_its_source_profile()
    {
        await using var h = await StartAsync();
        h.Fake.Region = null;
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile base]\nregion = ca-central-1\n[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\n");
        h.Environment["AWS_REGION"] = "eu-west-3";

        var result = await h.GetAsync(new IdentityRequest { ProfileName = "admin" });

        Assert.Equal("eu-west-3", result.Region);
    }

    [Fact]
    public async Task A_fake_bound_to_one_region_rejects_a_signature_for_another()
    {
        await using var h = await StartAsync();

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys, Region = "eu-west-1" });

        Assert.Equal("SignatureDoesNotMatch", exception.Code);
        Assert.Equal("eu-west-1", Assert.Single(h.Fake.Calls).SigningRegion);
    }
}
