using System.Collections.Generic;

namespace AwsLogin.Engine.Config;

/// <summary>How botocore's configparser reads a line.</summary>
internal enum IniLineKind
{
    Blank,
    Comment,
    Section,
    Option,
    Continuation,
    // A line configparser rejects (no delimiter, or before any section); kept verbatim and ignored.
    Invalid,
}

/// <summary>One physical line: its exact text and terminator, plus what the last analysis found in it.</summary>
internal sealed class IniLine
{
    public IniLine(string text, string newLine)
    {
        Text = text;
        NewLine = newLine;
    }

    public string Text { get; set; }

    /// <summary>"\r\n", "\n", "\r", or empty for a last line without one.</summary>
    public string NewLine { get; set; }

    public IniLineKind Kind { get; set; }

    /// <summary>Index of the first non-whitespace character.</summary>
    public int Indent { get; set; }

    /// <summary>Index of the section occurrence the line is in, -1 before the first header.</summary>
    public int Span { get; set; }

    /// <summary>For continuation, blank and comment lines: the option line whose value they extend, else -1.</summary>
    public int Owner { get; set; }

    public string? SectionName { get; set; }

    public string? Key { get; set; }

    /// <summary>The key as botocore sees it (configparser lower-cases option names).</summary>
    public string? NormalizedKey { get; set; }

    public int DelimiterIndex { get; set; }

    public int ValueStart { get; set; }

    public int ValueEnd { get; set; }

    /// <summary>The value pieces of an option line: its own value, then "" per blank line and each continuation.</summary>
    public List<string>? ValueParts { get; set; }

    public string FirstValue => Text.Substring(ValueStart, ValueEnd - ValueStart);

    public string LeadingWhiteSpace => Text.Substring(0, Indent);

    public void Reset()
    {
        Kind = IniLineKind.Blank;
        Indent = 0;
        Span = -1;
        Owner = -1;
        SectionName = null;
        Key = null;
        NormalizedKey = null;
        DelimiterIndex = 0;
        ValueStart = 0;
        ValueEnd = 0;
        ValueParts = null;
    }
}

/// <summary>A value shown in place of a line when describing a change.</summary>
internal readonly struct IniDisplayLine
{
    public IniDisplayLine(string raw, string display, bool hasNewLine)
    {
        Raw = raw;
        Display = display;
        HasNewLine = hasNewLine;
    }

    /// <summary>The exact text and terminator, for comparing.</summary>
    public string Raw { get; }

    /// <summary>What may be shown: secrets replaced.</summary>
    public string Display { get; }

    public bool HasNewLine { get; }
}
