using System;
using System.Collections.Generic;

namespace AwsLogin.Engine.Config;

public sealed partial class IniDocument
{
    // Set on the one-section documents ApplyEdits edits, so that their new keys follow the whole file's spacing.
    private bool? _spacingOverride;

    /// <summary>True when the last <see cref="ApplyEdits"/> had to go call by call (tests check the fast path is taken).</summary>
    internal bool LastEditsWentCallByCall { get; private set; }

    /// <summary>
    /// Applies many section edits at once, in time proportional to the file plus the edits (each single
    /// <see cref="SetValue"/>, <see cref="RemoveKey"/> or <see cref="RemoveSection"/> re-reads the whole document,
    /// which is too slow for thousands of sections). The result is what those calls would give: edits of existing
    /// sections first, each applied in place exactly as its calls would, then the new sections appended in order,
    /// each after a blank line, with their keys and comments in the order given. A new section is written only when
    /// it gets at least one key. All or nothing: when any section, edited or not, would read differently than the
    /// edits say (unusual indentation), nothing is changed and an <see cref="AwsLoginException"/> (ConfigEditUnsafe)
    /// is thrown.
    /// </summary>
    /// <exception cref="ArgumentException">A section is edited twice.</exception>
    public void ApplyEdits(IEnumerable<IniSectionEdit> edits)
    {
        if (edits is null)
        {
            throw new ArgumentNullException(nameof(edits));
        }

        var list = new List<IniSectionEdit>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var edit in edits)
        {
            if (edit is null)
            {
                throw new ArgumentException("The edits must not contain null.", nameof(edits));
            }

            ValidateEdit(edit);
            if (!seen.Add(edit.Section))
            {
                throw new ArgumentException($"The section '{edit.Section}' is edited more than once; combine its changes into one edit.", nameof(edits));
            }

            list.Add(edit);
        }

        if (list.Count == 0)
        {
            return;
        }

        var existing = new List<IniSectionEdit>();
        var created = new List<IniSectionEdit>();
        foreach (var edit in list)
        {
            (_sections.ContainsKey(edit.Section) ? existing : created).Add(edit);
        }

        var before = Snapshot();
        var saved = new List<(string Text, string NewLine)>(_lines.Count);
        foreach (var line in _lines)
        {
            saved.Add((line.Text, line.NewLine));
        }

