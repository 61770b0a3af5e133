using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

public sealed class IniDocumentApplyEditsTests
{
    // A stray line, CRLF and LF, compact and spaced keys, comments above headers, a nested block, a multi-line
    // value, an empty section followed by an indented header, a duplicated section, and no final newline.
    private const string Mixed =
        "stray line\n" +
        "# top\r\n" +
        "[default]\r\n" +
        "region=us-east-1\r\n" +
        "\r\n" +
        "[profile a]\n" +
        "  ; indented comment\n" +
        "s3 =\n" +
        "    max_concurrent_requests = 20\n" +
        "\n" +
        "    # in the block\n" +
        "role_arn = arn:aws:iam::123456789012:role/A\n" +
        "description = first\n" +
        "  second\n" +
        "\n" +
        "# about b\n" +
        "[profile b]\n" +
        "region = eu-west-1\n" +
        "# trailing comment of b\n" +
        "\n" +
        "[empty]\n" +
        "  [profile indented]\n" +
        "  k = v\n" +
        "[dup]\n" +
        "x = 1\n" +
        "[profile c]\n" +
        "[dup]\n" +
        "y = 2\n" +
        "\n" +
        "[profile last]\n" +
        "region = ap-south-1\n" +
        "output = json";

    public static TheoryData<string> Documents => new()
    {
        Mixed,
        Mixed.Replace("\r\n", "\n") + "\n",
        "\uFEFF[profile a]\r\nregion = eu-west-1\r\n\r\n[profile b]\r\nrole_arn = arn:aws:iam::1:role/B\r\n",
        "[profile a]\nregion=us-east-1\n[profile b]\n[profile last]\nk=v\n\n\n",
        string.Empty,
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Edits_of_existing_sections_give_the_same_text_as_the_single_calls(string text)
    {
        var document = IniDocument.Parse(text);
        var edits = new List<IniSectionEdit>();
        var calls = new List<Action<IniDocument>>();
        var i = 0;
        foreach (var section in document.SectionNames)
        {
            // Cycle through the kinds of change so that every section shape meets each of them across the documents.
            var key = document.GetKeys(section).FirstOrDefault();
            switch (i++ % 4)
            {
                case 0:
                    edits.Add(new IniSectionEdit(section).SetValue("region", "sa-east-1").SetValue("x_new", "added"));
                    calls.Add(d =>
                    {
                        d.SetValue(section, "region", "sa-east-1");
                        d.SetValue(section, "x_new", "added");
                    });
                    break;
                case 1 when key is not null:
                    edits.Add(new IniSectionEdit(section).RemoveKey(key).SetValue("output", "text"));
                    calls.Add(d =>
                    {
                        d.RemoveKey(section, key);
                        d.SetValue(section, "output", "text");
                    });
                    break;
                case 2:
                    edits.Add(IniSectionEdit.RemoveSection(section));
                    calls.Add(d => d.RemoveSection(section));
                    break;
                default:
                    break;
            }
        }

        edits.Add(new IniSectionEdit("profile new1").SetValue("sso_session", "s").SetValue("region", "eu-west-1"));
        edits.Add(new IniSectionEdit("profile new2").SetValue("role_arn", "arn:aws:iam::123456789012:role/N"));
        calls.Add(d =>
        {
            d.SetValue("profile new1", "sso_session", "s");
            d.SetValue("profile new1", "region", "eu-west-1");
            d.SetValue("profile new2", "role_arn", "arn:aws:iam::123456789012:role/N");
        });

        var expected = IniDocument.Parse(text);
        foreach (var call in calls)
        {
            call(expected);
        }

        document.ApplyEdits(edits);

        Assert.Equal(expected.ToString(), document.ToString());
        Assert.False(document.LastEditsWentCallByCall);
    }

    [Theory]
    [InlineData("[a]\nk = 1\n[b]\nk = 2", "b", "set")]
    [InlineData("[a]\nk = 1\n[b]\nk = 2", "b", "remove-key")]
    [InlineData("[a]\nk = 1\n[b]\nk = 2", "b", "remove-section")]
    [InlineData("[a]\nk = 1\n\n[b]\nk = 2\n# tail", "b", "remove-section")]
    [InlineData("[a]\nk = 1\n\n[b]\nk = 2\n# tail", "b", "set")]
    [InlineData("[a]\nk = 1\n[b]", "b", "set")]
    [InlineData("[a]\r\nk=1\r\n[b]\r\nk=2\r\n", "a", "set")]
    [InlineData("[a]\nk = 1\n  cont\n[b]\n", "a", "remove-key")]
    [InlineData("[a]\nk = 1\n  cont\n[b]\n", "a", "set")]
    [InlineData("[a]\n  k = 1\n  [b]\n  x = 2\n", "a", "set")]
    [InlineData("[a]\n\n\n[b]\nx = 2\n", "a", "set")]
    [InlineData("[a]\n# only a comment\n[b]\nx = 2\n", "a", "remove-section")]
    public void One_edit_with_a_new_section_gives_the_same_text_as_the_single_calls(string text, string section, string change)
    {
        var edit = change switch
        {
            "set" => new IniSectionEdit(section).SetValue("k", "changed").SetValue("new_key", "v"),
            "remove-key" => new IniSectionEdit(section).RemoveKey("k"),
            _ => IniSectionEdit.RemoveSection(section),
        };
        var expected = IniDocument.Parse(text);
        switch (change)
        {
            case "set":
                expected.SetValue(section, "k", "changed");
                expected.SetValue(section, "new_key", "v");
                break;
            case "remove-key":
                expected.RemoveKey(section, "k");
                break;
            default:
                expected.RemoveSection(section);
                break;
        }

        expected.SetValue("profile added", "region", "eu-west-1");
        var document = IniDocument.Parse(text);

        document.ApplyEdits(new[] { edit, new IniSectionEdit("profile added").SetValue("region", "eu-west-1") });

        Assert.Equal(expected.ToString(), document.ToString());
        Assert.False(document.LastEditsWentCallByCall);
    }

    [Fact]
    public void Removing_the_last_sections_leaves_no_trailing_blank_lines_as_RemoveSection_does()
    {
        var text = "[a]\nk = 1\n\n\n[b]\nk = 2\n\n[c]\nk = 3\n";
        var expected = IniDocument.Parse(text);
        expected.RemoveSection("b");
        expected.RemoveSection("c");
        var document = IniDocument.Parse(text);

        document.ApplyEdits(new[] { IniSectionEdit.RemoveSection("b"), IniSectionEdit.RemoveSection("c") });

        Assert.Equal("[a]\nk = 1\n", document.ToString());
        Assert.Equal(expected.ToString(), document.ToString());
    }

    [Fact]
    public void Removing_a_section_keeps_the_comment_above_the_next_one()
    {
        var document = IniDocument.Parse("[a]\nk = 1\n\n# about c\n[c]\nk = 3\n");

        document.ApplyEdits(new[] { IniSectionEdit.RemoveSection("a") });

        Assert.Equal("# about c\n[c]\nk = 3\n", document.ToString());
    }

    [Fact]
    public void New_sections_are_appended_with_keys_and_comments_in_order_keeping_the_missing_final_newline()
    {
        var document = IniDocument.Parse("[a]\r\nk=1");

        document.ApplyEdits(new[]
        {
            new IniSectionEdit("profile x").SetValue("sso_session", "s").AddComment("# region =").SetValue("x_mark", "m"),
            new IniSectionEdit("profile y").SetValue("role_arn", "r"),
        });

        Assert.Equal("[a]\r\nk=1\r\n\r\n[profile x]\r\nsso_session=s\r\n# region =\r\nx_mark=m\r\n\r\n[profile y]\r\nrole_arn=r", document.ToString());
        Assert.Equal("s", document.GetValue("profile x", "sso_session"));
        Assert.Equal("m", document.GetValue("profile x", "x_mark"));
    }

    [Fact]
    public void A_new_section_without_a_key_is_not_written_and_a_key_set_twice_keeps_its_first_place()
    {
        var document = IniDocument.Parse(string.Empty);

        document.ApplyEdits(new[]
        {
            new IniSectionEdit("only comments").AddComment("# nothing").RemoveKey("k"),
            new IniSectionEdit("twice").SetValue("Key", "1").SetValue("other", "2").SetValue("key", "3").SetValue("gone", "4").RemoveKey("gone"),
        });

        Assert.Equal("[twice]\nKey = 3\nother = 2\n", document.ToString());
        Assert.False(document.ContainsSection("only comments"));
    }

    [Fact]
    public void Comments_are_ignored_for_existing_sections()
    {
        var document = IniDocument.Parse("[a]\nk = 1\n");

        document.ApplyEdits(new[] { new IniSectionEdit("a").AddComment("# ignored").SetValue("k", "2") });

        Assert.Equal("[a]\nk = 2\n", document.ToString());
    }

    [Fact]
    public void A_section_with_an_indented_next_header_gets_keys_that_keep_that_header()
    {
        var text = "[empty]\n  [profile indented]\n  k = v\n";
        var expected = IniDocument.Parse(text);
        expected.SetValue("empty", "new", "1");
        var document = IniDocument.Parse(text);

        document.ApplyEdits(new[] { new IniSectionEdit("empty").SetValue("new", "1") });

        Assert.Equal(expected.ToString(), document.ToString());
        Assert.Equal("v", document.GetValue("profile indented", "k"));
    }

    [Fact]
    public void An_edit_that_would_change_how_other_lines_read_is_refused_and_nothing_changes()
    {
        // "  [c]" is a section only because "  m = 2" set the indentation level; without [b] it would continue k.
        var text = "[a]\nk = 1\n[b]\n  m = 2\n  [c]\nx = 1\n";
        var document = IniDocument.Parse(text);

        var error = Assert.Throws<AwsLoginException>(() => document.ApplyEdits(new[]
        {
            new IniSectionEdit("a").SetValue("k", "changed"),
            IniSectionEdit.RemoveSection("b"),
            new IniSectionEdit("new").SetValue("k", "v"),
        }));

        Assert.Equal("ConfigEditUnsafe", error.Code);
        Assert.Equal(text, document.ToString());
        Assert.Equal(new[] { "a", "b", "c" }, document.SectionNames);
    }

    [Fact]
    public void A_section_edited_twice_is_refused()
    {
        var document = IniDocument.Parse("[a]\nk = 1\n");

        Assert.Throws<ArgumentException>(() => document.ApplyEdits(new[] { new IniSectionEdit("a").SetValue("k", "2"), IniSectionEdit.RemoveSection("a") }));
        Assert.Equal("[a]\nk = 1\n", document.ToString());
    }

    [Theory]
    [InlineData("no marker")]
    [InlineData("# ends with space ")]
    [InlineData("# two\nlines")]
    [InlineData("")]
    public void A_bad_comment_is_refused_before_anything_changes(string comment)
    {
        var document = IniDocument.Parse("[a]\nk = 1\n");

        Assert.Throws<ArgumentException>(() => document.ApplyEdits(new[] { new IniSectionEdit("a").SetValue("k", "2"), new IniSectionEdit("b").SetValue("k", "1").AddComment(comment) }));
        Assert.Equal("[a]\nk = 1\n", document.ToString());
    }

    [Fact]
    public void Bad_keys_values_and_section_names_are_refused_before_anything_changes()
    {
        var document = IniDocument.Parse("[a]\nk = 1\n");

        Assert.Equal("InvalidConfigKey", Assert.Throws<AwsLoginException>(() => document.ApplyEdits(new[] { new IniSectionEdit("a").SetValue("k", "2"), new IniSectionEdit("b").SetValue("a=b", "1") })).Code);
        Assert.Equal("InvalidConfigValue", Assert.Throws<AwsLoginException>(() => document.ApplyEdits(new[] { new IniSectionEdit("b").SetValue("k", "line\nbreak") })).Code);
        Assert.Equal("InvalidSectionName", Assert.Throws<AwsLoginException>(() => document.ApplyEdits(new[] { new IniSectionEdit(" b").SetValue("k", "v") })).Code);
        Assert.Throws<InvalidOperationException>(() => IniSectionEdit.RemoveSection("a").SetValue("k", "v"));
        Assert.Equal("[a]\nk = 1\n", document.ToString());
    }

    [Fact]
    public void A_duplicated_section_is_edited_as_the_single_calls_edit_it()
    {
        var text = "[dup]\nx = 1\n[other]\n[dup]\ny = 2\n";
        var expected = IniDocument.Parse(text);
        expected.SetValue("dup", "x", "10");
        expected.SetValue("dup", "z", "3");
        expected.RemoveKey("dup", "y");
        var document = IniDocument.Parse(text);

        document.ApplyEdits(new[] { new IniSectionEdit("dup").SetValue("x", "10").SetValue("z", "3").RemoveKey("y") });

        Assert.Equal(expected.ToString(), document.ToString());
    }

    [Fact]
    public void Thousands_of_sections_are_edited_like_the_single_calls()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 400; i++)
        {
            builder.Append("# comment ").Append(i).Append("\n[profile p").Append(i).Append("]\nsso_session = s\nregion = eu-west-1\n\n");
        }

        var text = builder.ToString();
        var expected = IniDocument.Parse(text);
        var edits = new List<IniSectionEdit>();
        for (var i = 0; i < 400; i++)
        {
            var section = "profile p" + i;
            if (i % 3 == 0)
            {
                expected.RemoveSection(section);
                edits.Add(IniSectionEdit.RemoveSection(section));
            }
            else
            {
                expected.RemoveKey(section, "sso_session");
                expected.SetValue(section, "credential_process", "cmd " + i);
                edits.Add(new IniSectionEdit(section).RemoveKey("sso_session").SetValue("credential_process", "cmd " + i));
            }
        }

        var document = IniDocument.Parse(text);
        document.ApplyEdits(edits);

        Assert.Equal(expected.ToString(), document.ToString());
        Assert.False(document.LastEditsWentCallByCall);
    }
}
