using System;
using System.Linq;
using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

public sealed class IniDocumentTests
{
    // BOM, a line before any section, CRLF and LF mixed, both comment styles (one indented), key=value and
    // key   :   value, an inline " #" that is part of the value, tabs, a nested block with a blank line and a
    // comment inside it, a multi-line value, duplicate sections and keys, [ spaced ] names, text after a
    // header, a line without a delimiter, and no final newline.
    private const string Nasty =
        "\uFEFFstray line before any section\n" +
        "# leading comment\r\n" +
        "[default]\r\n" +
        "region=us-east-1\r\n" +
        "output   :   json\r\n" +
        "\r\n" +
        "[profile dev] ; trailing text is ignored\n" +
        "\tregion = eu-west-1 # not a comment\n" +
        "  ; indented comment\n" +
        "s3 =\n" +
        "    max_concurrent_requests = 20\n" +
        "\n" +
        "    # inside the block\n" +
        "    addressing_style = path\n" +
        "cli_pager =\n" +
        "role_arn = arn:aws:iam::123456789012:role/Dev\n" +
        "description = first line\n" +
        "  second line\n" +
        "not a key value line\n" +
        "\n" +
        "[ services  local ]\n" +
        "sts =\n" +
        "  endpoint_url = http://127.0.0.1:5000\n" +
        "\n" +
        "[default]\n" +
        "region = us-west-2\n" +
        "REGION = ap-south-1\n" +
        "cli_timestamp_format = iso8601\n" +
        "[profile ünïcødé]\n" +
        "region = sa-east-1";

