using System.Runtime.InteropServices;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sso;
using Xunit;

namespace AwsLogin.Engine.Tests.Sso;

/// <summary>Which IAM Identity Center instance a command means, and which sign-in flow it gets.</summary>
public sealed class SsoTargetTests
{
    private const string Config =
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n" +
        "[sso-session lab]\nsso_start_url = https://lab.awsapps.com/start\nsso_region = us-east-2\nsso_registration_scopes = sso:account:access\nawslogin_sso_flow = device_code\n" +
        "[sso-session empty-scopes]\nsso_start_url = https://e.awsapps.com/start\nsso_region = us-east-1\nsso_registration_scopes =\n" +
        "[sso-session broken]\nsso_start_url = https://b.awsapps.com/start\n" +
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n" +
        "[profile pkce]\nsso_session = lab\nawslogin_sso_flow = authorization_code\n" +
        "[profile legacy]\nsso_start_url = https://old.awsapps.com/start\nsso_region = ap-southeast-2\n" +
        "[profile orphan]\nsso_session = nosuch\n" +
        "[profile plain]\nregion = us-east-1\n";

    [Fact]
    public void An_sso_session_gives_its_start_url_region_and_scopes()
    {
        var corp = Resolve(new SsoTokenSource { SessionName = "corp" });
        var lab = Resolve(new SsoTokenSource { SessionName = "lab" });
        var empty = Resolve(new SsoTokenSource { SessionName = "empty-scopes" });

        Assert.Equal(("corp", "https://corp.awsapps.com/start", "eu-west-1"), (corp.SessionName, corp.StartUrl, corp.Region));
        Assert.Null(corp.RegistrationScopes);
        Assert.Equal(new[] { "sso:account:access" }, lab.RegistrationScopes);
        Assert.NotNull(empty.RegistrationScopes);
        Assert.Empty(empty.RegistrationScopes!);
        Assert.Equal(SsoSignInFlow.DeviceCode, lab.PreferredFlow);
        Assert.Null(corp.PreferredFlow);
        Assert.Equal(SsoTokenCache.TokenKey("corp", corp.StartUrl), corp.TokenKey);
    }

    [Fact]
    public void A_profile_leads_to_its_sso_session_and_its_own_flow_setting_wins()
    {
        var dev = Resolve(new SsoTokenSource { ProfileName = "dev" });
        var pkce = Resolve(new SsoTokenSource { ProfileName = "pkce" });
        var legacy = Resolve(new SsoTokenSource { ProfileName = "legacy" });

        Assert.Equal("corp", dev.SessionName);
        Assert.Equal("dev", dev.Profile!.Name);
        Assert.Equal(SsoSignInFlow.AuthorizationCode, pkce.PreferredFlow);
        Assert.Null(legacy.SessionName);
        Assert.Equal(("https://old.awsapps.com/start", "ap-southeast-2"), (legacy.StartUrl, legacy.Region));
        Assert.Equal(SsoTokenCache.TokenKey(null, "https://old.awsapps.com/start"), legacy.TokenKey);
    }

    [Fact]
    public void A_start_url_alone_is_a_legacy_target_whose_region_may_come_later()
    {
        var target = Resolve(new SsoTokenSource { StartUrl = "https://x.awsapps.com/start" });
        var withRegion = Resolve(new SsoTokenSource { StartUrl = "https://x.awsapps.com/start", Region = "ca-central-1" });
        var overridden = Resolve(new SsoTokenSource { SessionName = "corp", Region = "us-west-2" });

        Assert.Null(target.Region);
        Assert.Equal("ca-central-1", withRegion.Region);
        Assert.Equal("us-west-2", overridden.Region);
        Assert.Equal("SsoRegionRequired", Fail(new SsoTokenSource { StartUrl = "https://x.awsapps.com/start" }, requireRegion: true).Code);
    }

    [Fact]
    public void Without_a_name_the_aws_profile_then_the_only_sso_session_is_used()
    {
        var viaProfile = Resolve(new SsoTokenSource(), config: Config, ("AWS_PROFILE", "dev"));
        var only = Resolve(new SsoTokenSource(), config: "[sso-session solo]\nsso_start_url = https://s.awsapps.com/start\nsso_region = us-east-1\n");
        var several = Fail(new SsoTokenSource(), config: Config);

        Assert.Equal("dev", viaProfile.Profile!.Name);
        Assert.Equal("solo", only.SessionName);
        Assert.Equal("SsoTargetRequired", several.Code);
        Assert.Contains("corp", several.Message);
    }

