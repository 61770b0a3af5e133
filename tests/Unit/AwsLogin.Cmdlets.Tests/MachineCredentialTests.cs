using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>
/// With no keys or profile to use, the module starts from the machine: the container endpoint (ECS, EKS Pod Identity)
/// or EC2 instance metadata, served by loopback fakes whose keys the fake STS accepts.
/// </summary>
public sealed class MachineCredentialTests : CmdletTestBase
{
    private const string Command = "AwsLogin.Commands.Sts.GetAwsRoleCredentialCommand";
    private const string ContainerToken = "container-authorization-token-3b9e";
    private const string ContainerRole = "arn:aws:iam::555555555555:role/TaskRole";
    private const string InstanceRole = "arn:aws:iam::666666666666:role/AwsLoginInstanceRole";

    private FakeContainerCredentials _container = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _container = await FakeContainerCredentials.StartAsync();

        // Not in AwsTestEnvironment's list; cleared so a runner inside EKS cannot change what the SDK sends.
        _aws.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", null);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _container.DisposeAsync();
    }

    [Fact]
    public void RoleFromTheContainerEndpointIsSignedByTheContainerKey()
    {
        var seeded = _aws.Sts.SeedTemporaryKey(ContainerRole, "ecs-task");
        _container.Serve(seeded);
        UseContainer(ContainerToken);

        var result = _shell.Run($"Get-AwsRoleCredential -RoleArn '{RoleA}'").ThrowOnError();

        var credential = Assert.Single(result.Output);
        var call = Assert.Single(_aws.Sts.Calls);
        Assert.Equal("AssumeRole", call.Action);
        Assert.Equal(RoleA, call.Parameters["RoleArn"]);
        Assert.Equal(seeded.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(call.IssuedAccessKeyId, credential.Properties["AccessKeyId"].Value);
        Assert.Equal(RoleA, _aws.Sts.FindIssued(call.IssuedAccessKeyId!)!.RoleArn);
        var request = Assert.Single(_container.Requests);
        Assert.Equal(ContainerToken, request.Authorization);
        Assert.DoesNotContain(ContainerToken, result.AllText());
    }

    [Fact]
    public void CredentialSourceEcsContainerProfileUsesTheContainerKey()
    {
        var seeded = _aws.Sts.SeedTemporaryKey(ContainerRole, "ecs-task");
        _container.Serve(seeded);
        UseContainer(ContainerToken);
        _aws.WriteConfig($"[profile base]\nregion = us-east-1\n\n[profile app]\nrole_arn = {RoleB}\ncredential_source = EcsContainer\n");

        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName app -RoleArn '{RoleA}'").ThrowOnError();

        var calls = _aws.Sts.Calls.Where(c => c.Action == "AssumeRole").ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(RoleB, calls[0].Parameters["RoleArn"]);
        Assert.Equal(seeded.AccessKeyId, calls[0].SigningAccessKeyId);
        Assert.Equal(RoleA, calls[1].Parameters["RoleArn"]);
        Assert.Equal(calls[0].IssuedAccessKeyId, calls[1].SigningAccessKeyId);
        Assert.Equal(calls[1].IssuedAccessKeyId, Assert.Single(result.Output).Properties["AccessKeyId"].Value);
    }

    [Fact]
    public void RefusedContainerTokenIsNoCredentials()
    {
        var seeded = _aws.Sts.SeedTemporaryKey(ContainerRole, "ecs-task");
        _container.Serve(seeded);
        UseContainer("not-the-container-token");
        _container.AuthorizationToken = ContainerToken;

        var result = _shell.Run($"Get-AwsRoleCredential -RoleArn '{RoleA}'");

        var error = result.SingleError;
        Assert.Equal("NoCredentials," + Command, error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Equal("container credentials", error.TargetObject);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(result.Output);
        Assert.Empty(_aws.Sts.Calls);
        Assert.All(_container.Requests, r => Assert.Equal(403, r.HttpStatus));
        var text = result.AllText();
        foreach (var secret in new[] { ContainerToken, "not-the-container-token", seeded.SecretAccessKey, seeded.SessionToken })
        {
            Assert.DoesNotContain(secret, text);
        }
    }

    [Fact]
    public async Task RoleFromInstanceMetadataInANewProcess()
    {
        // The AWS SDK reads AWS_EC2_METADATA_SERVICE_ENDPOINT once per process (on its first use, which in this test
        // process came from earlier tests); a new process reads it as a user's new session would.
        await using var imds = await FakeInstanceMetadata.StartAsync();
        var seeded = _aws.Sts.SeedTemporaryKey(InstanceRole, "i-0123456789abcdef0");
        imds.Serve(seeded);
        _aws.Set("AWS_EC2_METADATA_DISABLED", null);
        _aws.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.ServiceEndpoint);
        _aws.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", null);

        var result = await ChildPowerShell.RunAsync(ChildPowerShell.Import + $"(Get-AwsRoleCredential -RoleArn '{RoleA}' -ErrorAction Stop).AccessKeyId", _aws.ChildEnvironment());

        Assert.True(result.ExitCode == 0, result.StandardError);
        var call = Assert.Single(_aws.Sts.Calls);
        Assert.Equal(seeded.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(call.IssuedAccessKeyId, result.StandardOutput.Trim());
        Assert.Contains(imds.Requests, r => r.Path == FakeInstanceMetadata.RolesPath + imds.RoleName && r.HttpStatus == 200);
        Assert.DoesNotContain(seeded.SecretAccessKey, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task InstanceMetadataWithoutAnInstanceProfileIsNoCredentialsInANewProcess()
    {
        await using var imds = await FakeInstanceMetadata.StartAsync();
        imds.RoleName = null;
        _aws.Set("AWS_EC2_METADATA_DISABLED", null);
        _aws.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.ServiceEndpoint);
        _aws.Set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", null);
        var script = $"try {{ Get-AwsRoleCredential -RoleArn '{RoleA}' -ErrorAction Stop }} catch {{ $_.FullyQualifiedErrorId; [string]$_.CategoryInfo.Category; [string]$_.TargetObject }}";

        var result = await ChildPowerShell.RunAsync(ChildPowerShell.Import + script, _aws.ChildEnvironment());

        Assert.True(result.ExitCode == 0, result.StandardError);
        var lines = result.StandardOutput.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        Assert.Equal(new[] { "NoCredentials," + Command, "AuthenticationError", "EC2 instance metadata" }, lines);
        Assert.Empty(_aws.Sts.Calls);
    }

    private void UseContainer(string token)
    {
        _aws.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", _container.CredentialsUri.ToString());
        _aws.Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", token);
        _container.AuthorizationToken = token;
    }
}
