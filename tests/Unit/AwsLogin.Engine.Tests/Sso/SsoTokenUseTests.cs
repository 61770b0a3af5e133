using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Sso;
using AwsLogin.Engine.Sts;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Sso;

/// <summary>Using the cached token: refresh as botocore does (once), role credentials, and what fails how.</summary>
public sealed class SsoTokenUseTests
{
    private const string Account = "123456789012";
    private const string Role = "ReadOnlyAccess";

    [Fact]
    public async Task A_token_the_aws_cli_cached_serves_get_role_credentials()
    {
        await using var h = await SsoHarness.StartAsync();
        Seed(h);
        h.SeedCachedToken();

        var credentials = await h.Service().GetRoleCredentialsAsync(Source(), Account, Role, forceRefresh: false, CancellationToken.None);

        Assert.Equal(CredentialOrigin.SsoRole, credentials.Origin);
        Assert.Equal(Account, credentials.AccountId);
        Assert.True(h.Sts.IsValidSession(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
        Assert.Equal(0, h.Sso.CountCalls("CreateToken"));
        Assert.Equal(credentials.AccessKeyId, h.Sso.Calls.Single(c => c.Operation == "GetRoleCredentials").IssuedAccessKeyId);
    }

    [Fact]
    public async Task A_token_near_expiry_is_refreshed_once_and_the_new_one_is_cached()
    {
        await using var h = await SsoHarness.StartAsync();
        var seeded = h.SeedCachedToken(accessTokenLifetime: TimeSpan.FromMinutes(5));

        var first = await h.Service().GetSessionAsync(Source(), CancellationToken.None);
        var second = await h.Service().GetSessionAsync(Source(), CancellationToken.None);

        Assert.Equal(SsoTokenOrigin.Refreshed, first.Origin);
        Assert.Equal(SsoTokenOrigin.Cached, second.Origin);
        Assert.NotEqual(seeded.AccessToken, first.Token.AccessToken);
        Assert.Equal(first.Token.AccessToken, second.Token.AccessToken);
        Assert.Equal(1, h.Sso.CountCalls("CreateToken"));
        Assert.Equal("refresh_token", h.Sso.Calls.Single(c => c.Operation == "CreateToken").Parameters["grantType"]);
        var onDisk = SsoTokenCache.ParseToken(File.ReadAllText(h.TokenPath));
        Assert.Equal(first.Token.AccessToken, onDisk.AccessToken);
        Assert.NotEqual(seeded.RefreshToken, onDisk.RefreshToken);
        Assert.Equal(seeded.ClientId, onDisk.ClientId);
        Assert.True(onDisk.ExpiresAt > DateTime.UtcNow.AddMinutes(50));
    }

    [Fact]
    public async Task Concurrent_users_of_an_expiring_token_share_one_refresh()
    {
        await using var h = await SsoHarness.StartAsync();
        h.SeedCachedToken(accessTokenLifetime: TimeSpan.FromMinutes(1));

        var sessions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => h.Service().GetSessionAsync(Source(), CancellationToken.None))));

