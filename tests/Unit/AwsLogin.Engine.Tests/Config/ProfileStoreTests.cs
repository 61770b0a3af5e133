using System.IO;
using System.Text;
using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

public sealed class ProfileStoreTests
{
    [Fact]
    public void ProfileNames_lists_config_profiles_in_file_order_then_credentials_only_ones()
    {
        var store = ProfileStore.FromText(
            "[profile zeta]\n[sso-session corp]\nsso_start_url = https://x\n[default]\n[services local]\n[preview]\n[profile alpha]\n[profile \"with space\"]\n[profile too many words]\n[profile]\n",
            "[alpha]\n[gamma]\n[default]\n[beta]\n");

        Assert.Equal(new[] { "zeta", "default", "alpha", "with space", "gamma", "beta" }, store.ProfileNames);
        Assert.Equal(new[] { "corp" }, store.SsoSessionNames);
        Assert.False(store.TryGetProfile("preview", out _));
        Assert.False(store.TryGetProfile("corp", out _));
    }

    [Fact]
    public void Credentials_file_keys_win_over_config_keys_key_by_key()
    {
        var store = ProfileStore.FromText(
            "[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIACONFIG\naws_secret_access_key = config-secret\n",
            "[dev]\naws_access_key_id = AKIACREDENTIALS\naws_secret_access_key = credentials-secret\n");

        var dev = store.GetProfileOrThrow("dev");

        Assert.Equal("AKIACREDENTIALS", dev.AccessKeyId);
        Assert.Equal("credentials-secret", dev.SecretAccessKey);
        Assert.Equal("eu-west-1", dev.Region);
        Assert.True(dev.InConfigFile);
        Assert.True(dev.InCredentialsFile);
    }

    [Fact]
    public void Profile_default_and_default_are_the_same_profile_and_the_later_section_replaces_the_earlier()
    {
        var store = ProfileStore.FromText("[default]\nregion = us-east-1\noutput = json\n[profile default]\nregion = us-west-2\n", null);

        var profile = store.GetProfileOrThrow("default");

        Assert.Equal(new[] { "default" }, store.ProfileNames);
        Assert.Equal("us-west-2", profile.Region);
        Assert.Null(profile.Get("output"));
    }

    [Fact]
    public void A_DEFAULT_section_supplies_keys_to_every_section_of_its_file_and_is_not_a_profile()
    {
        var store = ProfileStore.FromText("[DEFAULT]\nregion = eu-north-1\n[profile a]\n[profile b]\nregion = us-east-1\n", "[DEFAULT]\noutput = text\n[c]\n");

        Assert.Equal(new[] { "a", "b", "c" }, store.ProfileNames);
        Assert.Equal("eu-north-1", store.GetProfileOrThrow("a").Region);
        Assert.Equal("us-east-1", store.GetProfileOrThrow("b").Region);
        Assert.Equal("text", store.GetProfileOrThrow("c").Get("output"));
        Assert.Null(store.GetProfileOrThrow("a").Get("output"));
        Assert.Null(store.GetProfileOrThrow("c").Region);
    }

