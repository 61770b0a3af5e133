using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

public sealed class SsoConfigMergeTests
{
    // A hand-kept file (BOM, CRLF) holding profiles of its own, another tool's sso-session and generated profile,
    // services, odd spacing, and profiles an earlier export of sso-session 'corp' wrote: Dev-ReadOnly (since edited
    // by hand: a comment and a key added) and Old-Admin (no longer assigned). Prod-AdministratorAccess is the
    // user's own profile for another account under a name the export would generate.
    private const string HandKept =
        "\uFEFF# AWS config, maintained by hand.\r\n" +
        "# Do not reorder: tools read the first profile.\r\n" +
        "[default]\r\n" +
        "region = us-east-1\r\n" +
        "output=json\r\n" +
        "\r\n" +
        "; personal keys come from a password manager\r\n" +
        "[profile personal]\r\n" +
        "credential_process = /usr/local/bin/get-creds personal\r\n" +
        "region=eu-west-1\r\n" +
        "\r\n" +
        "[sso-session corp]\r\n" +
        "sso_start_url = https://d-1234567890.awsapps.com/start\r\n" +
        "sso_region = eu-central-1\r\n" +
        "sso_registration_scopes = sso:account:access\r\n" +
        "x_awslogin_generated = sso-session corp\r\n" +
        "\r\n" +
        "# generated profiles below, edited by hand afterwards\r\n" +
        "[profile Dev-ReadOnly]\r\n" +
        "sso_session = corp\r\n" +
        "sso_account_id = 111111111111\r\n" +
        "sso_role_name = ReadOnly\r\n" +
        "# my note: read only!\r\n" +
        "cli_pager =\r\n" +
        "x_awslogin_generated = sso-role corp 111111111111 ReadOnly\r\n" +
        "\r\n" +
        "[sso-session other]\r\n" +
        "sso_start_url = https://other.awsapps.com/start\r\n" +
        "sso_region = us-east-1\r\n" +
        "\r\n" +
        "[profile other-Admin]\r\n" +
        "sso_session = other\r\n" +
        "sso_account_id = 555555555555\r\n" +
        "sso_role_name = Admin\r\n" +
        "x_awslogin_generated = sso-role other 555555555555 Admin\r\n" +
        "\r\n" +
        "[profile Old-Admin]\r\n" +
        "sso_session = corp\r\n" +
        "sso_account_id = 999999999999\r\n" +
        "sso_role_name = Admin\r\n" +
        "region = us-west-2\r\n" +
        "x_awslogin_generated = sso-role corp 999999999999 Admin\r\n" +
        "\r\n" +
        "# services for local testing\r\n" +
        "[services local]\r\n" +
        "sts =\r\n" +
        "  endpoint_url = http://127.0.0.1:5000\r\n" +
        "\r\n" +
        "    # an indented comment\r\n" +
        "[profile  spaced]\r\n" +
        "region = ap-south-1\r\n" +
        "description = first line\r\n" +
        "  second line\r\n" +
        "\r\n" +
        "[profile Prod-AdministratorAccess]\r\n" +
        "sso_session = corp\r\n" +
        "sso_account_id = 888888888888\r\n" +
        "sso_role_name = AdministratorAccess\r\n" +
        "\r\n";

