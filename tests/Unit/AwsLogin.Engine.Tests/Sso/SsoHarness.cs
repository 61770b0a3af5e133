using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sso;
using AwsLogin.TestServers;

namespace AwsLogin.Engine.Tests.Sso;

/// <summary>
/// A fake STS and Identity Center, a temporary HOME (so ~/.aws/sso/cache is private), a config file with an
/// sso-session "corp" for the fake's portal, and an <see cref="SsoService"/> whose browser is a
/// <see cref="FakeBrowser"/> and whose waits advance a manual clock shared with the fakes.
/// </summary>
internal sealed class SsoHarness : IAsyncDisposable
{
    public const string Session = "corp";

    private readonly ConcurrentQueue<Task> _browsing = new();

    private SsoHarness(FakeSts sts, FakeIdentityCenter sso, string root, ManualClock? clock)
    {
        Sts = sts;
        Sso = sso;
        Root = root;
        Clock = clock;
        ConfigPath = Path.Combine(root, ".aws", "config");
        Directory.CreateDirectory(Path.GetDirectoryName(ConfigPath)!);
        Environment = new DictionaryEnvironment
        {
            ["HOME"] = root,
            [SharedConfigFiles.ConfigFileVariable] = ConfigPath,
            [SharedConfigFiles.CredentialsFileVariable] = Path.Combine(root, ".aws", "credentials"),
            [EngineContext.HomeVariable] = Path.Combine(root, "awslogin"),
            ["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_SSO"] = sso.Endpoint.ToString(),
            ["AWS_ENDPOINT_URL_SSO_OIDC"] = sso.Endpoint.ToString(),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_REGION"] = "us-east-1",
            ["DISPLAY"] = ":0",
        };
        WriteConfig($"[sso-session {Session}]\nsso_start_url = {sso.StartUrl}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n");
        Log = new RecordingLog();
        OpenUrl = url => Browser.OpenAsync(url);
    }

    public FakeSts Sts { get; }

    public FakeIdentityCenter Sso { get; }

    public string Root { get; }

    public ManualClock? Clock { get; }

    public string ConfigPath { get; }

    public DictionaryEnvironment Environment { get; }

    public RecordingLog Log { get; }

    public FakeBrowser Browser { get; } = new();

    /// <summary>Every URL the engine asked to open.</summary>
    public List<string> Opened { get; } = new();

    /// <summary>Every wait the engine asked for (device polling, backoff).</summary>
    public List<TimeSpan> Delays { get; } = new();

    /// <summary>What a test's browser does with a URL; by default the fake browser follows it.</summary>
    public Func<string, Task> OpenUrl { get; set; }

    /// <summary>Runs after each engine wait (e.g. to approve or expire a device code).</summary>
    public Action<int>? AfterDelay { get; set; }

    public SsoTokenCache Cache => SsoTokenCache.ForEnvironment(Environment);

    public string TokenPath => Cache.PathFor(SsoTokenCache.TokenKey(Session, Sso.StartUrl));

    public string RegistrationPath(IReadOnlyList<string>? scopes = null) =>
        Cache.PathFor(SsoTokenCache.RegistrationKey(Sso.StartUrl, "us-east-1", scopes ?? new[] { "sso:account:access" }, Session));

    public DateTime Now => Clock?.GetUtcNow().UtcDateTime ?? DateTime.UtcNow;

