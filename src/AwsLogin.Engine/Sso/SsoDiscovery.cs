using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Sso;

/// <summary>
/// Lists the accounts and roles assigned to the signed-in user: every page of ListAccounts, and ListAccountRoles
/// for each account with bounded parallelism, starting on an account's roles as soon as its page of accounts
/// arrives. Throttled calls (TooManyRequestsException), server errors and dropped connections are retried with
/// exponential backoff and jitter. A failure for one account is reported with the results of the others; a
/// rejected token stops everything.
/// </summary>
internal sealed class SsoDiscovery
{
    /// <summary>Calls in flight at once by default: fast for large organisations, gentle enough with backoff.</summary>
    public const int DefaultThrottleLimit = 16;

    private const int MaxAttempts = 8;
    private const int MaxUnreachableAttempts = 3;
    private static readonly TimeSpan s_baseDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_maxDelay = TimeSpan.FromSeconds(8);

    private readonly IEngineLog _log;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;
    private readonly Random _random = new();

    public SsoDiscovery(IEngineLog log, Func<TimeSpan, CancellationToken, Task> delay)
    {
        _log = log;
        _delay = delay;
    }

    /// <summary>Every account, in the portal's order.</summary>
    public async Task<IReadOnlyList<SsoAccount>> ListAccountsAsync(SsoPortalService portal, SsoAccess access, CancellationToken cancellationToken)
    {
        var accounts = new List<SsoAccount>();
        string? next = null;
        do
        {
            var token = next;
            var page = await WithBackoffAsync(() => portal.ListAccountsPageAsync(access.AccessToken, token, access.Description, cancellationToken), cancellationToken).ConfigureAwait(false);
            accounts.AddRange(page.Accounts);
            next = page.NextToken;
        }
        while (next is not null);

        _log.Verbose($"{accounts.Count} account(s) assigned in {access.Description}.");
        return accounts;
    }

    /// <summary>
    /// The roles of the given accounts, or of every account when <paramref name="accounts"/> is null, in account
    /// order. <paramref name="progress"/> hears (accounts done, accounts known) after each account.
    /// </summary>
    public async Task<SsoRoleListing> ListRolesAsync(SsoPortalService portal, SsoAccess access, IReadOnlyList<SsoAccount>? accounts, int throttleLimit, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var gate = new SemaphoreSlim(Math.Max(1, throttleLimit));
        var work = new List<Task<(IReadOnlyList<SsoRole>? Roles, AwsLoginException? Failure)>>();
        var done = 0;
        var known = 0;

        void Start(SsoAccount account)
        {
            Interlocked.Increment(ref known);
            work.Add(RolesOfAccountAsync(portal, access, account, gate, () => progress?.Invoke(Interlocked.Increment(ref done), Volatile.Read(ref known)), stop));
        }

        try
        {
            if (accounts is not null)
            {
                foreach (var account in accounts)
                {
                    Start(account);
                }
            }
            else
            {
                string? next = null;
                do
                {
                    var token = next;
                    var page = await WithBackoffAsync(() => portal.ListAccountsPageAsync(access.AccessToken, token, access.Description, stop.Token), stop.Token).ConfigureAwait(false);
                    foreach (var account in page.Accounts)
                    {
                        Start(account);
                    }

                    next = page.NextToken;
                }
                while (next is not null);
            }

            var results = await Task.WhenAll(work).ConfigureAwait(false);
            var roles = results.Where(r => r.Roles is not null).SelectMany(r => r.Roles!).ToList();
            var failures = results.Where(r => r.Failure is not null).Select(r => r.Failure!).ToList();
            _log.Verbose($"{roles.Count} role(s) in {work.Count} account(s) of {access.Description}" + (failures.Count > 0 ? $"; {failures.Count} account(s) failed." : "."));
            return new SsoRoleListing(roles, failures);
        }
        catch (Exception ex) when (ex is AwsLoginException or OperationCanceledException)
        {
            // Stop the remaining calls, then report the error that stopped them rather than their cancellation.
            stop.Cancel();
            await Task.WhenAll(work.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var cause = ex as AwsLoginException
                ?? work.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).OfType<AwsLoginException>().FirstOrDefault();
            if (cause is not null && !ReferenceEquals(cause, ex))
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw();
            }

            throw;
        }
    }

    private async Task<(IReadOnlyList<SsoRole>?, AwsLoginException?)> RolesOfAccountAsync(SsoPortalService portal, SsoAccess access, SsoAccount account, SemaphoreSlim gate, Action onDone, CancellationTokenSource stop)
    {
        await gate.WaitAsync(stop.Token).ConfigureAwait(false);
        try
        {
            var roles = new List<SsoRole>();
            string? next = null;
            do
            {
                var token = next;
                var page = await WithBackoffAsync(() => portal.ListAccountRolesPageAsync(access.AccessToken, account.AccountId, token, stop.Token), stop.Token).ConfigureAwait(false);
                roles.AddRange(page.RoleNames.Select(name => new SsoRole(account.AccountId, string.IsNullOrEmpty(account.AccountName) ? null : account.AccountName, name) { AccountEmail = account.EmailAddress }));
                next = page.NextToken;
            }
            while (next is not null);

            return (roles, null);
        }
        catch (AwsLoginException ex) when (ex.Code is not "SsoTokenRejected" and not "EndpointUnreachable")
        {
            return (null, ex);
        }
        catch (AwsLoginException)
        {
            // A rejected token or an unreachable portal fails every account alike: stop at once.
            stop.Cancel();
            throw;
        }
        finally
        {
            gate.Release();
            onDone();
        }
    }

    /// <summary>Retries throttling, server faults and (a few times) dropped connections, with exponential backoff and equal jitter.</summary>
    internal async Task<T> WithBackoffAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (AwsLoginException ex) when (IsRetryable(ex, attempt))
            {
                var delay = BackoffDelay(attempt);
                _log.Verbose($"{ex.Code} from IAM Identity Center; retrying in {delay.TotalMilliseconds:0} ms (attempt {attempt + 1} of {MaxAttempts}).");
                await _delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    internal TimeSpan BackoffDelay(int attempt)
    {
        var ceiling = Math.Min(s_maxDelay.TotalMilliseconds, s_baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        double jitter;
        lock (_random)
        {
            jitter = _random.NextDouble();
        }

        return TimeSpan.FromMilliseconds((ceiling / 2) + (jitter * ceiling / 2));
    }

    private static bool IsRetryable(AwsLoginException ex, int attempt)
    {
        if (ex.Code == "SsoThrottled" || (ex.Code == "SsoServiceError" && ex.InnerException is Amazon.Runtime.AmazonServiceException service && SsoErrors.IsServerFault(service)))
        {
            return attempt < MaxAttempts;
        }

        return ex.Code == "EndpointUnreachable" && attempt < MaxUnreachableAttempts;
    }
}
