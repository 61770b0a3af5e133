using System;
using System.Collections.Generic;
using System.Text;

namespace AwsLogin.Engine.Config;

/// <summary>
/// A lossless editor for the AWS shared config and credentials files. It reads them the way botocore (and so the
/// AWS CLI v2) does, through Python's RawConfigParser: <c>key = value</c> or <c>key: value</c> split at the first
/// delimiter, option names lower-cased, section names case-sensitive, whole-line <c>#</c>/<c>;</c> comments
/// (indented ones too) and no inline comments (<c>region = us-east-1 # x</c> has the value <c>us-east-1 # x</c>),
/// lines indented deeper than their option continuing its value (the nested <c>s3 =</c> / <c>[services]</c>
/// blocks). Every line, terminator, a missing final newline and a UTF-8 BOM are kept, so <see cref="ToString"/>
/// returns the original text until something is changed, and an edit touches only the lines it must.
/// </summary>
/// <remarks>
/// Where botocore rejects the whole file (a duplicate section or key, a line without a delimiter, text before the
/// first header) this class keeps reading: duplicate sections and keys merge with later values winning, as the
/// other AWS SDKs do, and unreadable lines are ignored but kept. Whitespace inside brackets is trimmed from
/// section names (<c>[ dev ]</c> is <c>dev</c>; botocore would call it <c>" dev "</c>).
/// </remarks>
public sealed partial class IniDocument
{
    private const char ByteOrderMark = '\uFEFF';
    private static readonly char[] s_delimiters = { '=', ':' };

    private readonly List<IniLine> _lines;
    private readonly List<SectionSpan> _spans = new();
    private readonly Dictionary<string, SectionData> _sections = new(StringComparer.Ordinal);
    private readonly List<string> _sectionNames = new();
    private readonly bool _hasByteOrderMark;
    private readonly string _newLine;

    private IniDocument(List<IniLine> lines, bool hasByteOrderMark, string newLine)
    {
        _lines = lines;
        _hasByteOrderMark = hasByteOrderMark;
        _newLine = newLine;
        Analyze();
    }

    /// <summary>True when the text began with a UTF-8 byte order mark; it is written back.</summary>
    public bool HasByteOrderMark => _hasByteOrderMark;

    /// <summary>The line terminator used for added lines: the file's first one, else the fallback given to Parse.</summary>
    public string NewLine => _newLine;

    /// <summary>Distinct section names in the order they first appear.</summary>
    public IReadOnlyList<string> SectionNames => _sectionNames.ToArray();

    /// <summary>Parses <paramref name="text"/>; never fails (see the remarks on unreadable lines).</summary>
    public static IniDocument Parse(string text) => Parse(text, "\n");

    /// <summary>Parses <paramref name="text"/>; <paramref name="fallbackNewLine"/> is used for added lines when the text has no line break.</summary>
    public static IniDocument Parse(string text, string fallbackNewLine)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        if (fallbackNewLine is not ("\n" or "\r\n" or "\r"))
        {
            throw new ArgumentException("The fallback line break must be \\n, \\r\\n or \\r.", nameof(fallbackNewLine));
        }

        var hasBom = text.Length > 0 && text[0] == ByteOrderMark;
        var position = hasBom ? 1 : 0;
        var lines = new List<IniLine>();
        string? firstNewLine = null;
        var lineStart = position;
        while (position < text.Length)
        {
            var c = text[position];
            if (c != '\r' && c != '\n')
            {
                position++;
                continue;
            }

            var newLine = c == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? "\r\n" : c.ToString();
            firstNewLine ??= newLine;
            lines.Add(new IniLine(text.Substring(lineStart, position - lineStart), newLine));
            position += newLine.Length;
            lineStart = position;
        }

        if (lineStart < text.Length)
        {
            lines.Add(new IniLine(text.Substring(lineStart), string.Empty));
        }

