using System.Linq;
using System.Threading.Tasks;
using AwsLogin.Engine.Sts;
using AwsLogin.Engine.Tests.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Sources;

/// <summary>Named profiles through SourceCredentialResolver: static keys, role chains, credential_source, and broken configurations.</summary>
public sealed class ProfileSourceTests
{
    [Fact]
    public async Task Static_keys_come_back_as_long_term_keys_without_any_sts_call()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("dev"));
        h.WriteConfig("[profile dev]\nregion = eu-west-2\n");

        var result = await h.GetAsync(new IdentityRequest { ProfileName = "dev" });

        Assert.Empty(h.Fake.Calls);
        Assert.Equal(h.User.AccessKeyId, result.AccessKeyId);
        Assert.Equal(h.User.SecretAccessKey, result.SecretAccessKey);
        Assert.Null(result.SessionToken);
        Assert.Equal(CredentialOrigin.LongTermKeys, result.Origin);
        Assert.Equal("eu-west-2", result.Region);
        Assert.Equal("profile dev", result.Source);
    }

    [Fact]
    public async Task Static_keys_with_a_session_token_are_temporary_and_sign_with_the_token()
    {
        await using var h = await StartAsync();
        var seeded = h.Fake.SeedTemporaryKey(RoleC);
        h.WriteCredentials($"[temp]\naws_access_key_id = {seeded.AccessKeyId}\naws_secret_access_key = {seeded.SecretAccessKey}\naws_session_token = {seeded.SessionToken}\n");

        var plain = await h.GetAsync(new IdentityRequest { ProfileName = "temp" });
        var role = await h.GetAsync(Hops(RoleA) with { ProfileName = "temp" });

        Assert.Equal(CredentialOrigin.Temporary, plain.Origin);
        Assert.Equal(seeded.SessionToken, plain.SessionToken);
        var call = Assert.Single(h.Fake.Calls);
        Assert.Equal(seeded.AccessKeyId, call.SigningAccessKeyId);
        Assert.Null(call.ErrorCode);
        Assert.Equal(call.IssuedAccessKeyId, role.AccessKeyId);
    }

    [Fact]
    public async Task A_role_profile_chain_through_source_profiles_is_assumed_innermost_first()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig(
            $"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\n" +
            $"[profile reader]\nrole_arn = {RoleB}\nsource_profile = admin\n" +
            $"[profile auditor]\nrole_arn = {RoleC}\nsource_profile = reader\n");

        var result = await h.GetAsync(new IdentityRequest { ProfileName = "auditor" });

        Assert.Equal(new[] { RoleA, RoleB, RoleC }, h.Calls("AssumeRole").Select(call => call.Parameters["RoleArn"]));
        h.AssertSignedHopByHop(h.User.AccessKeyId);
        Assert.Equal(CredentialOrigin.ChainedRole, result.Origin);
        Assert.Equal("444444444444", result.AccountId);
    }

    [Fact]
    public async Task A_role_profile_that_names_itself_as_source_uses_its_own_static_keys()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("self"));
        h.WriteConfig($"[profile self]\nrole_arn = {RoleA}\nsource_profile = self\n");

        var result = await h.GetAsync(new IdentityRequest { ProfileName = "self" });

        var call = Assert.Single(h.Fake.Calls);
        Assert.Equal(h.User.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(RoleA, call.Parameters["RoleArn"]);
        Assert.Equal(CredentialOrigin.AssumedRole, result.Origin);
    }

    [Fact]
    public async Task A_self_source_without_static_keys_is_InvalidProfileConfiguration()
    {
        await using var h = await StartAsync();
        h.WriteConfig($"[profile self]\nrole_arn = {RoleA}\nsource_profile = self\n");

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "self" });

        Assert.Equal("InvalidProfileConfiguration", exception.Code);
        Assert.Equal(FailureKind.InvalidConfiguration, exception.Kind);
        Assert.Equal("self", exception.Target);
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task Credential_source_Environment_signs_the_role_with_the_environment_keys()
    {
        await using var h = await StartAsync();
        h.Environment["AWS_ACCESS_KEY_ID"] = h.User.AccessKeyId;
        h.Environment["AWS_SECRET_ACCESS_KEY"] = h.User.SecretAccessKey;
        h.WriteConfig($"[profile ci]\nrole_arn = {RoleA}\ncredential_source = Environment\n");

        var result = await h.GetAsync(new IdentityRequest { ProfileName = "ci" });

        Assert.Equal(h.User.AccessKeyId, Assert.Single(h.Fake.Calls).SigningAccessKeyId);
        Assert.Equal(CredentialOrigin.AssumedRole, result.Origin);
    }

    [Fact]
    public async Task Credential_source_Environment_without_keys_is_NoCredentials()
    {
        await using var h = await StartAsync();
        h.WriteConfig($"[profile ci]\nrole_arn = {RoleA}\ncredential_source = Environment\n");

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "ci" });

        Assert.Equal("NoCredentials", exception.Code);
        Assert.Equal(FailureKind.NoCredentials, exception.Kind);
        Assert.Empty(h.Fake.Calls);
    }

    [Theory]
    [InlineData("credential_source = Unknown\n")]
    [InlineData("credential_source = Environment\nsource_profile = base\n")]
    [InlineData("")]
    public async Task A_role_profile_without_exactly_one_valid_source_is_InvalidProfileConfiguration(string source)
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile broken]\nrole_arn = {RoleA}\n{source}");

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "broken" });

        Assert.Equal("InvalidProfileConfiguration", exception.Code);
        Assert.Equal(FailureKind.InvalidConfiguration, exception.Kind);
        Assert.Equal("broken", exception.Target);
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task A_role_arn_that_is_not_a_role_arn_is_InvalidProfileConfiguration()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig("[profile broken]\nrole_arn = arn:aws:iam::222222222222:user/Admin\nsource_profile = base\n");

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "broken" });

        Assert.Equal("InvalidProfileConfiguration", exception.Code);
        Assert.Equal("broken", exception.Target);
    }

    [Fact]
    public async Task A_profile_with_a_key_id_but_no_secret_is_InvalidProfileConfiguration()
    {
        await using var h = await StartAsync();
        h.WriteCredentials($"[half]\naws_access_key_id = {h.User.AccessKeyId}\n");

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "half" });

        Assert.Equal("InvalidProfileConfiguration", exception.Code);
        Assert.Equal("half", exception.Target);
    }

    [Fact]
    public async Task A_profile_without_any_credentials_is_InvalidProfileConfiguration()
    {
        await using var h = await StartAsync();
        h.WriteConfig("[profile empty]\nregion = us-east-1\n");

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "empty" });

        Assert.Equal("InvalidProfileConfiguration", exception.Code);
        Assert.Equal("empty", exception.Target);
    }

    [Theory]
    [InlineData("a", "[profile a]\nrole_arn = {A}\nsource_profile = b\n[profile b]\nrole_arn = {B}\nsource_profile = a\n")]
    [InlineData("a", "[profile a]\nrole_arn = {A}\nsource_profile = b\n[profile b]\nrole_arn = {B}\nsource_profile = c\n[profile c]\nrole_arn = {C}\nsource_profile = b\n")]
    public async Task A_source_profile_loop_is_SourceProfileCycle(string start, string config)
    {
        await using var h = await StartAsync();
        h.WriteConfig(config.Replace("{A}", RoleA).Replace("{B}", RoleB).Replace("{C}", RoleC));

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = start });

        Assert.Equal("SourceProfileCycle", exception.Code);
        Assert.Equal(FailureKind.InvalidConfiguration, exception.Kind);
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task A_missing_source_profile_is_ProfileNotFound_targeting_the_profile_that_names_it()
    {
        await using var h = await StartAsync();
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = gone\n");

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "admin" });

        Assert.Equal("ProfileNotFound", exception.Code);
        Assert.Equal(FailureKind.InvalidConfiguration, exception.Kind);
        Assert.Equal("admin", exception.Target);
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task An_unknown_profile_is_ProfileNotFound()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("dev"));

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "Dev" });

        Assert.Equal("ProfileNotFound", exception.Code);
        Assert.Equal(FailureKind.NotFound, exception.Kind);
        Assert.Equal("Dev", exception.Target);
    }

    [Fact]
    public async Task Changing_the_static_keys_of_the_source_profile_misses_the_cache()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\n");
        await h.GetAsync(new IdentityRequest { ProfileName = "admin" });

        var second = h.Fake.SeedUser("alice");
        h.WriteCredentials($"[base]\naws_access_key_id = {second.AccessKeyId}\naws_secret_access_key = {second.SecretAccessKey}\n");
        await h.GetAsync(new IdentityRequest { ProfileName = "admin" });

        Assert.Equal(new[] { h.User.AccessKeyId, second.AccessKeyId }, h.Calls("AssumeRole").Select(call => call.SigningAccessKeyId));
    }

    [Fact]
    public async Task The_profile_endpoint_url_is_used_when_no_environment_endpoint_is_set()
    {
        await using var h = await StartAsync();
        h.Environment["AWS_ENDPOINT_URL_STS"] = null;
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\nendpoint_url = {h.Fake.Endpoint}\n");

        await h.GetAsync(new IdentityRequest { ProfileName = "admin" });

        Assert.Single(h.Calls("AssumeRole"));
    }

    [Fact]
    public async Task The_services_section_of_the_profile_is_used_when_no_environment_endpoint_is_set()
    {
        await using var h = await StartAsync();
        h.Environment["AWS_ENDPOINT_URL_STS"] = null;
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\nservices = fake\n[services fake]\nsts =\n  endpoint_url = {h.Fake.Endpoint}\n");

        await h.GetAsync(new IdentityRequest { ProfileName = "admin" });

        Assert.Single(h.Calls("AssumeRole"));
    }
}
