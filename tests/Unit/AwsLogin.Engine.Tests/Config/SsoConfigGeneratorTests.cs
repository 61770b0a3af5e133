using System;
using System.Linq;
using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

public sealed class SsoConfigGeneratorTests
{
    private static readonly string s_nl = Environment.NewLine;

    private static string Lines(params string[] lines) => string.Join(s_nl, lines) + s_nl;

    [Fact]
    public void Text_holds_the_sso_session_and_one_profile_per_assignment_in_account_then_role_order()
    {
        var plan = SsoConfigGenerator.Generate(SsoConfigTestData.Request());

        Assert.Equal(
            Lines(
                "[sso-session corp]",
                "sso_start_url = https://d-1234567890.awsapps.com/start",
                "sso_region = eu-central-1",
                "sso_registration_scopes = sso:account:access",
                "x_awslogin_generated = sso-session corp",
                string.Empty,
                "[profile Dev-AdministratorAccess]",
                "sso_session = corp",
                "sso_account_id = 111111111111",
                "sso_role_name = AdministratorAccess",
                "# region =",
                "x_awslogin_generated = sso-role corp 111111111111 AdministratorAccess",
                string.Empty,
                "[profile Dev-ReadOnly]",
                "sso_session = corp",
                "sso_account_id = 111111111111",
                "sso_role_name = ReadOnly",
                "# region =",
                "x_awslogin_generated = sso-role corp 111111111111 ReadOnly",
                string.Empty,
                "[profile Prod-AdministratorAccess]",
                "sso_session = corp",
                "sso_account_id = 222222222222",
                "sso_role_name = AdministratorAccess",
                "# region =",
                "x_awslogin_generated = sso-role corp 222222222222 AdministratorAccess"),
            plan.Text);
        Assert.Null(plan.Change);
        Assert.Null(plan.Path);
        Assert.True(plan.HasChanges);
        Assert.Equal("corp", plan.SessionName);
        Assert.Equal(SsoConfigAction.Added, plan.SessionAction);
        Assert.Equal(new[] { "Dev-AdministratorAccess", "Dev-ReadOnly", "Prod-AdministratorAccess" }, plan.Profiles.Select(p => p.ProfileName));
        Assert.All(plan.Profiles, p => Assert.Equal(SsoConfigAction.Added, p.Action));
        Assert.All(plan.Profiles, p => Assert.Equal(SsoConfigProfileKind.SsoRole, p.Kind));
    }

    [Fact]
    public void Region_output_and_scopes_are_written_to_every_profile()
    {
        var session = new SsoConfigSession("corp", SsoConfigTestData.StartUrl, "eu-central-1", new[] { "sso:account:access", "codewhisperer:completions" });
        var request = new SsoConfigRequest(session, new[] { new SsoConfigAssignment("111111111111", "Dev", "ReadOnly") }) { Region = "eu-west-1", Output = "json" };

        var plan = SsoConfigGenerator.Generate(request);

        Assert.Equal(
            Lines(
                "[sso-session corp]",
                "sso_start_url = https://d-1234567890.awsapps.com/start",
                "sso_region = eu-central-1",
                "sso_registration_scopes = sso:account:access,codewhisperer:completions",
                "x_awslogin_generated = sso-session corp",
                string.Empty,
                "[profile Dev-ReadOnly]",
                "sso_session = corp",
                "sso_account_id = 111111111111",
                "sso_role_name = ReadOnly",
                "region = eu-west-1",
                "output = json",
                "x_awslogin_generated = sso-role corp 111111111111 ReadOnly"),
            plan.Text);
        Assert.Equal("eu-west-1", plan.Profiles.Single().Region);
    }

    [Fact]
    public void CredentialProcess_profiles_call_pwsh_instead_of_naming_the_sso_settings()
    {
        var request = new SsoConfigRequest(SsoConfigTestData.Session, new[] { new SsoConfigAssignment("012345678901", "Dev", "ReadOnly") }) { CredentialProcess = true };

        var plan = SsoConfigGenerator.Generate(request);

        Assert.EndsWith(
            Lines(
                "[profile Dev-ReadOnly]",
                "credential_process = pwsh -NoProfile -NonInteractive -Command \"Get-AwsRoleCredential -SsoSession 'corp' -SsoAccountId '012345678901' -SsoRoleName 'ReadOnly' -AsProcessJson\"",
                "# region =",
                "x_awslogin_generated = sso-role corp 012345678901 ReadOnly"),
            plan.Text);
        Assert.StartsWith("[sso-session corp]", plan.Text);
    }