        Assert.Equal(1, h.Sso.CountCalls("CreateToken"));
        Assert.Single(sessions.Select(s => s.Token.AccessToken).Distinct());
    }

    [Fact]
    public async Task An_expired_token_without_a_refresh_token_says_to_sign_in()
    {
        await using var h = await SsoHarness.StartAsync(manualClock: true);
        h.SeedCachedToken(withRefreshToken: false, accessTokenLifetime: TimeSpan.FromMinutes(5));
        h.Clock!.Advance(TimeSpan.FromMinutes(6));

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => h.Service().GetSessionAsync(Source(), CancellationToken.None));

        Assert.Equal("SsoTokenExpired", error.Code);
        Assert.Contains("Connect-AwsSso -SsoSession corp", error.RecommendedAction);
        Assert.Equal(0, h.Sso.CountCalls("CreateToken"));
    }

    [Fact]
    public async Task An_expired_registration_is_not_used_to_refresh()
    {
        await using var h = await SsoHarness.StartAsync(manualClock: true);
        h.Sso.RegistrationLifetime = TimeSpan.FromMinutes(3);
        h.SeedCachedToken(accessTokenLifetime: TimeSpan.FromMinutes(5));
        h.Clock!.Advance(TimeSpan.FromMinutes(6));

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => h.Service().GetSessionAsync(Source(), CancellationToken.None));

        Assert.Equal("SsoTokenExpired", error.Code);
        Assert.Contains("registration expired", error.Message);
        Assert.Equal(0, h.Sso.CountCalls("CreateToken"));
    }

    [Fact]
    public async Task A_rejected_refresh_leaves_a_still_valid_token_in_use_and_an_expired_one_an_error()
    {
        await using var h = await SsoHarness.StartAsync(manualClock: true);
        var seeded = h.SeedCachedToken(accessTokenLifetime: TimeSpan.FromMinutes(10));
        h.Sso.InjectError("CreateToken", "InvalidGrantException", 400, times: 2);

        var stillValid = await h.Service().GetSessionAsync(Source(), CancellationToken.None);
        h.Clock!.Advance(TimeSpan.FromMinutes(11));
        var error = await Assert.ThrowsAsync<AwsLoginException>(() => h.Service().GetSessionAsync(Source(), CancellationToken.None));

        Assert.Equal(seeded.AccessToken, stillValid.Token.AccessToken);
        Assert.Single(h.Log.Warnings);
        Assert.Equal("SsoTokenExpired", error.Code);
        Assert.Contains("InvalidGrant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_cached_token_is_not_signed_in_and_a_damaged_one_says_why()
    {
        await using var h = await SsoHarness.StartAsync();

        var missing = await Assert.ThrowsAsync<AwsLoginException>(() => h.Service().GetSessionAsync(Source(), CancellationToken.None));
        Directory.CreateDirectory(Path.GetDirectoryName(h.TokenPath)!);
        File.WriteAllText(h.TokenPath, "{\"startUrl\": \"x\"}");
        var damaged = await Assert.ThrowsAsync<AwsLoginException>(() => h.Service().GetSessionAsync(Source(), CancellationToken.None));

        Assert.Equal("SsoNotSignedIn", missing.Code);
        Assert.Equal(FailureKind.NoCredentials, missing.Kind);
        Assert.Equal("corp", missing.Target);
        Assert.Contains("Connect-AwsSso -SsoSession corp", missing.RecommendedAction);
        Assert.Equal("SsoNotSignedIn", damaged.Code);
        Assert.Contains("accessToken", damaged.Message);
    }

    [Fact]
    public async Task Role_credentials_are_cached_and_reused_until_forced()
    {
        await using var h = await SsoHarness.StartAsync();
        Seed(h);
        h.SeedCachedToken();
        var service = h.Service();

        var first = await service.GetRoleCredentialsAsync(Source(), Account, Role, false, CancellationToken.None);
        var second = await service.GetRoleCredentialsAsync(Source(), Account, Role, false, CancellationToken.None);
        var forced = await service.GetRoleCredentialsAsync(Source(), Account, Role, true, CancellationToken.None);

        Assert.Equal(first.AccessKeyId, second.AccessKeyId);
        Assert.NotEqual(first.AccessKeyId, forced.AccessKeyId);
        Assert.Equal(2, h.Sso.CountCalls("GetRoleCredentials"));
    }

    [Fact]
    public async Task A_revoked_token_an_unassigned_role_and_a_bad_account_are_specific_errors()
    {
        await using var h = await SsoHarness.StartAsync();
        Seed(h);
        h.SeedCachedToken();
        var service = h.Service();

        var unassigned = await Assert.ThrowsAsync<AwsLoginException>(() => service.GetRoleCredentialsAsync(Source(), Account, "AdministratorAccess", false, CancellationToken.None));
        var badAccount = Assert.Throws<AwsLoginException>(() => SsoService.CheckAccountAndRole("12345", Role));
        h.Sso.RevokeTokens();
        var revoked = await Assert.ThrowsAsync<AwsLoginException>(() => service.GetRoleCredentialsAsync(Source(), Account, Role, false, CancellationToken.None));

        Assert.Equal("SsoAccessDenied", unassigned.Code);
        Assert.Equal("AdministratorAccess in account 123456789012", unassigned.Target);
        Assert.Equal("InvalidArgument", badAccount.Code);
        Assert.Equal("SsoTokenRejected", revoked.Code);
        Assert.Contains("Connect-AwsSso -SsoSession corp", revoked.RecommendedAction);
    }

    [Fact]
    public async Task A_token_given_outright_or_as_a_file_is_used_as_it_is()
    {
        await using var h = await SsoHarness.StartAsync();
        Seed(h);
        var seeded = h.SeedCachedToken(key: "elsewhere");
        var file = h.Cache.PathFor("elsewhere");
        var service = h.Service();

        var fromToken = await service.GetRoleCredentialsAsync(new SsoTokenSource { AccessToken = seeded.AccessToken, Region = "us-east-1" }, Account, Role, false, CancellationToken.None);
        var fromFile = await service.GetRoleCredentialsAsync(new SsoTokenSource { CacheFile = file }, Account, Role, false, CancellationToken.None);
        var noRegion = await Assert.ThrowsAsync<AwsLoginException>(() => service.GetRoleCredentialsAsync(new SsoTokenSource { AccessToken = seeded.AccessToken }, Account, Role, false, CancellationToken.None));
        var both = await Assert.ThrowsAsync<AwsLoginException>(() => service.GetSessionAsync(new SsoTokenSource { AccessToken = "x", CacheFile = file }, CancellationToken.None));

        Assert.True(h.Sts.IsValidSession(fromToken.AccessKeyId, fromToken.SecretAccessKey, fromToken.SessionToken));
        Assert.True(h.Sts.IsValidSession(fromFile.AccessKeyId, fromFile.SecretAccessKey, fromFile.SessionToken));
        Assert.Equal("SsoRegionRequired", noRegion.Code);
        Assert.Equal("SsoConflictingSources", both.Code);
        Assert.False(File.Exists(h.TokenPath));
    }

    [Fact]
    public async Task The_broker_starts_from_sso_role_credentials_and_chains_roles_from_them()
    {
        await using var h = await SsoHarness.StartAsync();
        Seed(h);
        h.SeedCachedToken();
        var broker = new CredentialBroker(h.Context());
        var hop = new RoleHop(RoleArn.Parse("arn:aws:iam::222222222222:role/Deploy"));

        var sso = await broker.GetCredentialsAsync(new IdentityRequest { SsoAccountId = Account, SsoRoleName = Role, SsoSource = Source() }, CancellationToken.None);
        var chained = await broker.GetCredentialsAsync(new IdentityRequest { SsoAccountId = Account, SsoRoleName = Role, SsoSource = Source(), RoleHops = new[] { hop } }, CancellationToken.None);

        Assert.Equal(CredentialOrigin.SsoRole, sso.Origin);
        Assert.Equal("us-east-1", sso.Region);
        Assert.Equal(CredentialOrigin.ChainedRole, chained.Origin);
        Assert.Equal("222222222222", chained.AccountId);
        Assert.Equal(1, h.Sso.CountCalls("GetRoleCredentials"));
        Assert.Equal(sso.AccessKeyId, h.Sts.Calls.Single(c => c.Action == "AssumeRole").SigningAccessKeyId);
    }

    [Fact]
    public async Task An_sso_profile_gets_its_role_credentials_from_the_cache()
    {
        await using var h = await SsoHarness.StartAsync();
        Seed(h);
        h.SeedCachedToken();
        File.AppendAllText(h.ConfigPath, $"[profile dev]\nsso_session = corp\nsso_account_id = {Account}\nsso_role_name = {Role}\nregion = eu-west-1\n");

        var credentials = await new CredentialBroker(h.Context()).GetCredentialsAsync(new IdentityRequest { ProfileName = "dev" }, CancellationToken.None);

        Assert.Equal(CredentialOrigin.SsoRole, credentials.Origin);
        Assert.Equal("eu-west-1", credentials.Region);
        Assert.Contains("profile dev", credentials.Source);
        Assert.True(h.Sts.IsValidSession(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
    }

    [Fact]
    public async Task A_legacy_profile_reads_the_token_under_its_start_url()
    {
        await using var h = await SsoHarness.StartAsync();
        Seed(h);
        h.SeedCachedToken(key: SsoTokenCache.TokenKey(null, h.Sso.StartUrl));
        File.AppendAllText(h.ConfigPath, $"[profile old]\nsso_start_url = {h.Sso.StartUrl}\nsso_region = us-east-1\nsso_account_id = {Account}\nsso_role_name = {Role}\n");

        var credentials = await new CredentialBroker(h.Context()).GetCredentialsAsync(new IdentityRequest { ProfileName = "old" }, CancellationToken.None);

        Assert.True(h.Sts.IsValidSession(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));
    }

    private static SsoTokenSource Source() => new() { SessionName = SsoHarness.Session };

    private static void Seed(SsoHarness h)
    {
        h.Sso.AddAccount(Account, "Production");
        h.Sso.AssignRole(Account, Role);
    }
}
