using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

public sealed class CredentialsFileWriterTests
{
    private const string NewKeyId = "ASIANEWKEYID12345678";
    private const string NewSecret = "NEWSECRETwJalrXUtnFEMIK7MDENGbPxRfiCY";
    private const string NewToken = "NEWTOKENFwoGZXIvYXdzEJr//////////wEaDNEWTOKEN";
    private const string OtherSecret = "OTHERSECRETdoNotShowThisAnywhere";

    private const string Existing =
        "# managed by hand\r\n" +
        "[other]\r\n" +
        "aws_access_key_id = AKIAOTHERKEYID123456\r\n" +
        "aws_secret_access_key = " + OtherSecret + "\r\n" +
        "\r\n" +
        "[dev]\r\n" +
        "aws_access_key_id=AKIAOLDKEYID12345678\r\n" +
        "aws_secret_access_key=OLDSECRETvalue\r\n" +
        "aws_security_token=OLDLEGACYTOKEN\r\n" +
        "aws_session_token=OLDTOKENvalue\r\n" +
        "region=eu-west-1\r\n" +
        "#aws_secret_access_key=COMMENTEDSECRET\r\n" +
        "\r\n" +
        "[last]\r\n" +
        "aws_access_key_id = AKIALASTKEYID1234567\r\n" +
        "aws_secret_access_key = LASTSECRET";

    private static readonly DateTime s_expiration = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    private static CredentialSet Temporary => new(NewKeyId, NewSecret, NewToken) { Expiration = s_expiration, AccountId = "123456789012" };

    [Fact]
    public void PlanUpdate_of_a_missing_file_creates_the_profile()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");

        var change = CredentialsFileWriter.PlanUpdate(path, "dev", Temporary);

        Assert.True(change.IsNewFile);
        Assert.True(change.HasChanges);
        Assert.True(change.IsSecret);
        var nl = Environment.NewLine;
        Assert.Equal(
            $"[dev]{nl}aws_access_key_id = {NewKeyId}{nl}aws_secret_access_key = {NewSecret}{nl}aws_session_token = {NewToken}{nl}aws_account_id = 123456789012{nl}x_security_token_expires = 2026-11-23T12:00:00Z{nl}",
            change.NewText);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Apply_writes_the_file_owner_only()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");
        var change = CredentialsFileWriter.PlanUpdate(path, "dev", Temporary);

        Assert.True(await CredentialsFileWriter.ApplyAsync(change, CancellationToken.None));