        return new IniDocument(lines, hasBom, firstNewLine ?? fallbackNewLine);
    }

    /// <summary>The whole text: exactly the parsed text when nothing was changed.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        if (_hasByteOrderMark)
        {
            builder.Append(ByteOrderMark);
        }

        foreach (var line in _lines)
        {
            builder.Append(line.Text).Append(line.NewLine);
        }

        return builder.ToString();
    }

    /// <summary>True when at least one <c>[section]</c> header has this name.</summary>
    public bool ContainsSection(string section) => _sections.ContainsKey(section);

    /// <summary>The (lower-cased) keys of a section, merged over its occurrences, in first-appearance order; empty when missing.</summary>
    public IReadOnlyList<string> GetKeys(string section) =>
        _sections.TryGetValue(section, out var data) ? data.Keys.ToArray() : Array.Empty<string>();

    /// <summary>All values of a section, merged over its occurrences with later values winning; empty when missing.</summary>
    public IReadOnlyDictionary<string, string> GetSection(string section) =>
        _sections.TryGetValue(section, out var data)
            ? new Dictionary<string, string>(data.Values, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The value of <paramref name="key"/> (matched ignoring case, as botocore lower-cases option names), or null.
    /// A multi-line value is joined with "\n"; a nested block's value starts with "\n", as in botocore.
    /// </summary>
    public string? GetValue(string section, string key) =>
        _sections.TryGetValue(section, out var data) && data.Values.TryGetValue(Normalize(key), out var value) ? value : null;

    /// <summary>The nested <c>sub = value</c> pairs under a key with an empty value (<c>s3 =</c>), or null when the key is not such a block.</summary>
    public IReadOnlyDictionary<string, string>? GetSubValues(string section, string key) =>
        GetValue(section, key) is { } value ? ParseNested(value) : null;

    /// <summary>One nested value (<paramref name="subKey"/> is case-sensitive, as botocore leaves nested keys as written), or null.</summary>
    public string? GetSubValue(string section, string key, string subKey) =>
        GetSubValues(section, key) is { } values && values.TryGetValue(subKey, out var value) ? value : null;

    /// <summary>
    /// Sets a value. An existing key (its last definition) is rewritten in place keeping its indentation and
    /// spacing, and any continuation lines of its old value are removed; a new key goes at the end of the section's
    /// last occurrence, before the blank and comment lines that trail it; a missing section is added at the end.
    /// </summary>
    public void SetValue(string section, string key, string value)
    {
        ValidateSection(section);
        ValidateKey(key, nameof(key));
        ValidateValue(key, value);
        Edit(section, key, () => SetValueCore(section, key, value), () => GetValue(section, key) == value);
    }

    /// <summary>
    /// Sets a nested value (<c>key =</c> then an indented <c>subKey = value</c>), creating the block when missing.
    /// A key that had a plain value becomes a block.
    /// </summary>
    public void SetSubValue(string section, string key, string subKey, string value)
    {
        ValidateSection(section);
        ValidateKey(key, nameof(key));
        ValidateKey(subKey, nameof(subKey));
        ValidateValue(subKey, value);
        Edit(section, key, () => SetSubValueCore(section, key, subKey, value), () => GetSubValue(section, key, subKey) == value);
    }

    /// <summary>Removes every definition of a key (with its continuation lines) from every occurrence of the section.</summary>
    public bool RemoveKey(string section, string key)
    {
        var normalized = Normalize(key);
        if (!_sections.TryGetValue(section, out var data) || !data.Values.ContainsKey(normalized))
        {
            return false;
        }

        Edit(
            section,
            key,
            () =>
            {
                while (_sections.TryGetValue(section, out var current) && current.LastLine.TryGetValue(normalized, out var line))
                {
                    RemoveLines(line, BlockEnd(line) - line + 1);
                    Analyze();
                }
            },
            () => GetValue(section, key) is null);
        return true;
    }

    /// <summary>Removes one nested value; true when it was there.</summary>
    public bool RemoveSubValue(string section, string key, string subKey)
    {
        if (GetSubValue(section, key, subKey) is null)
        {
            return false;
        }

        Edit(
            section,
            key,
            () =>
            {
                var option = LastOptionLine(section, Normalize(key));
                for (var i = BlockEnd(option); i > option; i--)
                {
                    if (IsSubLine(i, option, out var name, out _, out _) && name == subKey)
                    {
                        RemoveLines(i, 1);
                    }
                }
            },
            () => GetSubValue(section, key, subKey) is null);
        return true;
    }

    /// <summary>
    /// Removes every occurrence of a section: its header, its lines and the blank lines after it. Comment lines
    /// just before the next header are kept (they usually describe that section).
    /// </summary>
    public bool RemoveSection(string section)
    {
        if (!_sections.ContainsKey(section))
        {
            return false;
        }

        Edit(
            section,
            null,
            () =>
            {
                while (LastSpan(section) is { } span)
                {
                    var start = span.Header;
                    var stop = LastSignificantLine(span) + 1;
                    while (stop < span.End && _lines[stop].Kind == IniLineKind.Blank)
                    {
                        stop++;
                    }

                    if (stop == _lines.Count)
                    {
                        // Do not leave the file ending in the blank lines that separated the removed section.
                        while (start > 0 && _lines[start - 1].Kind == IniLineKind.Blank)
                        {
                            start--;
                        }
                    }

                    RemoveLines(start, stop - start);
                    Analyze();
                }
            },
            () => !ContainsSection(section));
        return true;
    }

    /// <summary>Parses a nested block value as botocore's _parse_nested does; null when the value is not a block.</summary>
    internal static Dictionary<string, string>? ParseNested(string value)
    {
        if (!value.StartsWith("\n", StringComparison.Ordinal))
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in value.Split('\n'))
        {
            var line = raw.Trim();
            var equals = line.IndexOf('=');
            if (line.Length == 0 || equals < 0)
            {
                // botocore fails the whole file on a nested line without '='; we skip the line.
                continue;
            }

            result[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
        }

        return result;
    }

    /// <summary>The lines for a change summary, with values replaced by <paramref name="maskValue"/>(normalized key, value).</summary>
    internal IReadOnlyList<IniDisplayLine> GetDisplayLines(Func<string, string, string> maskValue)
    {
        var result = new List<IniDisplayLine>(_lines.Count);
        for (var i = 0; i < _lines.Count; i++)
        {
            var line = _lines[i];
            var raw = (i == 0 && _hasByteOrderMark ? ByteOrderMark.ToString() : string.Empty) + line.Text + line.NewLine;
            result.Add(new IniDisplayLine(raw, DisplayText(line, maskValue), line.NewLine.Length > 0));
        }

        return result;
    }

    internal static string Normalize(string key) => key.Trim().ToLowerInvariant();

    private string DisplayText(IniLine line, Func<string, string, string> maskValue)
    {
        switch (line.Kind)
        {
            case IniLineKind.Option:
            {
                var value = line.FirstValue;
                var shown = maskValue(line.NormalizedKey!, value);
                return shown == value ? line.Text : line.Text.Substring(0, line.ValueStart) + shown + line.Text.Substring(line.ValueEnd);
            }

            case IniLineKind.Continuation:
            {
                var owner = _lines[line.Owner];
                var value = line.Text.Trim();
                var shown = maskValue(owner.NormalizedKey!, value);
                return shown == value ? line.Text : line.LeadingWhiteSpace + shown;
            }

            case IniLineKind.Comment:
            {
                // A commented-out key ("#aws_secret_access_key = ...") is still a secret.
                var end = LastNonWhiteSpace(line.Text) + 1;
                var delimiter = line.Text.IndexOfAny(s_delimiters, line.Indent, end - line.Indent);
                if (delimiter < 0)
                {
                    return line.Text;
                }

                var key = Normalize(line.Text.Substring(line.Indent, delimiter - line.Indent).TrimStart('#', ';'));
                var valueStart = SkipWhiteSpace(line.Text, delimiter + 1, end);
                var value = line.Text.Substring(valueStart, end - valueStart);
                var shown = maskValue(key, value);
                return shown == value ? line.Text : line.Text.Substring(0, valueStart) + shown + line.Text.Substring(end);
            }

            case IniLineKind.Invalid:
                // Unreadable lines could hold anything, a pasted secret included.
                return line.LeadingWhiteSpace + Mask.Hidden;

            default:
                return line.Text;
        }
    }

    private void SetValueCore(string section, string key, string value)
    {
        var existing = LastOptionLine(section, Normalize(key));
        if (existing >= 0)
        {
            ReplaceOptionValue(existing, value);
            return;
        }

        if (LastSpan(section) is not { } span)
        {
            var added = new List<string>();
            if (_lines.Count > 0 && _lines[_lines.Count - 1].Kind != IniLineKind.Blank)
            {
                added.Add(string.Empty);
            }

            added.Add("[" + section + "]");
            added.Add(FormatOption(string.Empty, key, value, DocumentSpacing()));
            InsertLines(_lines.Count, added);
            return;
        }

        var insertAt = LastSignificantLine(span) + 1;
        var lastOption = -1;
        var levelLine = -1;
        for (var i = span.Header + 1; i < insertAt; i++)
        {
            if (_lines[i].Kind == IniLineKind.Option)
            {
                lastOption = i;
            }

            if (_lines[i].Kind is IniLineKind.Option or IniLineKind.Invalid)
            {
                levelLine = i;
            }
        }

        // configparser continues a value on any line indented deeper than the last option (or unreadable) line,
        // so the new key takes that line's indentation. With neither, an indented header that follows must not
        // become a continuation of the new key, so the key takes that header's indentation.
        var indent = levelLine >= 0
            ? _lines[levelLine].LeadingWhiteSpace
            : span.End < _lines.Count ? _lines[span.End].LeadingWhiteSpace : string.Empty;
        var spaced = lastOption >= 0 ? IsSpaced(_lines[lastOption]) : DocumentSpacing();
        InsertLines(insertAt, new[] { FormatOption(indent, key, value, spaced) });
    }

    private void SetSubValueCore(string section, string key, string subKey, string value)
    {
        var normalized = Normalize(key);
        var option = LastOptionLine(section, normalized);
        if (option < 0)
        {
            SetValueCore(section, key, string.Empty);
            Analyze();
            option = LastOptionLine(section, normalized);
            if (option < 0)
            {
                throw Unsafe(section);
            }
        }
        else if (_lines[option].FirstValue.Length > 0)
        {
            ReplaceOptionValue(option, string.Empty);
            Analyze();
        }

        var blockEnd = BlockEnd(option);
        string? childIndent = null;
        bool? spaced = null;
        var match = -1;
        for (var i = option + 1; i <= blockEnd; i++)
        {
            if (!IsSubLine(i, option, out var name, out _, out _))
            {
                continue;
            }

            var child = _lines[i];
            childIndent ??= child.LeadingWhiteSpace;
            var equals = child.Text.IndexOf('=', child.Indent);
            spaced ??= equals > child.Indent && char.IsWhiteSpace(child.Text[equals - 1]);
            if (name == subKey)
            {
                match = i;
            }
        }

        if (match >= 0)
        {
            IsSubLine(match, option, out _, out var start, out var end);
            var text = _lines[match].Text;
            _lines[match].Text = text.Substring(0, start) + value + text.Substring(end);
            return;
        }

        var indent = childIndent ?? _lines[option].LeadingWhiteSpace + "  ";
        InsertLines(blockEnd + 1, new[] { FormatOption(indent, subKey, value, spaced ?? true) });
    }

    private bool IsSubLine(int index, int option, out string name, out int valueStart, out int valueEnd)
    {
        name = string.Empty;
        valueStart = valueEnd = 0;
        var line = _lines[index];
        if (line.Kind != IniLineKind.Continuation || line.Owner != option)
        {
            return false;
        }

        var equals = line.Text.IndexOf('=', line.Indent);
        if (equals < 0)
        {
            return false;
        }

        name = line.Text.Substring(line.Indent, equals - line.Indent).Trim();
        valueEnd = LastNonWhiteSpace(line.Text) + 1;
        valueStart = SkipWhiteSpace(line.Text, equals + 1, valueEnd);
        return true;
    }

    private void ReplaceOptionValue(int index, string value)
    {
        var line = _lines[index];
        var blockEnd = BlockEnd(index);
        var prefix = line.Text.Substring(0, line.ValueStart);
        var suffix = line.Text.Substring(line.ValueEnd);
        if (value.Length == 0)
        {
            prefix = prefix.TrimEnd();
        }
        else if (line.ValueStart == line.Text.Length && line.ValueStart == line.DelimiterIndex + 1 && IsSpaced(line))
        {
            // "key =" had no value: mirror the space before the delimiter.
            prefix += " ";
        }

        line.Text = prefix + value + suffix;
        if (blockEnd > index)
        {
            RemoveLines(index + 1, blockEnd - index);
        }
    }

    private static string FormatOption(string indent, string key, string value, bool spaced)
    {
        if (value.Length == 0)
        {
            return indent + key + (spaced ? " =" : "=");
        }

        return indent + key + (spaced ? " = " : "=") + value;
    }

    private static bool IsSpaced(IniLine option)
    {
        var keyEnd = option.Indent + option.Key!.Length;
        return option.DelimiterIndex > keyEnd || option.ValueStart > option.DelimiterIndex + 1;
    }

    // The spacing style of the file's first option; " = " (the AWS CLI's) for a file without one.
    private bool DocumentSpacing()
    {
        if (_spacingOverride is { } spaced)
        {
            return spaced;
        }

        foreach (var line in _lines)
        {
            if (line.Kind == IniLineKind.Option)
            {
                return IsSpaced(line);
            }
        }

        return true;
    }

    private void Edit(string section, string? key, Action change, Func<bool> check)
    {
        var before = Snapshot();
        var saved = new List<(string Text, string NewLine)>(_lines.Count);
        foreach (var line in _lines)
        {
            saved.Add((line.Text, line.NewLine));
        }

        try
        {
            change();
            Analyze();
            if (OthersUnchanged(before, section, key) && check())
            {
                return;
            }
        }
        catch
        {
            Restore(saved);
            throw;
        }

        Restore(saved);
        throw Unsafe(section);
    }

    private static AwsLoginException Unsafe(string section) =>
        new(
            FailureKind.InvalidConfiguration,
            "ConfigEditUnsafe",
            $"The section '{section}' cannot be changed without changing how other lines of the file are read (unusual indentation). Nothing was changed.",
            section,
            "Edit the file by hand, or remove the indentation in front of its section headers and keys.");

    private void Restore(List<(string Text, string NewLine)> saved)
    {
        _lines.Clear();
        foreach (var (text, newLine) in saved)
        {
            _lines.Add(new IniLine(text, newLine));
        }

        Analyze();
    }

    private Dictionary<string, Dictionary<string, string>> Snapshot()
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var pair in _sections)
        {
            result[pair.Key] = new Dictionary<string, string>(pair.Value.Values, StringComparer.Ordinal);
        }

        return result;
    }

    // Every section and key other than the one edited must read exactly as before.
    private bool OthersUnchanged(Dictionary<string, Dictionary<string, string>> before, string section, string? key)
    {
        var after = Snapshot();
        var names = new HashSet<string>(before.Keys, StringComparer.Ordinal);
        names.UnionWith(after.Keys);
        var excludedKey = key is null ? null : Normalize(key);
        foreach (var name in names)
        {
            if (name == section)
            {
                if (excludedKey is null)
                {
                    continue;
                }

                before.TryGetValue(name, out var oldValues);
                after.TryGetValue(name, out var newValues);
                if (!SameExcept(oldValues, newValues, excludedKey))
                {
                    return false;
                }

                continue;
            }

            if (!before.TryGetValue(name, out var oldSection) || !after.TryGetValue(name, out var newSection) || !SameExcept(oldSection, newSection, null))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameExcept(Dictionary<string, string>? left, Dictionary<string, string>? right, string? excluded)
    {
        var leftCount = 0;
        if (left is not null)
        {
            foreach (var pair in left)
            {
                if (pair.Key == excluded)
                {
                    continue;
                }

                leftCount++;
                if (right is null || !right.TryGetValue(pair.Key, out var other) || other != pair.Value)
                {
                    return false;
                }
            }
        }

        var rightCount = 0;
        if (right is not null)
        {
            foreach (var pair in right)
            {
                if (pair.Key != excluded)
                {
                    rightCount++;
                }
            }
        }

        return leftCount == rightCount;
    }

    private void InsertLines(int index, IReadOnlyList<string> texts)
    {
        // A file without a final line break keeps that shape: the old last line gains one, the new last line has none.
        var keepNoFinalNewLine = index == _lines.Count && _lines.Count > 0 && _lines[_lines.Count - 1].NewLine.Length == 0;
        if (keepNoFinalNewLine)
        {
            _lines[_lines.Count - 1].NewLine = _newLine;
        }

        var added = new List<IniLine>(texts.Count);
        foreach (var text in texts)
        {
            added.Add(new IniLine(text, _newLine));
        }

        if (keepNoFinalNewLine)
        {
            added[added.Count - 1].NewLine = string.Empty;
        }

        _lines.InsertRange(index, added);
    }

    private void RemoveLines(int index, int count)
    {
        if (count <= 0)
        {
            return;
        }

        var lastHadNoNewLine = index + count == _lines.Count && _lines[_lines.Count - 1].NewLine.Length == 0;
        _lines.RemoveRange(index, count);
        if (lastHadNoNewLine && _lines.Count > 0)
        {
            _lines[_lines.Count - 1].NewLine = string.Empty;
        }
    }

    private int LastOptionLine(string section, string normalizedKey) =>
        _sections.TryGetValue(section, out var data) && data.LastLine.TryGetValue(normalizedKey, out var line) ? line : -1;

    private SectionSpan? LastSpan(string section)
    {
        for (var i = _spans.Count - 1; i >= 0; i--)
        {
            if (_spans[i].Name == section)
            {
                return _spans[i];
            }
        }

        return null;
    }

    private int LastSignificantLine(SectionSpan span)
    {
        for (var i = span.End - 1; i > span.Header; i--)
        {
            if (_lines[i].Kind is not (IniLineKind.Blank or IniLineKind.Comment))
            {
                return i;
            }
        }

        return span.Header;
    }

    // The last continuation line of an option's value (blank and comment lines between them included).
    private int BlockEnd(int option)
    {
        var end = option;
        for (var i = option + 1; i < _lines.Count; i++)
        {
            var line = _lines[i];
            if (line.Kind == IniLineKind.Continuation && line.Owner == option)
            {
                end = i;
            }
            else if (line.Kind is not (IniLineKind.Blank or IniLineKind.Comment))
            {
                break;
            }
        }

        return end;
    }

    // Reads the lines as configparser's _read does (Python 3, empty_lines_in_values=True, no inline comments).
    private void Analyze()
    {
        _spans.Clear();
        _sections.Clear();
        _sectionNames.Clear();
        var currentSpan = -1;
        var currentOption = -1;
        var indentLevel = 0;
        for (var i = 0; i < _lines.Count; i++)
        {
            var line = _lines[i];
            line.Reset();
            line.Span = currentSpan;
            var text = line.Text;
            var start = SkipWhiteSpace(text, 0, text.Length);
            if (start == text.Length)
            {
                line.Kind = IniLineKind.Blank;
                line.Owner = currentOption;
                continue;
            }

            line.Indent = start;
            if (text[start] is '#' or ';')
            {
                line.Kind = IniLineKind.Comment;
                line.Owner = currentOption;
                continue;
            }

            if (currentSpan >= 0 && currentOption >= 0 && start > indentLevel)
            {
                line.Kind = IniLineKind.Continuation;
                line.Owner = currentOption;
                continue;
            }

            indentLevel = start;
            var end = LastNonWhiteSpace(text) + 1;
            if (text[start] == '[')
            {
                // configparser's header pattern is \[(?P<header>.+)\] with a greedy .+: the last ']' closes it
                // and anything after it is ignored.
                var close = text.LastIndexOf(']', end - 1);
                if (close >= start + 2)
                {
                    var name = text.Substring(start + 1, close - start - 1).Trim();
                    line.Kind = IniLineKind.Section;
                    line.SectionName = name;
                    _spans.Add(new SectionSpan(name, i));
                    currentSpan = _spans.Count - 1;
                    line.Span = currentSpan;
                    currentOption = -1;
                    continue;
                }
            }

            var delimiter = currentSpan < 0 ? -1 : text.IndexOfAny(s_delimiters, start, end - start);
            if (delimiter <= start)
            {
                // configparser keeps the current option after an error line, so it does not reset currentOption.
                line.Kind = IniLineKind.Invalid;
                continue;
            }

            line.Kind = IniLineKind.Option;
            line.Key = text.Substring(start, delimiter - start).TrimEnd();
            line.NormalizedKey = Normalize(line.Key);
            line.DelimiterIndex = delimiter;
            line.ValueStart = SkipWhiteSpace(text, delimiter + 1, end);
            line.ValueEnd = Math.Max(line.ValueStart, end);
            line.ValueParts = new List<string> { line.FirstValue };
            currentOption = i;
        }

        for (var i = 0; i < _spans.Count; i++)
        {
            _spans[i].End = i + 1 < _spans.Count ? _spans[i + 1].Header : _lines.Count;
            if (!_sections.ContainsKey(_spans[i].Name))
            {
                _sections[_spans[i].Name] = new SectionData();
                _sectionNames.Add(_spans[i].Name);
            }
        }

        foreach (var line in _lines)
        {
            if (line.Owner < 0)
            {
                continue;
            }

            if (line.Kind == IniLineKind.Blank)
            {
                _lines[line.Owner].ValueParts!.Add(string.Empty);
            }
            else if (line.Kind == IniLineKind.Continuation)
            {
                _lines[line.Owner].ValueParts!.Add(line.Text.Trim());
            }
        }

        for (var i = 0; i < _lines.Count; i++)
        {
            var line = _lines[i];
            if (line.Kind != IniLineKind.Option)
            {
                continue;
            }

            // configparser joins the pieces with "\n" and strips trailing whitespace (so trailing blank lines go).
            var value = string.Join("\n", line.ValueParts!).TrimEnd();
            _sections[_spans[line.Span].Name].Set(line.NormalizedKey!, value, i);
        }
    }

    private static int SkipWhiteSpace(string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        return start;
    }

    private static int LastNonWhiteSpace(string text)
    {
        var i = text.Length - 1;
        while (i >= 0 && char.IsWhiteSpace(text[i]))
        {
            i--;
        }

        return i;
    }

    private static void ValidateSection(string section)
    {
        if (section is null)
        {
            throw new ArgumentNullException(nameof(section));
        }

        if (section.Length == 0 || section.Trim().Length != section.Length || HasLineBreak(section) || section[0] == '[')
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "InvalidSectionName",
                "A section name must not be empty, start with '[', begin or end with whitespace, or contain a line break.",
                section,
                "Use a profile or section name without those characters.");
        }
    }

    private static void ValidateKey(string key, string parameterName)
    {
        if (key is null)
        {
            throw new ArgumentNullException(parameterName);
        }

        if (key.Length == 0 || key.Trim().Length != key.Length || HasLineBreak(key) || key.IndexOfAny(s_delimiters) >= 0 || key[0] is '#' or ';' or '[')
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "InvalidConfigKey",
                $"'{key}' cannot be a key in the AWS config files: a key must not be empty, contain '=', ':' or a line break, begin or end with whitespace, or start with '#', ';' or '['.",
                key,
                "Use a key name made of letters, digits and underscores.");
        }
    }

    private static void ValidateValue(string key, string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        // Never echo the value: it may be a secret.
        if (HasLineBreak(value) || value.Trim().Length != value.Length || value.IndexOf('\0') >= 0)
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "InvalidConfigValue",
                $"The value for '{key}' cannot be written to an AWS config file: it contains a line break or NUL, or begins or ends with whitespace.",
                key,
                "Check the value; AWS config files hold one trimmed line per value.");
        }
    }

    private static bool HasLineBreak(string text) => text.IndexOf('\n') >= 0 || text.IndexOf('\r') >= 0;

    private sealed class SectionSpan
    {
        public SectionSpan(string name, int header)
        {
            Name = name;
            Header = header;
            End = header + 1;
        }

        public string Name { get; }

        public int Header { get; }

        /// <summary>The next header's line, or the line count.</summary>
        public int End { get; set; }
    }

    private sealed class SectionData
    {
        public List<string> Keys { get; } = new();

        public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> LastLine { get; } = new(StringComparer.Ordinal);

        public void Set(string key, string value, int line)
        {
            if (!Values.ContainsKey(key))
            {
                Keys.Add(key);
            }

            Values[key] = value;
            LastLine[key] = line;
        }
    }
}
