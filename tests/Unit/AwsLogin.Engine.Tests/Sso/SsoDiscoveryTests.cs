using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Sso;
using Xunit;

namespace AwsLogin.Engine.Tests.Sso;

/// <summary>Accounts and roles: every page, bounded parallelism, backoff on throttling, per-account failures.</summary>
public sealed class SsoDiscoveryTests
{
    [Fact]
    public async Task Every_page_of_accounts_is_followed()
    {
        await using var h = await SsoHarness.StartAsync();
        var created = h.Sso.CreateOrganization(250, 1);
        h.SeedCachedToken();

        var listing = await h.Service().ListAccountsAsync(Source(), CancellationToken.None);

        Assert.Equal(created.Select(a => a.AccountId), listing.Accounts.Select(a => a.AccountId));
        Assert.Equal(created[0].AccountName, listing.Accounts[0].AccountName);
        Assert.Equal(created[0].EmailAddress, listing.Accounts[0].EmailAddress);
        Assert.Equal(3, h.Sso.CountCalls("ListAccounts"));
        Assert.All(h.Sso.Calls.Where(c => c.Operation == "ListAccounts"), c => Assert.Equal("100", c.Parameters["max_result"]));
        Assert.Equal(SsoHarness.Session, listing.Session.SessionName);
    }

    [Fact]
    public async Task Every_role_of_every_account_comes_back_in_account_order()
    {
        await using var h = await SsoHarness.StartAsync();
        var accounts = h.Sso.CreateOrganization(40, 3);
        h.Sso.MaxPageSize = 2;
        h.SeedCachedToken();

        var listing = await h.Service().ListRolesAsync(Source(), null, 8, null, CancellationToken.None);

        Assert.Empty(listing.Failures);
        Assert.Equal(120, listing.Roles.Count);
        Assert.Equal(
            accounts.SelectMany(a => new[] { "AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess" }.Select(r => (a.AccountId, a.AccountName, r))),
            listing.Roles.Select(r => (r.AccountId, r.AccountName!, r.RoleName)));
        Assert.Equal(80, h.Sso.CountCalls("ListAccountRoles"));
        Assert.Equal(20, h.Sso.CountCalls("ListAccounts"));
    }

    [Fact]
    public async Task Throttled_calls_back_off_and_succeed()
    {
        await using var h = await SsoHarness.StartAsync();
        h.Sso.CreateOrganization(30, 2);
        h.SeedCachedToken();
        h.Sso.ThrottleEvery("*", 3);

        var listing = await h.Service().ListRolesAsync(Source(), null, 4, null, CancellationToken.None);

        Assert.Empty(listing.Failures);
        Assert.Equal(60, listing.Roles.Count);
        Assert.Contains(h.Sso.Calls, c => c.ErrorCode == "TooManyRequestsException");
        Assert.NotEmpty(h.Delays);
        Assert.All(h.Delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(8)));
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_up_to_a_ceiling()
    {
        var discovery = new SsoDiscovery(NullEngineLog.Instance, (_, _) => Task.CompletedTask);

        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var ceiling = Math.Min(8000, 200 * Math.Pow(2, attempt - 1));
            Assert.InRange(discovery.BackoffDelay(attempt).TotalMilliseconds, ceiling / 2, ceiling);
        }
    }

    [Fact]
    public async Task An_account_that_refuses_is_reported_and_the_others_still_listed()
    {
        await using var h = await SsoHarness.StartAsync();
        var accounts = h.Sso.CreateOrganization(5, 1);
        h.SeedCachedToken();
        var listed = accounts.Select(a => new SsoAccount(a.AccountId, a.AccountName, null)).Append(new SsoAccount("999999999999", string.Empty, null)).ToList();

        var listing = await h.Service().ListRolesAsync(Source(), listed, 4, null, CancellationToken.None);

        Assert.Equal(5, listing.Roles.Count);
        var failure = Assert.Single(listing.Failures);
        Assert.Equal("SsoAccessDenied", failure.Code);
        Assert.Equal("999999999999", failure.Target);
    }

    [Fact]
    public async Task A_revoked_token_stops_discovery_with_that_error()
    {
        await using var h = await SsoHarness.StartAsync();
        h.Sso.CreateOrganization(20, 1);
        h.SeedCachedToken();
        h.Sso.InjectError("ListAccountRoles", "UnauthorizedException", 401, times: 1);

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => h.Service().ListRolesAsync(Source(), null, 4, null, CancellationToken.None));

        Assert.Equal("SsoTokenRejected", error.Code);
    }

    [Fact]
    public async Task Progress_counts_every_account()
    {
        await using var h = await SsoHarness.StartAsync();
        h.Sso.CreateOrganization(12, 1);
        h.SeedCachedToken();
        var reports = new System.Collections.Concurrent.ConcurrentBag<(int Done, int Known)>();

        await h.Service().ListRolesAsync(Source(), null, 3, (done, known) => reports.Add((done, known)), CancellationToken.None);

        Assert.Equal(12, reports.Count);
        Assert.Equal(12, reports.Max(r => r.Done));
        Assert.All(reports, r => Assert.True(r.Done <= r.Known));
    }

    [Fact]
    public async Task No_more_calls_are_in_flight_than_the_throttle_limit()
    {
        await using var h = await SsoHarness.StartAsync();
        h.Sso.CreateOrganization(24, 1);
        h.Sso.Latency = TimeSpan.FromMilliseconds(40);
        h.SeedCachedToken();

        await h.Service().ListRolesAsync(Source(), null, 3, null, CancellationToken.None);

        // Calls are recorded on arrival and answered after the latency: count overlaps of [arrival, arrival + latency).
        var arrivals = h.Sso.Calls.Where(c => c.Operation == "ListAccountRoles").Select(c => c.ReceivedAt).OrderBy(t => t).ToList();
        var mostAtOnce = arrivals.Max(t => arrivals.Count(other => other <= t && other > t - TimeSpan.FromMilliseconds(35)));
        Assert.InRange(mostAtOnce, 2, 3);
    }

    private static SsoTokenSource Source() => new() { SessionName = SsoHarness.Session };
}
