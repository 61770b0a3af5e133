using System;
using System.IO;
using System.Linq;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Saml.LoginProfiles;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>Login profiles in the shared config file: reading, validating, patching, writing and removing them.</summary>
public sealed class LoginProfileTests : IDisposable
{
    private const string Ecp = "https://idp.example.edu/idp/profile/SAML2/SOAP/ECP";
    private const string Role = "arn:aws:iam::111111111111:role/Admin";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "awslogin-lp-" + Guid.NewGuid().ToString("N"));

    public LoginProfileTests() => Directory.CreateDirectory(_root);

    private string ConfigPath => Path.Combine(_root, "config");

    private DictionaryEnvironment Environment => new(new System.Collections.Generic.Dictionary<string, string?>
    {
        ["AWS_CONFIG_FILE"] = ConfigPath,
        ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_root, "credentials"),
    });

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ConfigProfile Profile(string text, string name = "prod")
    {
        Assert.True(ProfileStore.FromText(text, null).TryGetProfile(name, out var profile));
        return profile!;
    }

    [Fact]
    public void Reads_every_setting_and_the_standard_region_and_credential_process()
    {
        var profile = SamlLoginProfile.FromProfile(Profile($"""
            [profile prod]
            region = eu-west-1
            awslogin_saml_provider = ECP
            awslogin_saml_endpoint_url = {Ecp}
            awslogin_saml_username = alice
            awslogin_saml_role_arn = {Role}
            awslogin_saml_duration_seconds = 3600
            awslogin_saml_factor = Push
            awslogin_saml_duo_factor_header = X-Duo-Factor
            awslogin_saml_verify_ssl = false
            awslogin_saml_vault = MyVault
            credential_process = pwsh -NoProfile -Command "Get-AwsRoleCredential -ProfileName 'prod' -AsProcessJson"
            """))!;

        Assert.Equal(SamlProviderKind.Ecp, profile.Provider);
        Assert.Equal(new Uri(Ecp), profile.EndpointUrl);
        Assert.Equal("alice", profile.UserName);
        Assert.Equal(Role, profile.RoleArn);
        Assert.Equal(3600, profile.DurationSeconds);
        Assert.Equal("push", profile.Factor);
        Assert.Equal("X-Duo-Factor", profile.DuoFactorHeader);
        Assert.Null(profile.DuoPasscodeHeader);
        Assert.True(profile.SkipCertificateCheck);
        Assert.Equal("MyVault", profile.Vault);
        Assert.Equal("eu-west-1", profile.Region);
        Assert.StartsWith("pwsh ", profile.CredentialProcess, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_without_saml_settings_is_not_a_login_profile()
    {
        Assert.Null(SamlLoginProfile.FromProfile(Profile("[profile prod]\nregion = us-east-1\n")));
    }

    [Theory]
    [InlineData("awslogin_saml_endpoint_url = https://idp.example.edu/ecp\n", "awslogin_saml_provider")]
    [InlineData("awslogin_saml_provider = kerberos\nawslogin_saml_endpoint_url = https://idp.example.edu/ecp\n", "kerberos")]
    [InlineData("awslogin_saml_provider = ecp\n", "awslogin_saml_endpoint_url")]
    [InlineData("awslogin_saml_provider = ecp\nawslogin_saml_endpoint_url = ftp://idp.example.edu/\n", "ftp://")]
    [InlineData("awslogin_saml_provider = ecp\nawslogin_saml_endpoint_url = https://idp.example.edu/ecp\nawslogin_saml_duration_seconds = 60\n", "900 to 43200")]
    [InlineData("awslogin_saml_provider = ecp\nawslogin_saml_endpoint_url = https://idp.example.edu/ecp\nawslogin_saml_factor = totp\n", "totp")]
    [InlineData("awslogin_saml_provider = okta\nawslogin_saml_endpoint_url = https://org.okta.com/home/amazon_aws/0oa1/272\nawslogin_saml_factor = sms\n", "sms")]
    [InlineData("awslogin_saml_provider = okta\nawslogin_saml_endpoint_url = https://org.okta.com/app\nawslogin_saml_duo_factor_header = X-A\n", "Duo header")]
    [InlineData("awslogin_saml_provider = ecp\nawslogin_saml_endpoint_url = https://idp.example.edu/ecp\nawslogin_saml_role_arn = admin\n", "admin")]
    [InlineData("awslogin_saml_provider = ecp\nawslogin_saml_endpoint_url = https://idp.example.edu/ecp\nawslogin_saml_verify_ssl = maybe\n", "maybe")]
    [InlineData("awslogin_saml_provider = ecp\nawslogin_saml_endpoint_url = https://idp.example.edu/ecp\nawslogin_saml_headless = true\n", "browser")]
    public void Invalid_settings_are_InvalidLoginProfile_naming_what_is_wrong(string body, string named)
    {
        var error = Assert.Throws<AwsLoginException>(() => SamlLoginProfile.FromProfile(Profile("[profile prod]\n" + body)));

        Assert.Equal("InvalidLoginProfile", error.Code);
        Assert.Equal(FailureKind.InvalidConfiguration, error.Kind);
        Assert.Equal("prod", error.Target);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_profile_needs_provider_and_endpoint()
    {
        var error = Assert.Throws<AwsLoginException>(() => new SamlLoginProfilePatch { UserName = "alice" }.ApplyTo(null, "prod"));

        Assert.Equal("SamlSettingsRequired", error.Code);
        Assert.Contains("Set-AwsLoginProfile -ProfileName 'prod'", error.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void A_patch_changes_what_it_names_clears_empty_strings_and_keeps_the_rest()
    {
        var existing = new SamlLoginProfile("prod", SamlProviderKind.Ecp, new Uri(Ecp)) { UserName = "alice", RoleArn = Role, Vault = "V", Factor = "push", DurationSeconds = 3600 };

        var patched = new SamlLoginProfilePatch { UserName = "bob", Vault = "", DurationSeconds = 0 }.ApplyTo(existing, "prod");

        Assert.Equal("bob", patched.UserName);
        Assert.Null(patched.Vault);
        Assert.Null(patched.DurationSeconds);
        Assert.Equal(Role, patched.RoleArn);
        Assert.Equal("push", patched.Factor);
    }

    [Fact]
    public void Changing_the_provider_drops_the_settings_only_the_old_one_used()
    {
        var existing = new SamlLoginProfile("prod", SamlProviderKind.Ecp, new Uri(Ecp)) { Factor = "sms", DuoFactorHeader = "X-F", UserName = "alice" };

        var patched = new SamlLoginProfilePatch { Provider = SamlProviderKind.Adfs, EndpointUrl = new Uri("https://sts.example.com/adfs/ls/IdpInitiatedSignOn.aspx") }.ApplyTo(existing, "prod");

        Assert.Equal(SamlProviderKind.Adfs, patched.Provider);
        Assert.Null(patched.Factor);
        Assert.Null(patched.DuoFactorHeader);
        Assert.Equal("alice", patched.UserName);
    }

    [Fact]
    public void Set_writes_prefixed_keys_region_and_credential_process_and_keeps_every_other_line()
    {
        File.WriteAllText(ConfigPath, "# my settings\n[default]\nregion = us-west-2 # inline\n\n[profile prod]\n# production\noutput = json\nx_unknown = keep me\n");

        var (change, settings) = SamlLoginProfileStore.PlanSet(Environment, "prod",
            new SamlLoginProfilePatch { Provider = SamlProviderKind.Ecp, EndpointUrl = new Uri(Ecp), UserName = "alice", RoleArn = Role, Region = "eu-west-1" }, "pwsh", force: false);
        ConfigFileEditor.Apply(change);

        var text = File.ReadAllText(ConfigPath);
        Assert.StartsWith("# my settings\n[default]\nregion = us-west-2 # inline\n\n[profile prod]\n# production\noutput = json\nx_unknown = keep me\n", text, StringComparison.Ordinal);
        var store = ProfileStore.Load(Environment);
        var read = SamlLoginProfileStore.Get(store, "prod");
        Assert.Equal(settings, read);
        Assert.Equal("pwsh -NoProfile -NonInteractive -Command \"Get-AwsRoleCredential -ProfileName 'prod' -AsProcessJson\"", read.CredentialProcess);
        Assert.Equal("eu-west-1", read.Region);
        Assert.True(store.TryGetProfile("prod", out var profile));
        Assert.Equal("keep me", profile!.Values["x_unknown"]);
        Assert.Contains("awslogin_saml_endpoint_url = " + Ecp, change.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Set_again_changes_only_what_is_given()
    {
        SetProd(new SamlLoginProfilePatch { Provider = SamlProviderKind.Ecp, EndpointUrl = new Uri(Ecp), UserName = "alice", Factor = "push" });

        SetProd(new SamlLoginProfilePatch { RoleArn = Role, Factor = "" });

        var read = SamlLoginProfileStore.Get(ProfileStore.Load(Environment), "prod");
        Assert.Equal("alice", read.UserName);
        Assert.Equal(Role, read.RoleArn);
        Assert.Null(read.Factor);
        Assert.DoesNotContain("awslogin_saml_factor", File.ReadAllText(ConfigPath), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[profile prod]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n", null)]
    [InlineData("[profile prod]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Admin\n", null)]
    [InlineData("[profile prod]\ncredential_process = /usr/bin/other-tool prod\n", null)]
    [InlineData("[profile prod]\nregion = us-east-1\n", "[prod]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n")]
    public void Set_refuses_a_profile_whose_other_settings_would_win(string config, string? credentials)
    {
        File.WriteAllText(ConfigPath, config);
        if (credentials is not null)
        {
            File.WriteAllText(Path.Combine(_root, "credentials"), credentials);
        }

        var error = Assert.Throws<AwsLoginException>(() => SetProd(new SamlLoginProfilePatch { Provider = SamlProviderKind.Ecp, EndpointUrl = new Uri(Ecp) }));

        Assert.Equal("LoginProfileConflict", error.Code);
        Assert.Equal("prod", error.Target);
        Assert.Equal(config, File.ReadAllText(ConfigPath));
    }

    [Fact]
    public void Force_replaces_another_programs_credential_process()
    {
        File.WriteAllText(ConfigPath, "[profile prod]\ncredential_process = /usr/bin/other-tool prod\n");

        var (change, _) = SamlLoginProfileStore.PlanSet(Environment, "prod", new SamlLoginProfilePatch { Provider = SamlProviderKind.Ecp, EndpointUrl = new Uri(Ecp) }, "pwsh", force: true);
        ConfigFileEditor.Apply(change);

        Assert.DoesNotContain("other-tool", File.ReadAllText(ConfigPath), StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_takes_out_only_the_saml_keys_and_its_own_credential_process()
    {
        File.WriteAllText(ConfigPath, "[profile other]\noutput = text\n\n[profile prod]\n# keep this comment\noutput = json\n");
        SetProd(new SamlLoginProfilePatch { Provider = SamlProviderKind.Ecp, EndpointUrl = new Uri(Ecp), UserName = "alice" });

        ConfigFileEditor.Apply(SamlLoginProfileStore.PlanRemove(ProfileStore.Load(Environment), "prod"));

        Assert.Equal("[profile other]\noutput = text\n\n[profile prod]\n# keep this comment\noutput = json\n", File.ReadAllText(ConfigPath));
    }

    [Fact]
    public void Remove_drops_a_section_left_empty_and_refuses_a_profile_that_is_not_a_login_profile()
    {
        File.WriteAllText(ConfigPath, "[profile other]\noutput = text\n");
        SetProd(new SamlLoginProfilePatch { Provider = SamlProviderKind.Ecp, EndpointUrl = new Uri(Ecp) });

        ConfigFileEditor.Apply(SamlLoginProfileStore.PlanRemove(ProfileStore.Load(Environment), "prod"));
        var error = Assert.Throws<AwsLoginException>(() => SamlLoginProfileStore.PlanRemove(ProfileStore.Load(Environment), "other"));

        Assert.Equal("[profile other]\noutput = text\n", File.ReadAllText(ConfigPath).TrimEnd('\n') + "\n");
        Assert.Equal("LoginProfileNotFound", error.Code);
        Assert.Equal(FailureKind.NotFound, error.Kind);
    }

    [Fact]
    public void List_reports_invalid_profiles_beside_valid_ones()
    {
        File.WriteAllText(ConfigPath, $"[profile b]\nawslogin_saml_provider = nope\n\n[profile a]\nawslogin_saml_provider = ecp\nawslogin_saml_endpoint_url = {Ecp}\n\n[profile plain]\nregion = us-east-1\n");

        var entries = SamlLoginProfileStore.List(ProfileStore.Load(Environment));

        Assert.Equal(new[] { "a", "b" }, entries.Select(e => e.ProfileName));
        Assert.NotNull(entries[0].Profile);
        Assert.Equal("InvalidLoginProfile", entries[1].Error!.Code);
    }

    [Fact]
    public void A_plain_password_is_read_never_shown_and_masked_in_a_change()
    {
        File.WriteAllText(ConfigPath, $"[profile prod]\nawslogin_saml_provider = ecp\nawslogin_saml_endpoint_url = {Ecp}\nawslogin_saml_password = hunter2-plain\n");

        var profile = SamlLoginProfileStore.Get(ProfileStore.Load(Environment), "prod");
        var (change, _) = SamlLoginProfileStore.PlanSet(Environment, "prod", new SamlLoginProfilePatch { UserName = "alice" }, "pwsh", force: false);

        Assert.Equal("hunter2-plain", profile.PlainPassword);
        Assert.DoesNotContain("hunter2-plain", profile.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-plain", change.Describe(), StringComparison.Ordinal);
        Assert.Contains("hunter2-plain", change.NewText, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_provider_gets_its_own_options_and_a_silent_browser_runs_headless_for_a_short_while()
    {
        var services = SamlSignInServices.Silent with { CredentialProvider = (_, _, _) => System.Threading.Tasks.Task.FromResult<AwsLogin.Engine.Saml.IdpCredential?>(null) };
        var ecp = SamlSignIn.CreateOptions(new SamlLoginProfile("p", SamlProviderKind.Ecp, new Uri(Ecp)) { Factor = "sms", DuoPasscodeHeader = "X-P", UserName = "alice" }, services);
        var adfs = SamlSignIn.CreateOptions(new SamlLoginProfile("p", SamlProviderKind.Adfs, new Uri("https://adfs.example.com")) { UseDefaultCredentials = true }, services);
        var okta = SamlSignIn.CreateOptions(new SamlLoginProfile("p", SamlProviderKind.Okta, new Uri("https://org.okta.com/home/amazon_aws/0oa1/272")) { Factor = "totp" }, services);
        var browserSettings = new SamlLoginProfile("p", SamlProviderKind.Browser, new Uri("https://idp.example.com/start")) { BrowserPath = "/usr/bin/chromium", SkipCertificateCheck = true };
        var browser = SamlSignIn.CreateOptions(browserSettings, services);
        var silentBrowser = SamlSignIn.CreateOptions(browserSettings, SamlSignInServices.Silent);

        var duo = Assert.IsType<AwsLogin.Engine.Saml.Ecp.EcpProviderOptions>(ecp);
        Assert.Equal((AwsLogin.Engine.Saml.Ecp.DuoFactor.Sms, "X-P", "alice", "p"), (duo.Factor!.Value, duo.DuoPasscodeHeader, duo.UserName, duo.ProfileName));
        Assert.True(Assert.IsType<AwsLogin.Engine.Saml.Adfs.AdfsProviderOptions>(adfs).UseDefaultCredentials);
        Assert.Equal(AwsLogin.Engine.Saml.Okta.OktaFactor.Totp, Assert.IsType<AwsLogin.Engine.Saml.Okta.OktaProviderOptions>(okta).Factor);
        var windowed = Assert.IsType<AwsLogin.Engine.Saml.Browser.BrowserProviderOptions>(browser);
        Assert.Equal(("/usr/bin/chromium", false, true, TimeSpan.FromMinutes(3)), (windowed.BrowserPath, windowed.Headless, windowed.SkipCertificateCheck, windowed.Timeout));
        var silent = Assert.IsType<AwsLogin.Engine.Saml.Browser.BrowserProviderOptions>(silentBrowser);
        Assert.Equal((true, SamlSignIn.SilentBrowserTimeout), (silent.Headless, silent.Timeout));
    }

    private void SetProd(SamlLoginProfilePatch patch)
    {
        var (change, _) = SamlLoginProfileStore.PlanSet(Environment, "prod", patch, "pwsh", force: false);
        ConfigFileEditor.Apply(change);
    }
}
