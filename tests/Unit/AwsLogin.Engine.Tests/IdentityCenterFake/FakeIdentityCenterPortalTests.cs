using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SSO;
using Amazon.SSO.Model;
using Amazon.SSOOIDC.Model;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests;

/// <summary>Drives the SSO portal side of <see cref="FakeIdentityCenter"/> with the real AWS SDK clients.</summary>
public sealed class FakeIdentityCenterPortalTests
{
    [Fact]
    public async Task ListAccounts_PagesThroughTheUsersAccounts()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        IReadOnlyList<SsoAccount> created = h.Sso.CreateOrganization(45, 2);
        h.Sso.AddAccount("999999999999", "not-mine");
        (_, CreateTokenResponse token) = await h.SignInAsync();

        var pages = new List<ListAccountsResponse>();
        string? next = null;
        do
        {
            ListAccountsResponse page = await h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken, NextToken = next });
            pages.Add(page);
            next = page.NextToken;
        }
        while (next is not null);

        Assert.Equal([20, 20, 5], pages.Select(page => page.AccountList.Count));
        Assert.Equal(created.Select(a => a.AccountId), pages.SelectMany(page => page.AccountList).Select(a => a.AccountId));
        AccountInfo first = pages[0].AccountList[0];
        Assert.Equal("100000000001", first.AccountId);
        Assert.Equal("account-0001", first.AccountName);
        Assert.Equal("aws+account-0001@example.com", first.EmailAddress);

        ListAccountsResponse small = await h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken, MaxResults = 7 });
        Assert.Equal(7, small.AccountList.Count);
        Assert.Equal("7", h.Sso.Calls[^1].Parameters["max_result"]);
        await Assert.ThrowsAsync<Amazon.SSO.Model.InvalidRequestException>(() =>
            h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken, NextToken = small.NextToken + "x" }));
        int tooMany = int.Parse("101", System.Globalization.CultureInfo.InvariantCulture);
        await Assert.ThrowsAsync<Amazon.SSO.Model.InvalidRequestException>(() =>
            h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken, MaxResults = tooMany }));
    }

    [Fact]
    public async Task ListAccounts_ThroughTheSdkPaginator_ListsAThousandAccounts()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        h.Sso.CreateOrganization(1000, 3);
        (_, CreateTokenResponse token) = await h.SignInAsync();

        var ids = new List<string>();
        await foreach (AccountInfo account in h.Portal.Paginators.ListAccounts(new ListAccountsRequest { AccessToken = token.AccessToken, MaxResults = 100 }).AccountList)
        {
            ids.Add(account.AccountId);
        }

        Assert.Equal(1000, ids.Distinct().Count());
        Assert.Equal(10, h.Sso.CountCalls("ListAccounts"));
        Assert.Equal(3000, h.Sso.AssignmentsOf().Count);
    }

    [Fact]
    public async Task ListAccountRoles_PagesTheRoles_AndAnAccountWithoutAssignmentsIsForbidden()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        h.Sso.CreateOrganization(1, 3);
        h.Sso.AddAccount("222222222222", "someone-elses");
        h.Sso.AssignRole("222222222222", "Admin", "bob");
        (_, CreateTokenResponse token) = await h.SignInAsync();

        ListAccountRolesResponse first = await h.Portal.ListAccountRolesAsync(new ListAccountRolesRequest { AccessToken = token.AccessToken, AccountId = "100000000001", MaxResults = 2 });
        ListAccountRolesResponse second = await h.Portal.ListAccountRolesAsync(new ListAccountRolesRequest { AccessToken = token.AccessToken, AccountId = "100000000001", MaxResults = 2, NextToken = first.NextToken });

        Assert.Equal(["AdministratorAccess", "ReadOnlyAccess"], first.RoleList.Select(r => r.RoleName));
        Assert.Equal(["PowerUserAccess"], second.RoleList.Select(r => r.RoleName));
        Assert.All(first.RoleList, role => Assert.Equal("100000000001", role.AccountId));
        Assert.Null(second.NextToken);

        var forbidden = await Assert.ThrowsAsync<AmazonSSOException>(() =>
            h.Portal.ListAccountRolesAsync(new ListAccountRolesRequest { AccessToken = token.AccessToken, AccountId = "222222222222" }));
        Assert.Equal("ForbiddenException", forbidden.ErrorCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        // A page token of one account's roles is not valid for another listing.
        await Assert.ThrowsAsync<Amazon.SSO.Model.InvalidRequestException>(() => h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken, NextToken = first.NextToken }));
    }

    [Fact]
    public async Task GetRoleCredentials_ReturnsKeysTheStsFakeAccepts_AndRoleChainingFromThemWorks()
    {
        var clock = new ManualClock();
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync(clock);
        h.Sso.AddAccount("111111111111", "prod");
        SsoRoleAssignment assignment = h.Sso.AssignRole("111111111111", "Admin", sessionDuration: TimeSpan.FromHours(4));
        (_, CreateTokenResponse token) = await h.SignInAsync();

        RoleCredentials credentials = (await h.Portal.GetRoleCredentialsAsync(new GetRoleCredentialsRequest
        {
            AccessToken = token.AccessToken,
            AccountId = "111111111111",
            RoleName = "Admin",
        })).RoleCredentials;

        Assert.Matches("^ASIA[A-Z2-7]{16}$", credentials.AccessKeyId);
        Assert.Equal(clock.GetUtcNow().AddHours(4).ToUnixTimeMilliseconds(), credentials.Expiration);
        Assert.Matches("^arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_[0-9a-f]{16}$", assignment.RoleArn);
        SsoCall call = h.Sso.Calls[^1];
        Assert.Equal(credentials.AccessKeyId, call.IssuedAccessKeyId);
        Assert.Equal(FakeIdentityCenter.TokenHash(token.AccessToken), call.BearerTokenHash);
        Assert.False(call.Signed);

        var session = new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
        using AmazonSecurityTokenServiceClient sts = FakeStsTests.Client(h.Sts, session);
        GetCallerIdentityResponse identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        Assert.Equal("111111111111", identity.Account);
        Assert.Matches("^arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_[0-9a-f]{16}/alice$", identity.Arn);

        AssumeRoleResponse chained = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::333333333333:role/Deploy", RoleSessionName = "alice" });
        IssuedCredential hop = h.Sts.FindIssued(chained.Credentials.AccessKeyId)!;
        Assert.True(hop.IsRoleChain);
        Assert.Equal(credentials.AccessKeyId, hop.SignedBy);
    }

    [Fact]
    public async Task GetRoleCredentials_ForARoleNotAssigned_IsForbiddenException()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        h.Sso.AddAccount("111111111111", "prod");
        h.Sso.AssignRole("111111111111", "ReadOnly");
        (_, CreateTokenResponse token) = await h.SignInAsync();

        foreach ((string account, string role) in new[] { ("111111111111", "Admin"), ("444444444444", "ReadOnly") })
        {
            var error = await Assert.ThrowsAsync<AmazonSSOException>(() => h.Portal.GetRoleCredentialsAsync(
                new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = account, RoleName = role }));
            Assert.Equal("ForbiddenException", error.ErrorCode);
            Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
            Assert.Equal("No access", error.Message);
        }

        Assert.Empty(h.Sts.IssuedCredentials);
    }

    [Fact]
    public async Task Portal_RejectsUnknownExpiredAndRevokedTokens_WithUnauthorizedException()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        h.Sso.CreateOrganization(1, 1);
        (_, CreateTokenResponse expiring) = await h.SignInAsync();
        (_, CreateTokenResponse revoked) = await h.SignInAsync("bob");
        h.Sso.ExpireAccessToken(expiring.AccessToken);
        h.Sso.RevokeTokens("bob");

        foreach (string token in new[] { "aoa-not-a-token", expiring.AccessToken, revoked.AccessToken })
        {
            var error = await Assert.ThrowsAsync<UnauthorizedException>(() => h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token }));
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
            Assert.Equal("Session token not found or invalid", error.Message);
        }

        Assert.Equal(3, h.Sso.Calls.Count(call => call.ErrorCode == "UnauthorizedException"));
    }

    [Fact]
    public async Task Logout_EndsTheSession_AccessAndRefreshTokens()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        h.Sso.CreateOrganization(1, 1);
        (RegisterClientResponse client, CreateTokenResponse token) = await h.SignInAsync();
        (_, CreateTokenResponse other) = await h.SignInAsync();

        await h.Portal.LogoutAsync(new LogoutRequest { AccessToken = token.AccessToken });

        await Assert.ThrowsAsync<UnauthorizedException>(() => h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken }));
        await Assert.ThrowsAsync<InvalidGrantException>(() => h.Oidc.CreateTokenAsync(new CreateTokenRequest
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            GrantType = FakeIdentityCenter.RefreshTokenGrant,
            RefreshToken = token.RefreshToken,
        }));
        Assert.Single((await h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = other.AccessToken })).AccountList);
        await Assert.ThrowsAsync<UnauthorizedException>(() => h.Portal.LogoutAsync(new LogoutRequest { AccessToken = token.AccessToken }));
    }

    [Fact]
    public async Task Throttling_EveryNthCall_IsTooManyRequests_AndInjectedErrorsMapToTheirTypes()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        h.Sso.CreateOrganization(1, 1);
        (_, CreateTokenResponse token) = await h.SignInAsync();
        var request = new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = "100000000001", RoleName = "AdministratorAccess" };
        h.Sso.ThrottleEvery("GetRoleCredentials", 2);

        await h.Portal.GetRoleCredentialsAsync(request);
        var throttled = await Assert.ThrowsAsync<TooManyRequestsException>(() => h.Portal.GetRoleCredentialsAsync(request));
        await h.Portal.GetRoleCredentialsAsync(request);
        await Assert.ThrowsAsync<TooManyRequestsException>(() => h.Portal.GetRoleCredentialsAsync(request));
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        h.Sso.ThrottleEvery("GetRoleCredentials", 0);
        await h.Portal.GetRoleCredentialsAsync(request);

        h.Sso.ThrottleNext("ListAccounts", 1);
        await Assert.ThrowsAsync<TooManyRequestsException>(() => h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken }));
        Assert.Single((await h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken })).AccountList);
        Assert.Throws<ArgumentException>(() => h.Sso.ThrottleNext("CreateToken"));

        h.Sso.InjectError("ListAccountRoles", "ResourceNotFoundException", 404, times: 2);
        var listRoles = new ListAccountRolesRequest { AccessToken = token.AccessToken, AccountId = "100000000001" };
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => h.Portal.ListAccountRolesAsync(listRoles));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => h.Portal.ListAccountRolesAsync(listRoles));
        Assert.Single((await h.Portal.ListAccountRolesAsync(listRoles)).RoleList);
        Assert.Equal(5, h.Sso.CountCalls("GetRoleCredentials"));
        Assert.Equal(5, h.Sso.Calls.Count(call => call.HttpStatus is 429 or 404));
    }

    [Fact]
    public async Task Calls_RecordNoSecrets()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        h.Sso.CreateOrganization(1, 1);
        (RegisterClientResponse client, CreateTokenResponse token) = await h.SignInAsync();
        RoleCredentials credentials = (await h.Portal.GetRoleCredentialsAsync(new GetRoleCredentialsRequest
        {
            AccessToken = token.AccessToken,
            AccountId = "100000000001",
            RoleName = "AdministratorAccess",
        })).RoleCredentials;

        string[] secrets = [client.ClientSecret, token.AccessToken, token.RefreshToken, credentials.SecretAccessKey, credentials.SessionToken];
        string everything = string.Join("\n", h.Sso.Calls.Select(call => call.ToString() + string.Join(",", call.Parameters.Values)));
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, everything, StringComparison.Ordinal));
        Assert.Equal(
            ["RegisterClient", "StartDeviceAuthorization", "CreateToken", "GetRoleCredentials"],
            h.Sso.Calls.Select(call => call.Operation));
    }

    [Fact]
    public async Task Latency_DelaysEveryResponse()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        h.Sso.Latency = TimeSpan.FromMilliseconds(50);
        h.Sso.CreateOrganization(1, 1);
        SsoSeededSignIn signIn = h.Sso.SeedSignIn();

        var watch = Stopwatch.StartNew();
        await h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = signIn.AccessToken });
        await h.Portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = signIn.AccessToken });

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(100), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task SdkClientsWithCredentials_StillSendTheseOperationsUnsigned()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        h.Sso.CreateOrganization(1, 1);
        var keys = new BasicAWSCredentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        using var oidc = new Amazon.SSOOIDC.AmazonSSOOIDCClient(keys, new Amazon.SSOOIDC.AmazonSSOOIDCConfig { ServiceURL = h.Sso.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        using var portal = new AmazonSSOClient(keys, new AmazonSSOConfig { ServiceURL = h.Sso.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

        RegisterClientResponse client = await oidc.RegisterClientAsync(new RegisterClientRequest { ClientName = "c", ClientType = "public" });
        await oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = h.Sso.StartUrl });
        await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(new CreateTokenRequest
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            GrantType = FakeIdentityCenter.DeviceCodeGrant,
            DeviceCode = "not-a-device-code",
        }));
        await portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = h.Sso.SeedSignIn().AccessToken });

        Assert.Equal(4, h.Sso.Calls.Count);
        Assert.All(h.Sso.Calls, call => Assert.False(call.Signed, call.Operation));
    }

    [Fact]
    public async Task UnknownPaths_AreNotOperations()
    {
        await using IdentityCenterHarness h = await IdentityCenterHarness.StartAsync();
        using var http = new System.Net.Http.HttpClient();

        using System.Net.Http.HttpResponseMessage response = await http.GetAsync(new Uri(h.Sso.Endpoint, "assignment/nothing"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("UnknownOperationException:", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.Equal("Unknown", h.Sso.Calls[^1].Operation);
    }
}
