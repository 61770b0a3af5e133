using System;
using System.Linq;
using System.Threading.Tasks;
using AwsLogin.Engine.Sts;
using AwsLogin.TestServers;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Sts;

/// <summary>Role chains against the fake STS: each hop is signed by the one before, and the result describes the last hop.</summary>
public sealed class CredentialBrokerChainTests
{
    [Fact]
    public async Task One_hop_from_user_keys_is_an_assumed_role_signed_by_the_user()
    {
        await using var h = await StartAsync();

        var result = await h.GetAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });

        var call = Assert.Single(h.Fake.Calls);
        Assert.Equal("AssumeRole", call.Action);
        Assert.Equal(h.User.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal("us-east-1", call.SigningRegion);
        Assert.Equal(RoleA, call.Parameters["RoleArn"]);
        Assert.Equal("test-session", call.Parameters["RoleSessionName"]);
        Assert.Null(call.ErrorCode);

        var issued = h.Fake.FindIssued(result.AccessKeyId);
        Assert.NotNull(issued);
        Assert.Equal(call.IssuedAccessKeyId, result.AccessKeyId);
        Assert.Equal(issued.SecretAccessKey, result.SecretAccessKey);
        Assert.Equal(issued.SessionToken, result.SessionToken);
        Assert.Equal(issued.Expiration.UtcDateTime, result.Expiration);
        Assert.Equal(DateTimeKind.Utc, result.Expiration!.Value.Kind);
        Assert.Equal(CredentialOrigin.AssumedRole, result.Origin);
        Assert.Equal("222222222222", result.AccountId);
        Assert.Equal("arn:aws:sts::222222222222:assumed-role/Admin/test-session", result.Arn);
        Assert.Equal("us-east-1", result.Region);
        Assert.False(result.IsLongTerm);
        h.AssertLogHasNoSecrets();
    }

    [Fact]
    public async Task Three_hops_are_signed_hop_by_hop_and_the_result_is_a_chained_role()
    {
        await using var h = await StartAsync();

        var result = await h.GetAsync(Hops(RoleA, RoleB, RoleC) with { StartingCredentials = h.UserKeys });

        var calls = h.Calls("AssumeRole");
        Assert.Equal(new[] { RoleA, RoleB, RoleC }, calls.Select(call => call.Parameters["RoleArn"]));
        h.AssertSignedHopByHop(h.User.AccessKeyId);
        Assert.Equal(calls[2].IssuedAccessKeyId, result.AccessKeyId);
        Assert.Equal(CredentialOrigin.ChainedRole, result.Origin);
        Assert.Equal("444444444444", result.AccountId);
        Assert.Equal("arn:aws:sts::444444444444:assumed-role/Auditor/test-session", result.Arn);
        Assert.True(h.Fake.FindIssued(calls[1].IssuedAccessKeyId!)!.IsRoleChain);
        Assert.False(h.Fake.FindIssued(calls[0].IssuedAccessKeyId!)!.IsRoleChain);
        h.AssertLogHasNoSecrets();
    }

    [Fact]
    public async Task A_role_session_as_the_start_makes_even_the_first_hop_a_chained_role()
    {
        await using var h = await StartAsync();
        var seeded = h.Fake.SeedTemporaryKey(RoleC, "seeded");
        var start = new CredentialSet(seeded.AccessKeyId, seeded.SecretAccessKey, seeded.SessionToken)
        {
            Expiration = seeded.Expiration.UtcDateTime,
            Origin = CredentialOrigin.AssumedRole,
        };

        var result = await h.GetAsync(Hops(RoleA) with { StartingCredentials = start });

        Assert.Equal(seeded.AccessKeyId, Assert.Single(h.Calls("AssumeRole")).SigningAccessKeyId);
        Assert.Equal(CredentialOrigin.ChainedRole, result.Origin);
        Assert.True(h.Fake.FindIssued(result.AccessKeyId)!.IsRoleChain);
    }

    [Fact]
    public async Task Profile_hops_come_before_requested_hops_and_carry_the_profile_settings()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, externalId: "ext-1234");
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig(
            $"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\nexternal_id = ext-1234\nrole_session_name = admin-session\nduration_seconds = 1800\n" +
            $"[profile reader]\nrole_arn = {RoleB}\nsource_profile = admin\n");

        var result = await h.GetAsync(Hops(RoleC) with { ProfileName = "reader" });

        var calls = h.Calls("AssumeRole");
        Assert.Equal(new[] { RoleA, RoleB, RoleC }, calls.Select(call => call.Parameters["RoleArn"]));
        h.AssertSignedHopByHop(h.User.AccessKeyId);
        Assert.Equal("ext-1234", calls[0].Parameters["ExternalId"]);
        Assert.Equal("admin-session", calls[0].Parameters["RoleSessionName"]);
        Assert.Equal("1800", calls[0].Parameters["DurationSeconds"]);
        Assert.False(calls[1].Parameters.ContainsKey("ExternalId"));
        Assert.Equal(StsService.DefaultSessionName(), calls[1].Parameters["RoleSessionName"]);
        Assert.Equal(calls[2].IssuedAccessKeyId, result.AccessKeyId);
        Assert.Equal(CredentialOrigin.ChainedRole, result.Origin);
    }

    [Fact]
    public async Task Request_duration_and_policy_go_to_every_requested_hop_and_the_serial_only_to_the_first()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, requireMfa: true);
        h.Fake.SeedMfaDevice("alice", MfaSerial, MfaCode);
        const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}]}";
        var request = new IdentityRequest
        {
            StartingCredentials = h.UserKeys,
            RoleHops = new[]
            {
                new RoleHop(RoleArn.Parse(RoleA)) { Policy = Policy },
                new RoleHop(RoleArn.Parse(RoleB)) { DurationSeconds = 900 },
            },
            DurationSeconds = 1200,
            SerialNumber = MfaSerial,
            TokenCode = MfaCode,
        };

        await h.GetAsync(request);

        var calls = h.Calls("AssumeRole");
        Assert.Equal("1200", calls[0].Parameters["DurationSeconds"]);
        Assert.Equal(Policy, calls[0].Parameters["Policy"]);
        Assert.Equal(MfaSerial, calls[0].Parameters["SerialNumber"]);
        Assert.Equal(MfaCode, calls[0].Parameters["TokenCode"]);
        Assert.Equal("900", calls[1].Parameters["DurationSeconds"]);
        Assert.False(calls[1].Parameters.ContainsKey("SerialNumber"));
        Assert.False(calls[1].Parameters.ContainsKey("TokenCode"));
    }

    [Fact]
    public async Task Without_steps_the_source_credentials_come_back_with_the_resolved_region_and_no_sts_call()
    {
        await using var h = await StartAsync();

        var result = await h.GetAsync(new IdentityRequest { StartingCredentials = h.UserKeys, Region = "eu-central-1" });

        Assert.Empty(h.Fake.Calls);
        Assert.Equal(h.User.AccessKeyId, result.AccessKeyId);
        Assert.Equal(h.User.SecretAccessKey, result.SecretAccessKey);
        Assert.Null(result.SessionToken);
        Assert.Equal("eu-central-1", result.Region);
        Assert.Equal(CredentialOrigin.LongTermKeys, result.Origin);
    }

    [Fact]
    public async Task GetCallerIdentity_names_the_identity_of_the_last_hop()
    {
        await using var h = await StartAsync();
        var broker = h.Broker();
        var credentials = await broker.GetCredentialsAsync(Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys }, default);

        var identity = await broker.GetCallerIdentityAsync(credentials, region: null, default);

        Assert.Equal("333333333333", identity.Account);
        Assert.Equal("arn:aws:sts::333333333333:assumed-role/ReadOnly/test-session", identity.Arn);
        Assert.Equal(credentials.AccessKeyId, h.Calls("GetCallerIdentity").Single().SigningAccessKeyId);
    }
}
