using System;
using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Sources;

/// <summary>
/// Endpoint URL precedence as the AWS SDKs apply it: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, the profile's
/// services section, the profile's endpoint_url; AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns them all off.
/// </summary>
public sealed class ServiceEndpointResolverTests
{
    private const string Config =
        "[profile dev]\nendpoint_url = http://profile.example:1/\nservices = local\n" +
        "[services local]\nsts =\n  endpoint_url = http://services.example:2/\nsso =\n  endpoint_url = http://sso.example:5/\n" +
        "[profile plain]\nendpoint_url = http://plain.example:6/\n" +
        "[profile ignoring]\nendpoint_url = http://ignored.example:7/\nignore_configured_endpoint_urls = true\n" +
        "[profile nosts]\nservices = ssoonly\n[services ssoonly]\nsso =\n  endpoint_url = http://sso.example:5/\n";

    private static readonly ProfileStore s_store = ProfileStore.FromText(Config, null);

    private static Uri? Resolve(string? profileName, params (string Name, string Value)[] variables) =>
        Resolve(ServiceEndpointResolver.Sts, profileName, variables);

    private static Uri? Resolve(ServiceId service, string? profileName, params (string Name, string Value)[] variables)
    {
        var environment = new DictionaryEnvironment();
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        var profile = profileName is null ? null : s_store.GetProfileOrThrow(profileName);
        return ServiceEndpointResolver.Resolve(service, profile, s_store, environment);
    }

    [Fact]
    public void AWS_ENDPOINT_URL_STS_wins_over_everything()
    {
        var uri = Resolve("dev", ("AWS_ENDPOINT_URL_STS", "http://sts-env.example:3/"), ("AWS_ENDPOINT_URL", "http://env.example:4/"));

        Assert.Equal(new Uri("http://sts-env.example:3/"), uri);
    }

    [Fact]
    public void AWS_ENDPOINT_URL_wins_over_the_profile()
    {
        Assert.Equal(new Uri("http://env.example:4/"), Resolve("dev", ("AWS_ENDPOINT_URL", "http://env.example:4/")));
    }

    [Fact]
    public void The_services_section_wins_over_the_profile_endpoint_url()
    {
        Assert.Equal(new Uri("http://services.example:2/"), Resolve("dev"));
    }

    [Fact]
    public void The_profile_endpoint_url_applies_without_a_services_entry_for_the_service()
    {
        Assert.Equal(new Uri("http://plain.example:6/"), Resolve("plain"));
        Assert.Null(Resolve("nosts"));
    }

    [Fact]
    public void Each_service_reads_its_own_variable_and_services_key()
    {
        Assert.Equal(new Uri("http://sso.example:5/"), Resolve(ServiceEndpointResolver.Sso, "dev"));
        Assert.Equal(new Uri("http://profile.example:1/"), Resolve(ServiceEndpointResolver.SsoOidc, "dev"));
        Assert.Equal(new Uri("http://oidc.example:8/"), Resolve(ServiceEndpointResolver.SsoOidc, "dev", ("AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc.example:8/"), ("AWS_ENDPOINT_URL_STS", "http://sts-env.example:3/")));
        Assert.Equal(new Uri("http://services.example:2/"), Resolve("dev", ("AWS_ENDPOINT_URL_SSO", "http://sso-env.example:9/")));
    }

    [Fact]
    public void Without_any_setting_the_endpoint_is_AWS_own()
    {
        Assert.Null(Resolve(null));
        Assert.Null(Resolve("nosts"));
    }

    [Fact]
    public void Without_a_profile_the_environment_still_applies()
    {
        Assert.Equal(new Uri("http://env.example:4/"), Resolve(null, ("AWS_ENDPOINT_URL", "http://env.example:4/")));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData(" True ")]
    public void AWS_IGNORE_CONFIGURED_ENDPOINT_URLS_turns_every_setting_off(string value)
    {
        var uri = Resolve("dev", ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", value), ("AWS_ENDPOINT_URL_STS", "http://sts-env.example:3/"), ("AWS_ENDPOINT_URL", "http://env.example:4/"));

        Assert.Null(uri);
    }

    [Fact]
    public void AWS_IGNORE_CONFIGURED_ENDPOINT_URLS_false_changes_nothing()
    {
        Assert.Equal(new Uri("http://services.example:2/"), Resolve("dev", ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false")));
    }

    [Fact]
    public void The_profile_setting_ignore_configured_endpoint_urls_turns_every_setting_off()
    {
        Assert.Null(Resolve("ignoring", ("AWS_ENDPOINT_URL_STS", "http://sts-env.example:3/")));
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://example.com/")]
    [InlineData("/relative/path")]
    public void A_configured_value_that_is_not_an_http_url_is_InvalidEndpointUrl(string value)
    {
        var exception = Assert.Throws<AwsLoginException>(() => Resolve("dev", ("AWS_ENDPOINT_URL_STS", value)));

        Assert.Equal("InvalidEndpointUrl", exception.Code);
        Assert.Equal(FailureKind.InvalidConfiguration, exception.Kind);
        Assert.Equal("dev", exception.Target);
    }

    [Fact]
    public void Surrounding_whitespace_is_trimmed_and_https_is_accepted()
    {
        Assert.Equal(new Uri("https://sts.example.com/"), Resolve(null, ("AWS_ENDPOINT_URL_STS", "  https://sts.example.com/  ")));
    }
}
