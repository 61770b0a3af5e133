using System;
using System.Collections.Generic;
using System.Linq;

namespace AwsLogin.HelpGen;

/// <summary>One cmdlet's help page, as read from its PlatyPS markdown file.</summary>
public sealed record CommandHelp
{
    /// <summary>The cmdlet name, from the page's H1.</summary>
    public required string Name { get; init; }

    /// <summary>The markdown file the page came from, for messages.</summary>
    public required string SourcePath { get; init; }

    /// <summary>The front matter's "external help file": the MAML file the page belongs to.</summary>
    public required string ExternalHelpFile { get; init; }

    /// <summary>The front matter's "Module Name".</summary>
    public required string ModuleName { get; init; }

    public required IReadOnlyList<string> Synopsis { get; init; }

    public required IReadOnlyList<string> Description { get; init; }

    /// <summary>One entry per parameter set, in page order.</summary>
    public required IReadOnlyList<SyntaxSet> Syntax { get; init; }

    /// <summary>The documented parameters, in page order (CommonParameters excluded).</summary>
    public required IReadOnlyList<ParameterHelp> Parameters { get; init; }

    /// <summary>True when the page has a "### CommonParameters" entry.</summary>
    public required bool SupportsCommonParameters { get; init; }

    public required IReadOnlyList<ExampleHelp> Examples { get; init; }

    public required IReadOnlyList<TypeHelp> Inputs { get; init; }

    public required IReadOnlyList<TypeHelp> Outputs { get; init; }

    public required IReadOnlyList<string> Notes { get; init; }

    public required IReadOnlyList<LinkHelp> Links { get; init; }

    /// <summary>The verb: the part of the name before the first hyphen.</summary>
    public string Verb => Name.Split('-')[0];

    /// <summary>The noun: the part of the name after the first hyphen.</summary>
    public string Noun => Name.Length > Verb.Length ? Name.Substring(Verb.Length + 1) : string.Empty;

    /// <summary>The documented parameter with this name (case-insensitive), or null.</summary>
    public ParameterHelp? FindParameter(string name) =>
        Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One "### SetName" block of the SYNTAX section.</summary>
public sealed record SyntaxSet(string Name, bool IsDefault, IReadOnlyList<SyntaxParameter> Parameters);

/// <summary>A parameter as the syntax line shows it: [-Name &lt;Type&gt;], -Name, [[-Name] &lt;Type&gt;] ...</summary>
/// <param name="TypeName">The type in angle brackets; null for a switch.</param>
public sealed record SyntaxParameter(string Name, bool Required, bool Positional, string? TypeName);

/// <summary>A "### -Name" entry of the PARAMETERS section.</summary>
public sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterUsage> Usages)
{
    /// <summary>The yaml block that covers a parameter set, or null.</summary>
    public ParameterUsage? UsageFor(string parameterSet) => Usages.FirstOrDefault(u => u.AppliesTo(parameterSet));
}

/// <summary>One yaml block of a parameter: its metadata in the parameter sets it lists.</summary>
public sealed record ParameterUsage
{
    /// <summary>What the "Parameter Sets" field says for a parameter in every set.</summary>
    public const string AllSets = "(All)";

    public required string Type { get; init; }

    /// <summary>The set names, or the single entry "(All)".</summary>
    public required IReadOnlyList<string> ParameterSets { get; init; }

    public required IReadOnlyList<string> Aliases { get; init; }

    public required IReadOnlyList<string> AcceptedValues { get; init; }

    public required bool Required { get; init; }

    /// <summary>"Named", or the position as a number.</summary>
    public required string Position { get; init; }

    public required string DefaultValue { get; init; }

    /// <summary>The field as written: False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName).</summary>
    public required string PipelineInput { get; init; }

    public required bool ByValue { get; init; }

    public required bool ByPropertyName { get; init; }

    public required bool Globbing { get; init; }

    public bool IsSwitch => Type is "SwitchParameter" or "Switch";

    public bool IsPositional => !string.Equals(Position, "Named", StringComparison.OrdinalIgnoreCase);

    public bool AppliesTo(string parameterSet) =>
        ParameterSets.Any(s => s == AllSets || string.Equals(s, parameterSet, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A "### Example N: Title" entry: the code (the first run of code blocks) and the remarks after it.</summary>
public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>An INPUTS or OUTPUTS entry.</summary>
public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

/// <summary>A RELATED LINKS entry; Uri is empty for links to other pages of this help.</summary>
public sealed record LinkHelp(string Text, string Uri);