    [Theory]
    [InlineData("nosuch-session", null, "SsoSessionNotFound", FailureKind.NotFound)]
    [InlineData(null, "orphan", "SsoSessionNotFound", FailureKind.InvalidConfiguration)]
    [InlineData("broken", null, "InvalidProfileConfiguration", FailureKind.InvalidConfiguration)]
    [InlineData(null, "plain", "InvalidProfileConfiguration", FailureKind.InvalidConfiguration)]
    [InlineData(null, "nosuch-profile", "ProfileNotFound", FailureKind.NotFound)]
    [InlineData("corp", "dev", "SsoConflictingSources", FailureKind.InvalidArgument)]
    public void Broken_or_missing_settings_are_specific_errors(string? session, string? profile, string code, FailureKind kind)
    {
        var error = Fail(new SsoTokenSource { SessionName = session, ProfileName = profile });

        Assert.Equal(code, error.Code);
        Assert.Equal(kind, error.Kind);
    }

    [Theory]
    [InlineData("corp.awsapps.com/start")]
    [InlineData("ftp://corp.awsapps.com/start")]
    [InlineData("not a url")]
    public void A_start_url_must_be_an_http_url(string startUrl)
    {
        Assert.Equal("SsoInvalidStartUrl", Fail(new SsoTokenSource { StartUrl = startUrl }).Code);
    }

    [Fact]
    public void A_bad_flow_setting_is_a_configuration_error()
    {
        var error = Fail(new SsoTokenSource { SessionName = "x" }, config: "[sso-session x]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\nawslogin_sso_flow = carrier-pigeon\n");

        Assert.Equal("InvalidProfileConfiguration", error.Code);
    }

    [Fact]
    public void The_device_code_flow_is_chosen_when_asked_configured_or_where_no_browser_can_help()
    {
        var desktop = new DictionaryEnvironment { ["DISPLAY"] = ":0" };
        var ssh = new DictionaryEnvironment { ["DISPLAY"] = ":0", ["SSH_CONNECTION"] = "10.0.0.1 50000 10.0.0.2 22" };

        Assert.Equal(SsoSignInFlow.AuthorizationCode, SsoSignIn.ChooseFlow(false, null, false, false, desktop, out var none));
        Assert.Equal(SsoSignInFlow.DeviceCode, SsoSignIn.ChooseFlow(false, null, true, true, desktop, out var legacy));
        Assert.NotNull(legacy);
        Assert.Equal(SsoSignInFlow.AuthorizationCode, SsoSignIn.ChooseFlow(false, SsoSignInFlow.AuthorizationCode, true, true, desktop, out _));
        Assert.Null(none);
        Assert.Equal(SsoSignInFlow.DeviceCode, SsoSignIn.ChooseFlow(true, SsoSignInFlow.AuthorizationCode, false, true, desktop, out _));
        Assert.Equal(SsoSignInFlow.DeviceCode, SsoSignIn.ChooseFlow(false, SsoSignInFlow.DeviceCode, false, false, desktop, out var configured));
        Assert.Contains("awslogin_sso_flow", configured);
        Assert.Equal(SsoSignInFlow.AuthorizationCode, SsoSignIn.ChooseFlow(false, SsoSignInFlow.AuthorizationCode, false, false, ssh, out _));
        Assert.Equal(SsoSignInFlow.DeviceCode, SsoSignIn.ChooseFlow(false, null, false, false, ssh, out var overSsh));
        Assert.Contains("SSH", overSsh);

        // A browser command (-Browser, AWSLOGIN_BROWSER) is taken to work even without a display.
        Assert.Equal(SsoSignInFlow.AuthorizationCode, SsoSignIn.ChooseFlow(false, null, false, true, ssh, out _));
    }

    [Fact]
    public void On_linux_no_display_means_no_browser()
    {
        var headless = new DictionaryEnvironment();
        var wayland = new DictionaryEnvironment { ["WAYLAND_DISPLAY"] = "wayland-0" };

        var expected = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
        Assert.Equal(expected, BrowserEnvironment.CanOpenBrowser(headless, out var reason));
        Assert.Equal(expected ? SsoSignInFlow.AuthorizationCode : SsoSignInFlow.DeviceCode, SsoSignIn.ChooseFlow(false, null, false, false, headless, out _));
        Assert.True(BrowserEnvironment.CanOpenBrowser(wayland, out _));
        if (!expected)
        {
            Assert.Contains("DISPLAY", reason);
        }
    }

    private static SsoTarget Resolve(SsoTokenSource source, string config = Config, params (string Name, string Value)[] variables) =>
        new SsoTargetResolver(ProfileStore.FromText(config, null), Environment(variables)).Resolve(source, requireRegion: false);

    private static AwsLoginException Fail(SsoTokenSource source, string config = Config, bool requireRegion = false) =>
        Assert.Throws<AwsLoginException>(() => new SsoTargetResolver(ProfileStore.FromText(config, null), new DictionaryEnvironment()).Resolve(source, requireRegion));

    private static DictionaryEnvironment Environment((string Name, string Value)[] variables)
    {
        var environment = new DictionaryEnvironment();
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return environment;
    }
}
