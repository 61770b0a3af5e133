using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AwsLogin.Engine.Output;
using Xunit;

namespace AwsLogin.Engine.Tests.Output;

public sealed class CredentialExportTests
{
    private const string KeyId = "ASIAIOSFODNN7EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY+";
    private const string Token = "FwoGZXIvYXdzEJr//////////wEaDExampleToken==";

    // Everything a shell might interpret: quotes of each kind, expansions, escapes, operators, a tab, a line
    // break, PowerShell's typographic quotes, non-ASCII.
    private const string Hostile = "it's \"quoted\" $HOME ${HOME} $(echo PWNED) `echo PWNED` \\back\\slash\\ ;&|<>*?~ #x \t tab\nsecond ‘line’ “q” é";

    private static readonly DateTime s_expiration = new(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);

    private static CredentialSet Plain => new(KeyId, Secret, Token) { Expiration = s_expiration };

    [Fact]
    public void Bash_exports_each_variable_in_single_quotes_and_unsets_the_profile()
    {
        var lines = CredentialExport.FormatLines(Plain, ExportFormat.Bash, "eu-west-1");

        Assert.Equal(
            new[]
            {
                $"export AWS_ACCESS_KEY_ID='{KeyId}'",
                $"export AWS_SECRET_ACCESS_KEY='{Secret}'",
                $"export AWS_SESSION_TOKEN='{Token}'",
                "export AWS_CREDENTIAL_EXPIRATION='2026-11-23T12:00:00Z'",
                "export AWS_REGION='eu-west-1'",
                "export AWS_DEFAULT_REGION='eu-west-1'",
            },
            lines.Take(6));
        Assert.Contains("unset AWS_PROFILE", lines);
        Assert.All(lines.Skip(6), line => Assert.StartsWith("unset ", line));
        Assert.Equal(string.Join("\n", lines), CredentialExport.Format(Plain, ExportFormat.Bash, "eu-west-1"));
    }

