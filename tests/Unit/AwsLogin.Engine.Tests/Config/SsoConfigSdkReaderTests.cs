using System;
using System.IO;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

/// <summary>The generated config as the AWS SDK for .NET's own profile reader, and ours, read it.</summary>
public sealed class SsoConfigSdkReaderTests
{
    private const string CredentialProcessSession = "cp-only";

    // Permission set profiles with and without a region, a target role, and credential_process profiles of a second
    // sso-session, merged into a file that already has a profile of its own.
    private static string WriteConfig(TempFolder folder)
    {
        var path = folder.File("config");
        File.WriteAllText(path, "# mine\n[profile mine]\nregion = us-east-2\n");
        var request = new SsoConfigRequest(
            new SsoConfigSession("corp", SsoConfigTestData.StartUrl, "eu-central-1", new[] { "sso:account:access", "codewhisperer:completions" }),
            new[] { new SsoConfigAssignment("012345678901", "Dev", "ReadOnly"), new SsoConfigAssignment("222222222222", "Prod", "Admin,Ops") })
        {
            Output = "json",
            TargetRoles = new[] { new SsoTargetRoleProfile("012345678901", "ReadOnly", "arn:aws:iam::333333333333:role/audit/Auditor", "audit", "us-west-2") },
        };
        SsoConfigGenerator.Apply(SsoConfigGenerator.PlanMerge(path, request), DateTime.UtcNow);

        var processRequest = new SsoConfigRequest(
            new SsoConfigSession(CredentialProcessSession, "https://d-0987654321.awsapps.com/start", "us-east-1"),
            new[] { new SsoConfigAssignment("012345678901", "Dev", "ReadOnly") })
        {
            NameTemplate = "{SessionName}-{AccountName}-{RoleName}",
            CredentialProcess = true,
            Region = "ap-southeast-2",
        };
        SsoConfigGenerator.Apply(SsoConfigGenerator.PlanMerge(path, processRequest), DateTime.UtcNow);
        File.WriteAllText(folder.File("credentials"), string.Empty);
        return path;
    }

    [Fact]
    public void The_AWS_SDK_reads_the_sso_profiles_with_their_sso_session()
    {
        using var folder = new TempFolder();
        WriteConfig(folder);
        var file = SdkFile(folder);

        Assert.True(file.TryGetProfile("Dev-ReadOnly", out var dev));
        Assert.Equal("corp", dev.Options.SsoSession);
        Assert.Equal("012345678901", dev.Options.SsoAccountId);
        Assert.Equal("ReadOnly", dev.Options.SsoRoleName);
        Assert.Equal("eu-central-1", dev.Options.SsoRegion);
        Assert.Equal(SsoConfigTestData.StartUrl, dev.Options.SsoStartUrl);
        Assert.Equal("sso:account:access,codewhisperer:completions", dev.Options.SsoRegistrationScopes);
        Assert.Null(dev.Region);
        Assert.True(string.IsNullOrEmpty(dev.Options.CredentialProcess));

        Assert.True(file.TryGetProfile("Prod-Admin-Ops", out var prod));
        Assert.Equal("222222222222", prod.Options.SsoAccountId);
        Assert.Equal("Admin,Ops", prod.Options.SsoRoleName);
        Assert.Equal("corp", prod.Options.SsoSession);

        // The SDK recognises them as SSO profiles (it builds SSO credentials; nothing is called until they are used).
        Assert.IsType<SSOAWSCredentials>(AWSCredentialsFactory.GetAWSCredentials(dev, file));
    }

    [Fact]
    public void The_AWS_SDK_reads_the_target_role_as_role_arn_with_source_profile()
    {
        using var folder = new TempFolder();
        WriteConfig(folder);
        var file = SdkFile(folder);

        Assert.True(file.TryGetProfile("audit-Auditor", out var audit));
        Assert.Equal("arn:aws:iam::333333333333:role/audit/Auditor", audit.Options.RoleArn);
        Assert.Equal("Dev-ReadOnly", audit.Options.SourceProfile);
        Assert.Equal("us-west-2", audit.Region.SystemName);
        Assert.IsType<AssumeRoleAWSCredentials>(AWSCredentialsFactory.GetAWSCredentials(audit, file));
    }

    [Fact]
    public void The_AWS_SDK_reads_the_credential_process_profile_and_the_profiles_it_did_not_generate()
    {
        using var folder = new TempFolder();
        WriteConfig(folder);
        var file = SdkFile(folder);

        Assert.True(file.TryGetProfile("cp-only-Dev-ReadOnly", out var process));
        Assert.Equal(SsoConfigNames.CredentialProcessCommand(CredentialProcessSession, "012345678901", "ReadOnly"), process.Options.CredentialProcess);
        Assert.True(string.IsNullOrEmpty(process.Options.SsoSession));
        Assert.True(string.IsNullOrEmpty(process.Options.SsoAccountId));
        Assert.Equal("ap-southeast-2", process.Region.SystemName);
        Assert.IsType<ProcessAWSCredentials>(AWSCredentialsFactory.GetAWSCredentials(process, file));

        Assert.True(file.TryGetProfile("mine", out var mine));
        Assert.Equal("us-east-2", mine.Region.SystemName);
    }

    [Fact]
    public void Our_ProfileStore_reads_the_same_values()
    {
        using var folder = new TempFolder();
        var path = WriteConfig(folder);

        var store = ProfileStore.Load(new SharedConfigFiles(path, folder.File("credentials")));

        Assert.Equal(new[] { "mine", "Dev-ReadOnly", "Prod-Admin-Ops", "audit-Auditor", "cp-only-Dev-ReadOnly" }, store.ProfileNames);
        Assert.Equal(new[] { "corp", CredentialProcessSession }, store.SsoSessionNames);
        Assert.True(store.TryGetSsoSession("corp", out var session));
        Assert.Equal(SsoConfigTestData.StartUrl, session!.StartUrl);
        Assert.Equal("eu-central-1", session.Region);
        Assert.Equal(new[] { "sso:account:access", "codewhisperer:completions" }, session.RegistrationScopes);

        var dev = store.GetProfileOrThrow("Dev-ReadOnly");
        Assert.Equal("corp", dev.SsoSession);
        Assert.Equal("012345678901", dev.SsoAccountId);
        Assert.Equal("ReadOnly", dev.SsoRoleName);
        Assert.Null(dev.Region);
        Assert.Equal("json", dev.Get("output"));

        var audit = store.GetProfileOrThrow("audit-Auditor");
        Assert.Equal("arn:aws:iam::333333333333:role/audit/Auditor", audit.RoleArn);
        Assert.Equal("Dev-ReadOnly", audit.SourceProfile);
        Assert.Equal("us-west-2", audit.Region);

        var process = store.GetProfileOrThrow("cp-only-Dev-ReadOnly");
        Assert.Equal(SsoConfigNames.CredentialProcessCommand(CredentialProcessSession, "012345678901", "ReadOnly"), process.CredentialProcess);
        Assert.Null(process.SsoSession);
    }

    private static SharedCredentialsFile SdkFile(TempFolder folder)
    {
        // The SDK reads the config file next to the credentials file unless AWS_CONFIG_FILE points elsewhere.
        Assert.True(
            string.IsNullOrEmpty(Environment.GetEnvironmentVariable(SharedConfigFiles.ConfigFileVariable)),
            "AWS_CONFIG_FILE is set, so the AWS SDK would read that file instead of the generated one; unset it to run these tests.");
        return new SharedCredentialsFile(folder.File("credentials"));
    }
}
