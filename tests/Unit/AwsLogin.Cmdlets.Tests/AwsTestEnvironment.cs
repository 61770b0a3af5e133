using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using AwsLogin.TestServers;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>
/// A private AWS world for one test: a fake STS on loopback, temporary config/credentials files and cache
/// folder, and the process environment pointed at them (restored exactly on dispose). Tests in this assembly
/// run one at a time because the environment is process-wide.
/// </summary>
public sealed class AwsTestEnvironment : IAsyncDisposable
{
    private static readonly string[] s_managedVariables =
    {
        "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWSLOGIN_HOME", "AWS_EC2_METADATA_DISABLED", "AWS_ENDPOINT_URL_STS",
        "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_CREDENTIAL_EXPIRATION", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWSLOGIN_REFRESH_MARGIN_SECONDS",
        "AWS_SECURITY_TOKEN", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
    };

    private readonly Dictionary<string, string?> _saved = new();

    private AwsTestEnvironment(FakeSts sts, string root)
    {
        Sts = sts;
        Root = root;
        foreach (var name in s_managedVariables)
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, null);
        }

        Set("AWS_CONFIG_FILE", ConfigPath);
        Set("AWS_SHARED_CREDENTIALS_FILE", CredentialsPath);
        Set("AWSLOGIN_HOME", Path.Combine(root, "awslogin"));
        Set("AWS_EC2_METADATA_DISABLED", "true");
        Set("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString());
        Set("AWS_REGION", "us-east-1");
    }

    public FakeSts Sts { get; }

    public string Root { get; }

    public string ConfigPath => Path.Combine(Root, "config");

    public string CredentialsPath => Path.Combine(Root, "credentials");

    public string CacheDirectory => Path.Combine(Root, "awslogin", "cache");

    /// <summary>The seeded IAM user whose keys the "base" profile holds.</summary>
    public FakeIamUser BaseUser { get; private set; } = null!;

    public static async Task<AwsTestEnvironment> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "awslogin-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var sts = await FakeSts.StartAsync();
        var environment = new AwsTestEnvironment(sts, root);
        environment.BaseUser = sts.SeedUser("alice");
        environment.WriteCredentials($"[base]\naws_access_key_id = {environment.BaseUser.AccessKeyId}\naws_secret_access_key = {environment.BaseUser.SecretAccessKey}\n");
        environment.WriteConfig("[profile base]\nregion = us-east-1\n");
        return environment;
    }

    public void Set(string name, string? value)
    {
        if (!_saved.ContainsKey(name))
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
        }

        Environment.SetEnvironmentVariable(name, value);
    }

    public void WriteConfig(string text) => File.WriteAllText(ConfigPath, text);

    public void WriteCredentials(string text) => File.WriteAllText(CredentialsPath, text);

    /// <summary>The environment a child process gets: this test's variables on top of the current process's.</summary>
    public IDictionary<string, string?> ChildEnvironment()
    {
        var variables = new Dictionary<string, string?>();
        foreach (var name in _saved.Keys)
        {
            variables[name] = Environment.GetEnvironmentVariable(name);
        }

        return variables;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pair in _saved)
        {
            Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        }

        await Sts.DisposeAsync();
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
