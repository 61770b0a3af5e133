using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Threading.Tasks;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Where the build put the browser stand-in; stamped in by the csproj.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class TestBrowserPathAttribute : Attribute
{
    public TestBrowserPathAttribute(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static string Current => typeof(TestBrowserPathAttribute).Assembly.GetCustomAttribute<TestBrowserPathAttribute>()!.Path;

    /// <summary>The program the build made next to the assembly (the apphost), which a browser launcher can start directly.</summary>
    public static string Executable => System.IO.Path.ChangeExtension(Current, OperatingSystem.IsWindows() ? ".exe" : null);
}

/// <summary>
/// The fake AWS world plus a fake IAM Identity Center: HOME is the test's temp folder (so ~/.aws/sso/cache is
/// private), the SSO endpoints point at the fake, the config has an sso-session "corp" and an SSO profile "dev",
/// and the module's browser command (AWSLOGIN_BROWSER) is the browser stand-in, which logs every URL it opens.
/// </summary>
public abstract class SsoTestBase : IAsyncLifetime
{
    protected const string Account = "123456789012";
    protected const string Role = "ReadOnlyAccess";

    protected AwsTestEnvironment _aws = null!;
    protected FakeIdentityCenter _sso = null!;
    protected PowerShellSession _shell = null!;

    protected string Home => _aws.Root;

    protected string SsoCacheDirectory => Path.Combine(Home, ".aws", "sso", "cache");

    /// <summary>~/.aws/sso/cache/&lt;sha1 of "corp"&gt;.json.</summary>
    protected string CorpTokenPath => Path.Combine(SsoCacheDirectory, Sha1("corp") + ".json");

    protected string BrowserLog => Path.Combine(Home, "browser.log");

    public virtual async Task InitializeAsync()
    {
        _aws = await AwsTestEnvironment.StartAsync();
        _sso = await FakeIdentityCenter.StartAsync(_aws.Sts);
        _sso.AddAccount(Account, "Production", "prod@example.com");
        _sso.AssignRole(Account, Role);
        _aws.Set("HOME", Home);
        _aws.Set("USERPROFILE", Home);
        _aws.Set("AWS_ENDPOINT_URL_SSO", _sso.Endpoint.ToString());
        _aws.Set("AWS_ENDPOINT_URL_SSO_OIDC", _sso.Endpoint.ToString());
        _aws.Set("AWSLOGIN_BROWSER", TestBrowserPathAttribute.Executable);
        _aws.Set("AWSLOGIN_TEST_BROWSER_LOG", BrowserLog);
        _aws.Set("AWSLOGIN_TEST_BROWSER_MODE", null);
        foreach (var name in new[] { "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY" })
        {
            _aws.Set(name, null);
        }

        _aws.WriteConfig(
            $"[sso-session corp]\nsso_start_url = {_sso.StartUrl}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n\n" +
            $"[profile dev]\nsso_session = corp\nsso_account_id = {Account}\nsso_role_name = {Role}\nregion = eu-west-1\n\n" +
            "[profile base]\nregion = us-east-1\n");
        _shell = new PowerShellSession();
    }

    public virtual async Task DisposeAsync()
    {
        _shell.Dispose();
        await _sso.DisposeAsync();
        await _aws.DisposeAsync();
    }

    protected static string Sha1(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>Writes a token as `aws sso login` would leave it (seeded in the fake, without HTTP).</summary>
    protected SsoSeededSignIn SeedCachedToken(bool withRefreshToken = true, TimeSpan? accessTokenLifetime = null, string? path = null)
    {
        var seeded = _sso.SeedSignIn(withRefreshToken: withRefreshToken, accessTokenLifetime: accessTokenLifetime);
        Directory.CreateDirectory(SsoCacheDirectory);
        File.WriteAllText(path ?? CorpTokenPath,
            "{\"startUrl\": \"" + _sso.StartUrl + "\", \"region\": \"us-east-1\", \"accessToken\": \"" + seeded.AccessToken + "\", " +
            "\"expiresAt\": \"" + Utc(seeded.AccessTokenExpiresAt) + "\", \"clientId\": \"" + seeded.ClientId + "\", " +
            "\"clientSecret\": \"" + seeded.ClientSecret + "\", \"registrationExpiresAt\": \"" + Utc(seeded.RegistrationExpiresAt) + "\"" +
            (seeded.RefreshToken is null ? string.Empty : ", \"refreshToken\": \"" + seeded.RefreshToken + "\"") + "}");
        return seeded;
    }

    protected string[] BrowserVisits() => File.Exists(BrowserLog) ? File.ReadAllLines(BrowserLog) : Array.Empty<string>();

    protected static void AssertError(RunResult result, string errorId, string command, ErrorCategory category, string? target = null)
    {
        var error = result.SingleError;
        Assert.Equal(errorId + "," + command, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        if (target is not null)
        {
            Assert.Equal(target, error.TargetObject?.ToString());
        }

        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction), errorId + " has no recommended action.");
    }

    private static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