    [Fact]
    public void Parse_then_ToString_returns_the_exact_text()
    {
        var document = IniDocument.Parse(Nasty);

        Assert.Equal(Nasty, document.ToString());
        Assert.True(document.HasByteOrderMark);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r\n\r\n")]
    [InlineData("[a]")]
    [InlineData("[a]\rk = v\r")]
    [InlineData("\uFEFF")]
    [InlineData("  \t \n  ")]
    public void Parse_then_ToString_is_exact_for_edge_cases(string text)
    {
        Assert.Equal(text, IniDocument.Parse(text).ToString());
    }

    [Fact]
    public void Reads_values_as_botocore_does()
    {
        var document = IniDocument.Parse(Nasty);

        Assert.Equal(new[] { "default", "profile dev", "services  local", "profile ünïcødé" }, document.SectionNames);
        Assert.Equal("eu-west-1 # not a comment", document.GetValue("profile dev", "region"));
        Assert.Equal("json", document.GetValue("default", "output"));
        Assert.Equal("first line\nsecond line", document.GetValue("profile dev", "description"));
        Assert.Equal(string.Empty, document.GetValue("profile dev", "cli_pager"));
        Assert.Equal("arn:aws:iam::123456789012:role/Dev", document.GetValue("profile dev", "ROLE_ARN"));
        Assert.Null(document.GetValue("profile dev", "not a key value line"));
        Assert.Null(document.GetValue("Profile dev", "region"));
        Assert.Equal("sa-east-1", document.GetValue("profile ünïcødé", "region"));
    }

    [Fact]
    public void Duplicate_sections_and_keys_merge_with_later_values_winning()
    {
        var document = IniDocument.Parse(Nasty);

        // REGION is region (option names are lower-cased) and comes last.
        Assert.Equal("ap-south-1", document.GetValue("default", "region"));
        Assert.Equal("json", document.GetValue("default", "output"));
        Assert.Equal(new[] { "region", "output", "cli_timestamp_format" }, document.GetKeys("default"));
    }

    [Fact]
    public void Reads_nested_blocks_with_blank_and_comment_lines_inside()
    {
        var document = IniDocument.Parse(Nasty);

        var s3 = document.GetSubValues("profile dev", "s3");
        Assert.NotNull(s3);
        Assert.Equal("20", s3!["max_concurrent_requests"]);
        Assert.Equal("path", s3["addressing_style"]);
        Assert.Equal(2, s3.Count);
        Assert.Equal("http://127.0.0.1:5000", document.GetSubValue("services  local", "sts", "endpoint_url"));
        Assert.Null(document.GetSubValues("profile dev", "region"));
        Assert.Null(document.GetSubValues("profile dev", "cli_pager"));
    }

    [Fact]
    public void SetValue_of_an_existing_key_rewrites_only_its_line_keeping_its_style()
    {
        var before = IniDocument.Parse(Nasty);
        var document = IniDocument.Parse(Nasty);

        document.SetValue("profile dev", "region", "eu-central-1");

        AssertSingleLineChanged(before.ToString(), document.ToString(), "\tregion = eu-west-1 # not a comment", "\tregion = eu-central-1");
        Assert.Equal("eu-central-1", document.GetValue("profile dev", "region"));
    }

    [Fact]
    public void SetValue_keeps_compact_spacing_and_crlf()
    {
        var text = "[default]\r\nregion=us-east-1\r\noutput=json\r\n";
        var document = IniDocument.Parse(text);

        document.SetValue("default", "region", "eu-west-1");

        Assert.Equal("[default]\r\nregion=eu-west-1\r\noutput=json\r\n", document.ToString());
    }

    [Fact]
    public void SetValue_updates_the_last_definition_of_a_duplicated_key()
    {
        var document = IniDocument.Parse(Nasty);

        document.SetValue("default", "region", "ca-central-1");

        var lines = document.ToString().Split('\n');
        Assert.Contains("REGION = ca-central-1", lines);
        Assert.Contains("region=us-east-1\r", lines);
        Assert.Equal("ca-central-1", document.GetValue("default", "region"));
    }

    [Fact]
    public void SetValue_of_a_new_key_goes_at_the_end_of_the_section_before_trailing_blank_and_comment_lines()
    {
        var text = "[a]\nx = 1\n\n# about b\n[b]\ny = 2\n";
        var document = IniDocument.Parse(text);

        document.SetValue("a", "z", "3");

        Assert.Equal("[a]\nx = 1\nz = 3\n\n# about b\n[b]\ny = 2\n", document.ToString());
    }

    [Fact]
    public void SetValue_of_a_new_key_in_a_duplicated_section_goes_to_its_last_occurrence()
    {
        var document = IniDocument.Parse("[a]\nx = 1\n[b]\n[a]\ny = 2\n[c]\n");

        document.SetValue("a", "z", "3");

        Assert.Equal("[a]\nx = 1\n[b]\n[a]\ny = 2\nz = 3\n[c]\n", document.ToString());
    }

    [Fact]
    public void SetValue_of_a_new_key_after_a_nested_block_does_not_join_the_block()
    {
        var text = "[profile dev]\ns3 =\n  addressing_style = path\n";
        var document = IniDocument.Parse(text);

        document.SetValue("profile dev", "region", "us-east-1");

        Assert.Equal("[profile dev]\ns3 =\n  addressing_style = path\nregion = us-east-1\n", document.ToString());
        Assert.Equal("path", document.GetSubValue("profile dev", "s3", "addressing_style"));
        Assert.Equal("us-east-1", document.GetValue("profile dev", "region"));
    }

    [Fact]
    public void SetValue_of_a_new_section_appends_it_keeping_line_breaks_and_the_missing_final_newline()
    {
        var document = IniDocument.Parse("[a]\r\nx = 1");

        document.SetValue("b", "y", "2");

        Assert.Equal("[a]\r\nx = 1\r\n\r\n[b]\r\ny = 2", document.ToString());
    }

    [Fact]
    public void SetValue_on_an_empty_document_creates_the_section()
    {
        var document = IniDocument.Parse(string.Empty);

        document.SetValue("default", "region", "us-east-1");

        Assert.Equal("[default]\nregion = us-east-1\n", document.ToString());
    }

    [Fact]
    public void SetValue_in_a_file_with_a_bom_keeps_it()
    {
        var document = IniDocument.Parse("\uFEFF[a]\nx = 1\n");

        document.SetValue("a", "x", "2");

        Assert.Equal("\uFEFF[a]\nx = 2\n", document.ToString());
    }

    [Fact]
    public void SetValue_replacing_a_nested_block_removes_its_lines()
    {
        var document = IniDocument.Parse("[a]\ns3 =\n  x = 1\n\n  y = 2\n# keep\nregion = r\n");

        document.SetValue("a", "s3", "flat");

        Assert.Equal("[a]\ns3 = flat\n# keep\nregion = r\n", document.ToString());
    }

    [Fact]
    public void SetValue_fills_an_empty_value_with_matching_spacing()
    {
        var spaced = IniDocument.Parse("[a]\nk =\n");
        var compact = IniDocument.Parse("[a]\nk=\n");

        spaced.SetValue("a", "k", "v");
        compact.SetValue("a", "k", "v");

        Assert.Equal("[a]\nk = v\n", spaced.ToString());
        Assert.Equal("[a]\nk=v\n", compact.ToString());
    }

    [Fact]
    public void SetValue_with_a_line_break_is_refused_without_echoing_the_value()
    {
        var document = IniDocument.Parse("[a]\n");

        var error = Assert.Throws<AwsLoginException>(() => document.SetValue("a", "aws_secret_access_key", "SECRETVALUE\n[evil]"));

        Assert.Equal(FailureKind.InvalidArgument, error.Kind);
        Assert.Equal("InvalidConfigValue", error.Code);
        Assert.DoesNotContain("SECRETVALUE", error.Message);
        Assert.Equal("[a]\n", document.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" a")]
    [InlineData("a=b")]
    [InlineData("a:b")]
    [InlineData("#a")]
    [InlineData("a\nb")]
    public void SetValue_with_a_bad_key_is_refused(string key)
    {
        var error = Assert.Throws<AwsLoginException>(() => IniDocument.Parse("[a]\n").SetValue("a", key, "v"));

        Assert.Equal("InvalidConfigKey", error.Code);
    }

    [Fact]
    public void RemoveKey_removes_every_definition_with_its_continuation_lines()
    {
        var document = IniDocument.Parse("[a]\nk = 1\nx = 2\n[b]\nk = 3\n[a]\nk =\n  sub = 4\n# c\ny = 5\n");

        Assert.True(document.RemoveKey("a", "K"));

        Assert.Equal("[a]\nx = 2\n[b]\nk = 3\n[a]\n# c\ny = 5\n", document.ToString());
        Assert.False(document.RemoveKey("a", "k"));
    }

    [Fact]
    public void RemoveSection_removes_every_occurrence_and_keeps_the_comment_above_the_next_section()
    {
        var document = IniDocument.Parse("[a]\nx = 1\n\n[b]\ny = 2\n\n# about c\n[c]\nz = 3\n\n[b]\nw = 4\n");

        Assert.True(document.RemoveSection("b"));

        Assert.Equal("[a]\nx = 1\n\n# about c\n[c]\nz = 3\n", document.ToString());
        Assert.Equal(new[] { "a", "c" }, document.SectionNames);
    }

    [Fact]
    public void RemoveSection_at_the_end_of_a_file_without_final_newline_keeps_that_shape()
    {
        var document = IniDocument.Parse("[a]\nx = 1\n\n[b]\ny = 2");

        document.RemoveSection("b");

        Assert.Equal("[a]\nx = 1", document.ToString());
    }

    [Fact]
    public void SetSubValue_creates_and_updates_nested_values()
    {
        var document = IniDocument.Parse("[services local]\nsts =\n    endpoint_url=http://old\n");

        document.SetSubValue("services local", "sts", "endpoint_url", "http://127.0.0.1:1");
        document.SetSubValue("services local", "sts", "region", "us-east-1");
        document.SetSubValue("services local", "sso", "endpoint_url", "http://127.0.0.1:2");

        Assert.Equal(
            "[services local]\nsts =\n    endpoint_url=http://127.0.0.1:1\n    region=us-east-1\nsso =\n  endpoint_url = http://127.0.0.1:2\n",
            document.ToString());
        Assert.Equal("http://127.0.0.1:2", document.GetSubValue("services local", "sso", "endpoint_url"));
        Assert.True(document.RemoveSubValue("services local", "sts", "region"));
        Assert.Null(document.GetSubValue("services local", "sts", "region"));
    }

    [Fact]
    public void An_edit_that_would_change_how_other_lines_read_is_refused_and_undone()
    {
        // "  [c]" is a section only because "  m = 2" set the indentation level; without [b] it would continue k.
        var text = "[a]\nk = 1\n[b]\n  m = 2\n  [c]\nx = 1\n";
        var document = IniDocument.Parse(text);
        Assert.Equal(new[] { "a", "b", "c" }, document.SectionNames);

        var error = Assert.Throws<AwsLoginException>(() => document.RemoveSection("b"));

        Assert.Equal("ConfigEditUnsafe", error.Code);
        Assert.Equal(text, document.ToString());
    }

    [Fact]
    public void Masked_display_lines_hide_secret_values_commented_keys_and_unreadable_lines()
    {
        var document = IniDocument.Parse("[p]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI\n#aws_session_token = OLDTOKEN\ngarbage OLDSECRET\nregion = us-east-1\n");

        var shown = document.GetDisplayLines(FileChange.MaskValue).Select(l => l.Display).ToArray();

        Assert.Equal(
            new[] { "[p]", "aws_access_key_id = AKIA************MPLE", "aws_secret_access_key = ********", "#aws_session_token = ********", "********", "region = us-east-1" },
            shown);
    }

    private static void AssertSingleLineChanged(string before, string after, string oldLine, string newLine)
    {
        var oldLines = before.Split('\n');
        var newLines = after.Split('\n');
        Assert.Equal(oldLines.Length, newLines.Length);
        var changed = Enumerable.Range(0, oldLines.Length).Where(i => oldLines[i] != newLines[i]).ToArray();
        Assert.Single(changed);
        Assert.Equal(oldLine, oldLines[changed[0]]);
        Assert.Equal(newLine, newLines[changed[0]]);
    }
}
