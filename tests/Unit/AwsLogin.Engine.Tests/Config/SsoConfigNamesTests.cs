using System;
using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

public sealed class SsoConfigNamesTests
{
    [Theory]
    [InlineData("Prod-AdministratorAccess", "Prod-AdministratorAccess")]
    [InlineData("Prod Account (EU)", "Prod-Account-EU")]
    [InlineData("  [weird]  name  ", "weird-name")]
    [InlineData("a -- b", "a-b")]
    [InlineData("---", "")]
    [InlineData("", "")]
    [InlineData("Développement", "Developpement")]
    [InlineData("Ærø Straße", "r-Stra-e")]
    [InlineData("日本", "")]
    [InlineData("me+aws@example.com", "me+aws@example.com")]
    [InlineData("a_b.c", "a_b.c")]
    [InlineData("quote'\"back\\slash/and:colon;semi=eq,comma", "quote-back-slash-and-colon-semi-eq-comma")]
    [InlineData("tab\tnew\nline", "tab-new-line")]
    [InlineData("MiXeD", "MiXeD")]
    public void Sanitize_keeps_safe_characters_and_collapses_the_rest_to_one_dash(string text, string expected)
    {
        Assert.Equal(expected, SsoConfigNames.Sanitize(text));
    }

    [Fact]
    public void Sanitize_survives_a_lone_surrogate()
    {
        Assert.Equal("a-b", SsoConfigNames.Sanitize("a\uD800b"));
    }

    [Theory]
    [InlineData("{AccountName}-{RoleName}", "Prod-Account-Admin")]
    [InlineData("{accountid}_{ROLENAME}", "222222222222_Admin")]
    [InlineData("sso {SessionName} {AccountEmail}", "sso-corp-prod+ops@example.com")]
    [InlineData("{AccountName}/{AccountId}", "Prod-Account-222222222222")]
    [InlineData("[{RoleName}]", "Admin")]
    public void Expand_fills_placeholders_ignoring_case_and_sanitises_the_whole_name(string template, string expected)
    {
        Assert.Equal(expected, SsoConfigNames.Expand(template, "Prod Account", "222222222222", "Admin", "prod+ops@example.com", "corp"));
    }

    [Fact]
    public void Expand_treats_missing_values_as_empty()
    {
        Assert.Equal("Admin", SsoConfigNames.Expand("{AccountEmail}-{RoleName}", null, "222222222222", "Admin", null, "corp"));
    }

    [Theory]
    [InlineData("{AccountName}-{Role}")]
    [InlineData("{AccountName")]
    [InlineData("AccountName}")]
    [InlineData("{{AccountName}}")]
    [InlineData("fixed-name")]
    [InlineData("{SessionName}")]
    [InlineData("")]
    public void A_bad_template_is_InvalidNameTemplate(string template)
    {
        var error = Assert.Throws<AwsLoginException>(() => SsoConfigNames.ValidateTemplate(template));

        Assert.Equal("InvalidNameTemplate", error.Code);
        Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        Assert.Equal(template, error.Target);
        Assert.NotNull(error.RecommendedAction);
    }

    [Fact]
    public void Every_placeholder_is_listed()
    {
        Assert.Equal(new[] { "AccountName", "AccountId", "RoleName", "AccountEmail", "SessionName" }, SsoConfigNames.Placeholders);
        foreach (var placeholder in SsoConfigNames.Placeholders)
        {
            SsoConfigNames.ValidateTemplate("{" + placeholder + "}-{RoleName}");
        }
    }

    [Fact]
    public void The_credential_process_command_quotes_every_value_for_PowerShell_inside_one_shell_word()
    {
        Assert.Equal(
            "pwsh -NoProfile -NonInteractive -Command \"Get-AwsRoleCredential -SsoSession 'corp' -SsoAccountId '012345678901' -SsoRoleName 'Admin,Ops' -AsProcessJson\"",
            SsoConfigNames.CredentialProcessCommand("corp", "012345678901", "Admin,Ops"));
    }

