using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace AwsLogin.HelpGen;

/// <summary>
/// Reads a PlatyPS (schema 2.0.0) cmdlet help page and checks it: every section present and in order, every
/// parameter with a complete yaml block, and every SYNTAX block consistent with those yaml blocks.
/// </summary>
public static class HelpPageParser
{
    private static readonly string[] s_sections =
    {
        "SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS",
    };

    private static readonly string[] s_requiredYamlKeys =
    {
        "Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters",
    };

    private static readonly string[] s_optionalYamlKeys = { "Accepted values" };

    private static readonly Regex s_yamlLine = new(@"^(?<key>[A-Za-z][A-Za-z ]*?):(?:\s+(?<value>.*?))?\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex s_setHeading = new(@"^(?<name>[^\s()]+)(?<default>\s+\(Default\))?$", RegexOptions.CultureInvariant);
    private static readonly Regex s_exampleHeading = new(@"^Example \d+", RegexOptions.CultureInvariant);

    // The ways a syntax line shows a parameter, tried in this order at each position.
    private static readonly Regex s_syntaxToken = new(
        @"\G\s*(?:" +
        @"\[\[-(?<optpos>\w+)\]\s+<(?<type1>[^>]+)>\]" +
        @"|\[-(?<reqpos>\w+)\]\s+<(?<type2>[^>]+)>" +
        @"|\[-(?<optnamed>\w+)\s+<(?<type3>[^>]+)>\]" +
        @"|(?<common>\[<CommonParameters>\])" +
        @"|\[-(?<optswitch>\w+)\]" +
        @"|-(?<reqnamed>\w+)\s+<(?<type4>[^>]+)>" +
        @"|-(?<reqswitch>\w+)(?=\s|$)" +
        @")",
        RegexOptions.CultureInvariant);

    /// <summary>Parses one page; <paramref name="path"/> is used in messages only.</summary>
    public static CommandHelp Parse(string markdown, string path)
    {
        var lines = markdown.TrimStart('\uFEFF').Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var frontMatter = ReadFrontMatter(lines, path, out var bodyStart);
        var blocks = MarkdownBlocks.Parse(lines.Skip(bodyStart).ToList(), bodyStart + 1, path);

        if (blocks.Count == 0 || blocks[0].Kind != BlockKind.Heading || blocks[0].Level != 1)
        {
            throw new HelpFormatException(path, blocks.Count > 0 ? blocks[0].Line : bodyStart + 1, "The page must start with '# <Cmdlet-Name>' after the front matter.");
        }

        var name = blocks[0].Text.Trim();
        if (!Regex.IsMatch(name, @"^[A-Za-z]+-[A-Za-z0-9]+$"))
        {
            throw new HelpFormatException(path, blocks[0].Line, $"'{name}' is not a Verb-Noun cmdlet name.");
        }

        var sections = SplitSections(blocks.Skip(1).ToList(), path);
        var syntax = ParseSyntax(sections["SYNTAX"], name, path);
        var parameters = ParseParameters(sections["PARAMETERS"], path, out var commonParameters);
        var help = new CommandHelp
        {
            Name = name,
            SourcePath = path,
            ExternalHelpFile = frontMatter["external help file"],
            ModuleName = frontMatter["Module Name"],
            Synopsis = Paragraphs(sections["SYNOPSIS"].Blocks, path),
            Description = Paragraphs(sections["DESCRIPTION"].Blocks, path),
            Syntax = syntax,
            Parameters = parameters,
            SupportsCommonParameters = commonParameters,
            Examples = ParseExamples(sections["EXAMPLES"], path),
            Inputs = ParseTypes(sections["INPUTS"], path),
            Outputs = ParseTypes(sections["OUTPUTS"], path),
            Notes = Paragraphs(sections["NOTES"].Blocks, path),
            Links = ParseLinks(sections["RELATED LINKS"], path),
        };

        if (help.Synopsis.Count == 0)
        {
            throw new HelpFormatException(path, sections["SYNOPSIS"].Line, "SYNOPSIS is empty.");
        }

        if (help.Description.Count == 0)
        {
            throw new HelpFormatException(path, sections["DESCRIPTION"].Line, "DESCRIPTION is empty.");
        }

        CheckSyntaxAgainstParameters(help, sections["SYNTAX"].Line, path);
        return help;
    }

    private static Dictionary<string, string> ReadFrontMatter(string[] lines, string path, out int bodyStart)
    {
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            throw new HelpFormatException(path, 1, "The page must start with a '---' front matter block.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim() == "---")
            {
                bodyStart = i + 1;
                foreach (var key in new[] { "external help file", "Module Name", "schema" })
                {
                    if (!values.TryGetValue(key, out var value) || value.Length == 0)
                    {
                        throw new HelpFormatException(path, 1, $"The front matter has no '{key}'.");
                    }
                }

                if (values["schema"] != "2.0.0")
                {
                    throw new HelpFormatException(path, 1, $"Only PlatyPS schema 2.0.0 is supported, not '{values["schema"]}'.");
                }

                return values;
            }

            var match = s_yamlLine.Match(lines[i]);
            if (!match.Success)
            {
                throw new HelpFormatException(path, i + 1, "Front matter lines must be 'key: value'.");
            }

            values[match.Groups["key"].Value] = match.Groups["value"].Value;
        }

        throw new HelpFormatException(path, 1, "The front matter is never closed with '---'.");
    }

    private sealed record Section(string Name, int Line, List<Block> Blocks);

    private static Dictionary<string, Section> SplitSections(List<Block> blocks, string path)
    {
        var result = new Dictionary<string, Section>(StringComparer.Ordinal);
        var order = new List<string>();
        Section? current = null;
        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.Heading && block.Level <= 2)
            {
                if (block.Level == 1)
                {
                    throw new HelpFormatException(path, block.Line, "Only one '#' heading is allowed.");
                }

                var name = block.Text.Trim();
                if (Array.IndexOf(s_sections, name) < 0)
                {
                    throw new HelpFormatException(path, block.Line, $"Unknown section '## {name}'. Sections: {string.Join(", ", s_sections)}.");
                }

                if (result.ContainsKey(name))
                {
                    throw new HelpFormatException(path, block.Line, $"Section '## {name}' appears twice.");
                }

                current = new Section(name, block.Line, new List<Block>());
                result.Add(name, current);
                order.Add(name);
                continue;
            }

            if (current is null)
            {
                throw new HelpFormatException(path, block.Line, "Text before the first '##' section.");
            }

            current.Blocks.Add(block);
        }