    [Fact]
    public void Profile_helpers_read_their_keys()
    {
        var store = ProfileStore.FromText(
            "[profile full]\n" +
            "Region = eu-west-1\n" +
            "role_arn = arn:aws:iam::123456789012:role/R\n" +
            "source_profile = base\n" +
            "credential_source = Environment\n" +
            "external_id = ext\n" +
            "role_session_name = me\n" +
            "mfa_serial = arn:aws:iam::123456789012:mfa/me\n" +
            "duration_seconds = 7200\n" +
            "credential_process = /bin/creds --json\n" +
            "sso_session = corp\n" +
            "sso_start_url = https://corp.awsapps.com/start\n" +
            "sso_region = us-east-1\n" +
            "sso_account_id = 111122223333\n" +
            "sso_role_name = Admin\n" +
            "endpoint_url = http://127.0.0.1:4566\n" +
            "services = local\n" +
            "aws_account_id = 111122223333\n" +
            "aws_session_token = new-token\n" +
            "s3 =\n  addressing_style = path\n",
            null);

        var p = store.GetProfileOrThrow("full");

        Assert.Equal("full", p.Name);
        Assert.Equal("eu-west-1", p.Region);
        Assert.Equal("arn:aws:iam::123456789012:role/R", p.RoleArn);
        Assert.Equal("base", p.SourceProfile);
        Assert.Equal("Environment", p.CredentialSource);
        Assert.Equal("ext", p.ExternalId);
        Assert.Equal("me", p.RoleSessionName);
        Assert.Equal("arn:aws:iam::123456789012:mfa/me", p.MfaSerial);
        Assert.Equal(7200, p.DurationSeconds);
        Assert.Equal("/bin/creds --json", p.CredentialProcess);
        Assert.Equal("corp", p.SsoSession);
        Assert.Equal("https://corp.awsapps.com/start", p.SsoStartUrl);
        Assert.Equal("us-east-1", p.SsoRegion);
        Assert.Equal("111122223333", p.SsoAccountId);
        Assert.Equal("Admin", p.SsoRoleName);
        Assert.Equal("http://127.0.0.1:4566", p.EndpointUrl);
        Assert.Equal("local", p.Services);
        Assert.Equal("111122223333", p.AccountId);
        Assert.Equal("new-token", p.SessionToken);
        Assert.Null(p.AccessKeyId);
        Assert.False(p.HasStaticCredentials);
        Assert.Equal("path", p.GetNested("s3")!["addressing_style"]);
        Assert.True(p.Values.ContainsKey("region"));
        Assert.False(p.Values.ContainsKey("Region"));
        Assert.Equal("full", p.ToString());
    }

    [Fact]
    public void SessionToken_prefers_the_legacy_aws_security_token_as_botocore_does()
    {
        var store = ProfileStore.FromText(null, "[a]\naws_session_token = new\naws_security_token = legacy\n");

        Assert.Equal("legacy", store.GetProfileOrThrow("a").SessionToken);
    }

    [Fact]
    public void DurationSeconds_that_is_not_a_number_is_a_configuration_error()
    {
        var store = ProfileStore.FromText("[profile a]\nduration_seconds = one hour\n", null);

        var error = Assert.Throws<AwsLoginException>(() => store.GetProfileOrThrow("a").DurationSeconds);

        Assert.Equal(FailureKind.InvalidConfiguration, error.Kind);
        Assert.Equal("InvalidDurationSeconds", error.Code);
        Assert.Equal("a", error.Target);
    }

    [Fact]
    public void Empty_values_read_as_absent()
    {
        var store = ProfileStore.FromText("[profile a]\nregion =\n", null);

        Assert.Null(store.GetProfileOrThrow("a").Region);
        Assert.Equal(string.Empty, store.GetProfileOrThrow("a").Values["region"]);
    }

    [Fact]
    public void TryGetSsoSession_reads_the_sso_session_section()
    {
        var store = ProfileStore.FromText("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_registration_scopes = sso:account:access, codewhisperer:completions ,\n", null);

        Assert.True(store.TryGetSsoSession("corp", out var session));
        Assert.Equal("https://corp.awsapps.com/start", session!.StartUrl);
        Assert.Equal("eu-west-1", session.Region);
        Assert.Equal(new[] { "sso:account:access", "codewhisperer:completions" }, session.RegistrationScopes);
        Assert.False(store.TryGetSsoSession("other", out _));
    }

    [Fact]
    public void TryGetServicesSection_returns_the_nested_settings_per_service()
    {
        var store = ProfileStore.FromText("[services local]\nSTS =\n  endpoint_url = http://127.0.0.1:5000\nsso_oidc =\n  endpoint_url = http://127.0.0.1:5001\nflat = ignored\n", null);

        Assert.True(store.TryGetServicesSection("local", out var services));
        Assert.Equal(new[] { "sts", "sso_oidc" }, services!.Keys);
        Assert.Equal("http://127.0.0.1:5000", services["sts"]["endpoint_url"]);
        Assert.Equal("http://127.0.0.1:5001", store.GetServiceEndpointUrl("local", "sso_oidc"));
        Assert.Null(store.GetServiceEndpointUrl("local", "sso"));
        Assert.Null(store.GetServiceEndpointUrl("missing", "sts"));
    }

