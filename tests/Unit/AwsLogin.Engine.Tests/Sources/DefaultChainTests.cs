using System.Threading.Tasks;
using AwsLogin.Engine.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Sources;

/// <summary>
/// No profile and no keys in the request: environment keys, then AWS_PROFILE or [default], then the container
/// endpoint and EC2 metadata (disabled here by AWS_EC2_METADATA_DISABLED).
/// </summary>
public sealed class DefaultChainTests
{
    [Fact]
    public async Task Environment_keys_beat_AWS_PROFILE_and_the_default_profile()
    {
        await using var h = await StartAsync();
        var other = h.Fake.SeedUser("bob");
        h.WriteCredentials($"[default]\naws_access_key_id = {other.AccessKeyId}\naws_secret_access_key = {other.SecretAccessKey}\n");
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = default\n");
        h.Environment["AWS_PROFILE"] = "admin";
        h.Environment["AWS_ACCESS_KEY_ID"] = h.User.AccessKeyId;
        h.Environment["AWS_SECRET_ACCESS_KEY"] = h.User.SecretAccessKey;

        var plain = await h.GetAsync(new IdentityRequest());
        var role = await h.GetAsync(Hops(RoleB));

        Assert.Equal(h.User.AccessKeyId, plain.AccessKeyId);
        Assert.Equal(CredentialOrigin.LongTermKeys, plain.Origin);
        Assert.Equal("environment variables", plain.Source);
        var call = Assert.Single(h.Fake.Calls);
        Assert.Equal(h.User.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(RoleB, call.Parameters["RoleArn"]);
        Assert.Equal(call.IssuedAccessKeyId, role.AccessKeyId);
    }

    [Fact]
    public async Task Environment_keys_with_a_session_token_and_expiration_are_temporary()
    {
        await using var h = await StartAsync();
        var seeded = h.Fake.SeedTemporaryKey(RoleC);
        h.Environment["AWS_ACCESS_KEY_ID"] = seeded.AccessKeyId;
        h.Environment["AWS_SECRET_ACCESS_KEY"] = seeded.SecretAccessKey;
        h.Environment["AWS_SESSION_TOKEN"] = seeded.SessionToken;
        h.Environment["AWS_CREDENTIAL_EXPIRATION"] = "2030-01-02T03:04:05Z";

        var result = await h.GetAsync(new IdentityRequest());

        Assert.Equal(seeded.SessionToken, result.SessionToken);
        Assert.Equal(CredentialOrigin.Temporary, result.Origin);
        Assert.Equal(new System.DateTime(2030, 1, 2, 3, 4, 5, System.DateTimeKind.Utc), result.Expiration);
    }

    [Fact]
    public async Task With_environment_keys_the_region_still_comes_from_the_AWS_PROFILE_profile()
    {
        await using var h = await StartAsync();
        h.Fake.Region = null;
        h.WriteConfig("[profile settings]\nregion = ap-northeast-1\n");
        h.Environment["AWS_PROFILE"] = "settings";
        h.Environment["AWS_ACCESS_KEY_ID"] = h.User.AccessKeyId;
        h.Environment["AWS_SECRET_ACCESS_KEY"] = h.User.SecretAccessKey;

        var result = await h.GetAsync(Hops(RoleA));

        Assert.Equal("ap-northeast-1", result.Region);
        Assert.Equal("ap-northeast-1", Assert.Single(h.Fake.Calls).SigningRegion);
    }

    [Fact]
    public async Task AWS_PROFILE_is_used_when_there_are_no_environment_keys()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\n");
        h.Environment["AWS_PROFILE"] = "admin";

        var result = await h.GetAsync(new IdentityRequest());

        Assert.Equal(RoleA, Assert.Single(h.Fake.Calls).Parameters["RoleArn"]);
        Assert.Equal(CredentialOrigin.AssumedRole, result.Origin);
    }

    [Fact]
    public async Task An_environment_key_without_a_secret_does_not_count()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("default"));
        h.Environment["AWS_ACCESS_KEY_ID"] = "AKIAONLYTHEKEYID0000";

        var result = await h.GetAsync(new IdentityRequest());

        Assert.Equal(h.User.AccessKeyId, result.AccessKeyId);
    }

    [Fact]
    public async Task AWS_PROFILE_naming_a_missing_profile_is_ProfileNotFound_even_with_a_default_profile()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("default"));
        h.Environment["AWS_PROFILE"] = "missing";

        var exception = await h.FailAsync(new IdentityRequest());

        Assert.Equal("ProfileNotFound", exception.Code);
        Assert.Equal(FailureKind.NotFound, exception.Kind);
        Assert.Equal("missing", exception.Target);
    }

    [Fact]
    public async Task The_default_profile_is_used_when_nothing_else_is_set()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("default"));

        var result = await h.GetAsync(Hops(RoleA));

        Assert.Equal(h.User.AccessKeyId, Assert.Single(h.Fake.Calls).SigningAccessKeyId);
        Assert.Equal(CredentialOrigin.AssumedRole, result.Origin);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("[default]\nregion = us-west-2\noutput = json\n")]
    public async Task Nothing_at_all_is_NoCredentials_when_instance_metadata_is_disabled(string? config)
    {
        await using var h = await StartAsync();
        if (config is not null)
        {
            h.WriteConfig(config);
        }

        var exception = await h.FailAsync(Hops(RoleA));

        Assert.Equal("NoCredentials", exception.Code);
        Assert.Equal(FailureKind.NoCredentials, exception.Kind);
        Assert.Empty(h.Fake.Calls);
    }
}