    public static async Task<SsoHarness> StartAsync(bool manualClock = false)
    {
        var root = Path.Combine(Path.GetTempPath(), "awslogin-sso-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var sts = await FakeSts.StartAsync();
        var sso = await FakeIdentityCenter.StartAsync(sts);
        ManualClock? clock = null;
        if (manualClock)
        {
            clock = new ManualClock();
            sts.TimeProvider = clock;
            sso.TimeProvider = clock;
        }

        var harness = new SsoHarness(sts, sso, root, clock);
        return harness;
    }

    public void WriteConfig(string text) => File.WriteAllText(ConfigPath, text);

    public EngineContext Context() => new(Environment, Log) { UtcNow = () => Now, LockTimeout = TimeSpan.FromSeconds(20) };

    public SsoService Service()
    {
        var service = new SsoService(Context())
        {
            LauncherFactory = _ => new Launcher(this),
            Delay = (delay, cancellationToken) =>
            {
                int count;
                lock (Delays)
                {
                    Delays.Add(delay);
                    count = Delays.Count;
                }

                if (Clock is not null)
                {
                    Clock.Advance(delay);
                    AfterDelay?.Invoke(count);
                    return Task.CompletedTask;
                }

                AfterDelay?.Invoke(count);
                return Task.Delay(delay, cancellationToken);
            },
        };
        return service;
    }

    public Task<SsoSession> ConnectAsync(SsoConnectRequest? request = null, SsoTokenSource? source = null) =>
        Service().ConnectAsync(request ?? new SsoConnectRequest { Source = source ?? new SsoTokenSource { SessionName = Session }, Timeout = TimeSpan.FromSeconds(20) }, new RecordingPrompt(this), CancellationToken.None);

    /// <summary>Writes a token file as the AWS CLI would after `aws sso login` (seeded in the fake, no HTTP).</summary>
    public SsoSeededSignIn SeedCachedToken(bool withRefreshToken = true, TimeSpan? accessTokenLifetime = null, string? key = null)
    {
        var seeded = Sso.SeedSignIn(withRefreshToken: withRefreshToken, accessTokenLifetime: accessTokenLifetime);
        var text = "{\"startUrl\": \"" + Sso.StartUrl + "\", \"region\": \"us-east-1\", \"accessToken\": \"" + seeded.AccessToken + "\", " +
            "\"expiresAt\": \"" + seeded.AccessTokenExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "\", " +
            "\"clientId\": \"" + seeded.ClientId + "\", \"clientSecret\": \"" + seeded.ClientSecret + "\", " +
            "\"registrationExpiresAt\": \"" + seeded.RegistrationExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "\"" +
            (seeded.RefreshToken is null ? string.Empty : ", \"refreshToken\": \"" + seeded.RefreshToken + "\"") + "}";
        var path = key is null ? TokenPath : Cache.PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return seeded;
    }

    /// <summary>Waits for the browser visits the engine started.</summary>
    public async Task BrowsingDoneAsync()
    {
        while (_browsing.TryDequeue(out var task))
        {
            await task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await BrowsingDoneAsync();
        }
        catch (Exception ex) when (ex is System.Net.Http.HttpRequestException or TaskCanceledException)
        {
        }

        Browser.Dispose();
        await Sso.DisposeAsync();
        await Sts.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Launcher : IBrowserLauncher
    {
        private readonly SsoHarness _harness;

        public Launcher(SsoHarness harness)
        {
            _harness = harness;
        }

        public bool TryOpen(string url, out string? problem)
        {
            problem = null;
            lock (_harness.Opened)
            {
                _harness.Opened.Add(url);
            }

            // A browser runs on its own; the engine does not wait for it.
            _harness._browsing.Enqueue(Task.Run(() => _harness.OpenUrl(url)));
            return true;
        }
    }

    /// <summary>Records what the engine showed the user.</summary>
    internal sealed class RecordingPrompt : ISsoSignInPrompt
    {
        private readonly SsoHarness _harness;

        public RecordingPrompt(SsoHarness harness)
        {
            _harness = harness;
        }

        public void Show(SsoAuthorizationPrompt prompt)
        {
            lock (_harness.Prompts)
            {
                _harness.Prompts.Add(prompt);
            }
        }
    }

    public List<SsoAuthorizationPrompt> Prompts { get; } = new();
}

/// <summary>Keeps the engine's messages for assertions.</summary>
internal sealed class RecordingLog : IEngineLog
{
    public ConcurrentQueue<string> Messages { get; } = new();

    public ConcurrentQueue<string> Warnings { get; } = new();

    public void Verbose(string message) => Messages.Enqueue(message);

    public void Warning(string message)
    {
        Warnings.Enqueue(message);
        Messages.Enqueue(message);
    }
}
