using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sts;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Sts;

/// <summary>
/// A fake STS plus a private world for the engine: temp config and credentials files, a temp AWSLOGIN_HOME and a
/// dictionary environment pointing at them. The process environment is never read or changed, so tests run in parallel.
/// </summary>
internal sealed class BrokerHarness : IAsyncDisposable
{
    public const string UserAccount = "111111111111";
    public const string RoleA = "arn:aws:iam::222222222222:role/Admin";
    public const string RoleB = "arn:aws:iam::333333333333:role/path/to/ReadOnly";
    public const string RoleC = "arn:aws:iam::444444444444:role/Auditor";
    public const string MfaSerial = "arn:aws:iam::111111111111:mfa/alice";
    public const string MfaCode = "123456";

    private BrokerHarness(FakeSts fake, string root)
    {
        Fake = fake;
        Root = root;
        ConfigPath = Path.Combine(root, "aws", "config");
        CredentialsPath = Path.Combine(root, "aws", "credentials");
        HomePath = Path.Combine(root, "awslogin-home");
        Directory.CreateDirectory(Path.Combine(root, "aws"));
        Environment = new DictionaryEnvironment
        {
            ["HOME"] = root,
            [SharedConfigFiles.ConfigFileVariable] = ConfigPath,
            [SharedConfigFiles.CredentialsFileVariable] = CredentialsPath,
            [EngineContext.HomeVariable] = HomePath,
            ["AWS_ENDPOINT_URL_STS"] = fake.Endpoint.ToString(),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_REGION"] = "us-east-1",
        };
    }

    public FakeSts Fake { get; }

    /// <summary>The temp folder holding everything this harness writes.</summary>
    public string Root { get; }

    public string ConfigPath { get; }

    public string CredentialsPath { get; }

    /// <summary>AWSLOGIN_HOME; the credential cache lives in its cache subfolder.</summary>
    public string HomePath { get; }

    public string CacheDirectory => Path.Combine(HomePath, "cache");

    public DictionaryEnvironment Environment { get; }

    public RecordingLog Log { get; } = new();

    /// <summary>The seeded IAM user "alice" (set by <see cref="StartAsync"/>).</summary>
    public FakeIamUser User { get; private set; } = null!;

    public static async Task<BrokerHarness> StartAsync()
    {
        var fake = await FakeSts.StartAsync();
        var root = Path.Combine(Path.GetTempPath(), "awslogin-sts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var harness = new BrokerHarness(fake, root);
        harness.User = fake.SeedUser("alice", UserAccount);
        return harness;
    }

    /// <summary>The user's keys as explicit starting credentials.</summary>
    public CredentialSet UserKeys => new(User.AccessKeyId, User.SecretAccessKey, null) { Source = "test keys", Origin = CredentialOrigin.LongTermKeys };

    public void WriteConfig(string text) => File.WriteAllText(ConfigPath, text.Replace("\r\n", "\n"));

    public void WriteCredentials(string text) => File.WriteAllText(CredentialsPath, text.Replace("\r\n", "\n"));

    /// <summary>A credentials-file section holding the user's long-term keys.</summary>
    public string UserKeySection(string profileName) =>
        $"[{profileName}]\naws_access_key_id = {User.AccessKeyId}\naws_secret_access_key = {User.SecretAccessKey}\n";

    /// <summary>A context over this harness's environment; unset arguments keep the engine's defaults (the margin from the environment).</summary>
    public EngineContext Context(TimeSpan? refreshMargin = null, Func<DateTime>? utcNow = null, TimeSpan? lockTimeout = null)
    {
        var defaults = new EngineContext(Environment, Log);
        return new EngineContext(Environment, Log)
        {
            RefreshMargin = refreshMargin ?? defaults.RefreshMargin,
            UtcNow = utcNow ?? defaults.UtcNow,
            LockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30),
        };
    }

    public CredentialBroker Broker(TimeSpan? refreshMargin = null, Func<DateTime>? utcNow = null) => new(Context(refreshMargin, utcNow));

    public Task<CredentialSet> GetAsync(IdentityRequest request) => Broker().GetCredentialsAsync(request, CancellationToken.None);

    public async Task<AwsLoginException> FailAsync(IdentityRequest request)
    {
        var exception = await Assert.ThrowsAsync<AwsLoginException>(() => GetAsync(request));
        AssertNoSecrets(exception);
        return exception;
    }

    public static IdentityRequest Hops(params string[] roleArns) => new()
    {
        RoleHops = roleArns.Select(arn => new RoleHop(RoleArn.Parse(arn)) { RoleSessionName = "test-session" }).ToArray(),
    };

    public IReadOnlyList<StsCall> Calls(string action) => Fake.Calls.Where(call => call.Action == action).ToArray();

    /// <summary>Every secret the test world knows: user secrets, issued secrets and session tokens.</summary>
    public IEnumerable<string> Secrets()
    {
        yield return User.SecretAccessKey;
        foreach (var issued in Fake.IssuedCredentials)
        {
            yield return issued.SecretAccessKey;
            yield return issued.SessionToken;
        }
    }

    /// <summary>No secret or token appears in the exception, its message, target or recommended action, or the log.</summary>
    public void AssertNoSecrets(AwsLoginException exception, params string[] extraSecrets)
    {
        var texts = new[] { exception.Message, exception.Target ?? string.Empty, exception.RecommendedAction ?? string.Empty, exception.ToString() };
        foreach (var secret in Secrets().Concat(extraSecrets))
        {
            foreach (var text in texts)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }

        AssertLogHasNoSecrets(extraSecrets);
    }

    public void AssertLogHasNoSecrets(params string[] extraSecrets)
    {
        foreach (var secret in Secrets().Concat(extraSecrets))
        {
            Assert.All(Log.Messages, message => Assert.DoesNotContain(secret, message, StringComparison.Ordinal));
        }
    }

    /// <summary>Asserts each AssumeRole after the first was signed with the key the one before it issued.</summary>
    public void AssertSignedHopByHop(string firstSigner)
    {
        var calls = Calls("AssumeRole");
        Assert.NotEmpty(calls);
        Assert.Equal(firstSigner, calls[0].SigningAccessKeyId);
        for (var i = 1; i < calls.Count; i++)
        {
            Assert.NotNull(calls[i - 1].IssuedAccessKeyId);
            Assert.Equal(calls[i - 1].IssuedAccessKeyId, calls[i].SigningAccessKeyId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>Keeps what the engine logs, from any thread.</summary>
internal sealed class RecordingLog : IEngineLog
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => _messages.ToArray();

    public void Verbose(string message) => _messages.Enqueue(message);

    public void Warning(string message) => _messages.Enqueue(message);
}