    [Fact]
    public void Names_that_collide_get_numbers_in_account_order_whatever_the_input_order()
    {
        var assignments = new[]
        {
            new SsoConfigAssignment("333333333333", "Sandbox", "Admin"),
            new SsoConfigAssignment("111111111111", "Sandbox", "Admin"),
            new SsoConfigAssignment("222222222222", "Sandbox", "Admin"),
            new SsoConfigAssignment("444444444444", "Sandbox-Admin", "2"),
        };

        var forward = SsoConfigGenerator.Generate(SsoConfigTestData.Request(assignments));
        var backward = SsoConfigGenerator.Generate(SsoConfigTestData.Request(assignments.Reverse().ToArray()));

        Assert.Equal(forward.Text, backward.Text);
        Assert.Equal(
            new[] { ("111111111111", "Sandbox-Admin"), ("222222222222", "Sandbox-Admin-2"), ("333333333333", "Sandbox-Admin-3"), ("444444444444", "Sandbox-Admin-2-2") },
            forward.Profiles.Select(p => (p.AccountId, p.ProfileName)));
    }

    [Fact]
    public void The_default_profile_name_is_never_generated()
    {
        var request = new SsoConfigRequest(SsoConfigTestData.Session, new[] { new SsoConfigAssignment("111111111111", "default", "Admin") }) { NameTemplate = "{AccountName}" };

        var plan = SsoConfigGenerator.Generate(request);

        Assert.Equal("default-2", plan.Profiles.Single().ProfileName);
        Assert.Contains("[profile default-2]", plan.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("[default]", plan.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_sanitises_to_nothing_falls_back_to_account_and_role()
    {
        var log = new SplitLog();
        var request = new SsoConfigRequest(SsoConfigTestData.Session, new[] { new SsoConfigAssignment("111111111111", "日本", "Admin") }) { NameTemplate = "{AccountName}" };

        var plan = SsoConfigGenerator.Generate(request, log);

        Assert.Equal("111111111111-Admin", plan.Profiles.Single().ProfileName);
        Assert.Contains(log.VerboseMessages, m => m.Contains("111111111111/Admin", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_assignments_are_written_once()
    {
        var one = new SsoConfigAssignment("111111111111", "Dev", "ReadOnly");
        var plan = SsoConfigGenerator.Generate(SsoConfigTestData.Request(one, new SsoConfigAssignment("111111111111", "Dev again", "ReadOnly")));

        Assert.Equal("Dev-ReadOnly", plan.Profiles.Single().ProfileName);
    }

    [Fact]
    public void Target_roles_become_role_arn_and_source_profile_profiles_named_by_the_same_template()
    {
        var request = SsoConfigTestData.Request();
        request.Region = "eu-west-1";
        request.TargetRoles = new[]
        {
            new SsoTargetRoleProfile("222222222222", "AdministratorAccess", "arn:aws:iam::444444444444:role/deploy/Deployer", "Tools Account", "us-east-1"),
            new SsoTargetRoleProfile("111111111111", "ReadOnly", "arn:aws:iam::333333333333:role/Auditor"),
        };

        var plan = SsoConfigGenerator.Generate(request);

        Assert.EndsWith(
            Lines(
                "[profile 333333333333-Auditor]",
                "role_arn = arn:aws:iam::333333333333:role/Auditor",
                "source_profile = Dev-ReadOnly",
                "region = eu-west-1",
                "x_awslogin_generated = target-role corp 111111111111 ReadOnly arn:aws:iam::333333333333:role/Auditor",
                string.Empty,
                "[profile Tools-Account-Deployer]",
                "role_arn = arn:aws:iam::444444444444:role/deploy/Deployer",
                "source_profile = Prod-AdministratorAccess",
                "region = us-east-1",
                "x_awslogin_generated = target-role corp 222222222222 AdministratorAccess arn:aws:iam::444444444444:role/deploy/Deployer"),
            plan.Text);
        var targets = plan.Profiles.Where(p => p.Kind == SsoConfigProfileKind.TargetRole).ToArray();
        Assert.Equal(new[] { "333333333333-Auditor", "Tools-Account-Deployer" }, targets.Select(p => p.ProfileName));
        Assert.Equal(new[] { "Dev-ReadOnly", "Prod-AdministratorAccess" }, targets.Select(p => p.SourceProfile));
        Assert.Equal(new[] { "arn:aws:iam::333333333333:role/Auditor", "arn:aws:iam::444444444444:role/deploy/Deployer" }, targets.Select(p => p.TargetRoleArn));
        Assert.Equal(new[] { "eu-west-1", "us-east-1" }, targets.Select(p => p.Region));
    }

    [Fact]
    public void A_target_role_name_that_collides_with_a_permission_set_profile_gets_a_number()
    {
        var request = SsoConfigTestData.Request(new SsoConfigAssignment("111111111111", "Prod", "Admin"));
        request.TargetRoles = new[] { new SsoTargetRoleProfile("111111111111", "Admin", "arn:aws:iam::222222222222:role/Admin", "Prod") };

        var plan = SsoConfigGenerator.Generate(request);

        Assert.Equal(new[] { "Prod-Admin", "Prod-Admin-2" }, plan.Profiles.Select(p => p.ProfileName));
        Assert.Contains("source_profile = Prod-Admin" + s_nl, plan.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_role_whose_source_is_not_assigned_is_skipped_with_a_warning()
    {
        var log = new SplitLog();
        var request = SsoConfigTestData.Request();
        request.TargetRoles = new[] { new SsoTargetRoleProfile("999999999999", "Admin", "arn:aws:iam::444444444444:role/Deploy", "tools") };

        var plan = SsoConfigGenerator.Generate(request, log);

        var skipped = plan.Profiles.Single(p => p.Kind == SsoConfigProfileKind.TargetRole);
        Assert.Equal(SsoConfigAction.Skipped, skipped.Action);
        Assert.Equal("tools-Deploy", skipped.ProfileName);
        Assert.NotNull(skipped.Reason);
        Assert.DoesNotContain("role_arn", plan.Text, StringComparison.Ordinal);
        var warning = Assert.Single(log.Warnings);
        Assert.Contains("arn:aws:iam::444444444444:role/Deploy", warning, StringComparison.Ordinal);
        Assert.Contains("999999999999/Admin", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_target_role_listed_twice_is_written_once_unless_the_entries_disagree()
    {
        var request = SsoConfigTestData.Request();
        request.TargetRoles = new[]
        {
            new SsoTargetRoleProfile("111111111111", "ReadOnly", "arn:aws:iam::333333333333:role/Auditor", "audit"),
            new SsoTargetRoleProfile("111111111111", "ReadOnly", "arn:aws:iam::333333333333:role/Auditor", "audit"),
        };
        Assert.Single(SsoConfigGenerator.Generate(request).Profiles, p => p.Kind == SsoConfigProfileKind.TargetRole);

        request.TargetRoles = new[]
        {
            new SsoTargetRoleProfile("111111111111", "ReadOnly", "arn:aws:iam::333333333333:role/Auditor", "audit"),
            new SsoTargetRoleProfile("111111111111", "ReadOnly", "arn:aws:iam::333333333333:role/Auditor", "audit", "us-east-1"),
        };
        var error = Assert.Throws<AwsLoginException>(() => SsoConfigGenerator.Generate(request));
        Assert.Equal("InvalidTargetRoleProfile", error.Code);
        Assert.Equal("arn:aws:iam::333333333333:role/Auditor", error.Target);
    }

    [Fact]
    public void Bad_template_region_or_output_fail_before_anything_is_generated()
    {
        var request = SsoConfigTestData.Request();
        request.NameTemplate = "{Account}";
        Assert.Equal("InvalidNameTemplate", Assert.Throws<AwsLoginException>(() => SsoConfigGenerator.Generate(request)).Code);

        request.NameTemplate = SsoConfigRequest.DefaultNameTemplate;
        request.Region = "Europe";
        Assert.Equal("InvalidSsoConfigSetting", Assert.Throws<AwsLoginException>(() => SsoConfigGenerator.Generate(request)).Code);

        request.Region = null;
        request.Output = "xml";
        var error = Assert.Throws<AwsLoginException>(() => SsoConfigGenerator.Generate(request));
        Assert.Equal("InvalidSsoConfigSetting", error.Code);
        Assert.Equal("xml", error.Target);
    }

    [Fact]
    public void No_assignments_give_the_sso_session_alone()
    {
        var plan = SsoConfigGenerator.Generate(new SsoConfigRequest(SsoConfigTestData.Session, Array.Empty<SsoConfigAssignment>()));

        Assert.Empty(plan.Profiles);
        Assert.StartsWith("[sso-session corp]" + s_nl, plan.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("[profile", plan.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_plan_cannot_be_applied()
    {
        var plan = SsoConfigGenerator.Generate(SsoConfigTestData.Request());

        Assert.Throws<InvalidOperationException>(() => SsoConfigGenerator.Apply(plan, DateTime.UtcNow));
    }
}
