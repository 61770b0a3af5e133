using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Sts;

/// <summary>MFA codes (given, asked for, missing), GetSessionToken and GetFederationToken.</summary>
public sealed class CredentialBrokerTokenTests
{
    [Fact]
    public async Task A_TokenCode_goes_with_the_serial_number_to_AssumeRole_of_a_role_that_requires_MFA()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, requireMfa: true);
        h.Fake.SeedMfaDevice("alice", MfaSerial, MfaCode);

        var result = await h.GetAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys, SerialNumber = MfaSerial, TokenCode = MfaCode });

        var call = Assert.Single(h.Calls("AssumeRole"));
        Assert.Equal(MfaSerial, call.Parameters["SerialNumber"]);
        Assert.Equal(MfaCode, call.Parameters["TokenCode"]);
        Assert.Equal(call.IssuedAccessKeyId, result.AccessKeyId);
    }

    [Fact]
    public async Task A_profile_mfa_serial_asks_the_provider_once_and_a_cache_hit_never_asks()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, requireMfa: true);
        h.Fake.SeedMfaDevice("alice", MfaSerial, MfaCode);
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\nmfa_serial = {MfaSerial}\n");
        var asked = new List<string>();
        MfaCodeProvider provider = (serial, _) =>
        {
            lock (asked)
            {
                asked.Add(serial);
            }

            return Task.FromResult<string?>(" " + MfaCode + " ");
        };
        var request = new IdentityRequest { ProfileName = "admin", MfaCodeProvider = provider };

        var first = await h.GetAsync(request);
        var second = await h.GetAsync(request);

        Assert.Equal(new[] { MfaSerial }, asked);
        var call = Assert.Single(h.Calls("AssumeRole"));
        Assert.Equal(MfaCode, call.Parameters["TokenCode"]);
        Assert.Equal(first.AccessKeyId, second.AccessKeyId);
    }

    [Fact]
    public async Task A_TokenCode_for_a_profile_mfa_serial_is_used_without_asking()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, requireMfa: true);
        h.Fake.SeedMfaDevice("alice", MfaSerial, MfaCode);
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\nmfa_serial = {MfaSerial}\n");
        MfaCodeProvider provider = (_, _) => throw new Xunit.Sdk.XunitException("The provider must not be asked.");

        await h.GetAsync(new IdentityRequest { ProfileName = "admin", TokenCode = MfaCode, MfaCodeProvider = provider });

        Assert.Equal(MfaCode, Assert.Single(h.Calls("AssumeRole")).Parameters["TokenCode"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Without_a_code_or_an_answer_the_request_fails_with_MfaCodeRequired_before_any_sts_call(bool withProvider)
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\nmfa_serial = {MfaSerial}\n");
        var request = new IdentityRequest
        {
            ProfileName = "admin",
            MfaCodeProvider = withProvider ? (_, _) => Task.FromResult<string?>(null) : null,
        };

        var exception = await h.FailAsync(request);

        Assert.Equal("MfaCodeRequired", exception.Code);
        Assert.Equal(FailureKind.InvalidArgument, exception.Kind);
        Assert.Equal(RoleA, exception.Target);
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task A_wrong_code_is_AccessDenied_from_sts()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, requireMfa: true);
        h.Fake.SeedMfaDevice("alice", MfaSerial, MfaCode);

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys, SerialNumber = MfaSerial, TokenCode = "654321" });

        Assert.Equal("AccessDenied", exception.Code);
        Assert.Equal(FailureKind.AccessDenied, exception.Kind);
        Assert.Equal(RoleA, exception.Target);
    }

    [Fact]
    public async Task The_code_provider_gets_the_cancellation_token_of_the_request()
    {
        await using var h = await StartAsync();
        using var cancellation = new CancellationTokenSource();
        CancellationToken seen = default;
        MfaCodeProvider provider = (_, token) =>
        {
            seen = token;
            return Task.FromResult<string?>(MfaCode);
        };
        h.Fake.SeedMfaDevice("alice", MfaSerial, MfaCode);

        await h.Broker().GetCredentialsAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys, SerialNumber = MfaSerial, MfaCodeProvider = provider }, cancellation.Token);

        Assert.Equal(cancellation.Token, seen);
    }

    [Fact]
    public async Task SerialNumber_without_roles_is_GetSessionToken_with_MFA_and_is_cached()
    {
        await using var h = await StartAsync();
        h.Fake.SeedMfaDevice("alice", MfaSerial, MfaCode);
        var request = new IdentityRequest { StartingCredentials = h.UserKeys, SerialNumber = MfaSerial, TokenCode = MfaCode, DurationSeconds = 7200 };

        var result = await h.GetAsync(request);
        var again = await h.GetAsync(request);

        var call = Assert.Single(h.Fake.Calls);
        Assert.Equal("GetSessionToken", call.Action);
        Assert.Equal(h.User.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(MfaSerial, call.Parameters["SerialNumber"]);
        Assert.Equal(MfaCode, call.Parameters["TokenCode"]);
        Assert.Equal("7200", call.Parameters["DurationSeconds"]);
        Assert.Equal(call.IssuedAccessKeyId, result.AccessKeyId);
        Assert.Equal(CredentialOrigin.SessionToken, result.Origin);
        Assert.NotNull(result.SessionToken);
        Assert.Equal(result.AccessKeyId, again.AccessKeyId);
    }

    [Fact]
    public async Task SessionToken_without_MFA_calls_GetSessionToken_without_a_serial()
    {
        await using var h = await StartAsync();

        var result = await h.GetAsync(new IdentityRequest { StartingCredentials = h.UserKeys, SessionToken = true });

        var call = Assert.Single(h.Fake.Calls);
        Assert.Equal("GetSessionToken", call.Action);
        Assert.False(call.Parameters.ContainsKey("SerialNumber"));
        Assert.Equal(CredentialOrigin.SessionToken, result.Origin);
    }

    [Fact]
    public async Task An_MFA_session_can_then_assume_a_role_that_requires_MFA()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, requireMfa: true);
        h.Fake.SeedMfaDevice("alice", MfaSerial, MfaCode);
        var session = await h.GetAsync(new IdentityRequest { StartingCredentials = h.UserKeys, SerialNumber = MfaSerial, TokenCode = MfaCode });

        var role = await h.GetAsync(Hops(RoleA) with { StartingCredentials = session });

        Assert.Equal(session.AccessKeyId, Assert.Single(h.Calls("AssumeRole")).SigningAccessKeyId);
        Assert.Equal(CredentialOrigin.AssumedRole, role.Origin);
    }

    [Fact]
    public async Task FederationToken_calls_GetFederationToken_with_the_name_and_policy()
    {
        await using var h = await StartAsync();
        const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
        var request = new IdentityRequest { StartingCredentials = h.UserKeys, FederationToken = true, FederationName = "fed-alice", Policy = Policy, DurationSeconds = 3600 };

        var result = await h.GetAsync(request);
        var again = await h.GetAsync(request);

        var call = Assert.Single(h.Fake.Calls);
        Assert.Equal("GetFederationToken", call.Action);
        Assert.Equal(h.User.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal("fed-alice", call.Parameters["Name"]);
        Assert.Equal(Policy, call.Parameters["Policy"]);
        Assert.Equal("3600", call.Parameters["DurationSeconds"]);
        Assert.Equal(CredentialOrigin.FederationToken, result.Origin);
        Assert.Equal("arn:aws:sts::111111111111:federated-user/fed-alice", result.Arn);
        Assert.Equal(UserAccount, result.AccountId);
        Assert.Equal(result.AccessKeyId, again.AccessKeyId);
    }

    [Fact]
    public async Task FederationToken_without_a_name_uses_a_valid_name_derived_from_the_os_user()
    {
        await using var h = await StartAsync();

        await h.GetAsync(new IdentityRequest { StartingCredentials = h.UserKeys, FederationToken = true });

        var call = Assert.Single(h.Fake.Calls);
        Assert.Null(call.ErrorCode);
        Assert.Matches("^[\\w+=,.@-]{2,32}$", call.Parameters["Name"]);
    }

    [Fact]
    public async Task FederationToken_with_a_requested_role_fails_with_FederationTokenWithRole_before_any_sts_call()
    {
        await using var h = await StartAsync();

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys, FederationToken = true });

        Assert.Equal("FederationTokenWithRole", exception.Code);
        Assert.Equal(FailureKind.InvalidArgument, exception.Kind);
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task FederationToken_with_a_role_profile_fails_with_FederationTokenWithRole()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\n");

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "admin", FederationToken = true });

        Assert.Equal("FederationTokenWithRole", exception.Code);
        Assert.Equal("admin", exception.Target);
        Assert.Empty(h.Fake.Calls);
    }

    [Fact]
    public async Task A_federation_token_cannot_assume_a_role()
    {
        await using var h = await StartAsync();
        var federated = await h.GetAsync(new IdentityRequest { StartingCredentials = h.UserKeys, FederationToken = true, FederationName = "fed-alice" });

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = federated });

        Assert.Equal("AccessDenied", exception.Code);
    }
}
