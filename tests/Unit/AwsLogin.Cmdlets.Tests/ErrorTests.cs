using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Bad input and AWS refusals give specific ErrorRecords and never show a secret.</summary>
public sealed class ErrorTests : CmdletTestBase
{
    private const string Command = "AwsLogin.Commands.Sts.GetAwsRoleCredentialCommand";

    [Fact]
    public void UnknownProfile()
    {
        var result = _shell.Run("Get-AwsRoleCredential -ProfileName nosuch");

        AssertError(result, "ProfileNotFound", ErrorCategory.ObjectNotFound, "nosuch");
    }

    [Theory]
    [InlineData("arn:aws:iam::12345:role/Short")]
    [InlineData("arn:aws:s3:::bucket")]
    [InlineData("arn:aws-xx:iam::123456789012:role/Bad")]
    [InlineData("RoleA")]
    public void MalformedRoleArn(string arn)
    {
        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{arn}'");

        AssertError(result, "InvalidRoleArn", ErrorCategory.InvalidArgument, arn);
        Assert.Empty(_aws.Sts.Calls);
    }

    [Fact]
    public void StsAccessDenied()
    {
        _aws.Sts.ConfigureRole(RoleA, externalId: "expected-id");

        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}' -ExternalId wrong-id");

        AssertError(result, "StsAccessDenied", ErrorCategory.PermissionDenied, RoleA);
    }

    [Fact]
    public void ExpiredSessionToken()
    {
        var seeded = _aws.Sts.SeedTemporaryKey("arn:aws:iam::111111111111:role/Seeded");
        _aws.Sts.ExpireCredential(seeded.AccessKeyId);

        var result = _shell.Run($"Get-AwsRoleCredential -AccessKey {seeded.AccessKeyId} -SecretKey '{seeded.SecretAccessKey}' -SessionToken '{seeded.SessionToken}' -RoleArn '{RoleA}'");

        AssertError(result, "StsExpiredToken", ErrorCategory.AuthenticationError, RoleA, seeded.SecretAccessKey, seeded.SessionToken);
    }

    [Fact]
    public void WrongSecretIsInvalidCredentials()
    {
        var result = _shell.Run($"Get-AwsRoleCredential -AccessKey {_aws.BaseUser.AccessKeyId} -SecretKey 'not-the-secret-at-all-000000000000000000' -RoleArn '{RoleA}'");

        AssertError(result, "StsInvalidCredentials", ErrorCategory.AuthenticationError, RoleA);
    }

    [Fact]
    public void ChainedRoleDurationOverOneHourIsAValidationError()
    {
        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}','arn:aws:iam::333333333333:role/RoleB' -DurationSeconds 7200");

        // The first hop may run 2 hours only if the role allows it; by default roles allow 1 hour.
        Assert.Equal(ErrorCategory.InvalidArgument, result.SingleError.CategoryInfo.Category);
        Assert.Equal("StsValidationError," + Command, result.SingleError.FullyQualifiedErrorId);
    }

    [Fact]
    public void ThrottlingIsRetriedBySdkThenSucceeds()
    {
        _aws.Sts.InjectError("AssumeRole", "Throttling", 400, times: 1, message: "Rate exceeded");

        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}'").ThrowOnError();

        Assert.Single(result.Output);
        Assert.Equal(2, _aws.Sts.CountCalls("AssumeRole"));
    }

    [Fact]
    public async Task StsDown()
    {
        await _aws.Sts.StopAsync();

        var result = _shell.Run($"Get-AwsRoleCredential -ProfileName base -RoleArn '{RoleA}'");

        AssertError(result, "EndpointUnreachable", ErrorCategory.ConnectionError, RoleA);
    }

    [Fact]
    public void SourceProfileCycle()
    {
        _aws.WriteConfig($"[profile x]\nrole_arn = {RoleA}\nsource_profile = y\n\n[profile y]\nrole_arn = {RoleA}\nsource_profile = x\n");

        var result = _shell.Run("Get-AwsRoleCredential -ProfileName x");

        AssertError(result, "SourceProfileCycle", ErrorCategory.InvalidData, "y");
    }

    [Fact]
    public void NoCredentialsAnywhere()
    {
        _aws.WriteCredentials(string.Empty);
        _aws.WriteConfig(string.Empty);

        var result = _shell.Run($"Get-AwsRoleCredential -RoleArn '{RoleA}'");

        AssertError(result, "NoCredentials", ErrorCategory.AuthenticationError, null);
    }

    [Fact]
    public void FailingCredentialProcessShowsItsStderr()
    {
        _aws.WriteConfig("[profile proc]\ncredential_process = sh -c 'echo token service unavailable >&2; exit 3'\n");

        var result = _shell.Run("Get-AwsRoleCredential -ProfileName proc");

        AssertError(result, "CredentialProcessFailed", ErrorCategory.InvalidResult, "proc");
        Assert.Contains("token service unavailable", result.SingleError.ErrorDetails.Message);
    }

    [Fact]
    public void AsProcessJsonFailureIsTerminating()
    {
        // A statement-terminating error is caught by try/catch; a non-terminating one would not be.
        var result = _shell.Run("try { Get-AwsRoleCredential -ProfileName nosuch -AsProcessJson; 'after' } catch { $_.FullyQualifiedErrorId }");

        Assert.Empty(result.Errors);
        Assert.Equal("ProfileNotFound," + Command, Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void InvokeAwsAsNeedsAScriptOrAProgram()
    {
        var result = _shell.Run("Invoke-AwsAs -ProfileName base");

        Assert.Equal("ScriptOrProgramRequired,AwsLogin.Commands.Run.InvokeAwsAsCommand", result.SingleError.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, result.SingleError.CategoryInfo.Category);
    }

    private void AssertError(RunResult result, string errorId, ErrorCategory category, string? target, params string[] moreSecrets)
    {
        var error = result.SingleError;
        Assert.Equal(errorId + "," + Command, error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        if (target is not null)
        {
            Assert.Equal(target, error.TargetObject);
        }

        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.Message));
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        Assert.DoesNotContain("   at ", error.ErrorDetails!.Message);
        var text = result.AllText();
        Assert.DoesNotContain(_aws.BaseUser.SecretAccessKey, text);
        foreach (var issued in _aws.Sts.IssuedCredentials)
        {
            Assert.DoesNotContain(issued.SecretAccessKey, text);
            Assert.DoesNotContain(issued.SessionToken, text);
        }

        foreach (var secret in moreSecrets)
        {
            Assert.DoesNotContain(secret, text);
        }
    }
}
