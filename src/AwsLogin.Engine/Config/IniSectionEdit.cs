using System;
using System.Collections.Generic;

namespace AwsLogin.Engine.Config;

/// <summary>
/// The changes to one section for <see cref="IniDocument.ApplyEdits"/>: keys to set or remove, in order, or the
/// removal of the whole section. Comment lines are written only when the edit creates the section, in their place
/// among its keys.
/// </summary>
public sealed class IniSectionEdit
{
    private readonly List<IniEditStep> _steps = new();

    /// <summary>An edit of <paramref name="section"/> (created at the end of the document when missing).</summary>
    public IniSectionEdit(string section)
        : this(section, removesSection: false)
    {
    }

    private IniSectionEdit(string section, bool removesSection)
    {
        Section = section ?? throw new ArgumentNullException(nameof(section));
        RemovesSection = removesSection;
    }

    /// <summary>The section name, as in <see cref="IniDocument.SectionNames"/> (e.g. <c>profile dev</c>).</summary>
    public string Section { get; }

    /// <summary>True when the edit removes the section (as <see cref="IniDocument.RemoveSection"/> does).</summary>
    public bool RemovesSection { get; }

    internal IReadOnlyList<IniEditStep> Steps => _steps;

    /// <summary>An edit that removes every occurrence of <paramref name="section"/>.</summary>
    public static IniSectionEdit RemoveSection(string section) => new(section, removesSection: true);

    /// <summary>Sets a key, as <see cref="IniDocument.SetValue"/> does.</summary>
    public IniSectionEdit SetValue(string key, string value) =>
        Add(new IniEditStep(IniEditStepKind.Set, key ?? throw new ArgumentNullException(nameof(key)), value ?? throw new ArgumentNullException(nameof(value))));

    /// <summary>Removes a key, as <see cref="IniDocument.RemoveKey"/> does.</summary>
    public IniSectionEdit RemoveKey(string key) =>
        Add(new IniEditStep(IniEditStepKind.Remove, key ?? throw new ArgumentNullException(nameof(key)), string.Empty));

    /// <summary>
    /// A whole-line comment (it must start with <c>#</c> or <c>;</c>) written at this point when the edit creates the
    /// section; ignored when the section exists.
    /// </summary>
    public IniSectionEdit AddComment(string text) =>
        Add(new IniEditStep(IniEditStepKind.Comment, string.Empty, text ?? throw new ArgumentNullException(nameof(text))));

    public override string ToString() => Section;

    private IniSectionEdit Add(IniEditStep step)
    {
        if (RemovesSection)
        {
            throw new InvalidOperationException("An edit that removes its section cannot also change keys.");
        }

        _steps.Add(step);
        return this;
    }
}

internal enum IniEditStepKind
{
    Set,
    Remove,
    Comment,
}

/// <summary>One step of an <see cref="IniSectionEdit"/>; <see cref="Value"/> is the comment text for comments.</summary>
internal readonly struct IniEditStep
{
    public IniEditStep(IniEditStepKind kind, string key, string value)
    {
        Kind = kind;
        Key = key;
        Value = value;
    }

    public IniEditStepKind Kind { get; }

    public string Key { get; }

    public string Value { get; }
}
