using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Util;
using AwsLogin.Engine.Sts;
using AwsLogin.Engine.Tests.Sts;
using AwsLogin.TestServers;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Sources;

/// <summary>
/// Tests that change the process environment. The AWS SDK's container and instance-metadata providers read it (not the
/// engine's IEnvironmentReader), so these run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "ProcessEnvironment";
}

/// <summary>
/// The machine credential sources: the container endpoint (ECS, EKS Pod Identity) and EC2 instance metadata, at the end
/// of the default chain and as credential_source EcsContainer / Ec2InstanceMetadata, served by loopback fakes that
/// hand out keys seeded in the fake STS.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class MachineCredentialTests : IAsyncLifetime
{
    private const string ContainerToken = "container-authorization-token-7c1f";
    private const string ContainerRole = "arn:aws:iam::555555555555:role/TaskRole";
    private const string InstanceRole = "arn:aws:iam::666666666666:role/AwsLoginInstanceRole";

    private readonly ProcessVariables _process = new();
    private BrokerHarness _h = null!;
    private FakeContainerCredentials _container = null!;
    private FakeInstanceMetadata _imds = null!;

    public async Task InitializeAsync()
    {
        _h = await StartAsync();
        _container = await FakeContainerCredentials.StartAsync();
        _imds = await FakeInstanceMetadata.StartAsync();

        // No keys or profiles anywhere: empty shared files, and nothing machine-related inherited from the test runner.
        _h.WriteConfig(string.Empty);
        _h.WriteCredentials(string.Empty);
        foreach (var name in ProcessVariables.MachineVariables)
        {
            _process.Set(name, null);
        }
    }

    public async Task DisposeAsync()
    {
        _process.Dispose();
        await _imds.DisposeAsync();
        await _container.DisposeAsync();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task The_default_chain_ends_at_the_container_endpoint_with_its_token()
    {
        var seeded = _h.Fake.SeedTemporaryKey(ContainerRole, "ecs-task");
        _container.Serve(seeded);
        UseContainer(ContainerToken);

        var result = await _h.GetAsync(new IdentityRequest());

        Assert.Equal(seeded.AccessKeyId, result.AccessKeyId);
        Assert.Equal(seeded.SecretAccessKey, result.SecretAccessKey);
        Assert.Equal(seeded.SessionToken, result.SessionToken);
        AssertExpiration(seeded, result);
        Assert.Equal("container credentials", result.Source);
        Assert.Equal(CredentialOrigin.Temporary, result.Origin);
        var request = Assert.Single(_container.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(_container.CredentialsUri.AbsolutePath, request.Path);
        Assert.Equal(ContainerToken, request.Authorization);
        Assert.Empty(_h.Fake.Calls);
        _h.AssertLogHasNoSecrets(ContainerToken);
    }

    [Fact]
    public async Task A_role_hop_from_the_default_chain_is_signed_by_the_container_key()
    {
        var seeded = _h.Fake.SeedTemporaryKey(ContainerRole, "ecs-task");
        _container.Serve(seeded);
        UseContainer(ContainerToken);

        var result = await _h.GetAsync(Hops(RoleA));

        var call = Assert.Single(_h.Fake.Calls);
        Assert.Equal("AssumeRole", call.Action);
        Assert.Equal(seeded.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(call.IssuedAccessKeyId, result.AccessKeyId);
        Assert.Equal(CredentialOrigin.AssumedRole, result.Origin);
        Assert.True(_h.Fake.FindIssued(result.AccessKeyId)!.IsRoleChain);
    }

    [Fact]
    public async Task Credential_source_EcsContainer_assumes_the_role_signed_by_the_container_key()
    {
        var seeded = _h.Fake.SeedTemporaryKey(ContainerRole, "ecs-task");
        _container.Serve(seeded);
        UseContainer(ContainerToken);
        _h.WriteConfig($"[profile app]\nrole_arn = {RoleA}\ncredential_source = EcsContainer\nrole_session_name = app-session\n");

        var result = await _h.GetAsync(new IdentityRequest { ProfileName = "app" });

        var call = Assert.Single(_h.Fake.Calls);
        Assert.Equal("AssumeRole", call.Action);
        Assert.Equal(seeded.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(RoleA, call.Parameters["RoleArn"]);
        Assert.Equal("app-session", call.Parameters["RoleSessionName"]);
        Assert.Equal(call.IssuedAccessKeyId, result.AccessKeyId);
        Assert.Equal(RoleA, _h.Fake.FindIssued(result.AccessKeyId)!.RoleArn);
        Assert.Equal(ContainerToken, Assert.Single(_container.Requests).Authorization);
    }

    [Fact]
    public async Task The_token_file_of_EKS_Pod_Identity_is_sent_as_the_authorization_header()
    {
        var seeded = _h.Fake.SeedTemporaryKey(ContainerRole, "eks-pod");
        _container.Serve(seeded);
        UseContainer(token: null);
        _container.AuthorizationToken = ContainerToken;
        var tokenFile = Path.Combine(_h.Root, "eks-pod-identity-token");
        File.WriteAllText(tokenFile, ContainerToken);
        _process.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile);
        _h.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile;

        var result = await _h.GetAsync(new IdentityRequest());

        Assert.Equal(seeded.AccessKeyId, result.AccessKeyId);
        Assert.Equal(ContainerToken, Assert.Single(_container.Requests).Authorization);
    }

    [Theory]
    [InlineData("wrong-token", 403)]
    [InlineData(null, 400)]
    public async Task A_refused_container_token_is_NoCredentials_after_the_SDK_retries(string? token, int status)
    {
        _container.Serve(_h.Fake.SeedTemporaryKey(ContainerRole, "ecs-task"));
        UseContainer(token);
        _container.AuthorizationToken = ContainerToken;

        var exception = await _h.FailAsync(new IdentityRequest());

        Assert.Equal("NoCredentials", exception.Code);
        Assert.Equal(FailureKind.NoCredentials, exception.Kind);
        Assert.Equal("container credentials", exception.Target);
        _h.AssertNoSecrets(exception, ContainerToken);
        // GenericContainerCredentials tries five times before it gives up.
        Assert.Equal(5, _container.RequestCount);
        Assert.All(_container.Requests, request => Assert.Equal(status, request.HttpStatus));
        Assert.All(_container.Requests, request => Assert.Equal(token, request.Authorization));
        Assert.Empty(_h.Fake.Calls);
    }

    [Fact]
    public async Task A_refused_container_token_under_credential_source_is_NoCredentials()
    {
        _container.Serve(_h.Fake.SeedTemporaryKey(ContainerRole, "ecs-task"));
        UseContainer("wrong-token");
        _container.AuthorizationToken = ContainerToken;
        _h.WriteConfig($"[profile app]\nrole_arn = {RoleA}\ncredential_source = EcsContainer\n");

        var exception = await _h.FailAsync(new IdentityRequest { ProfileName = "app" });

        Assert.Equal("NoCredentials", exception.Code);
        Assert.Equal(FailureKind.NoCredentials, exception.Kind);
        Assert.Empty(_h.Fake.Calls);
    }

    [Fact]
    public async Task A_transient_container_failure_is_retried_by_the_SDK()
    {
        var seeded = _h.Fake.SeedTemporaryKey(ContainerRole, "ecs-task");
        _container.Serve(seeded);
        _container.InjectFailure(500, times: 2);
        UseContainer(ContainerToken);

        var result = await _h.GetAsync(new IdentityRequest());

        Assert.Equal(seeded.AccessKeyId, result.AccessKeyId);
        Assert.Equal(new[] { 500, 500, 200 }, _container.Requests.Select(r => r.HttpStatus));
    }

    [Fact]
    public async Task An_unreachable_container_endpoint_is_NoCredentials()
    {
        UseContainer(ContainerToken);
        await _container.StopAsync();

        var exception = await _h.FailAsync(new IdentityRequest());

        Assert.Equal("NoCredentials", exception.Code);
        Assert.Equal(FailureKind.NoCredentials, exception.Kind);
    }

    [Fact]
    public async Task A_plain_http_container_endpoint_off_the_loopback_is_NoCredentials()
    {
        // The SDKs accept plain HTTP only to loopback and the ECS/EKS link-local hosts; the provider's constructor
        // throws ArgumentException for anything else.
        const string uri = "http://credentials.example.com/v2/credentials/role";
        _process.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri);
        _h.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = uri;

        var exception = await _h.FailAsync(new IdentityRequest());

        Assert.Equal("NoCredentials", exception.Code);
        Assert.Equal(FailureKind.NoCredentials, exception.Kind);
    }

    [Fact]
    public async Task Every_call_reads_the_container_endpoint_again()
    {
        var first = _h.Fake.SeedTemporaryKey(ContainerRole, "first");
        var second = _h.Fake.SeedTemporaryKey(ContainerRole, "second");
        UseContainer(ContainerToken);

        _container.Serve(first);
        var before = await _h.GetAsync(new IdentityRequest());
        _container.Serve(second);
        var after = await _h.GetAsync(new IdentityRequest());

        Assert.Equal(first.AccessKeyId, before.AccessKeyId);
        Assert.Equal(second.AccessKeyId, after.AccessKeyId);
        Assert.Equal(2, _container.RequestCount);
    }

    [Fact]
    public async Task The_container_endpoint_beats_instance_metadata()
    {
        var fromContainer = _h.Fake.SeedTemporaryKey(ContainerRole, "ecs-task");
        _container.Serve(fromContainer);
        _imds.Serve(_h.Fake.SeedTemporaryKey(InstanceRole, "i-0123456789abcdef0"));
        UseContainer(ContainerToken);
        UseInstanceMetadata();

        var result = await _h.GetAsync(new IdentityRequest());

        Assert.Equal(fromContainer.AccessKeyId, result.AccessKeyId);
        Assert.Empty(_imds.Requests);
    }

    [Fact]
    public async Task The_default_chain_ends_at_instance_metadata_over_IMDSv2()
    {
        var seeded = _h.Fake.SeedTemporaryKey(InstanceRole, "i-0123456789abcdef0");
        _imds.Serve(seeded);
        UseInstanceMetadata();

        var result = await _h.GetAsync(new IdentityRequest());

        Assert.Equal(seeded.AccessKeyId, result.AccessKeyId);
        Assert.Equal(seeded.SecretAccessKey, result.SecretAccessKey);
        Assert.Equal(seeded.SessionToken, result.SessionToken);
        AssertExpiration(seeded, result);
        Assert.Equal("EC2 instance metadata", result.Source);
        Assert.Equal(CredentialOrigin.Temporary, result.Origin);
        Assert.Empty(_h.Fake.Calls);

        // What InstanceProfileAWSCredentials asks for: a token and the role name (in its constructor), then a new
        // token, the instance profile info and the role's credentials.
        var role = FakeInstanceMetadata.RolesPath + _imds.RoleName;
        Assert.Equal(
            new[]
            {
                $"PUT {FakeInstanceMetadata.TokenPath} -> 200",
                $"GET {FakeInstanceMetadata.RolesPath} -> 200",
                $"PUT {FakeInstanceMetadata.TokenPath} -> 200",
                $"GET {FakeInstanceMetadata.InfoPath} -> 200",
                $"GET {role} -> 200",
            },
            _imds.Requests.Select(r => r.ToString()));
        Assert.All(_imds.Requests.Where(r => r.Method == "PUT"), r => Assert.Equal(21600, r.TokenTtlSeconds));
        Assert.All(_imds.Requests.Where(r => r.Method == "GET"), r => Assert.True(r.TokenPresented));
    }

    [Fact]
    public async Task Credential_source_Ec2InstanceMetadata_assumes_the_role_signed_by_the_instance_key()
    {
        var seeded = _h.Fake.SeedTemporaryKey(InstanceRole, "i-0123456789abcdef0");
        _imds.Serve(seeded);
        UseInstanceMetadata();
        _h.WriteConfig($"[profile ops]\nrole_arn = {RoleB}\ncredential_source = Ec2InstanceMetadata\n");

        var result = await _h.GetAsync(new IdentityRequest { ProfileName = "ops" });

        var call = Assert.Single(_h.Fake.Calls);
        Assert.Equal("AssumeRole", call.Action);
        Assert.Equal(seeded.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(RoleB, call.Parameters["RoleArn"]);
        Assert.Equal(call.IssuedAccessKeyId, result.AccessKeyId);
        Assert.Equal(RoleB, _h.Fake.FindIssued(result.AccessKeyId)!.RoleArn);
    }

    [Fact]
    public async Task Credential_source_Ec2InstanceMetadata_ignores_a_container_endpoint()
    {
        var fromInstance = _h.Fake.SeedTemporaryKey(InstanceRole, "i-0123456789abcdef0");
        _imds.Serve(fromInstance);
        _container.Serve(_h.Fake.SeedTemporaryKey(ContainerRole, "ecs-task"));
        UseContainer(ContainerToken);
        UseInstanceMetadata();
        _h.WriteConfig($"[profile ops]\nrole_arn = {RoleB}\ncredential_source = Ec2InstanceMetadata\n");

        await _h.GetAsync(new IdentityRequest { ProfileName = "ops" });

        Assert.Equal(fromInstance.AccessKeyId, Assert.Single(_h.Fake.Calls).SigningAccessKeyId);
        Assert.Equal(0, _container.RequestCount);
    }

    [Fact]
    public async Task An_instance_without_an_instance_profile_is_NoCredentials()
    {
        _imds.RoleName = null;
        UseInstanceMetadata();

        var exception = await _h.FailAsync(new IdentityRequest());

        Assert.Equal("NoCredentials", exception.Code);
        Assert.Equal(FailureKind.NoCredentials, exception.Kind);
        Assert.Equal("EC2 instance metadata", exception.Target);
    }

    [Fact]
    public async Task Instance_metadata_refusing_a_session_token_is_NoCredentials()
    {
        _imds.Serve(_h.Fake.SeedTemporaryKey(InstanceRole, "i-0123456789abcdef0"));
        _imds.InjectFailure(403, times: 10, FakeInstanceMetadata.TokenPath);
        UseInstanceMetadata();
        _h.WriteConfig($"[profile ops]\nrole_arn = {RoleB}\ncredential_source = Ec2InstanceMetadata\n");

        var exception = await _h.FailAsync(new IdentityRequest { ProfileName = "ops" });

        Assert.Equal("NoCredentials", exception.Code);
        Assert.Equal(FailureKind.NoCredentials, exception.Kind);
        Assert.Empty(_h.Fake.Calls);
    }

    [Fact]
    public async Task Unreachable_instance_metadata_is_NoCredentials()
    {
        UseInstanceMetadata();
        await _imds.StopAsync();

        var exception = await _h.FailAsync(new IdentityRequest());

        Assert.Equal("NoCredentials", exception.Code);
        Assert.Equal(FailureKind.NoCredentials, exception.Kind);
    }

    [Fact]
    public async Task Every_call_reads_instance_metadata_again()
    {
        var first = _h.Fake.SeedTemporaryKey(InstanceRole, "first");
        var second = _h.Fake.SeedTemporaryKey(InstanceRole, "second");
        UseInstanceMetadata();

        _imds.Serve(first);
        var before = await _h.GetAsync(new IdentityRequest());
        _imds.Serve(second);
        var after = await _h.GetAsync(new IdentityRequest());

        Assert.Equal(first.AccessKeyId, before.AccessKeyId);
        Assert.Equal(second.AccessKeyId, after.AccessKeyId);
    }

    [Fact]
    public async Task Disabled_instance_metadata_is_never_asked()
    {
        _imds.Serve(_h.Fake.SeedTemporaryKey(InstanceRole, "i-0123456789abcdef0"));
        UseInstanceMetadata();
        _h.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        _process.Set("AWS_EC2_METADATA_DISABLED", "true");

        var exception = await _h.FailAsync(new IdentityRequest());

        Assert.Equal("NoCredentials", exception.Code);
        Assert.Empty(_imds.Requests);
    }

    [Fact]
    public async Task The_fake_instance_metadata_requires_a_session_token_as_IMDSv2_does()
    {
        _imds.Serve(_h.Fake.SeedTemporaryKey(InstanceRole, "i-0123456789abcdef0"));
        using var client = new HttpClient { BaseAddress = _imds.BaseUri };

        using var withoutToken = await client.GetAsync(FakeInstanceMetadata.RolesPath);
        using var badTtl = await client.SendAsync(TokenRequest("0"));
        using var forwarded = await client.SendAsync(TokenRequest("60", forwardedFor: "203.0.113.7"));
        using var granted = await client.SendAsync(TokenRequest("60"));
        var token = await granted.Content.ReadAsStringAsync();
        using var withToken = new HttpRequestMessage(HttpMethod.Get, FakeInstanceMetadata.RolesPath + _imds.RoleName);
        withToken.Headers.Add(FakeInstanceMetadata.TokenHeader, token);
        using var credentials = await client.SendAsync(withToken);
        using var wrongToken = new HttpRequestMessage(HttpMethod.Get, FakeInstanceMetadata.RolesPath);
        wrongToken.Headers.Add(FakeInstanceMetadata.TokenHeader, "not-a-token");
        using var refused = await client.SendAsync(wrongToken);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badTtl.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forwarded.StatusCode);
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal("60", granted.Headers.GetValues(FakeInstanceMetadata.TokenTtlHeader).Single());
        Assert.Equal(HttpStatusCode.OK, credentials.StatusCode);
        using var json = System.Text.Json.JsonDocument.Parse(await credentials.Content.ReadAsStringAsync());
        Assert.Equal(
            new[] { "Code", "LastUpdated", "Type", "AccessKeyId", "SecretAccessKey", "Token", "Expiration" },
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("AWS-HMAC", json.RootElement.GetProperty("Type").GetString());
        Assert.EndsWith("Z", json.RootElement.GetProperty("Expiration").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        static HttpRequestMessage TokenRequest(string ttl, string? forwardedFor = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, FakeInstanceMetadata.TokenPath);
            request.Headers.Add(FakeInstanceMetadata.TokenTtlHeader, ttl);
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
            }

            return request;
        }
    }

    [Fact]
    public async Task The_fake_container_endpoint_answers_the_agent_json()
    {
        var seeded = _h.Fake.SeedTemporaryKey(ContainerRole, "ecs-task");
        _container.Serve(seeded);
        _container.AuthorizationToken = ContainerToken;
        using var client = new HttpClient();

        using var withoutToken = await client.GetAsync(_container.CredentialsUri);
        using var request = new HttpRequestMessage(HttpMethod.Get, _container.CredentialsUri);
        request.Headers.TryAddWithoutValidation("Authorization", ContainerToken);
        using var answer = await client.SendAsync(request);
        using var otherPath = await client.GetAsync(new Uri(_container.CredentialsUri, "/v2/credentials/other"));

        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherPath.StatusCode);
        using var json = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.Equal(
            new[] { "RoleArn", "AccessKeyId", "SecretAccessKey", "Token", "AccountId", "Expiration" },
            json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(seeded.SecretAccessKey, json.RootElement.GetProperty("SecretAccessKey").GetString());
        Assert.Equal(MachineCredential.Timestamp(seeded.Expiration), json.RootElement.GetProperty("Expiration").GetString());
    }

    // The expiration comes from the SDK provider, which keeps it one minute early (RefreshingAWSCredentials.ExpirationBuffer).
    private static void AssertExpiration(IssuedCredential served, CredentialSet result)
    {
        Assert.Equal(DateTimeKind.Utc, result.Expiration!.Value.Kind);
        Assert.InRange(result.Expiration.Value, served.Expiration.UtcDateTime.AddMinutes(-1), served.Expiration.UtcDateTime);
    }

    /// <summary>
    /// Points both readers at the fake container endpoint: the engine's environment (which decides that the default
    /// chain ends there) and the process (which GenericContainerCredentials reads).
    /// </summary>
    private void UseContainer(string? token)
    {
        var uri = _container.CredentialsUri.ToString();
        _h.Environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = uri;
        _h.Environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = token;
        _process.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri);
        _process.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
        _container.AuthorizationToken = token;
    }

    private void UseInstanceMetadata()
    {
        _h.Environment["AWS_EC2_METADATA_DISABLED"] = null;
        _h.Environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = _imds.ServiceEndpoint;
        _process.Set("AWS_EC2_METADATA_DISABLED", null);
        _process.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", _imds.ServiceEndpoint);
        SdkInstanceMetadataEndpoint.Reload(_imds.ServiceEndpoint);
    }
}

/// <summary>Sets process environment variables and puts back every one it touched, exactly, on dispose.</summary>
internal sealed class ProcessVariables : IDisposable
{
    /// <summary>Everything the SDK's container and instance-metadata providers read.</summary>
    public static readonly string[] MachineVariables =
    {
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    };

    private readonly Dictionary<string, string?> _saved = new(StringComparer.Ordinal);

    public void Set(string name, string? value)
    {
        if (!_saved.ContainsKey(name))
        {
            _saved[name] = Environment.GetEnvironmentVariable(name);
        }

        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        var endpointChanged = _saved.ContainsKey("AWS_EC2_METADATA_SERVICE_ENDPOINT");
        foreach (var pair in _saved)
        {
            Environment.SetEnvironmentVariable(pair.Key, pair.Value);
        }

        _saved.Clear();
        if (endpointChanged)
        {
            SdkInstanceMetadataEndpoint.Reload(expected: null);
        }
    }
}

/// <summary>
/// The AWS SDK reads AWS_EC2_METADATA_SERVICE_ENDPOINT once per process (FallbackInternalConfigurationFactory, on first
/// use of any client) and InstanceProfileAWSCredentials copies the endpoint into a static field on its first use, so a
/// test that moves the endpoint must make both read it again.
/// </summary>
internal static class SdkInstanceMetadataEndpoint
{
    public static void Reload(string? expected)
    {
        FallbackInternalConfigurationFactory.Reset();
        var type = typeof(InstanceProfileAWSCredentials);
        var reset = type.GetMethod("ResetServiceEndpoint", BindingFlags.NonPublic | BindingFlags.Static, Type.EmptyTypes);
        if (reset is not null)
        {
            reset.Invoke(null, null);
        }
        else
        {
            var field = type.GetField("Server", BindingFlags.NonPublic | BindingFlags.Static)
                ?? throw new InvalidOperationException("This AWS SDK keeps the instance metadata endpoint elsewhere; update SdkInstanceMetadataEndpoint.");
            field.SetValue(null, EC2InstanceMetadata.ServiceEndpoint);
        }

        if (expected is not null)
        {
            Assert.Equal(expected, EC2InstanceMetadata.ServiceEndpoint);
        }
    }
}
