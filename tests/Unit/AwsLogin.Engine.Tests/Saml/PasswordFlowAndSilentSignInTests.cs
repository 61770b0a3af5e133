using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.LoginProfiles;
using AwsLogin.Engine.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Saml.SamlHarness;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>
/// Where passwords come from (given, vault, config file, prompt), what happens when the IdP refuses one, and the
/// silent sign-in of login profiles: cached credentials, the IdP session, the vault, and the error naming the command.
/// </summary>
public sealed class PasswordFlowAndSilentSignInTests
{
    [Fact]
    public async Task A_vault_password_signs_in_without_a_prompt_and_is_not_saved_again()
    {
        await using var h = await StartAsync();
        var vault = new MemoryVault { [Key(h)] = Password };

        await h.GetAsync(h.Options() with { UserName = UserName, PasswordVault = vault, CredentialProvider = NeverAsked }, r => r with { RoleArns = new[] { Admin } });

        Assert.Equal(UserName, Assert.Single(h.Idp.Calls).BasicUserName);
        Assert.Equal(0, vault.Saves);
        h.AssertLogClean();
    }

    [Fact]
    public async Task A_typed_password_that_works_is_saved_to_the_vault()
    {
        await using var h = await StartAsync();
        var vault = new MemoryVault();

        await h.GetAsync(h.Options() with { UserName = UserName, PasswordVault = vault, CredentialProvider = (_, user, _) => Task.FromResult<IdpCredential?>(Alice()) }, r => r with { RoleArns = new[] { Admin } });

        Assert.Equal(Password, vault[Key(h)]);
        Assert.Equal(1, vault.Saves);
        Assert.Contains(h.Log.Messages, m => m.Contains("vault 'test-vault'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_vault_password_is_asked_for_again_and_replaced()
    {
        await using var h = await StartAsync();
        var vault = new MemoryVault { [Key(h)] = "old password" };
        string? askedUser = null;

        await h.GetAsync(
            h.Options() with { UserName = UserName, PasswordVault = vault, CredentialProvider = (_, user, _) => { askedUser = user; return Task.FromResult<IdpCredential?>(Alice()); } },
            r => r with { RoleArns = new[] { Admin } });

        Assert.Equal(new[] { "BadPassword", "Issued" }, h.Idp.Calls.Select(c => c.Outcome));
        Assert.Equal(UserName, askedUser);
        Assert.Equal(Password, vault[Key(h)]);
        Assert.Contains(h.Log.Messages, w => w.Contains("refused the password saved in vault", StringComparison.Ordinal));
        h.AssertLogClean("old password");
    }

    [Fact]
    public async Task Without_anyone_to_ask_a_refused_vault_password_is_SamlAuthenticationFailed()
    {
        await using var h = await StartAsync();
        var vault = new MemoryVault { [Key(h)] = "old password" };

        var error = await h.FailAsync(h.Options() with { UserName = UserName, PasswordVault = vault }, r => r with { RoleArns = new[] { Admin } });

        Assert.Equal("SamlAuthenticationFailed", error.Code);
        Assert.Equal("old password", vault[Key(h)]);
        h.AssertNoSecrets(error, "old password");
    }

    [Fact]
    public async Task A_plain_config_password_is_used_with_a_warning_but_ignored_when_a_vault_is_set()
    {
        await using var h = await StartAsync();

        await h.GetAsync(h.Options() with { UserName = UserName, PlainPassword = Secure(Password) }, r => r with { RoleArns = new[] { Admin } });
        Assert.Contains(h.Log.Messages, w => w.Contains("plain text", StringComparison.Ordinal));

        var vault = new MemoryVault();
        var error = await h.FailAsync(h.Options() with { ProfileName = "other", UserName = UserName, PlainPassword = Secure(Password), PasswordVault = vault }, r => r with { RoleArns = new[] { Admin }, ForceRefresh = true });
        Assert.Equal("SamlCredentialRequired", error.Code);
        Assert.Contains(h.Log.Messages, w => w.Contains("ignored because vault 'test-vault'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AskPassword_skips_the_vault_and_replaces_its_password()
    {
        await using var h = await StartAsync();
        var vault = new MemoryVault { [Key(h)] = "stale" };

        await h.GetAsync(h.Options() with { UserName = UserName, PasswordVault = vault, AskPassword = true, CredentialProvider = (_, _, _) => Task.FromResult<IdpCredential?>(Alice()) }, r => r with { RoleArns = new[] { Admin } });

        Assert.Equal("Issued", Assert.Single(h.Idp.Calls).Outcome);
        Assert.Equal(0, vault.Reads);
        Assert.Equal(Password, vault[Key(h)]);
    }

    [Fact]
    public async Task A_login_profile_signs_in_silently_with_the_vault_then_answers_from_the_cache()
    {
        await using var h = await StartAsync();
        var vault = new MemoryVault { [Key(h)] = Password };
        var settings = Settings(h) with { Vault = "test-vault" };
        var services = SamlSignInServices.Silent with { VaultFactory = _ => vault };

        var first = await SamlSignIn.GetProfileCredentialsAsync(settings, services, forceRefresh: false, h.World.Context(), CancellationToken.None);
        var second = await SamlSignIn.GetProfileCredentialsAsync(settings, services, forceRefresh: false, h.World.Context(), CancellationToken.None);

        Assert.Single(h.Idp.Calls);
        Assert.Single(h.SamlCalls);
        Assert.Equal(first.AccessKeyId, second.AccessKeyId);
        Assert.Equal(Admin, h.Sts.FindIssued(first.AccessKeyId)!.RoleArn);
        Assert.Equal("profile prod (SAML sign-in at 127.0.0.1)", second.Source);
    }

    [Fact]
    public async Task A_login_profile_without_a_role_finds_the_role_its_last_sign_in_cached()
    {
        await using var h = await StartAsync();
        h.Idp.AddUser("bob", Password, new[] { Role(Admin, ProviderA) });
        var settings = Settings(h) with { UserName = null, RoleArn = null };
        var interactive = SamlSignInServices.Silent with { Credential = new IdpCredential("bob", Secure(Password)) };

        await SamlSignIn.GetProfileCredentialsAsync(settings, interactive, false, h.World.Context(), CancellationToken.None);
        File.Delete(Directory.GetFiles(Path.Combine(h.World.HomePath, "saml", "sessions"), "*.json").Single());
        var cached = await SamlSignIn.GetProfileCredentialsAsync(settings, SamlSignInServices.Silent, false, h.World.Context(), CancellationToken.None);

        Assert.Single(h.Idp.Calls);
        Assert.Equal(Admin, h.Sts.FindIssued(cached.AccessKeyId)!.RoleArn);
    }

    [Fact]
    public async Task Silently_the_saved_idp_session_is_used_and_without_it_the_error_names_the_command()
    {
        await using var h = await StartAsync();
        var settings = Settings(h);
        var interactive = SamlSignInServices.Silent with { Credential = Alice() };
        await SamlSignIn.GetProfileCredentialsAsync(settings, interactive, false, h.World.Context(), CancellationToken.None);

        var refreshed = await SamlSignIn.GetProfileCredentialsAsync(settings, SamlSignInServices.Silent, forceRefresh: true, h.World.Context(), CancellationToken.None);
        Assert.Equal(2, h.Idp.Calls.Count);
        Assert.Null(h.Idp.Calls[1].BasicUserName);
        Assert.True(h.Sts.IsValidSession(refreshed.AccessKeyId, refreshed.SecretAccessKey, refreshed.SessionToken));

        h.Idp.EndSessions();
        var error = await Assert.ThrowsAsync<AwsLoginException>(() => SamlSignIn.GetProfileCredentialsAsync(settings, SamlSignInServices.Silent, forceRefresh: true, h.World.Context(), CancellationToken.None));
        Assert.Equal("SamlSignInRequired", error.Code);
        Assert.Equal(FailureKind.NoCredentials, error.Kind);
        Assert.Equal("prod", error.Target);
        Assert.Contains("Connect-AwsSaml -ProfileName 'prod'", error.RecommendedAction, StringComparison.Ordinal);
        h.AssertNoSecrets(error);
    }

    [Fact]
    public async Task Several_roles_without_a_chosen_one_name_Set_AwsLoginProfile()
    {
        await using var h = await StartAsync();

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => SamlSignIn.GetProfileCredentialsAsync(Settings(h) with { RoleArn = null }, SamlSignInServices.Silent with { Credential = Alice() }, false, h.World.Context(), CancellationToken.None));

        Assert.Equal("SamlSignInRequired", error.Code);
        Assert.Contains("Set-AwsLoginProfile -ProfileName 'prod' -RoleArn", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vault_setting_without_a_vault_host_fails_only_when_a_password_is_needed()
    {
        await using var h = await StartAsync();
        var settings = Settings(h) with { Vault = "test-vault" };
        await SamlSignIn.GetProfileCredentialsAsync(settings, SamlSignInServices.Silent with { Credential = Alice() }, false, h.World.Context(), CancellationToken.None);

        var cached = await SamlSignIn.GetProfileCredentialsAsync(settings, SamlSignInServices.Silent, false, h.World.Context(), CancellationToken.None);
        h.Idp.EndSessions();
        var error = await Assert.ThrowsAsync<AwsLoginException>(() => SamlSignIn.GetProfileCredentialsAsync(settings, SamlSignInServices.Silent, forceRefresh: true, h.World.Context(), CancellationToken.None));

        Assert.NotNull(cached);
        Assert.Equal("SamlVaultUnavailable", error.Code);
    }

    [Fact]
    public async Task The_shared_resolver_signs_a_login_profile_in_instead_of_running_its_own_credential_process()
    {
        await using var h = await StartAsync();
        // The credential_process would fail loudly if it ran: the resolver must not recurse into it.
        h.World.WriteConfig($"""
            [profile prod]
            awslogin_saml_provider = ecp
            awslogin_saml_endpoint_url = {h.Idp.EcpEndpoint}
            awslogin_saml_username = {UserName}
            awslogin_saml_role_arn = {Admin}
            credential_process = /definitely/not/here -c "Get-AwsRoleCredential -ProfileName 'prod' -AsProcessJson"

            [profile deploy]
            role_arn = {Reader}
            source_profile = prod
            """);
        await SamlSignIn.GetProfileCredentialsAsync(Settings(h), SamlSignInServices.Silent with { Credential = Alice() }, false, h.World.Context(), CancellationToken.None);
        var before = h.Idp.Calls.Count;

        var direct = await h.World.GetAsync(new IdentityRequest { ProfileName = "prod" });
        var chained = await h.World.GetAsync(new IdentityRequest { ProfileName = "deploy" });

        Assert.Equal(before, h.Idp.Calls.Count);
        Assert.Equal(Admin, h.Sts.FindIssued(direct.AccessKeyId)!.RoleArn);
        Assert.Equal(Reader, h.Sts.FindIssued(chained.AccessKeyId)!.RoleArn);
    }

    [Fact]
    public async Task A_credential_server_refreshes_a_login_profile_in_the_background_with_the_idp_session()
    {
        await using var h = await StartAsync();
        h.World.WriteConfig($"""
            [profile prod]
            awslogin_saml_provider = ecp
            awslogin_saml_endpoint_url = {h.Idp.EcpEndpoint}
            awslogin_saml_username = {UserName}
            awslogin_saml_role_arn = {Admin}
            """);
        // Sessions shorter than the server's refresh margin: every background call must get new credentials.
        h.Sts.IssuedLifetimeOverride = TimeSpan.FromMinutes(2);
        var request = new IdentityRequest { ProfileName = "prod", SamlServices = SamlSignInServices.Silent with { Credential = Alice() } };
        var source = ServedIdentity.Source(request, h.World.Context(), h.World.Environment, h.Log, new AwsLogin.Engine.Output.CredentialServerOptions());

        var first = await source(CancellationToken.None);
        var refreshed = await source(CancellationToken.None);

        Assert.NotEqual(first.AccessKeyId, refreshed.AccessKeyId);
        Assert.Equal(2, h.Idp.Calls.Count);
        Assert.Equal(UserName, h.Idp.Calls[0].BasicUserName);
        Assert.True(h.Idp.Calls[1].UsedSession);
        Assert.True(h.Sts.IsValidSession(refreshed.AccessKeyId, refreshed.SecretAccessKey, refreshed.SessionToken));
        h.AssertLogClean();
    }

    private static SamlLoginProfile Settings(SamlHarness h) =>
        new("prod", SamlProviderKind.Ecp, h.Idp.EcpEndpoint) { UserName = UserName, RoleArn = Admin };

    private static string Key(SamlHarness h) => h.Idp.EcpEndpoint.Host + "|" + UserName;

    private static Task<IdpCredential?> NeverAsked(Uri endpoint, string? user, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("The prompt must not be used.");

    /// <summary>A vault in memory, keyed "host|user", counting reads and saves.</summary>
    private sealed class MemoryVault : IIdpPasswordVault, IEnumerable<KeyValuePair<string, string>>
    {
        private readonly Dictionary<string, string> _secrets = new();

        public string Name => "test-vault";

        public int Reads { get; private set; }

        public int Saves { get; private set; }

        public string this[string key]
        {
            get => _secrets[key];
            set => _secrets[key] = value;
        }

        public Task<SecureString?> GetAsync(Uri endpoint, string userName, CancellationToken cancellationToken)
        {
            Reads++;
            return Task.FromResult(_secrets.TryGetValue(endpoint.Host + "|" + userName, out var secret) ? Secure(secret) : null);
        }

        public Task SaveAsync(Uri endpoint, string userName, SecureString password, CancellationToken cancellationToken)
        {
            Saves++;
            _secrets[endpoint.Host + "|" + userName] = IdpCredential.Reveal(password);
            return Task.CompletedTask;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _secrets.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