        var missing = s_sections.Where(s => !result.ContainsKey(s)).ToList();
        if (missing.Count > 0)
        {
            throw new HelpFormatException(path, 1, $"Missing section(s): {string.Join(", ", missing.Select(m => "## " + m))}.");
        }

        if (!order.SequenceEqual(s_sections))
        {
            throw new HelpFormatException(path, 1, $"Sections must come in this order: {string.Join(", ", s_sections)}.");
        }

        return result;
    }

    private static List<SyntaxSet> ParseSyntax(Section section, string commandName, string path)
    {
        var sets = new List<SyntaxSet>();
        for (var i = 0; i < section.Blocks.Count; i++)
        {
            var heading = section.Blocks[i];
            if (heading.Kind != BlockKind.Heading || heading.Level != 3)
            {
                throw new HelpFormatException(path, heading.Line, "SYNTAX holds '### <ParameterSetName>' headings, each followed by one code block.");
            }

            var setMatch = s_setHeading.Match(heading.Text.Trim());
            if (!setMatch.Success)
            {
                throw new HelpFormatException(path, heading.Line, $"'{heading.Text}' is not a parameter set name (optionally followed by ' (Default)').");
            }

            if (i + 1 >= section.Blocks.Count || section.Blocks[i + 1].Kind != BlockKind.Code)
            {
                throw new HelpFormatException(path, heading.Line, $"The parameter set '{setMatch.Groups["name"].Value}' has no syntax code block.");
            }

            var code = section.Blocks[++i];
            var text = Regex.Replace(code.Text, @"\s+", " ").Trim();
            if (!text.StartsWith(commandName + " ", StringComparison.Ordinal) && text != commandName)
            {
                throw new HelpFormatException(path, code.Line, $"The syntax must start with '{commandName}'.");
            }

            var parameters = ParseSyntaxLine(text.Substring(commandName.Length), code.Line, path);
            var name = setMatch.Groups["name"].Value;
            if (sets.Any(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpFormatException(path, heading.Line, $"The parameter set '{name}' appears twice.");
            }

            sets.Add(new SyntaxSet(name, setMatch.Groups["default"].Success, parameters));
        }

        if (sets.Count == 0)
        {
            throw new HelpFormatException(path, section.Line, "SYNTAX has no parameter set.");
        }

        if (sets.Count > 1 && sets.Count(s => s.IsDefault) != 1)
        {
            throw new HelpFormatException(path, section.Line, "With several parameter sets, exactly one must be marked ' (Default)'.");
        }

        return sets;
    }

    private static List<SyntaxParameter> ParseSyntaxLine(string text, int line, string path)
    {
        var parameters = new List<SyntaxParameter>();
        var position = 0;
        while (position < text.Length && text.Substring(position).Trim().Length > 0)
        {
            var match = s_syntaxToken.Match(text, position);
            if (!match.Success || match.Length == 0)
            {
                throw new HelpFormatException(path, line, $"Cannot read the syntax from here: '{text.Substring(position).Trim()}'.");
            }

            position += match.Length;
            if (match.Groups["common"].Success)
            {
                continue;
            }

            SyntaxParameter parameter;
            if (match.Groups["optpos"].Success)
            {
                parameter = new SyntaxParameter(match.Groups["optpos"].Value, false, true, match.Groups["type1"].Value);
            }
            else if (match.Groups["reqpos"].Success)
            {
                parameter = new SyntaxParameter(match.Groups["reqpos"].Value, true, true, match.Groups["type2"].Value);
            }
            else if (match.Groups["optnamed"].Success)
            {
                parameter = new SyntaxParameter(match.Groups["optnamed"].Value, false, false, match.Groups["type3"].Value);
            }
            else if (match.Groups["optswitch"].Success)
            {
                parameter = new SyntaxParameter(match.Groups["optswitch"].Value, false, false, null);
            }
            else if (match.Groups["reqnamed"].Success)
            {
                parameter = new SyntaxParameter(match.Groups["reqnamed"].Value, true, false, match.Groups["type4"].Value);
            }
            else
            {
                parameter = new SyntaxParameter(match.Groups["reqswitch"].Value, true, false, null);
            }

            if (parameters.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpFormatException(path, line, $"-{parameter.Name} appears twice in one syntax block.");
            }

            parameters.Add(parameter);
        }

        return parameters;
    }

    private static List<ParameterHelp> ParseParameters(Section section, string path, out bool commonParameters)
    {
        commonParameters = false;
        var parameters = new List<ParameterHelp>();
        var i = 0;
        while (i < section.Blocks.Count)
        {
            var heading = section.Blocks[i];
            if (heading.Kind != BlockKind.Heading || heading.Level != 3)
            {
                throw new HelpFormatException(path, heading.Line, "PARAMETERS holds '### -<Name>' headings and '### CommonParameters'.");
            }

            var body = new List<Block>();
            for (i++; i < section.Blocks.Count && !(section.Blocks[i].Kind == BlockKind.Heading && section.Blocks[i].Level <= 3); i++)
            {
                body.Add(section.Blocks[i]);
            }

            var title = heading.Text.Trim();
            if (title == "CommonParameters")
            {
                commonParameters = true;
                continue;
            }

            if (!title.StartsWith("-", StringComparison.Ordinal) || !Regex.IsMatch(title, @"^-\w+$"))
            {
                throw new HelpFormatException(path, heading.Line, $"'### {title}' is not a parameter heading ('### -Name').");
            }

            var name = title.Substring(1);
            if (parameters.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpFormatException(path, heading.Line, $"-{name} is documented twice.");
            }

            var yamlBlocks = body.Where(b => b.Kind == BlockKind.Code && b.Info == "yaml").ToList();
            if (yamlBlocks.Count == 0)
            {
                throw new HelpFormatException(path, heading.Line, $"-{name} has no ```yaml block.");
            }

            var description = Paragraphs(body.Where(b => !yamlBlocks.Contains(b)).ToList(), path);
            if (description.Count == 0)
            {
                throw new HelpFormatException(path, heading.Line, $"-{name} has no description.");
            }

            var usages = yamlBlocks.Select(b => ParseYaml(b, name, path)).ToList();
            parameters.Add(new ParameterHelp(name, description, usages));
        }

        return parameters;
    }

    private static ParameterUsage ParseYaml(Block block, string parameter, string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = block.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            var match = s_yamlLine.Match(lines[i]);
            var key = match.Groups["key"].Value;
            if (!match.Success || (Array.IndexOf(s_requiredYamlKeys, key) < 0 && Array.IndexOf(s_optionalYamlKeys, key) < 0))
            {
                throw new HelpFormatException(path, block.Line + 1 + i, $"-{parameter}: '{lines[i].Trim()}' is not one of the yaml fields {string.Join(", ", s_requiredYamlKeys.Concat(s_optionalYamlKeys))}.");
            }

            if (!values.TryAdd(key, match.Groups["value"].Value.Trim()))
            {
                throw new HelpFormatException(path, block.Line + 1 + i, $"-{parameter}: '{key}' appears twice.");
            }
        }

        foreach (var key in s_requiredYamlKeys)
        {
            if (!values.ContainsKey(key))
            {
                throw new HelpFormatException(path, block.Line, $"-{parameter}: the yaml block has no '{key}'.");
            }
        }

        foreach (var key in new[] { "Type", "Parameter Sets", "Position", "Default value" })
        {
            if (values[key].Length == 0)
            {
                throw new HelpFormatException(path, block.Line, $"-{parameter}: '{key}' is empty.");
            }
        }

        var position = values["Position"];
        if (!string.Equals(position, "Named", StringComparison.Ordinal) && !int.TryParse(position, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new HelpFormatException(path, block.Line, $"-{parameter}: Position must be Named or a number, not '{position}'.");
        }

        var pipeline = values["Accept pipeline input"];
        var (byValue, byPropertyName) = pipeline switch
        {
            "False" => (false, false),
            "True (ByValue)" => (true, false),
            "True (ByPropertyName)" => (false, true),
            "True (ByValue, ByPropertyName)" => (true, true),
            _ => throw new HelpFormatException(path, block.Line, $"-{parameter}: Accept pipeline input must be False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName), not '{pipeline}'."),
        };

        var sets = List(values["Parameter Sets"]);
        if (sets.Contains(ParameterUsage.AllSets) && sets.Count > 1)
        {
            throw new HelpFormatException(path, block.Line, $"-{parameter}: Parameter Sets is either (All) or a list of set names.");
        }

        return new ParameterUsage
        {
            Type = values["Type"],
            ParameterSets = sets,
            Aliases = List(values["Aliases"]),
            AcceptedValues = values.TryGetValue("Accepted values", out var accepted) ? List(accepted) : Array.Empty<string>(),
            Required = Boolean(values, "Required", parameter, block, path),
            Position = position,
            DefaultValue = values["Default value"],
            PipelineInput = pipeline,
            ByValue = byValue,
            ByPropertyName = byPropertyName,
            Globbing = Boolean(values, "Accept wildcard characters", parameter, block, path),
        };
    }

    private static bool Boolean(Dictionary<string, string> values, string key, string parameter, Block block, string path) => values[key] switch
    {
        "True" => true,
        "False" => false,
        _ => throw new HelpFormatException(path, block.Line, $"-{parameter}: {key} must be True or False, not '{values[key]}'."),
    };

    private static List<string> List(string value) =>
        value.Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();

    private static List<ExampleHelp> ParseExamples(Section section, string path)
    {
        var examples = new List<ExampleHelp>();
        var i = 0;
        while (i < section.Blocks.Count)
        {
            var heading = section.Blocks[i];
            if (heading.Kind != BlockKind.Heading || heading.Level != 3 || !s_exampleHeading.IsMatch(heading.Text))
            {
                throw new HelpFormatException(path, heading.Line, "EXAMPLES holds '### Example N: Title' headings.");
            }

            var body = new List<Block>();
            for (i++; i < section.Blocks.Count && section.Blocks[i].Kind != BlockKind.Heading; i++)
            {
                body.Add(section.Blocks[i]);
            }

            // The first run of code blocks (the command, then its output) is the example's code; what follows
            // is the explanation, where a code block (a config file, say) is kept as an indented paragraph.
            var leading = body.TakeWhile(b => b.Kind == BlockKind.Code).ToList();
            if (leading.Count == 0)
            {
                throw new HelpFormatException(path, heading.Line, $"'{heading.Text}' must start with a code block.");
            }

            var remarks = Paragraphs(body.Skip(leading.Count).ToList(), path);
            if (remarks.Count == 0)
            {
                throw new HelpFormatException(path, heading.Line, $"'{heading.Text}' has no explanation after its code.");
            }

            var code = string.Join("\n\n", leading.Select(b => b.Text.TrimEnd()));
            examples.Add(new ExampleHelp(heading.Text.Trim(), code, remarks));
        }

        return examples;
    }

    private static List<TypeHelp> ParseTypes(Section section, string path)
    {
        var types = new List<TypeHelp>();
        var i = 0;
        while (i < section.Blocks.Count)
        {
            var heading = section.Blocks[i];
            if (heading.Kind != BlockKind.Heading || heading.Level != 3)
            {
                throw new HelpFormatException(path, heading.Line, $"{section.Name} holds '### <TypeName>' headings, each with an optional description.");
            }

            var body = new List<Block>();
            for (i++; i < section.Blocks.Count && section.Blocks[i].Kind != BlockKind.Heading; i++)
            {
                body.Add(section.Blocks[i]);
            }

            types.Add(new TypeHelp(heading.Text.Trim(), Paragraphs(body, path)));
        }

        return types;
    }

    private static List<LinkHelp> ParseLinks(Section section, string path)
    {
        var links = new List<LinkHelp>();
        foreach (var block in section.Blocks)
        {
            if (block.Kind != BlockKind.Paragraph || !Inline.TryParseLink(block.Text, out var text, out var uri))
            {
                throw new HelpFormatException(path, block.Line, "RELATED LINKS holds one '[text](uri)' link per paragraph.");
            }

            links.Add(new LinkHelp(text, Inline.IsAbsolute(uri) ? uri : string.Empty));
        }

        return links;
    }

    /// <summary>Paragraphs and list items as plain text; code blocks as one paragraph of lines indented by four spaces.</summary>
    private static List<string> Paragraphs(IReadOnlyList<Block> blocks, string path)
    {
        var paragraphs = new List<string>();
        foreach (var block in blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Paragraph:
                    paragraphs.Add(Inline.ToPlainText(block.Text));
                    break;
                case BlockKind.ListItem:
                    paragraphs.Add("- " + Inline.ToPlainText(block.Text));
                    break;
                case BlockKind.Code:
                    paragraphs.Add(string.Join("\n", block.Text.Split('\n').Select(l => l.Length == 0 ? string.Empty : "    " + l.TrimEnd())));
                    break;
                default:
                    throw new HelpFormatException(path, block.Line, $"Unexpected heading '{block.Text}' here.");
            }
        }

        return paragraphs;
    }

