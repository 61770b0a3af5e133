using System;
using System.Linq;
using System.Threading.Tasks;
using AwsLogin.Engine.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Sts;

/// <summary>STS and transport failures become AwsLoginExceptions with the AWS code, a failure kind, the role as target, and no secret.</summary>
public sealed class CredentialBrokerErrorTests
{
    [Fact]
    public async Task A_role_that_does_not_trust_the_caller_is_AccessDenied()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, trustedPrincipalArns: new[] { "arn:aws:iam::111111111111:user/bob" });

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });

        Assert.Equal("AccessDenied", exception.Code);
        Assert.Equal(FailureKind.AccessDenied, exception.Kind);
        Assert.Equal(RoleA, exception.Target);
        Assert.NotNull(exception.RecommendedAction);
    }

    [Fact]
    public async Task A_wrong_external_id_is_AccessDenied()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, externalId: "expected-id");
        var request = new IdentityRequest { StartingCredentials = h.UserKeys, RoleHops = new[] { new RoleHop(RoleArn.Parse(RoleA)) { ExternalId = "other-id" } } };

        var exception = await h.FailAsync(request);

        Assert.Equal("AccessDenied", exception.Code);
        Assert.Equal(FailureKind.AccessDenied, exception.Kind);
    }

    [Fact]
    public async Task An_expired_session_is_ExpiredToken()
    {
        await using var h = await StartAsync();
        var seeded = h.Fake.SeedTemporaryKey(RoleC);
        h.Fake.ExpireCredential(seeded.AccessKeyId);
        var start = new CredentialSet(seeded.AccessKeyId, seeded.SecretAccessKey, seeded.SessionToken) { Origin = CredentialOrigin.AssumedRole };

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = start });

        Assert.Equal("ExpiredToken", exception.Code);
        Assert.Equal(FailureKind.Expired, exception.Kind);
        Assert.Equal(RoleA, exception.Target);
    }

    [Fact]
    public async Task An_unknown_access_key_is_InvalidClientTokenId()
    {
        await using var h = await StartAsync();
        const string Secret = "unknownSecretKeyThatMustNeverBeShown0000";
        var start = new CredentialSet("AKIAUNKNOWNKEY000000", Secret, null);

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = start });

        Assert.Equal("InvalidClientTokenId", exception.Code);
        Assert.Equal(FailureKind.AccessDenied, exception.Kind);
        h.AssertNoSecrets(exception, Secret);
    }

    [Fact]
    public async Task A_wrong_secret_is_SignatureDoesNotMatch()
    {
        await using var h = await StartAsync();
        const string Secret = "wrongSecretKeyThatMustNeverBeShown000000";

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = new CredentialSet(h.User.AccessKeyId, Secret, null) });

        Assert.Equal("SignatureDoesNotMatch", exception.Code);
        Assert.Equal(FailureKind.AccessDenied, exception.Kind);
        h.AssertNoSecrets(exception, Secret);
    }

    [Fact]
    public async Task A_session_token_that_does_not_match_is_InvalidClientTokenId_and_the_token_is_not_shown()
    {
        await using var h = await StartAsync();
        var seeded = h.Fake.SeedTemporaryKey(RoleC);
        const string Token = "forgedSessionTokenThatMustNeverBeShown";

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = new CredentialSet(seeded.AccessKeyId, seeded.SecretAccessKey, Token) });

        Assert.Equal("InvalidClientTokenId", exception.Code);
        h.AssertNoSecrets(exception, Token);
    }

    [Fact]
    public async Task A_chained_duration_over_an_hour_is_ValidationError_on_the_second_hop_after_the_first_succeeded()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, maxSessionDuration: 43200);
        h.Fake.ConfigureRole(RoleB, maxSessionDuration: 43200);

        var exception = await h.FailAsync(Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys, DurationSeconds = 7200 });

        Assert.Equal("ValidationError", exception.Code);
        Assert.Equal(FailureKind.ServiceValidation, exception.Kind);
        Assert.Equal(RoleB, exception.Target);
        var calls = h.Calls("AssumeRole");
        Assert.Equal(new string?[] { null, "ValidationError" }, calls.Select(call => call.ErrorCode));

        // The successful first hop was cached, so a corrected request only redoes the second.
        var fixedRequest = new IdentityRequest
        {
            StartingCredentials = h.UserKeys,
            RoleHops = new[]
            {
                new RoleHop(RoleArn.Parse(RoleA)) { RoleSessionName = "test-session", DurationSeconds = 7200 },
                new RoleHop(RoleArn.Parse(RoleB)) { RoleSessionName = "test-session", DurationSeconds = 3600 },
            },
        };
        await h.GetAsync(fixedRequest);
        Assert.Equal(new[] { RoleA, RoleB, RoleB }, h.Calls("AssumeRole").Select(call => call.Parameters["RoleArn"]));
    }

    [Fact]
    public async Task A_duration_over_the_role_maximum_is_ValidationError()
    {
        await using var h = await StartAsync();

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys, DurationSeconds = 7200 });

        Assert.Equal("ValidationError", exception.Code);
        Assert.Equal(FailureKind.ServiceValidation, exception.Kind);
    }

    [Fact]
    public async Task Throttling_is_retried_by_the_sdk_and_then_succeeds()
    {
        await using var h = await StartAsync();
        h.Fake.InjectError("AssumeRole", "Throttling", 400);

        var result = await h.GetAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });

        var calls = h.Calls("AssumeRole");
        Assert.Equal(new[] { "Throttling", null }, calls.Select(call => call.ErrorCode));
        Assert.Equal(calls[1].IssuedAccessKeyId, result.AccessKeyId);
    }

    [Fact]
    public async Task Throttling_that_outlasts_the_retries_is_Throttled()
    {
        await using var h = await StartAsync();
        h.Fake.InjectError("AssumeRole", "Throttling", 400, times: 20);

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });

        Assert.Equal("Throttling", exception.Code);
        Assert.Equal(FailureKind.Throttled, exception.Kind);
        Assert.True(h.Calls("AssumeRole").Count > 1);
    }

    [Fact]
    public async Task An_internal_error_is_retried_by_the_sdk_and_then_succeeds()
    {
        await using var h = await StartAsync();
        h.Fake.InjectError("AssumeRole", "InternalFailure", 500);

        var result = await h.GetAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });

        var calls = h.Calls("AssumeRole");
        Assert.Equal(new[] { "InternalFailure", null }, calls.Select(call => call.ErrorCode));
        Assert.Equal(500, calls[0].HttpStatus);
        Assert.Equal(calls[1].IssuedAccessKeyId, result.AccessKeyId);
    }

    [Fact]
    public async Task Another_service_error_keeps_its_code_as_a_ServiceError()
    {
        await using var h = await StartAsync();
        h.Fake.InjectError("AssumeRole", "RegionDisabledException", 403);

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });

        Assert.Equal("RegionDisabledException", exception.Code);
        Assert.Equal(FailureKind.ServiceError, exception.Kind);
    }

    [Fact]
    public async Task A_stopped_endpoint_is_EndpointUnreachable()
    {
        await using var h = await StartAsync();
        await h.Fake.StopAsync();

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });

        Assert.Equal("EndpointUnreachable", exception.Code);
        Assert.Equal(FailureKind.EndpointUnreachable, exception.Kind);
        Assert.Equal(RoleA, exception.Target);
    }

    [Fact]
    public async Task A_failed_hop_caches_nothing_for_itself()
    {
        await using var h = await StartAsync();
        h.Fake.InjectError("AssumeRole", "AccessDenied", 403);
        var request = Hops(RoleA) with { StartingCredentials = h.UserKeys };
        await h.FailAsync(request);

        var result = await h.GetAsync(request);

        Assert.Equal(new[] { "AccessDenied", null }, h.Calls("AssumeRole").Select(call => call.ErrorCode));
        Assert.Equal(h.Calls("AssumeRole")[1].IssuedAccessKeyId, result.AccessKeyId);
    }

    [Fact]
    public async Task No_error_of_a_chain_shows_a_secret_or_token_of_any_hop()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleC, trustedPrincipalArns: new[] { "arn:aws:iam::111111111111:user/nobody" });

        // Two hops succeed, so their secrets and tokens exist, and the third fails.
        var exception = await h.FailAsync(Hops(RoleA, RoleB, RoleC) with { StartingCredentials = h.UserKeys });

        Assert.Equal("AccessDenied", exception.Code);
        Assert.Equal(RoleC, exception.Target);
        Assert.Equal(2, h.Fake.IssuedCredentials.Count);
        h.AssertNoSecrets(exception);
    }
}