        Assert.Equal(change.NewText, File.ReadAllText(path));
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var store = ProfileStore.Load(new SharedConfigFiles(folder.File("config"), path));
        var dev = store.GetProfileOrThrow("dev");
        Assert.Equal(NewKeyId, dev.AccessKeyId);
        Assert.Equal(NewSecret, dev.SecretAccessKey);
        Assert.Equal(NewToken, dev.SessionToken);
    }

    [Fact]
    public void PlanUpdate_changes_only_the_profile_keys_and_keeps_every_other_line()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");
        File.WriteAllText(path, Existing);

        var change = CredentialsFileWriter.PlanUpdate(path, "dev", Temporary);

        Assert.Equal(
            "# managed by hand\r\n" +
            "[other]\r\n" +
            "aws_access_key_id = AKIAOTHERKEYID123456\r\n" +
            "aws_secret_access_key = " + OtherSecret + "\r\n" +
            "\r\n" +
            "[dev]\r\n" +
            "aws_access_key_id=" + NewKeyId + "\r\n" +
            "aws_secret_access_key=" + NewSecret + "\r\n" +
            "aws_session_token=" + NewToken + "\r\n" +
            "region=eu-west-1\r\n" +
            "aws_account_id=123456789012\r\n" +
            "x_security_token_expires=2026-11-23T12:00:00Z\r\n" +
            "#aws_secret_access_key=COMMENTEDSECRET\r\n" +
            "\r\n" +
            "[last]\r\n" +
            "aws_access_key_id = AKIALASTKEYID1234567\r\n" +
            "aws_secret_access_key = LASTSECRET",
            change.NewText);
    }

    [Fact]
    public void PlanUpdate_with_long_term_keys_removes_the_session_token_expiration_and_account()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");
        File.WriteAllText(path, "[dev]\naws_access_key_id = ASIAOLD\naws_secret_access_key = old\naws_session_token = oldtoken\naws_account_id = 999999999999\nx_security_token_expires = 2020-01-01T00:00:00Z\nregion = eu-west-1\n");

        var change = CredentialsFileWriter.PlanUpdate(path, "dev", new CredentialSet("AKIALONGTERMKEY12345", "longtermsecret", null));

        Assert.Equal("[dev]\naws_access_key_id = AKIALONGTERMKEY12345\naws_secret_access_key = longtermsecret\nregion = eu-west-1\n", change.NewText);
    }

    [Fact]
    public void Describe_shows_a_diff_with_every_secret_masked()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");
        File.WriteAllText(path, Existing);

        var description = CredentialsFileWriter.PlanUpdate(path, "dev", Temporary).Describe();

        foreach (var secret in new[] { NewSecret, NewToken, NewKeyId, OtherSecret, "OLDSECRETvalue", "OLDTOKENvalue", "OLDLEGACYTOKEN", "COMMENTEDSECRET", "AKIAOLDKEYID12345678" })
        {
            Assert.DoesNotContain(secret, description);
        }

        var lines = description.Split('\n');
        Assert.Equal("--- " + path, lines[0]);
        Assert.Equal("+++ " + path, lines[1]);
        Assert.StartsWith("@@ -", lines[2]);
        Assert.Contains("-aws_access_key_id=AKIA************5678", lines);
        Assert.Contains("+aws_access_key_id=" + Mask.AccessKeyId(NewKeyId), lines);
        Assert.Contains("-aws_secret_access_key=********", lines);
        Assert.Contains("+aws_secret_access_key=********", lines);
        Assert.Contains("-aws_security_token=********", lines);
        Assert.Contains("+aws_session_token=********", lines);
        Assert.Contains("+x_security_token_expires=2026-11-23T12:00:00Z", lines);
        Assert.Contains(" region=eu-west-1", lines);
        Assert.Contains(" #aws_secret_access_key=********", lines);
    }

    [Fact]
    public void Describe_of_a_new_file_and_of_no_change()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");

        var created = CredentialsFileWriter.PlanUpdate(path, "dev", Temporary);
        File.WriteAllText(path, created.NewText);
        var unchanged = CredentialsFileWriter.PlanUpdate(path, "dev", Temporary);

        Assert.StartsWith("--- /dev/null\n+++ " + path + "\n@@ -0,0 +1,6 @@\n", created.Describe());
        Assert.DoesNotContain(NewSecret, created.Describe());
        Assert.False(unchanged.HasChanges);
        Assert.Equal($"No changes to {path}.", unchanged.Describe());
        Assert.DoesNotContain(NewSecret, unchanged.ToString());
    }

    [Fact]
    public void Describe_marks_a_missing_final_newline()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");
        File.WriteAllText(path, "[dev]\naws_access_key_id = AKIAOLDKEYID12345678\naws_secret_access_key = old");

        var description = CredentialsFileWriter.PlanUpdate(path, "dev", new CredentialSet("AKIANEWKEYID12345678", "new", null)).Describe();

        Assert.Equal(
            "--- " + path + "\n+++ " + path + "\n@@ -1,3 +1,3 @@\n [dev]\n-aws_access_key_id = AKIA************5678\n-aws_secret_access_key = ********\n\\ No newline at end of file\n+aws_access_key_id = AKIA************5678\n+aws_secret_access_key = ********\n\\ No newline at end of file\n",
            description);
    }

    [Fact]
    public async Task Apply_refuses_when_the_file_changed_after_planning()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");
        File.WriteAllText(path, Existing);
        var change = CredentialsFileWriter.PlanUpdate(path, "dev", Temporary);
        File.AppendAllText(path, "\n[added]\nregion = x\n");
        var concurrent = File.ReadAllText(path);

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => CredentialsFileWriter.ApplyAsync(change, CancellationToken.None));

        Assert.Equal(FailureKind.FileError, error.Kind);
        Assert.Equal("FileChangedConcurrently", error.Code);
        Assert.Equal(path, error.Target);
        Assert.Equal(concurrent, File.ReadAllText(path));
    }

    [Fact]
    public void Apply_refuses_when_the_file_was_created_after_planning()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");
        var change = CredentialsFileWriter.PlanUpdate(path, "dev", Temporary);
        File.WriteAllText(path, "[someone-else]\n");

        var error = Assert.Throws<AwsLoginException>(() => CredentialsFileWriter.Apply(change));

        Assert.Equal("FileChangedConcurrently", error.Code);
        Assert.Equal("[someone-else]\n", File.ReadAllText(path));
    }

    [Fact]
    public void Apply_keeps_a_byte_order_mark()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");
        File.WriteAllText(path, "[dev]\naws_access_key_id = a\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        CredentialsFileWriter.Apply(CredentialsFileWriter.PlanUpdate(path, "dev", Temporary));

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'[' }, bytes.Take(4).ToArray());
        Assert.Equal(1, bytes.Count(b => b == 0xEF));
    }

    [Fact]
    public void Apply_writes_through_a_symbolic_link()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return; // Creating links needs developer mode or elevation there.
        }

        using var folder = new TempFolder();
        var target = folder.File("dotfiles-credentials");
        var link = folder.File("credentials");
        File.WriteAllText(target, "[dev]\n");
        File.CreateSymbolicLink(link, target);

        CredentialsFileWriter.Apply(CredentialsFileWriter.PlanUpdate(link, "dev", Temporary));

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Contains(NewSecret, File.ReadAllText(target));
    }

    [Fact]
    public void Apply_of_no_change_writes_nothing()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");
        File.WriteAllText(path, "[dev]\n");
        var change = ConfigFileEditor.Plan(path, secret: true, _ => { });

        Assert.False(change.HasChanges);
        Assert.False(CredentialsFileWriter.Apply(change));
        Assert.False(File.Exists(path + ".lock"));
    }

    [Fact]
    public void PlanRemove_removes_the_profile_section()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials");
        File.WriteAllText(path, "[a]\nk = 1\n\n[dev]\nk = 2\n\n[b]\nk = 3\n");

        Assert.Equal("[a]\nk = 1\n\n[b]\nk = 3\n", CredentialsFileWriter.PlanRemove(path, "dev").NewText);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" dev")]
    [InlineData("de[v]")]
    [InlineData("dev\n[x]")]
    [InlineData("DEFAULT")]
    public void PlanUpdate_refuses_a_bad_profile_name(string profileName)
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<AwsLoginException>(() => CredentialsFileWriter.PlanUpdate(folder.File("credentials"), profileName, Temporary));

        Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        Assert.Equal("InvalidProfileName", error.Code);
    }

    [Fact]
    public void PlanUpdate_refuses_a_secret_with_a_line_break_without_showing_it()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<AwsLoginException>(() =>
            CredentialsFileWriter.PlanUpdate(folder.File("credentials"), "dev", new CredentialSet("AKIAKEYID12345678901", "TOPSEC\nRETVALUE", null)));

        Assert.Equal("InvalidConfigValue", error.Code);
        Assert.DoesNotContain("TOPSEC", error.Message);
        Assert.DoesNotContain("RETVALUE", error.Message);
    }
}
