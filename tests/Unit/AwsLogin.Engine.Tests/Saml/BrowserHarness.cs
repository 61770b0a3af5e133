using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Browser;
using AwsLogin.Engine.Tests.Sts;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>The real Chromium the browser tests start (installed once where missing); a failure, never a skip, when unavailable.</summary>
public sealed class ChromiumFixture
{
    public ChromiumFixture()
    {
        Path = Chromium.Path;
    }

    public string Path { get; }
}

/// <summary>
/// The fake browser IdP registered with a fake STS as two IAM SAML providers, the user alice granted three roles, and
/// the engine's private world from <see cref="BrokerHarness"/>. Disposing kills any browser a failed test left running.
/// </summary>
internal sealed class BrowserHarness : IAsyncDisposable
{
    public const string UserName = SamlHarness.UserName;
    public const string Password = SamlHarness.Password;

    private readonly string _browser;

    private BrowserHarness(BrokerHarness world, FakeBrowserIdp idp, string browser)
    {
        World = world;
        Idp = idp;
        _browser = browser;
    }

    public BrokerHarness World { get; }

    public FakeBrowserIdp Idp { get; }

    public FakeSts Sts => World.Fake;

    public RecordingLog Log => World.Log;

    /// <summary>The default browser profile folder of profile "default" for the fake IdP.</summary>
    public string ProfileDirectory => BrowserSamlProvider.DefaultProfileDirectory(World.HomePath, "default", Idp.StartUrl);

    public static async Task<BrowserHarness> StartAsync(string browser)
    {
        var world = await BrokerHarness.StartAsync();
        var idp = await FakeBrowserIdp.StartAsync();
        idp.RegisterWith(world.Fake, SamlHarness.ProviderA);
        idp.RegisterWith(world.Fake, SamlHarness.ProviderB);
        idp.AddUser(UserName, Password, new[]
        {
            SamlHarness.Role(SamlHarness.Admin, SamlHarness.ProviderA),
            SamlHarness.Role(SamlHarness.Reader, SamlHarness.ProviderA),
            SamlHarness.Role(SamlHarness.Deploy, SamlHarness.ProviderB),
        });
        return new BrowserHarness(world, idp, browser);
    }

    public BrowserProviderOptions Options() => new(Idp.StartUrl)
    {
        BrowserPath = _browser,
        Headless = true,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public ISamlAssertionProvider Provider(BrowserProviderOptions options) => SamlProviders.Create(options, World.Context());

    public Task<IReadOnlyList<CredentialSet>> GetAsync(BrowserProviderOptions options, Func<SamlCredentialRequest, SamlCredentialRequest>? shape = null)
    {
        var request = new SamlCredentialRequest(Provider(options));
        return new SamlCredentialBroker(World.Context()).GetCredentialsAsync(shape is null ? request : shape(request), CancellationToken.None);
    }

    public async Task<AwsLoginException> FailAsync(BrowserProviderOptions options, Func<SamlCredentialRequest, SamlCredentialRequest>? shape = null)
    {
        var exception = await Assert.ThrowsAsync<AwsLoginException>(() => GetAsync(options, shape));
        AssertNoSecrets(exception);
        return exception;
    }

    public IReadOnlyList<StsCall> SamlCalls => Sts.Calls.Where(call => call.Action == "AssumeRoleWithSAML").ToArray();

    /// <summary>Every secret of this world: STS secrets, the password and every assertion issued (whole, its start, its signature and IDs).</summary>
    public IEnumerable<string> Secrets() => World.Secrets().Concat(SignInSecrets());

    /// <summary>The password and every assertion issued (whole, its start, its signature and IDs).</summary>
    public IEnumerable<string> SignInSecrets()
    {
        yield return Password;
        foreach (var fingerprint in SecretScan.Assertions(Idp.IssuedAssertions))
        {
            yield return fingerprint;
        }
    }

    public void AssertNoSecrets(AwsLoginException exception) => SecretScan.AssertClean(exception, Log.Messages, Secrets());

    public void AssertLogClean() => SecretScan.AssertClean(Log.Messages, Secrets());

    /// <summary>
    /// No assertion or password in any file under the AwsLogin home, the browser profile included (role credentials are
    /// cached by design): as text, form-encoded, and in UTF-16 (how the browser keeps page state).
    /// </summary>
    public void AssertNoSecretsOnDisk()
    {
        var secrets = SignInSecrets().SelectMany(secret => new[] { secret, Uri.EscapeDataString(secret), System.Net.WebUtility.UrlEncode(secret) }).Distinct().ToArray();
        foreach (var file in Directory.GetFiles(World.HomePath, "*", SearchOption.AllDirectories))
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (IOException)
            {
                continue;
            }

            var texts = new[]
            {
                System.Text.Encoding.Latin1.GetString(bytes),
                System.Text.Encoding.Unicode.GetString(bytes),
                bytes.Length > 1 ? System.Text.Encoding.Unicode.GetString(bytes, 1, bytes.Length - 1) : string.Empty,
            };
            foreach (var secret in secrets)
            {
                Assert.False(texts.Any(text => text.Contains(secret, StringComparison.Ordinal)), $"A secret was written to {file}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Chromium.KillProcessesUsing(ProfileDirectory);
        await Idp.DisposeAsync();
        await World.DisposeAsync();
    }
}
