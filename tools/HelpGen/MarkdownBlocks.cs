using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace AwsLogin.HelpGen;

/// <summary>The block kinds of the small markdown subset help pages use.</summary>
internal enum BlockKind
{
    Heading,
    Paragraph,
    ListItem,
    Code,
}

/// <summary>A heading, a paragraph (soft-wrapped lines joined), a list item, or a fenced code block.</summary>
/// <param name="Level">The heading level; 0 for other blocks.</param>
/// <param name="Info">The info string of a code fence ("powershell", "yaml", ...).</param>
/// <param name="Line">The 1-based line where the block starts, for messages.</param>
internal sealed record Block(BlockKind Kind, string Text, int Level, string Info, int Line);

/// <summary>Splits a markdown page into blocks. Headings inside code fences are code, not headings.</summary>
internal static class MarkdownBlocks
{
    private static readonly Regex s_heading = new(@"^(#{1,6})\s+(.*?)\s*#*\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex s_listItem = new(@"^ {0,3}(?:[-*+]|\d+[.)])\s+(.*)$", RegexOptions.CultureInvariant);

    public static List<Block> Parse(IReadOnlyList<string> lines, int firstLineNumber, string path)
    {
        var blocks = new List<Block>();
        StringBuilder? text = null;
        var kind = BlockKind.Paragraph;
        var start = 0;

        void Flush()
        {
            if (text is not null)
            {
                blocks.Add(new Block(kind, text.ToString().Trim(), 0, string.Empty, start));
                text = null;
            }
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var number = firstLineNumber + i;
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                Flush();
                var info = trimmed.Substring(3).Trim();
                var code = new List<string>();
                var closed = false;
                for (i++; i < lines.Count; i++)
                {
                    if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal) && lines[i].Trim() == "```")
                    {
                        closed = true;
                        break;
                    }

                    code.Add(lines[i]);
                }

                if (!closed)
                {
                    throw new HelpFormatException(path, number, "This code fence is never closed.");
                }

                blocks.Add(new Block(BlockKind.Code, string.Join("\n", code), 0, info, number));
                continue;
            }

            if (trimmed.Length == 0)
            {
                Flush();
                continue;
            }

            var heading = s_heading.Match(line);
            if (heading.Success)
            {
                Flush();
                blocks.Add(new Block(BlockKind.Heading, heading.Groups[2].Value, heading.Groups[1].Length, string.Empty, number));
                continue;
            }

            var item = s_listItem.Match(line);
            if (item.Success)
            {
                Flush();
                kind = BlockKind.ListItem;
                start = number;
                text = new StringBuilder(item.Groups[1].Value.Trim());
                continue;
            }

            if (text is null)
            {
                kind = BlockKind.Paragraph;
                start = number;
                text = new StringBuilder(trimmed.TrimEnd());
            }
            else
            {
                text.Append(' ').Append(trimmed.TrimEnd());
            }
        }

        Flush();
        return blocks;
    }
}

/// <summary>Inline markdown to the plain text Get-Help shows.</summary>
internal static class Inline
{
    private static readonly Regex s_link = new(@"\G\[(?<text>[^\]]*)\]\((?<uri>[^)\s]*)\)", RegexOptions.CultureInvariant);
    private const string EscapableCharacters = "\\`*_{}[]()#+-.!<>|";

    /// <summary>Code spans lose their backticks, links become "text (uri)" (or just "text" for pages of this help), emphasis goes.</summary>
    public static string ToPlainText(string markdown)
    {
        var builder = new StringBuilder(markdown.Length);
        for (var i = 0; i < markdown.Length; i++)
        {
            var c = markdown[i];
            if (c == '`')
            {
                var end = markdown.IndexOf('`', i + 1);
                if (end > i)
                {
                    builder.Append(markdown, i + 1, end - i - 1);
                    i = end;
                    continue;
                }
            }
            else if (c == '\\' && i + 1 < markdown.Length && EscapableCharacters.IndexOf(markdown[i + 1]) >= 0)
            {
                builder.Append(markdown[++i]);
                continue;
            }
            else if (c == '*' && i + 1 < markdown.Length && markdown[i + 1] == '*')
            {
                i++;
                continue;
            }
            else if (c == '[')
            {
                var link = s_link.Match(markdown, i);
                if (link.Success)
                {
                    var text = ToPlainText(link.Groups["text"].Value);
                    var uri = link.Groups["uri"].Value;
                    builder.Append(IsAbsolute(uri) ? $"{text} ({uri})" : text);
                    i += link.Length - 1;
                    continue;
                }
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>True for http(s) and other absolute URIs; false for relative links to other help pages.</summary>
    public static bool IsAbsolute(string uri) => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https";

    /// <summary>Parses a paragraph that is exactly one link.</summary>
    public static bool TryParseLink(string markdown, out string text, out string uri)
    {
        var match = s_link.Match(markdown.Trim());
        if (match.Success && match.Length == markdown.Trim().Length)
        {
            text = ToPlainText(match.Groups["text"].Value);
            uri = match.Groups["uri"].Value;
            return true;
        }

        text = string.Empty;
        uri = string.Empty;
        return false;
    }
}

/// <summary>A help page that does not follow the format, with the file and line to fix.</summary>
public sealed class HelpFormatException : Exception
{
    public HelpFormatException(string path, int line, string message)
        : base($"{path}({line}): {message}")
    {
        Path = path;
        LineNumber = line;
    }

    public string Path { get; }

    public int LineNumber { get; }
}
