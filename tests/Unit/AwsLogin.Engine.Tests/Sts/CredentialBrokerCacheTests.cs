using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Sts;
using AwsLogin.TestServers;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Sts;

/// <summary>Every step's result is cached on disk: reuse, prefix reuse, forced refresh, the refresh margin and the key.</summary>
public sealed class CredentialBrokerCacheTests
{
    [Fact]
    public async Task A_second_identical_request_is_served_from_the_cache_without_any_sts_call()
    {
        await using var h = await StartAsync();
        var request = Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys };

        var first = await h.GetAsync(request);
        var callsAfterFirst = h.Fake.Calls.Count;
        var second = await h.GetAsync(request);

        Assert.Equal(2, callsAfterFirst);
        Assert.Equal(callsAfterFirst, h.Fake.Calls.Count);
        Assert.Equal(first.AccessKeyId, second.AccessKeyId);
        Assert.Equal(first.SecretAccessKey, second.SecretAccessKey);
        Assert.Equal(first.SessionToken, second.SessionToken);
        Assert.Equal(first.Expiration, second.Expiration);
        Assert.Equal(first.Arn, second.Arn);
        Assert.Equal(first.AccountId, second.AccountId);
        Assert.Equal(first.Region, second.Region);
        Assert.Equal(first.Origin, second.Origin);
        Assert.True(h.Fake.IsValidSession(second.AccessKeyId, second.SecretAccessKey, second.SessionToken));
    }

    [Fact]
    public async Task A_profile_role_is_cached_across_brokers_and_profile_store_reloads()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("base"));
        h.WriteConfig($"[profile admin]\nrole_arn = {RoleA}\nsource_profile = base\n");
        var request = new IdentityRequest { ProfileName = "admin" };

        var first = await h.Broker().GetCredentialsAsync(request, default);
        var second = await h.Broker().GetCredentialsAsync(request, default);

        Assert.Single(h.Fake.Calls);
        Assert.Equal(first.AccessKeyId, second.AccessKeyId);
    }

    [Fact]
    public async Task A_longer_chain_reuses_the_cached_prefix_and_signs_its_new_hop_with_the_cached_key()
    {
        await using var h = await StartAsync();
        var shortChain = await h.GetAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });

        var longChain = await h.GetAsync(Hops(RoleA, RoleB, RoleC) with { StartingCredentials = h.UserKeys });

        var calls = h.Calls("AssumeRole");
        Assert.Equal(new[] { RoleA, RoleB, RoleC }, calls.Select(call => call.Parameters["RoleArn"]));
        Assert.Equal(shortChain.AccessKeyId, calls[1].SigningAccessKeyId);
        h.AssertSignedHopByHop(h.User.AccessKeyId);
        Assert.Equal(calls[2].IssuedAccessKeyId, longChain.AccessKeyId);

        // And the middle of the long chain is now cached too.
        var middle = await h.GetAsync(Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys });
        Assert.Equal(3, h.Calls("AssumeRole").Count);
        Assert.Equal(calls[1].IssuedAccessKeyId, middle.AccessKeyId);
    }

    [Fact]
    public async Task ForceRefresh_calls_sts_for_every_step_and_caches_the_new_result()
    {
        await using var h = await StartAsync();
        var request = Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys };
        var first = await h.GetAsync(request);

        var forced = await h.GetAsync(request with { ForceRefresh = true });

        var calls = h.Calls("AssumeRole");
        Assert.Equal(4, calls.Count);
        Assert.Equal(h.User.AccessKeyId, calls[2].SigningAccessKeyId);
        Assert.Equal(calls[2].IssuedAccessKeyId, calls[3].SigningAccessKeyId);
        Assert.NotEqual(first.AccessKeyId, forced.AccessKeyId);
        Assert.Equal(calls[3].IssuedAccessKeyId, forced.AccessKeyId);

        var afterwards = await h.GetAsync(request);
        Assert.Equal(4, h.Calls("AssumeRole").Count);
        Assert.Equal(forced.AccessKeyId, afterwards.AccessKeyId);
    }

    [Fact]
    public async Task Credentials_with_more_than_the_refresh_margin_left_are_reused_and_with_less_are_refreshed()
    {
        await using var h = await StartAsync();
        h.Fake.IssuedLifetimeOverride = TimeSpan.FromMinutes(20);
        var request = Hops(RoleA) with { StartingCredentials = h.UserKeys };

        var first = await h.Broker().GetCredentialsAsync(request, default);
        var withinMargin = await h.Broker(refreshMargin: TimeSpan.FromMinutes(15)).GetCredentialsAsync(request, default);
        Assert.Single(h.Calls("AssumeRole"));
        Assert.Equal(first.AccessKeyId, withinMargin.AccessKeyId);

        var pastMargin = await h.Broker(refreshMargin: TimeSpan.FromMinutes(25)).GetCredentialsAsync(request, default);
        Assert.Equal(2, h.Calls("AssumeRole").Count);
        Assert.NotEqual(first.AccessKeyId, pastMargin.AccessKeyId);
    }

    [Fact]
    public async Task The_clock_of_the_context_decides_how_much_lifetime_is_left()
    {
        await using var h = await StartAsync();
        h.Fake.IssuedLifetimeOverride = TimeSpan.FromMinutes(20);
        var request = Hops(RoleA) with { StartingCredentials = h.UserKeys };
        var first = await h.Broker().GetCredentialsAsync(request, default);

        // Four minutes on, 16 minutes are left: more than the default 15-minute margin.
        var later = await h.Broker(utcNow: () => DateTime.UtcNow.AddMinutes(4)).GetCredentialsAsync(request, default);
        Assert.Equal(first.AccessKeyId, later.AccessKeyId);

        // Ten minutes on, 10 minutes are left: less than the margin, so the role is assumed again.
        var muchLater = await h.Broker(utcNow: () => DateTime.UtcNow.AddMinutes(10)).GetCredentialsAsync(request, default);
        Assert.Equal(2, h.Calls("AssumeRole").Count);
        Assert.NotEqual(first.AccessKeyId, muchLater.AccessKeyId);
    }

    [Fact]
    public async Task The_refresh_margin_can_come_from_AWSLOGIN_REFRESH_MARGIN_SECONDS()
    {
        await using var h = await StartAsync();
        h.Fake.IssuedLifetimeOverride = TimeSpan.FromMinutes(20);
        h.Environment[EngineContext.RefreshMarginVariable] = "1500";
        var request = Hops(RoleA) with { StartingCredentials = h.UserKeys };

        Assert.Equal(TimeSpan.FromSeconds(1500), new EngineContext(h.Environment, h.Log).RefreshMargin);
        await h.GetAsync(request);
        await h.GetAsync(request);

        Assert.Equal(2, h.Calls("AssumeRole").Count);
    }

    [Fact]
    public async Task Only_the_stale_tail_of_a_chain_is_fetched_again()
    {
        await using var h = await StartAsync();
        var request = Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys };

        // The first hop gets a long life, the second a short one.
        await h.GetAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });
        h.Fake.IssuedLifetimeOverride = TimeSpan.FromMinutes(5);
        await h.GetAsync(request);
        h.Fake.IssuedLifetimeOverride = null;
        var refreshed = await h.GetAsync(request);

        var calls = h.Calls("AssumeRole");
        Assert.Equal(new[] { RoleA, RoleB, RoleB }, calls.Select(call => call.Parameters["RoleArn"]));
        Assert.Equal(calls[0].IssuedAccessKeyId, calls[2].SigningAccessKeyId);
        Assert.Equal(calls[2].IssuedAccessKeyId, refreshed.AccessKeyId);
    }

    [Fact]
    public async Task A_cached_session_revoked_early_is_dropped_and_the_chain_starts_again_from_the_source()
    {
        await using var h = await StartAsync();
        var shortChain = await h.GetAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });
        h.Fake.ExpireCredential(shortChain.AccessKeyId);
        var request = Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys };

        var recovered = await h.GetAsync(request);
        var again = await h.GetAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });

        var calls = h.Calls("AssumeRole");
        Assert.Equal(4, calls.Count);
        Assert.Equal(shortChain.AccessKeyId, calls[1].SigningAccessKeyId);
        Assert.Equal("ExpiredToken", calls[1].ErrorCode);
        Assert.Equal(h.User.AccessKeyId, calls[2].SigningAccessKeyId);
        Assert.Equal(calls[2].IssuedAccessKeyId, calls[3].SigningAccessKeyId);
        Assert.Equal(calls[3].IssuedAccessKeyId, recovered.AccessKeyId);
        Assert.Equal(calls[2].IssuedAccessKeyId, again.AccessKeyId);
    }

    [Fact]
    public async Task A_refused_fresh_session_is_not_retried()
    {
        await using var h = await StartAsync();
        h.Fake.InjectError("AssumeRole", "ExpiredToken", 403, times: 5);

        var exception = await h.FailAsync(Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys });

        Assert.Equal("ExpiredToken", exception.Code);
        Assert.Single(h.Calls("AssumeRole"));
    }

    [Fact]
    public async Task The_cache_key_includes_the_region()
    {
        await using var h = await StartAsync();
        h.Fake.Region = null;
        var request = Hops(RoleA) with { StartingCredentials = h.UserKeys };

        var west = await h.GetAsync(request with { Region = "us-west-2" });
        var europe = await h.GetAsync(request with { Region = "eu-west-1" });
        var westAgain = await h.GetAsync(request with { Region = "us-west-2" });

        var calls = h.Calls("AssumeRole");
        Assert.Equal(new[] { "us-west-2", "eu-west-1" }, calls.Select(call => call.SigningRegion));
        Assert.NotEqual(west.AccessKeyId, europe.AccessKeyId);
        Assert.Equal(west.AccessKeyId, westAgain.AccessKeyId);
        Assert.Equal("eu-west-1", europe.Region);
    }

    [Fact]
    public async Task The_cache_key_includes_the_endpoint_so_another_endpoint_never_gets_a_cached_session()
    {
        await using var h = await StartAsync();
        await using var other = await FakeSts.StartAsync();
        var request = Hops(RoleA) with { StartingCredentials = h.UserKeys };
        await h.GetAsync(request);

        h.Environment["AWS_ENDPOINT_URL_STS"] = other.Endpoint.ToString();
        var exception = await h.FailAsync(request);

        // The other STS does not know the user's key: what matters is that it was asked at all.
        Assert.Equal("InvalidClientTokenId", exception.Code);
        Assert.Equal(h.User.AccessKeyId, Assert.Single(other.Calls).SigningAccessKeyId);
        Assert.Single(h.Fake.Calls);
    }

    [Fact]
    public async Task The_cache_key_includes_a_fingerprint_of_the_source_secret()
    {
        await using var h = await StartAsync();
        var request = Hops(RoleA) with { StartingCredentials = h.UserKeys };
        await h.GetAsync(request);

        const string WrongSecret = "wrong/secret+of+the+same+length+000000000";
        var exception = await h.FailAsync(request with { StartingCredentials = new CredentialSet(h.User.AccessKeyId, WrongSecret, null) });

        Assert.Equal("SignatureDoesNotMatch", exception.Code);
        Assert.Equal(FailureKind.AccessDenied, exception.Kind);
        Assert.Equal(2, h.Calls("AssumeRole").Count);
        h.AssertNoSecrets(exception, WrongSecret);
    }

    [Fact]
    public async Task The_cache_key_includes_the_hop_settings()
    {
        await using var h = await StartAsync();
        var hop = new RoleHop(RoleArn.Parse(RoleA)) { RoleSessionName = "one" };
        var start = h.UserKeys;

        await h.GetAsync(new IdentityRequest { StartingCredentials = start, RoleHops = new[] { hop } });
        await h.GetAsync(new IdentityRequest { StartingCredentials = start, RoleHops = new[] { hop with { RoleSessionName = "two" } } });
        await h.GetAsync(new IdentityRequest { StartingCredentials = start, RoleHops = new[] { hop with { DurationSeconds = 900 } } });
        await h.GetAsync(new IdentityRequest { StartingCredentials = start, RoleHops = new[] { hop }, DurationSeconds = 1000 });
        await h.GetAsync(new IdentityRequest { StartingCredentials = start, RoleHops = new[] { hop } });

        Assert.Equal(4, h.Calls("AssumeRole").Count);
    }

    [Fact]
    public async Task Cache_files_are_named_by_hash_and_hold_no_secret_in_their_names()
    {
        await using var h = await StartAsync();
        await h.GetAsync(Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys });

        var names = Directory.GetFiles(h.CacheDirectory).Select(Path.GetFileName).ToArray();

        Assert.Equal(2, names.Count(name => name!.EndsWith(".json", StringComparison.Ordinal)));
        Assert.All(names, name => Assert.Matches("^[0-9a-f]{64}\\.(json|lock)$", name));
        Assert.All(names, name => Assert.DoesNotContain(h.User.AccessKeyId, name, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClearCache_deletes_the_entries_so_the_next_request_calls_sts_again()
    {
        await using var h = await StartAsync();
        var request = Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys };
        await h.GetAsync(request);

        Assert.Equal(2, h.Broker().ClearCache());
        Assert.Equal(0, h.Broker().ClearCache());
        await h.GetAsync(request);

        Assert.Equal(4, h.Calls("AssumeRole").Count);
    }

    [Fact]
    public async Task Concurrent_callers_on_a_cold_cache_make_one_AssumeRole_per_hop()
    {
        await using var h = await StartAsync();
        h.Fake.Latency = TimeSpan.FromMilliseconds(200);
        var request = Hops(RoleA, RoleB) with { StartingCredentials = h.UserKeys };
        using var start = new ManualResetEventSlim();

        var tasks = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await h.Broker().GetCredentialsAsync(request, CancellationToken.None);
        })).ToArray();
        start.Set();
        var results = await Task.WhenAll(tasks);

        var calls = h.Calls("AssumeRole");
        Assert.Equal(new[] { RoleA, RoleB }, calls.Select(call => call.Parameters["RoleArn"]));
        Assert.All(results, result => Assert.Equal(calls[1].IssuedAccessKeyId, result.AccessKeyId));
    }

    [Fact]
    public async Task A_waiting_caller_gives_up_with_LockTimeout_when_the_entry_stays_locked()
    {
        await using var h = await StartAsync();
        h.Fake.Latency = TimeSpan.FromSeconds(2);
        var request = Hops(RoleA) with { StartingCredentials = h.UserKeys };
        var holder = h.Broker().GetCredentialsAsync(request, default);

        // Wait until the first caller holds the lock and is inside its AssumeRole.
        var stopwatch = Stopwatch.StartNew();
        while (h.Fake.Calls.Count == 0 && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        var waiter = new CredentialBroker(h.Context(lockTimeout: TimeSpan.FromMilliseconds(300)));
        var exception = await Assert.ThrowsAsync<AwsLoginException>(() => waiter.GetCredentialsAsync(request, default));

        Assert.Equal("LockTimeout", exception.Code);
        Assert.Equal(FailureKind.LockTimeout, exception.Kind);
        Assert.EndsWith(".lock", exception.Target, StringComparison.Ordinal);
        await holder;
        Assert.Single(h.Calls("AssumeRole"));
    }
}