    [Fact]
    public void GetProfileOrThrow_names_both_files_and_never_shows_their_content()
    {
        var store = ProfileStore.FromText("[profile a]\n", "[b]\naws_secret_access_key = TOPSECRETVALUE\n", "/home/u/.aws/config", "/home/u/.aws/credentials");

        var error = Assert.Throws<AwsLoginException>(() => store.GetProfileOrThrow("missing"));

        Assert.Equal(FailureKind.NotFound, error.Kind);
        Assert.Equal("ProfileNotFound", error.Code);
        Assert.Equal("missing", error.Target);
        Assert.Contains("/home/u/.aws/config", error.Message);
        Assert.Contains("/home/u/.aws/credentials", error.Message);
        Assert.DoesNotContain("TOPSECRETVALUE", error.Message + error.RecommendedAction);
        Assert.Contains("list-profiles", error.RecommendedAction);
    }

    [Fact]
    public void Profile_names_are_case_sensitive()
    {
        var store = ProfileStore.FromText("[profile Dev]\n", null);

        Assert.True(store.TryGetProfile("Dev", out _));
        Assert.False(store.TryGetProfile("dev", out _));
    }

    [Fact]
    public void Load_reads_the_files_the_environment_names_and_treats_missing_files_as_empty()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("cfg"), "[profile fromfile]\nregion = eu-west-3\n");
        var environment = new DictionaryEnvironment
        {
            ["HOME"] = folder.Path,
            [SharedConfigFiles.ConfigFileVariable] = folder.File("cfg"),
            [SharedConfigFiles.CredentialsFileVariable] = folder.File("missing-credentials"),
        };

        var store = ProfileStore.Load(environment);

        Assert.Equal(new[] { "fromfile" }, store.ProfileNames);
        Assert.Equal("eu-west-3", store.GetProfileOrThrow("fromfile").Region);
        Assert.Equal(folder.File("cfg"), store.ConfigPath);
        Assert.Equal(folder.File("missing-credentials"), store.CredentialsPath);
    }

    [Fact]
    public void Load_reads_a_file_with_a_bom()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("config"), "[default]\nregion = us-east-2\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var store = ProfileStore.Load(new SharedConfigFiles(folder.File("config"), folder.File("credentials")));

        Assert.Equal("us-east-2", store.GetProfileOrThrow("default").Region);
    }

    [Fact]
    public void Load_refuses_a_file_that_is_not_utf8()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("config"), new byte[] { (byte)'[', (byte)'a', (byte)']', (byte)'\n', 0xFF, 0xFE, (byte)'\n' });

        var error = Assert.Throws<AwsLoginException>(() => ProfileStore.Load(new SharedConfigFiles(folder.File("config"), folder.File("credentials"))));

        Assert.Equal(FailureKind.FileError, error.Kind);
        Assert.Equal("ConfigFileNotUtf8", error.Code);
        Assert.Equal(folder.File("config"), error.Target);
    }

    [Theory]
    [InlineData("default", "default")]
    [InlineData("dev", "profile dev")]
    [InlineData("my profile", "profile \"my profile\"")]
    [InlineData("it's", "profile \"it's\"")]
    [InlineData("a\"b\\c", "profile \"a\\\"b\\\\c\"")]
    public void ConfigSectionName_round_trips_through_the_profile_mapping(string profileName, string expected)
    {
        var section = ProfileStore.ConfigSectionName(profileName);
        var store = ProfileStore.FromText("[" + section + "]\nregion = r\n", null);

        Assert.Equal(expected, section);
        Assert.Equal(new[] { profileName }, store.ProfileNames);
    }
}