    private static SsoConfigRequest HandKeptRequest(bool prune) => new(SsoConfigTestData.Session, SsoConfigTestData.Assignments)
    {
        Region = "eu-west-1",
        Prune = prune,
        TargetRoles = new[] { new SsoTargetRoleProfile("111111111111", "ReadOnly", "arn:aws:iam::333333333333:role/Auditor", "audit") },
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Merging_changes_only_the_generated_sections_and_every_other_line_stays(bool prune)
    {
        using var folder = new TempFolder();
        var path = folder.File("config");
        File.WriteAllText(path, HandKept);
        var log = new SplitLog();

        var plan = SsoConfigGenerator.PlanMerge(path, HandKeptRequest(prune), log);

        Assert.Equal(OtherLines(HandKept), OtherLines(plan.Text));
        Assert.StartsWith(HandKept.Substring(0, HandKept.IndexOf("[profile Dev-ReadOnly]", StringComparison.Ordinal)), plan.Text, StringComparison.Ordinal);
        Assert.Equal(
            new[] { "[profile Dev-ReadOnly]", "sso_session = corp", "sso_account_id = 111111111111", "sso_role_name = ReadOnly", "# my note: read only!", "cli_pager =", "x_awslogin_generated = sso-role corp 111111111111 ReadOnly", "region = eu-west-1", string.Empty },
            SectionLines(plan.Text, "[profile Dev-ReadOnly]"));
        Assert.EndsWith(
            "\r\n\r\n[profile Prod-AdministratorAccess]\r\n" +
            "sso_session = corp\r\n" +
            "sso_account_id = 888888888888\r\n" +
            "sso_role_name = AdministratorAccess\r\n" +
            "\r\n" +
            "[profile Dev-AdministratorAccess]\r\n" +
            "sso_session = corp\r\n" +
            "sso_account_id = 111111111111\r\n" +
            "sso_role_name = AdministratorAccess\r\n" +
            "region = eu-west-1\r\n" +
            "x_awslogin_generated = sso-role corp 111111111111 AdministratorAccess\r\n" +
            "\r\n" +
            "[profile audit-Auditor]\r\n" +
            "role_arn = arn:aws:iam::333333333333:role/Auditor\r\n" +
            "source_profile = Dev-ReadOnly\r\n" +
            "region = eu-west-1\r\n" +
            "x_awslogin_generated = target-role corp 111111111111 ReadOnly arn:aws:iam::333333333333:role/Auditor\r\n",
            plan.Text);
        Assert.Equal(prune, !plan.Text.Contains("[profile Old-Admin]", StringComparison.Ordinal));
        if (!prune)
        {
            Assert.Contains(string.Join("\r\n", SectionLines(HandKept, "[profile Old-Admin]")), plan.Text, StringComparison.Ordinal);
        }

        Assert.Equal(SsoConfigAction.Unchanged, plan.SessionAction);
        Assert.Equal(
            new[]
            {
                ("Dev-AdministratorAccess", SsoConfigAction.Added),
                ("Dev-ReadOnly", SsoConfigAction.Updated),
                ("Prod-AdministratorAccess", SsoConfigAction.Skipped),
                ("audit-Auditor", SsoConfigAction.Added),
                ("Old-Admin", prune ? SsoConfigAction.Removed : SsoConfigAction.Stale),
            },
            plan.Profiles.Select(p => (p.ProfileName, p.Action)));
        var warning = Assert.Single(log.Warnings);
        Assert.Contains("'Prod-AdministratorAccess'", warning, StringComparison.Ordinal);
        Assert.Equal(HandKept, ReadExact(path));
        Assert.Equal(HandKept, plan.Change!.OldText);
        Assert.Equal(path, plan.Path);
    }

    [Fact]
    public void The_merged_file_reads_as_intended_and_a_second_merge_changes_nothing()
    {
        using var folder = new TempFolder();
        var path = folder.File("config");
        File.WriteAllText(path, HandKept);
        var first = SsoConfigGenerator.PlanMerge(path, HandKeptRequest(prune: true));
        SsoConfigGenerator.Apply(first, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        var second = SsoConfigGenerator.PlanMerge(path, HandKeptRequest(prune: true));

        Assert.False(second.HasChanges);
        Assert.Equal($"No changes to {path}.", second.Change!.Describe());
        Assert.All(second.Profiles.Where(p => p.Action != SsoConfigAction.Skipped), p => Assert.Equal(SsoConfigAction.Unchanged, p.Action));
        Assert.Null(SsoConfigGenerator.Apply(second, DateTime.UtcNow));

        var store = ProfileStore.Load(new SharedConfigFiles(path, folder.File("credentials")));
        Assert.Equal(
            new[] { "default", "personal", "Dev-ReadOnly", "other-Admin", "spaced", "Prod-AdministratorAccess", "Dev-AdministratorAccess", "audit-Auditor" },
            store.ProfileNames);
        var devReadOnly = store.GetProfileOrThrow("Dev-ReadOnly");
        Assert.Equal("corp", devReadOnly.SsoSession);
        Assert.Equal("eu-west-1", devReadOnly.Region);
        Assert.Equal("888888888888", store.GetProfileOrThrow("Prod-AdministratorAccess").SsoAccountId);
        Assert.Equal("Dev-ReadOnly", store.GetProfileOrThrow("audit-Auditor").SourceProfile);
    }

    [Fact]
    public void Describe_shows_the_change_as_a_diff_for_WhatIf()
    {
        using var folder = new TempFolder();
        var path = folder.File("config");
        File.WriteAllText(path, HandKept);

        var diff = SsoConfigGenerator.PlanMerge(path, HandKeptRequest(prune: true)).Change!.Describe();

        Assert.StartsWith($"--- {path}\n+++ {path}\n@@ ", diff, StringComparison.Ordinal);
        Assert.Contains("\n+region = eu-west-1\n", diff, StringComparison.Ordinal);
        Assert.Contains("\n-[profile Old-Admin]\n", diff, StringComparison.Ordinal);
        Assert.Contains("\n+[profile audit-Auditor]\n", diff, StringComparison.Ordinal);
        Assert.Contains("\n+source_profile = Dev-ReadOnly\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_created_with_the_generated_text()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "new", "config");

        var plan = SsoConfigGenerator.PlanMerge(path, SsoConfigTestData.Request());
        var backup = SsoConfigGenerator.Apply(plan, DateTime.UtcNow);

        Assert.Null(backup);
        Assert.True(plan.Change!.IsNewFile);
        Assert.Equal(SsoConfigGenerator.Generate(SsoConfigTestData.Request()).Text, ReadExact(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*backup*"));
    }

    [Fact]
    public void User_keys_and_comments_in_a_generated_profile_survive_a_switch_to_credential_process_and_back()
    {
        const string Text =
            "[profile Dev-ReadOnly]\n" +
            "sso_session = corp\n" +
            "# mine\n" +
            "sso_account_id = 111111111111\n" +
            "mfa_serial = arn:aws:iam::111111111111:mfa/me\n" +
            "sso_role_name = ReadOnly\n" +
            "region = ap-south-1\n" +
            "x_awslogin_generated = sso-role corp 111111111111 ReadOnly\n";
        var document = IniDocument.Parse(Text);
        var request = SsoConfigTestData.Request(new SsoConfigAssignment("111111111111", "Dev", "ReadOnly"));
        request.CredentialProcess = true;

        var (_, profiles) = SsoConfigMerge.Run(request, document, NullEngineLog.Instance, "config");

        Assert.Equal(SsoConfigAction.Updated, profiles.Single().Action);
        Assert.StartsWith(
            "[profile Dev-ReadOnly]\n" +
            "# mine\n" +
            "mfa_serial = arn:aws:iam::111111111111:mfa/me\n" +
            "region = ap-south-1\n" +
            "x_awslogin_generated = sso-role corp 111111111111 ReadOnly\n" +
            "credential_process = " + SsoConfigNames.CredentialProcessCommand("corp", "111111111111", "ReadOnly") + "\n" +
            "\n" +
            "[sso-session corp]\n",
            document.ToString());

        request.CredentialProcess = false;
        SsoConfigMerge.Run(request, document, NullEngineLog.Instance, "config");

        var values = document.GetSection("profile Dev-ReadOnly");
        Assert.False(values.ContainsKey("credential_process"));
        Assert.Equal("corp", values["sso_session"]);
        Assert.Equal("arn:aws:iam::111111111111:mfa/me", values["mfa_serial"]);
        Assert.Equal("ap-south-1", values["region"]);
        Assert.Contains("# mine\n", document.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Values_of_AwsLogin_keys_edited_by_hand_are_set_back()
    {
        var document = IniDocument.Parse(
            "[profile Dev-ReadOnly]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Hacked\nregion = ap-south-1\nx_awslogin_generated = sso-role corp 111111111111 ReadOnly\n");

        var (_, profiles) = SsoConfigMerge.Run(SsoConfigTestData.Request(new SsoConfigAssignment("111111111111", "Dev", "ReadOnly")), document, NullEngineLog.Instance, "config");

        Assert.Equal(SsoConfigAction.Updated, profiles.Single().Action);
        Assert.Equal("ReadOnly", document.GetValue("profile Dev-ReadOnly", "sso_role_name"));
        Assert.Equal("ap-south-1", document.GetValue("profile Dev-ReadOnly", "region"));
    }

    [Fact]
    public void A_generated_name_keeps_its_account_when_an_account_that_sorts_first_takes_the_same_name()
    {
        var document = IniDocument.Parse(SsoConfigGenerator.Generate(SsoConfigTestData.Request(new SsoConfigAssignment("333333333333", "Sandbox", "Admin"))).Text);

        var (_, profiles) = SsoConfigMerge.Run(
            SsoConfigTestData.Request(new SsoConfigAssignment("333333333333", "Sandbox", "Admin"), new SsoConfigAssignment("111111111111", "Sandbox", "Admin")),
            document,
            NullEngineLog.Instance,
            "config");

        Assert.Equal(new[] { ("111111111111", "Sandbox-Admin-2", SsoConfigAction.Added), ("333333333333", "Sandbox-Admin", SsoConfigAction.Unchanged) }, profiles.Select(p => (p.AccountId, p.ProfileName, p.Action)));
        Assert.Equal("333333333333", document.GetValue("profile Sandbox-Admin", "sso_account_id"));
        Assert.Equal("111111111111", document.GetValue("profile Sandbox-Admin-2", "sso_account_id"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_name_of_a_profile_generated_for_another_account_is_never_handed_to_a_new_one(bool prune)
    {
        var document = IniDocument.Parse(SsoConfigGenerator.Generate(SsoConfigTestData.Request(new SsoConfigAssignment("999999999999", "Sandbox", "Admin"))).Text);
        var request = SsoConfigTestData.Request(new SsoConfigAssignment("111111111111", "Sandbox", "Admin"));
        request.Prune = prune;

        var (_, profiles) = SsoConfigMerge.Run(request, document, NullEngineLog.Instance, "config");

        Assert.Equal(
            new[] { ("Sandbox-Admin-2", SsoConfigAction.Added), ("Sandbox-Admin", prune ? SsoConfigAction.Removed : SsoConfigAction.Stale) },
            profiles.Select(p => (p.ProfileName, p.Action)));
        Assert.Equal(prune, !document.ContainsSection("profile Sandbox-Admin"));
        Assert.Equal("111111111111", document.GetValue("profile Sandbox-Admin-2", "sso_account_id"));
    }

    [Fact]
    public void A_new_name_template_adds_profiles_under_the_new_names_and_Prune_removes_the_old_ones()
    {
        var document = IniDocument.Parse(SsoConfigGenerator.Generate(SsoConfigTestData.Request()).Text);
        var request = SsoConfigTestData.Request();
        request.NameTemplate = "{AccountId}-{RoleName}";

        SsoConfigMerge.Run(request, document, NullEngineLog.Instance, "config");
        Assert.Equal(7, document.SectionNames.Count);

        request.Prune = true;
        var (_, profiles) = SsoConfigMerge.Run(request, document, NullEngineLog.Instance, "config");

        Assert.Equal(
            new[] { "sso-session corp", "profile 111111111111-AdministratorAccess", "profile 111111111111-ReadOnly", "profile 222222222222-AdministratorAccess" },
            document.SectionNames);
        Assert.Equal(3, profiles.Count(p => p.Action == SsoConfigAction.Removed));
    }

    [Fact]
    public void Prune_leaves_the_profiles_of_other_sso_sessions_alone()
    {
        var other = new SsoConfigRequest(new SsoConfigSession("other", "https://other.awsapps.com/start", "us-east-1"), new[] { new SsoConfigAssignment("555555555555", "Shared", "Admin") });
        var document = IniDocument.Parse(SsoConfigGenerator.Generate(other).Text);
        var before = document.ToString();
        var request = SsoConfigTestData.Request();
        request.Prune = true;

        SsoConfigMerge.Run(request, document, NullEngineLog.Instance, "config");

        Assert.StartsWith(before, document.ToString(), StringComparison.Ordinal);
        Assert.Equal("555555555555", document.GetValue("profile Shared-Admin", "sso_account_id"));
    }

    [Fact]
    public void A_name_held_by_another_sso_session_or_by_a_profile_whose_marker_was_removed_is_skipped_with_a_warning()
    {
        var text =
            "[profile Dev-ReadOnly]\nsso_session = other\nsso_account_id = 111111111111\nsso_role_name = ReadOnly\nx_awslogin_generated = sso-role other 111111111111 ReadOnly\n\n" +
            "[profile Prod-AdministratorAccess]\nsso_session = corp\nsso_account_id = 222222222222\nsso_role_name = AdministratorAccess\nregion = eu-west-3\n";
        var document = IniDocument.Parse(text);
        var log = new SplitLog();
        var request = SsoConfigTestData.Request();
        request.Region = "eu-west-1";

        var (_, profiles) = SsoConfigMerge.Run(request, document, log, "config");

        Assert.StartsWith(text, document.ToString(), StringComparison.Ordinal);
        Assert.Equal(SsoConfigAction.Skipped, profiles.Single(p => p.ProfileName == "Dev-ReadOnly").Action);
        Assert.Single(log.Warnings, w => w.Contains("'Dev-ReadOnly'", StringComparison.Ordinal) && w.Contains("sso-session 'other'", StringComparison.Ordinal));
        Assert.Contains("'other'", profiles.Single(p => p.ProfileName == "Dev-ReadOnly").Reason, StringComparison.Ordinal);

        // The second profile is the user's own now, but it signs in to the same account and role: no warning.
        Assert.Equal(SsoConfigAction.Skipped, profiles.Single(p => p.ProfileName == "Prod-AdministratorAccess").Action);
        Assert.DoesNotContain(log.Warnings, w => w.Contains("'Prod-AdministratorAccess'", StringComparison.Ordinal));
        Assert.Contains(log.VerboseMessages, m => m.Contains("'Prod-AdministratorAccess'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_target_role_uses_an_equivalent_user_profile_as_its_source_and_is_skipped_when_its_source_conflicts()
    {
        var document = IniDocument.Parse(
            "[profile Prod-AdministratorAccess]\nsso_start_url = https://d-1234567890.awsapps.com/start/\nsso_account_id = 222222222222\nsso_role_name = AdministratorAccess\n\n" +
            "[profile Dev-ReadOnly]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = ReadOnly\n\n");
        var log = new SplitLog();
        var request = SsoConfigTestData.Request();
        request.TargetRoles = new[]
        {
            new SsoTargetRoleProfile("222222222222", "AdministratorAccess", "arn:aws:iam::444444444444:role/Deploy", "tools"),
            new SsoTargetRoleProfile("111111111111", "ReadOnly", "arn:aws:iam::333333333333:role/Auditor", "audit"),
        };

        var (_, profiles) = SsoConfigMerge.Run(request, document, log, "config");

        Assert.Equal("Prod-AdministratorAccess", document.GetValue("profile tools-Deploy", "source_profile"));
        var auditor = profiles.Single(p => p.TargetRoleArn == "arn:aws:iam::333333333333:role/Auditor");
        Assert.Equal(SsoConfigAction.Skipped, auditor.Action);
        Assert.False(document.ContainsSection("profile audit-Auditor"));
        Assert.Equal(2, log.Warnings.Count);
        Assert.Contains(log.Warnings, w => w.Contains("arn:aws:iam::333333333333:role/Auditor", StringComparison.Ordinal) && w.Contains("'Dev-ReadOnly'", StringComparison.Ordinal));
    }

    [Fact]
    public void An_sso_session_section_someone_else_wrote_is_used_when_it_matches_and_refused_when_it_does_not()
    {
        var matching = "[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start/\nsso_region = eu-central-1\n";
        var document = IniDocument.Parse(matching);

        var (action, _) = SsoConfigMerge.Run(SsoConfigTestData.Request(), document, NullEngineLog.Instance, "config");

        Assert.Equal(SsoConfigAction.Unchanged, action);
        Assert.StartsWith(matching + "\n[profile Dev-AdministratorAccess]\n", document.ToString(), StringComparison.Ordinal);

        var other = "[sso-session corp]\nsso_start_url = https://elsewhere.awsapps.com/start\nsso_region = eu-central-1\n";
        document = IniDocument.Parse(other);
        var error = Assert.Throws<AwsLoginException>(() => SsoConfigMerge.Run(SsoConfigTestData.Request(), document, NullEngineLog.Instance, "config"));
        Assert.Equal("SsoSessionConflict", error.Code);
        Assert.Equal(FailureKind.InvalidConfiguration, error.Kind);
        Assert.Equal("corp", error.Target);
        Assert.Equal(other, document.ToString());
    }

    [Fact]
    public void The_sso_session_section_AwsLogin_wrote_is_updated_in_place()
    {
        var document = IniDocument.Parse("[sso-session corp]\nsso_start_url = https://old.awsapps.com/start\nsso_region = eu-central-1\n# mine\nx_awslogin_generated = sso-session corp\n");
        var request = new SsoConfigRequest(new SsoConfigSession("corp", SsoConfigTestData.StartUrl, "eu-central-1", new[] { "sso:account:access" }), Array.Empty<SsoConfigAssignment>());

        var (action, _) = SsoConfigMerge.Run(request, document, NullEngineLog.Instance, "config");

        Assert.Equal(SsoConfigAction.Updated, action);
        Assert.Equal(
            "[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-central-1\n# mine\nx_awslogin_generated = sso-session corp\nsso_registration_scopes = sso:account:access\n",
            document.ToString());
    }

    [Fact]
    public void Apply_keeps_a_backup_of_the_old_file_owner_only_next_to_it()
    {
        using var folder = new TempFolder();
        var path = folder.File("config");
        File.WriteAllText(path, HandKept);
        var time = new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        var plan = SsoConfigGenerator.PlanMerge(path, HandKeptRequest(prune: false));
        var backup = SsoConfigGenerator.Apply(plan, time);

        Assert.Equal(path + ".awslogin-backup-20260304T050607Z", backup);
        Assert.Equal(HandKept, ReadExact(backup!));
        Assert.Equal(plan.Text, ReadExact(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(backup!));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        }

        var again = SsoConfigGenerator.PlanMerge(path, HandKeptRequest(prune: true));
        Assert.Equal(path + ".awslogin-backup-20260304T050607Z-2", SsoConfigGenerator.Apply(again, time));
        Assert.Equal(plan.Text, ReadExact(path + ".awslogin-backup-20260304T050607Z-2"));
        Assert.Equal(again.Text, ReadExact(path));
    }

    [Fact]
    public void Apply_refuses_when_the_file_changed_after_the_plan_and_writes_no_backup()
    {
        using var folder = new TempFolder();
        var path = folder.File("config");
        File.WriteAllText(path, HandKept);
        var plan = SsoConfigGenerator.PlanMerge(path, HandKeptRequest(prune: false));
        File.AppendAllText(path, "[profile late]\nregion = us-east-1\n");

        var error = Assert.Throws<AwsLoginException>(() => SsoConfigGenerator.Apply(plan, DateTime.UtcNow));

        Assert.Equal("FileChangedConcurrently", error.Code);
        Assert.EndsWith("[profile late]\nregion = us-east-1\n", ReadExact(path), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path, "*backup*"));
    }

    [Fact]
    public void PlanMerge_of_an_unreadable_file_is_a_file_error()
    {
        using var folder = new TempFolder();
        var path = folder.File("config");
        File.WriteAllBytes(path, new byte[] { 0x5B, 0xFF, 0xFE, 0x5D });

        var error = Assert.Throws<AwsLoginException>(() => SsoConfigGenerator.PlanMerge(path, SsoConfigTestData.Request()));

        Assert.Equal("ConfigFileNotUtf8", error.Code);
    }

    // The text exactly, a byte order mark included (File.ReadAllText drops it).
    private static string ReadExact(string path) => System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(path));

    // The lines outside this export's sections, each with its line break. A generated section runs from its header
    // to its last key line plus the blank lines after it: comments after those belong to what follows.
    private static List<string> OtherLines(string text)
    {
        var lines = SplitKeepingBreaks(text);
        var generated = new bool[lines.Count];
        var header = -1;
        for (var i = 0; i <= lines.Count; i++)
        {
            if (i < lines.Count && !lines[i].TrimStart().StartsWith('['))
            {
                continue;
            }

            if (header >= 0 && lines.Skip(header).Take(i - header).Any(IsOurMarker))
            {
                var last = header;
                for (var j = header; j < i; j++)
                {
                    var trimmed = lines[j].Trim();
                    if (trimmed.Length > 0 && !trimmed.StartsWith('#') && !trimmed.StartsWith(';'))
                    {
                        last = j;
                    }
                }

                while (last + 1 < i && lines[last + 1].Trim().Length == 0)
                {
                    last++;
                }

                for (var j = header; j <= last; j++)
                {
                    generated[j] = true;
                }
            }

            header = i;
        }

        return lines.Where((_, i) => !generated[i]).ToList();
    }

    private static bool IsOurMarker(string line)
    {
        var trimmed = line.Trim();
        return trimmed is "x_awslogin_generated = sso-session corp"
            || trimmed.StartsWith("x_awslogin_generated = sso-role corp ", StringComparison.Ordinal)
            || trimmed.StartsWith("x_awslogin_generated = target-role corp ", StringComparison.Ordinal);
    }

    private static List<string> SplitKeepingBreaks(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text.Substring(start, i + 1 - start));
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text.Substring(start));
        }

        return lines;
    }

    // The lines of a section, from its header to the next header.
    private static string[] SectionLines(string text, string header)
    {
        var lines = text.Split("\r\n");
        var start = Array.IndexOf(lines, header);
        Assert.True(start >= 0, header + " is missing");
        var end = start + 1;
        while (end < lines.Length && !lines[end].StartsWith('['))
        {
            end++;
        }

        return lines[start..end];
    }
}