    private static void CheckSyntaxAgainstParameters(CommandHelp help, int syntaxLine, string path)
    {
        var setNames = help.Syntax.Select(s => s.Name).ToList();
        foreach (var parameter in help.Parameters)
        {
            foreach (var usage in parameter.Usages)
            {
                foreach (var set in usage.ParameterSets.Where(s => s != ParameterUsage.AllSets))
                {
                    if (!setNames.Contains(set, StringComparer.OrdinalIgnoreCase))
                    {
                        throw new HelpFormatException(path, syntaxLine, $"-{parameter.Name} names the parameter set '{set}', which SYNTAX does not have.");
                    }
                }
            }
        }

        foreach (var set in help.Syntax)
        {
            foreach (var shown in set.Parameters)
            {
                var parameter = help.FindParameter(shown.Name)
                    ?? throw new HelpFormatException(path, syntaxLine, $"The syntax of '{set.Name}' shows -{shown.Name}, which PARAMETERS does not document.");
                var usage = parameter.UsageFor(set.Name)
                    ?? throw new HelpFormatException(path, syntaxLine, $"The syntax of '{set.Name}' shows -{shown.Name}, but its yaml does not list that parameter set.");
                if (usage.Required != shown.Required)
                {
                    throw new HelpFormatException(path, syntaxLine, $"In '{set.Name}' the syntax shows -{shown.Name} as {(shown.Required ? "required" : "optional")}, its yaml says Required: {usage.Required}.");
                }

                if (usage.IsPositional != shown.Positional)
                {
                    throw new HelpFormatException(path, syntaxLine, $"In '{set.Name}' the syntax shows -{shown.Name} as {(shown.Positional ? "positional" : "named")}, its yaml says Position: {usage.Position}.");
                }

                if (usage.IsSwitch != (shown.TypeName is null) || (shown.TypeName is not null && shown.TypeName != usage.Type))
                {
                    throw new HelpFormatException(path, syntaxLine, $"In '{set.Name}' the syntax shows -{shown.Name} with type '{shown.TypeName ?? "switch"}', its yaml says Type: {usage.Type}.");
                }
            }

            foreach (var parameter in help.Parameters.Where(p => p.UsageFor(set.Name) is not null))
            {
                if (!set.Parameters.Any(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new HelpFormatException(path, syntaxLine, $"-{parameter.Name} belongs to '{set.Name}' by its yaml, but that syntax block does not show it.");
                }
            }
        }

        foreach (var parameter in help.Parameters)
        {
            if (!help.Syntax.Any(s => parameter.UsageFor(s.Name) is not null))
            {
                throw new HelpFormatException(path, syntaxLine, $"-{parameter.Name} is in no parameter set of SYNTAX.");
            }
        }
    }
}
