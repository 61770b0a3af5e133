using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSO.Model;

namespace AwsLogin.Engine.Sso;

/// <summary>An AWS account assigned to the signed-in user.</summary>
public sealed record SsoAccount(string AccountId, string AccountName, string? EmailAddress);

/// <summary>A role (permission set) the signed-in user may use in an account.</summary>
public sealed record SsoRole(string AccountId, string? AccountName, string RoleName)
{
    /// <summary>The account's email address, when the account was listed.</summary>
    public string? AccountEmail { get; init; }
}

/// <summary>
/// The AWS access portal API (GetRoleCredentials, ListAccounts, ListAccountRoles) through the AWS SDK, with the
/// access token as bearer token; the calls are not SigV4-signed.
/// </summary>
internal sealed class SsoPortalService : IDisposable
{
    /// <summary>The largest page the portal returns.</summary>
    public const int MaxPageSize = 100;

    private readonly AmazonSSOClient _client;
    private readonly IEngineLog _log;

    /// <param name="region">The Identity Center region.</param>
    /// <param name="endpoint">A configured endpoint (AWS_ENDPOINT_URL_SSO), or null for AWS's.</param>
    /// <param name="log">Hears each call.</param>
    /// <param name="maxErrorRetry">The SDK's own retries; discovery passes 0 and backs off itself.</param>
    public SsoPortalService(string region, Uri? endpoint, IEngineLog log, int? maxErrorRetry = null)
    {
        _log = log;
        var config = new AmazonSSOConfig();
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (maxErrorRetry is { } retries)
        {
            config.MaxErrorRetry = retries;
        }

        _client = new AmazonSSOClient(new AnonymousAWSCredentials(), config);
        EndpointDescription = endpoint is null ? $"the AWS access portal API in {region}" : $"the AWS access portal API at {endpoint}";
    }

    public string EndpointDescription { get; }

    public async Task<CredentialSet> GetRoleCredentialsAsync(string accessToken, string accountId, string roleName, CancellationToken cancellationToken)
    {
        var target = $"{roleName} in account {accountId}";
        _log.Verbose($"GetRoleCredentials for {target} via {EndpointDescription}.");
        var request = new GetRoleCredentialsRequest { AccessToken = accessToken, AccountId = accountId, RoleName = roleName };
        var response = await SsoErrors.TranslateAsync(
            () => _client.GetRoleCredentialsAsync(request, cancellationToken),
            ex => SsoErrors.FromPortal(ex, "GetRoleCredentials", target),
            "GetRoleCredentials", target, EndpointDescription).ConfigureAwait(false);

        var role = response.RoleCredentials;
        if (role is null || string.IsNullOrEmpty(role.AccessKeyId) || string.IsNullOrEmpty(role.SecretAccessKey))
        {
            throw new AwsLoginException(FailureKind.ServiceError, "SsoServiceError", $"GetRoleCredentials answered for '{target}' without credentials.", target);
        }

        return new CredentialSet(role.AccessKeyId, role.SecretAccessKey, role.SessionToken)
        {
            // Milliseconds since the epoch, as botocore's SSOCredentialFetcher reads it.
            Expiration = role.Expiration is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime : null,
            AccountId = accountId,
            Origin = CredentialOrigin.SsoRole,
        };
    }

    public async Task<(IReadOnlyList<SsoAccount> Accounts, string? NextToken)> ListAccountsPageAsync(string accessToken, string? nextToken, string target, CancellationToken cancellationToken)
    {
        var request = new ListAccountsRequest { AccessToken = accessToken, MaxResults = MaxPageSize, NextToken = nextToken };
        var response = await SsoErrors.TranslateAsync(
            () => _client.ListAccountsAsync(request, cancellationToken),
            ex => SsoErrors.FromPortal(ex, "ListAccounts", target),
            "ListAccounts", target, EndpointDescription).ConfigureAwait(false);

        var accounts = new List<SsoAccount>();
        foreach (var account in response.AccountList ?? new List<AccountInfo>())
        {
            if (!string.IsNullOrEmpty(account.AccountId))
            {
                accounts.Add(new SsoAccount(account.AccountId, account.AccountName ?? string.Empty, string.IsNullOrEmpty(account.EmailAddress) ? null : account.EmailAddress));
            }
        }

        return (accounts, string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken);
    }

    public async Task<(IReadOnlyList<string> RoleNames, string? NextToken)> ListAccountRolesPageAsync(string accessToken, string accountId, string? nextToken, CancellationToken cancellationToken)
    {
        var request = new ListAccountRolesRequest { AccessToken = accessToken, AccountId = accountId, MaxResults = MaxPageSize, NextToken = nextToken };
        var response = await SsoErrors.TranslateAsync(
            () => _client.ListAccountRolesAsync(request, cancellationToken),
            ex => SsoErrors.FromPortal(ex, "ListAccountRoles", accountId),
            "ListAccountRoles", "account " + accountId, EndpointDescription).ConfigureAwait(false);

        var roles = new List<string>();
        foreach (var role in response.RoleList ?? new List<RoleInfo>())
        {
            if (!string.IsNullOrEmpty(role.RoleName))
            {
                roles.Add(role.RoleName);
            }
        }

        return (roles, string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken);
    }

    public void Dispose() => _client.Dispose();
}