        LastEditsWentCallByCall = false;
        try
        {
            var done = TryEditInPlace(existing);
            if (done)
            {
                AppendSections(created);
                done = FirstUnexpected(before, list) is null;
            }

            if (!done)
            {
                // The in-place pass met something it cannot handle on its own (a section whose removal or new key
                // changes how the lines around it read): redo everything call by call, each call checking itself.
                Restore(saved);
                LastEditsWentCallByCall = true;
                foreach (var edit in existing)
                {
                    ApplyToExistingSection(edit);
                }

                AppendSections(created);
                if (FirstUnexpected(before, list) is { } section)
                {
                    throw Unsafe(section);
                }
            }
        }
        catch
        {
            Restore(saved);
            throw;
        }
    }

    private static void ValidateEdit(IniSectionEdit edit)
    {
        ValidateSection(edit.Section);
        foreach (var step in edit.Steps)
        {
            switch (step.Kind)
            {
                case IniEditStepKind.Set:
                    ValidateKey(step.Key, "key");
                    ValidateValue(step.Key, step.Value);
                    break;
                case IniEditStepKind.Remove:
                    ValidateKey(step.Key, "key");
                    break;
                default:
                    ValidateComment(step.Value);
                    break;
            }
        }
    }

    private static void ValidateComment(string text)
    {
        if (text.Length == 0 || text[0] is not ('#' or ';') || HasLineBreak(text) || text.TrimEnd().Length != text.Length)
        {
            throw new ArgumentException("A comment line must start with '#' or ';', and must not contain a line break or end with whitespace.", nameof(text));
        }
    }

    // Edits each section that occurs once on a copy of its own lines (plus the next header, so that indentation
    // taken from it is the same) and splices the results back; sections that occur more than once go call by call.
    private bool TryEditInPlace(List<IniSectionEdit> edits)
    {
        if (edits.Count == 0)
        {
            return true;
        }

        var spanCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var spanIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _spans.Count; i++)
        {
            spanCounts.TryGetValue(_spans[i].Name, out var count);
            spanCounts[_spans[i].Name] = count + 1;
            spanIndex[_spans[i].Name] = i;
        }

        var bySpan = new Dictionary<int, IniSectionEdit>();
        var repeated = new List<IniSectionEdit>();
        foreach (var edit in edits)
        {
            if (spanCounts[edit.Section] == 1)
            {
                bySpan[spanIndex[edit.Section]] = edit;
            }
            else
            {
                repeated.Add(edit);
            }
        }

        var spacing = DocumentSpacing();
        var hadNoFinalNewLine = _lines.Count > 0 && _lines[_lines.Count - 1].NewLine.Length == 0;
        var result = new List<IniLine>(_lines.Count);
        var firstHeader = _spans.Count > 0 ? _spans[0].Header : _lines.Count;
        for (var i = 0; i < firstHeader; i++)
        {
            result.Add(_lines[i]);
        }

        for (var s = 0; s < _spans.Count; s++)
        {
            var span = _spans[s];
            if (!bySpan.TryGetValue(s, out var edit))
            {
                for (var i = span.Header; i < span.End; i++)
                {
                    result.Add(_lines[i]);
                }

                continue;
            }

            if (EditSpan(span, edit, spacing) is not { } edited)
            {
                return false;
            }

            result.AddRange(edited);
            if (edit.RemovesSection && edited.Count == 0 && span.End == _lines.Count)
            {
                // As RemoveSection does: the file does not end in the blank lines that separated the removed section.
                while (result.Count > 0 && IsBlankText(result[result.Count - 1].Text))
                {
                    result.RemoveAt(result.Count - 1);
                }
            }
        }

        if (hadNoFinalNewLine && result.Count > 0)
        {
            foreach (var line in result)
            {
                if (line.NewLine.Length == 0)
                {
                    line.NewLine = _newLine;
                }
            }

            result[result.Count - 1].NewLine = string.Empty;
        }

        _lines.Clear();
        _lines.AddRange(result);
        Analyze();
        foreach (var edit in repeated)
        {
            ApplyToExistingSection(edit);
        }

        return true;
    }

    // The lines that replace the span, or null when the edit is unsafe there.
    private List<IniLine>? EditSpan(SectionSpan span, IniSectionEdit edit, bool spacing)
    {
        var hasNextHeader = span.End < _lines.Count;
        var stop = hasNextHeader ? span.End + 1 : span.End;
        var lines = new List<IniLine>(stop - span.Header + edit.Steps.Count);
        for (var i = span.Header; i < stop; i++)
        {
            lines.Add(new IniLine(_lines[i].Text, _lines[i].NewLine));
        }

        var part = new IniDocument(lines, hasByteOrderMark: false, _newLine) { _spacingOverride = spacing };
        try
        {
            part.ApplyToExistingSection(edit);
        }
        catch (AwsLoginException ex) when (ex.Code == "ConfigEditUnsafe")
        {
            return null;
        }

        var edited = part._lines;
        if (hasNextHeader)
        {
            var next = _lines[span.End];
            if (edited.Count == 0 || edited[edited.Count - 1].Text != next.Text || edited[edited.Count - 1].NewLine != next.NewLine)
            {
                return null;
            }

            edited.RemoveAt(edited.Count - 1);
        }

        return edited;
    }

    private void ApplyToExistingSection(IniSectionEdit edit)
    {
        if (edit.RemovesSection)
        {
            RemoveSection(edit.Section);
            return;
        }

        foreach (var step in edit.Steps)
        {
            if (step.Kind == IniEditStepKind.Set)
            {
                SetValue(edit.Section, step.Key, step.Value);
            }
            else if (step.Kind == IniEditStepKind.Remove)
            {
                RemoveKey(edit.Section, step.Key);
            }
        }
    }

    private void AppendSections(List<IniSectionEdit> edits)
    {
        var spaced = DocumentSpacing();
        var added = new List<string>();
        var needsBlank = _lines.Count > 0 && _lines[_lines.Count - 1].Kind != IniLineKind.Blank;
        foreach (var edit in edits)
        {
            if (edit.RemovesSection || NewSectionLines(edit, spaced) is not { } lines)
            {
                continue;
            }

            if (needsBlank)
            {
                added.Add(string.Empty);
            }

            added.Add("[" + edit.Section + "]");
            added.AddRange(lines);
            needsBlank = true;
        }

        if (added.Count > 0)
        {
            InsertLines(_lines.Count, added);
            Analyze();
        }
    }

    // The key and comment lines of a new section, or null when it gets no key. A key set twice keeps its first place
    // and spelling, as SetValue does.
    private static List<string>? NewSectionLines(IniSectionEdit edit, bool spaced)
    {
        var entries = new List<(string? Normalized, string Text, string Value)>();
        foreach (var step in edit.Steps)
        {
            if (step.Kind == IniEditStepKind.Comment)
            {
                entries.Add((null, step.Value, string.Empty));
                continue;
            }

            var normalized = Normalize(step.Key);
            var index = entries.FindIndex(e => e.Normalized == normalized);
            if (step.Kind == IniEditStepKind.Remove)
            {
                if (index >= 0)
                {
                    entries.RemoveAt(index);
                }
            }
            else if (index >= 0)
            {
                entries[index] = (normalized, entries[index].Text, step.Value);
            }
            else
            {
                entries.Add((normalized, step.Key, step.Value));
            }
        }

        if (!entries.Exists(e => e.Normalized is not null))
        {
            return null;
        }

        return entries.ConvertAll(e => e.Normalized is null ? e.Text : FormatOption(string.Empty, e.Text, e.Value, spaced));
    }

    // The first section that does not read as the edits say it should (others exactly as before), or null.
    private string? FirstUnexpected(Dictionary<string, Dictionary<string, string>> before, List<IniSectionEdit> edits)
    {
        var after = Snapshot();
        var byName = new Dictionary<string, IniSectionEdit>(StringComparer.Ordinal);
        foreach (var edit in edits)
        {
            byName[edit.Section] = edit;
        }

        var names = new HashSet<string>(before.Keys, StringComparer.Ordinal);
        names.UnionWith(after.Keys);
        foreach (var name in names)
        {
            before.TryGetValue(name, out var oldValues);
            after.TryGetValue(name, out var newValues);
            var expected = byName.TryGetValue(name, out var edit) ? Expected(oldValues, edit) : oldValues;
            if (expected is null ? newValues is not null : newValues is null || !SameExcept(expected, newValues, null))
            {
                return name;
            }
        }

        return null;
    }

    private static Dictionary<string, string>? Expected(Dictionary<string, string>? oldValues, IniSectionEdit edit)
    {
        if (edit.RemovesSection)
        {
            return null;
        }

        var values = oldValues is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(oldValues, StringComparer.Ordinal);
        foreach (var step in edit.Steps)
        {
            if (step.Kind == IniEditStepKind.Set)
            {
                values[Normalize(step.Key)] = step.Value;
            }
            else if (step.Kind == IniEditStepKind.Remove)
            {
                values.Remove(Normalize(step.Key));
            }
        }

        return oldValues is null && values.Count == 0 ? null : values;
    }

    private static bool IsBlankText(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }
}