    [Fact]
    public void The_credential_process_line_runs_the_PowerShell_it_is_given()
    {
        Assert.StartsWith("powershell -NoProfile -NonInteractive -Command \"Get-AwsRoleCredential -SsoSession 'corp'",
            SsoConfigNames.CredentialProcessCommand("corp", "012345678901", "Admin", "powershell"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my sso", "111111111111", "Admin")]
    [InlineData("corp", "11111111111", "Admin")]
    [InlineData("corp", "111111111111", "Admin'; Remove-Item")]
    [InlineData("co$rp", "111111111111", "Admin")]
    public void The_credential_process_command_refuses_values_it_cannot_quote(string session, string accountId, string roleName)
    {
        Assert.Equal("InvalidSsoConfigSetting", Assert.Throws<AwsLoginException>(() => SsoConfigNames.CredentialProcessCommand(session, accountId, roleName)).Code);
    }

    [Theory]
    [InlineData("my sso")]
    [InlineData("")]
    [InlineData("a]b")]
    [InlineData("a\"b")]
    public void A_session_name_the_config_cannot_hold_is_refused(string name)
    {
        var error = Assert.Throws<AwsLoginException>(() => new SsoConfigSession(name, SsoConfigTestData.StartUrl, "eu-west-1"));

        Assert.Equal("InvalidSsoConfigSetting", error.Code);
        Assert.Equal(name, error.Target);
    }

    [Theory]
    [InlineData("d-123.awsapps.com/start")]
    [InlineData("ftp://d-123.awsapps.com/start")]
    [InlineData("https://d-123.awsapps.com/start page")]
    [InlineData("")]
    public void A_start_url_that_is_not_an_absolute_https_url_is_refused(string url)
    {
        Assert.Equal("InvalidSsoConfigSetting", Assert.Throws<AwsLoginException>(() => new SsoConfigSession("corp", url, "eu-west-1")).Code);
    }

    [Theory]
    [InlineData("EU-WEST-1")]
    [InlineData("eu-west")]
    [InlineData("eu west 1")]
    public void A_region_that_is_not_a_region_name_is_refused(string region)
    {
        Assert.Equal("InvalidSsoConfigSetting", Assert.Throws<AwsLoginException>(() => new SsoConfigSession("corp", SsoConfigTestData.StartUrl, region)).Code);
    }

    [Fact]
    public void Registration_scopes_default_to_account_access_and_are_validated()
    {
        Assert.Equal(new[] { "sso:account:access" }, new SsoConfigSession("corp", SsoConfigTestData.StartUrl, "us-gov-west-1").RegistrationScopes);
        Assert.Equal(new[] { "sso:account:access", "codewhisperer:completions" }, new SsoConfigSession("corp", SsoConfigTestData.StartUrl, "eu-west-1", new[] { "sso:account:access", "codewhisperer:completions", "sso:account:access" }).RegistrationScopes);
        Assert.Equal("InvalidSsoConfigSetting", Assert.Throws<AwsLoginException>(() => new SsoConfigSession("corp", SsoConfigTestData.StartUrl, "eu-west-1", new[] { "a,b" })).Code);
    }

    [Theory]
    [InlineData("12345678901", "Admin")]
    [InlineData("1234567890123", "Admin")]
    [InlineData("12345678901a", "Admin")]
    [InlineData("123456789012", "")]
    [InlineData("123456789012", "Admin Role")]
    [InlineData("123456789012", "Admin/Path")]
    public void An_assignment_needs_a_12_digit_account_and_an_IAM_role_name(string accountId, string roleName)
    {
        Assert.Equal("InvalidSsoConfigSetting", Assert.Throws<AwsLoginException>(() => new SsoConfigAssignment(accountId, "Name", roleName)).Code);
    }

    [Fact]
    public void Null_arguments_are_refused()
    {
        Assert.Throws<ArgumentNullException>(() => SsoConfigNames.Sanitize(null!));
        Assert.Throws<ArgumentNullException>(() => SsoConfigNames.ValidateTemplate(null!));
        Assert.Throws<ArgumentNullException>(() => new SsoConfigRequest(null!, Array.Empty<SsoConfigAssignment>()));
        Assert.Throws<ArgumentNullException>(() => new SsoConfigRequest(SsoConfigTestData.Session, null!));
        Assert.Throws<ArgumentException>(() => new SsoConfigRequest(SsoConfigTestData.Session, new SsoConfigAssignment[] { null! }));
    }
}