    [Fact]
    public void Without_a_token_expiration_or_region_the_shells_clear_token_and_expiration_and_set_no_region()
    {
        var keys = new CredentialSet("AKIAIOSFODNN7EXAMPLE", Secret, null);

        var bash = CredentialExport.FormatLines(keys, ExportFormat.Bash, null);
        var fish = CredentialExport.FormatLines(keys, ExportFormat.Fish, null);
        var powerShell = CredentialExport.FormatLines(keys, ExportFormat.PowerShell, null);
        var cmd = CredentialExport.FormatLines(keys, ExportFormat.Cmd, null);
        var dotEnv = CredentialExport.FormatLines(keys, ExportFormat.DotEnv, null);

        Assert.Contains("unset AWS_SESSION_TOKEN", bash);
        Assert.Contains("unset AWS_CREDENTIAL_EXPIRATION", bash);
        Assert.Contains("set -e AWS_SESSION_TOKEN", fish);
        Assert.Contains("$Env:AWS_SESSION_TOKEN = $null", powerShell);
        Assert.Contains("set \"AWS_SESSION_TOKEN=\"", cmd);
        Assert.Equal(new[] { "AWS_ACCESS_KEY_ID=\"AKIAIOSFODNN7EXAMPLE\"", $"AWS_SECRET_ACCESS_KEY=\"{Secret}\"" }, dotEnv);
        Assert.DoesNotContain(bash, line => line.Contains("AWS_REGION", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_shell_clears_AWS_PROFILE_in_its_own_syntax()
    {
        Assert.Contains("unset AWS_PROFILE", CredentialExport.FormatLines(Plain, ExportFormat.Bash, null));
        Assert.Contains("set -e AWS_PROFILE", CredentialExport.FormatLines(Plain, ExportFormat.Fish, null));
        Assert.Contains("$Env:AWS_PROFILE = $null", CredentialExport.FormatLines(Plain, ExportFormat.PowerShell, null));
        Assert.Contains("set \"AWS_PROFILE=\"", CredentialExport.FormatLines(Plain, ExportFormat.Cmd, null));
        Assert.DoesNotContain(CredentialExport.FormatLines(Plain, ExportFormat.DotEnv, null), line => line.Contains("AWS_PROFILE", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/bin/bash")]
    [InlineData("/bin/dash")]
    public void A_posix_shell_evaluating_the_bash_export_gets_hostile_values_back_exactly(string shell)
    {
        if (!File.Exists(shell))
        {
            return;
        }

        var credentials = new CredentialSet(KeyId, Hostile, "token with 'quote'") { Expiration = s_expiration };
        var values = RunPosixShell(shell, CredentialExport.Format(credentials, ExportFormat.Bash, Hostile));

        Assert.Equal(KeyId, values["AWS_ACCESS_KEY_ID"]);
        Assert.Equal(Hostile, values["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal("token with 'quote'", values["AWS_SESSION_TOKEN"]);
        Assert.Equal("2026-11-23T12:00:00Z", values["AWS_CREDENTIAL_EXPIRATION"]);
        Assert.Equal(Hostile, values["AWS_REGION"]);
        Assert.Equal(Hostile, values["AWS_DEFAULT_REGION"]);
        Assert.Null(values["AWS_PROFILE"]);
    }

    [Theory]
    [InlineData("/bin/bash")]
    [InlineData("/bin/dash")]
    public void A_posix_shell_evaluating_the_export_of_long_term_keys_drops_a_stale_token(string shell)
    {
        if (!File.Exists(shell))
        {
            return;
        }

        var values = RunPosixShell(shell, CredentialExport.Format(new CredentialSet("AKIAIOSFODNN7EXAMPLE", Secret, null), ExportFormat.Bash, null));

        Assert.Null(values["AWS_SESSION_TOKEN"]);
        Assert.Null(values["AWS_CREDENTIAL_EXPIRATION"]);
        Assert.Equal("stale-region", values["AWS_REGION"]);
    }

    [Fact]
    public void Fish_uses_single_quotes_escaping_backslash_and_quote()
    {
        var lines = CredentialExport.FormatLines(new CredentialSet(KeyId, "a'b\\c $HOME (echo x)", null), ExportFormat.Fish, "eu-west-1");

        Assert.Equal($"set -gx AWS_ACCESS_KEY_ID '{KeyId}'", lines[0]);
        Assert.Equal("set -gx AWS_SECRET_ACCESS_KEY 'a\\'b\\\\c $HOME (echo x)'", lines[1]);
        Assert.Contains("set -gx AWS_REGION 'eu-west-1'", lines);
    }

    [Fact]
    public void PowerShell_uses_the_aws_cli_style_for_plain_values()
    {
        var lines = CredentialExport.FormatLines(Plain, ExportFormat.PowerShell, "eu-west-1");

        Assert.Equal(
            new[]
            {
                $"$Env:AWS_ACCESS_KEY_ID=\"{KeyId}\"",
                $"$Env:AWS_SECRET_ACCESS_KEY=\"{Secret}\"",
                $"$Env:AWS_SESSION_TOKEN=\"{Token}\"",
                "$Env:AWS_CREDENTIAL_EXPIRATION=\"2026-11-23T12:00:00Z\"",
                "$Env:AWS_REGION=\"eu-west-1\"",
                "$Env:AWS_DEFAULT_REGION=\"eu-west-1\"",
            },
            lines.Take(6));
    }

    [Theory]
    [InlineData("a$b", "'a$b'")]
    [InlineData("a`b", "'a`b'")]
    [InlineData("a\"b", "'a\"b'")]
    [InlineData("it's", "'it''s'")]
    [InlineData("a\u2018b\u2019c\u201Ad\u201Be", "'a\u2018\u2018b\u2019\u2019c\u201A\u201Ad\u201B\u201Be'")]
    [InlineData("a\u201Cb\u201D", "'a\u201Cb\u201D'")]
    [InlineData("line1\nline2", "'line1\nline2'")]
    public void PowerShell_uses_a_verbatim_string_for_anything_else(string value, string expected)
    {
        var lines = CredentialExport.FormatLines(new CredentialSet(KeyId, value, null), ExportFormat.PowerShell, null);

        Assert.Equal("$Env:AWS_SECRET_ACCESS_KEY=" + expected, lines[1]);
    }

    [Fact]
    public void Cmd_quotes_the_whole_assignment_so_operators_are_literal()
    {
        var lines = CredentialExport.FormatLines(new CredentialSet(KeyId, "a&b|c^d<e>f (g) 'h'", null), ExportFormat.Cmd, "eu-west-1");

        Assert.Equal($"set \"AWS_ACCESS_KEY_ID={KeyId}\"", lines[0]);
        Assert.Equal("set \"AWS_SECRET_ACCESS_KEY=a&b|c^d<e>f (g) 'h'\"", lines[1]);
        Assert.Contains("set \"AWS_REGION=eu-west-1\"", lines);
    }

    [Theory]
    [InlineData("TOPVAL%PATH%HIDDEN")]
    [InlineData("TOPVAL\"HIDDEN")]
    [InlineData("TOPVAL!HIDDEN")]
    [InlineData("TOPVAL\nHIDDEN")]
    [InlineData("TOPVAL\rHIDDEN")]
    public void Cmd_refuses_values_it_cannot_carry_without_showing_them(string secret)
    {
        var error = Assert.Throws<AwsLoginException>(() => CredentialExport.Format(new CredentialSet(KeyId, secret, null), ExportFormat.Cmd, null));

        Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        Assert.Equal("UnsafeExportValue", error.Code);
        Assert.Equal("AWS_SECRET_ACCESS_KEY", error.Target);
        Assert.DoesNotContain("TOPVAL", error.Message);
        Assert.DoesNotContain("HIDDEN", error.Message);
    }

    [Theory]
    [InlineData(ExportFormat.Bash)]
    [InlineData(ExportFormat.Fish)]
    [InlineData(ExportFormat.PowerShell)]
    [InlineData(ExportFormat.Cmd)]
    [InlineData(ExportFormat.DotEnv)]
    public void No_format_carries_a_nul(ExportFormat format)
    {
        var error = Assert.Throws<AwsLoginException>(() => CredentialExport.Format(new CredentialSet(KeyId, "a\0b", null), format, null));

        Assert.Equal("UnsafeExportValue", error.Code);
    }

    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c\nd\re", "\"a\\\"b\\\\c\\nd\\re\"")]
    [InlineData("cost $5 ${X}", "'cost $5 ${X}'")]
    [InlineData("it's $5", "\"it's $5\"")]
    public void DotEnv_double_quotes_with_escapes_and_single_quotes_values_with_dollar_signs(string value, string expected)
    {
        var lines = CredentialExport.FormatLines(new CredentialSet(KeyId, value, null), ExportFormat.DotEnv, "eu-west-1");

        Assert.Equal("AWS_SECRET_ACCESS_KEY=" + expected, lines[1]);
        Assert.Equal(new[] { "AWS_REGION=\"eu-west-1\"", "AWS_DEFAULT_REGION=\"eu-west-1\"" }, lines.Skip(2));
    }

    [Fact]
    public void ProcessJson_is_the_credential_process_line()
    {
        Assert.Equal(CredentialProcessJson.Serialize(Plain), CredentialExport.Format(Plain, ExportFormat.ProcessJson, "eu-west-1"));
    }

    [Fact]
    public void The_region_falls_back_to_the_credentials_region()
    {
        var lines = CredentialExport.FormatLines(Plain with { Region = "ap-south-1" }, ExportFormat.Bash, null);

        Assert.Contains("export AWS_REGION='ap-south-1'", lines);
    }

    [Theory]
    [InlineData("env", ExportFormat.Bash)]
    [InlineData("Bash", ExportFormat.Bash)]
    [InlineData("fish", ExportFormat.Fish)]
    [InlineData("powershell", ExportFormat.PowerShell)]
    [InlineData("windows-cmd", ExportFormat.Cmd)]
    [InlineData("dotenv", ExportFormat.DotEnv)]
    [InlineData("process", ExportFormat.ProcessJson)]
    [InlineData("ProcessJson", ExportFormat.ProcessJson)]
    public void Format_names_include_the_aws_cli_ones(string name, ExportFormat expected)
    {
        Assert.True(CredentialExport.TryParseFormatName(name, out var format));
        Assert.Equal(expected, format);
        Assert.False(CredentialExport.TryParseFormatName("env-no-export", out _));
    }

    private static Dictionary<string, string?> RunPosixShell(string shell, string exports)
    {
        var names = new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE" };
        var script = "eval \"$EXPORTS\"\n" + string.Concat(names.Select(n =>
            $"if [ \"${{{n}+set}}\" = set ]; then printf '%s\\0' \"${n}\"; else printf '<unset>\\0'; fi\n"));
        var startInfo = new ProcessStartInfo(shell)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);
        startInfo.Environment["EXPORTS"] = exports;
        startInfo.Environment["AWS_PROFILE"] = "stale-profile";
        startInfo.Environment["AWS_SESSION_TOKEN"] = "stale-token";
        startInfo.Environment["AWS_CREDENTIAL_EXPIRATION"] = "stale-expiration";
        startInfo.Environment["AWS_REGION"] = "stale-region";
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, errors);
        Assert.DoesNotContain("PWNED", output.Replace("$(echo PWNED)", string.Empty).Replace("`echo PWNED`", string.Empty));

        var parts = output.Split('\0');
        var result = new Dictionary<string, string?>();
        for (var i = 0; i < names.Length; i++)
        {
            result[names[i]] = parts[i] == "<unset>" ? null : parts[i];
        }

        return result;
    }
}
