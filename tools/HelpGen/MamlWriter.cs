using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace AwsLogin.HelpGen;

/// <summary>
/// Writes MAML as PowerShell reads it for Get-Help (the layout PlatyPS produces): one command:command per cmdlet
/// with details, description, syntax, parameters, input and return types, notes, examples and related links.
/// The output is deterministic (LF line ends, no BOM) so that the committed file can be compared byte for byte.
/// </summary>
public static class MamlWriter
{
    private const string Maml = "http://schemas.microsoft.com/maml/2004/10";
    private const string Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private const string Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private const string MsHelp = "http://msdn.microsoft.com/mshelp";
    private const string HelpItems = "http://msh";

    public static string Write(IEnumerable<CommandHelp> commands)
    {
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = true,
            IndentChars = "  ",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Replace,
        };

        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("helpItems", HelpItems);
            writer.WriteAttributeString("schema", "maml");
            foreach (var command in commands)
            {
                WriteCommand(writer, command);
            }

            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteCommand(XmlWriter writer, CommandHelp command)
    {
        writer.WriteStartElement("command", "command", Command);
        writer.WriteAttributeString("xmlns", "maml", null, Maml);
        writer.WriteAttributeString("xmlns", "command", null, Command);
        writer.WriteAttributeString("xmlns", "dev", null, Dev);
        writer.WriteAttributeString("xmlns", "MSHelp", null, MsHelp);

        writer.WriteStartElement("command", "details", Command);
        writer.WriteElementString("command", "name", Command, command.Name);
        writer.WriteElementString("command", "verb", Command, command.Verb);
        writer.WriteElementString("command", "noun", Command, command.Noun);
        WriteDescription(writer, "description", command.Synopsis);
        writer.WriteEndElement();

        WriteDescription(writer, "description", command.Description);

        writer.WriteStartElement("command", "syntax", Command);
        foreach (var set in command.Syntax)
        {
            writer.WriteStartElement("command", "syntaxItem", Command);
            writer.WriteElementString("maml", "name", Maml, command.Name);
            foreach (var shown in set.Parameters)
            {
                var parameter = command.FindParameter(shown.Name)!;
                WriteParameter(writer, parameter, parameter.UsageFor(set.Name)!, inSyntax: true);
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();

        writer.WriteStartElement("command", "parameters", Command);
        foreach (var parameter in command.Parameters)
        {
            WriteParameter(writer, parameter, parameter.Usages[0], inSyntax: false);
        }

        writer.WriteEndElement();

        WriteTypes(writer, "inputTypes", "inputType", command.Inputs);
        WriteTypes(writer, "returnValues", "returnValue", command.Outputs);

        writer.WriteStartElement("maml", "alertSet", Maml);
        writer.WriteStartElement("maml", "alert", Maml);
        WriteParagraphs(writer, command.Notes);
        writer.WriteEndElement();
        writer.WriteEndElement();

        writer.WriteStartElement("command", "examples", Command);
        foreach (var example in command.Examples)
        {
            writer.WriteStartElement("command", "example", Command);
            writer.WriteElementString("maml", "title", Maml, $"-------------------------- {example.Title} --------------------------");
            writer.WriteElementString("dev", "code", Dev, example.Code);
            writer.WriteStartElement("dev", "remarks", Dev);
            WriteParagraphs(writer, example.Remarks);
            writer.WriteEndElement();
            writer.WriteEndElement();
        }

        writer.WriteEndElement();

        writer.WriteStartElement("command", "relatedLinks", Command);
        foreach (var link in command.Links)
        {
            writer.WriteStartElement("maml", "navigationLink", Maml);
            writer.WriteElementString("maml", "linkText", Maml, link.Text);
            writer.WriteElementString("maml", "uri", Maml, link.Uri);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    private static void WriteParameter(XmlWriter writer, ParameterHelp parameter, ParameterUsage usage, bool inSyntax)
    {
        var isArray = usage.Type.EndsWith("[]", StringComparison.Ordinal);
        var mamlType = usage.IsSwitch ? "SwitchParameter" : usage.Type;

        writer.WriteStartElement("command", "parameter", Command);
        writer.WriteAttributeString("required", Bool(usage.Required));
        writer.WriteAttributeString("variableLength", Bool(isArray));
        writer.WriteAttributeString("globbing", Bool(usage.Globbing));
        writer.WriteAttributeString("pipelineInput", usage.PipelineInput);
        writer.WriteAttributeString("position", usage.IsPositional ? usage.Position : "named");
        writer.WriteAttributeString("aliases", usage.Aliases.Count > 0 ? string.Join(", ", usage.Aliases) : "none");

        writer.WriteElementString("maml", "name", Maml, parameter.Name);
        WriteDescription(writer, "description", parameter.Description);

        if (inSyntax && usage.AcceptedValues.Count > 0)
        {
            writer.WriteStartElement("command", "parameterValueGroup", Command);
            foreach (var value in usage.AcceptedValues)
            {
                writer.WriteStartElement("command", "parameterValue", Command);
                writer.WriteAttributeString("required", "false");
                writer.WriteAttributeString("variableLength", "false");
                writer.WriteString(value);
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        // Inside syntax a switch has no value element, or Get-Help would show "-Force <SwitchParameter>".
        if (!inSyntax || !usage.IsSwitch)
        {
            writer.WriteStartElement("command", "parameterValue", Command);
            writer.WriteAttributeString("required", Bool(!usage.IsSwitch));
            writer.WriteAttributeString("variableLength", Bool(isArray));
            writer.WriteString(mamlType);
            writer.WriteEndElement();
        }

        writer.WriteStartElement("dev", "type", Dev);
        writer.WriteElementString("maml", "name", Maml, mamlType);
        writer.WriteElementString("maml", "uri", Maml, string.Empty);
        writer.WriteEndElement();
        writer.WriteElementString("dev", "defaultValue", Dev, usage.DefaultValue);
        writer.WriteEndElement();
    }

    private static void WriteTypes(XmlWriter writer, string listElement, string itemElement, IReadOnlyList<TypeHelp> types)
    {
        writer.WriteStartElement("command", listElement, Command);
        foreach (var type in types)
        {
            writer.WriteStartElement("command", itemElement, Command);
            writer.WriteStartElement("dev", "type", Dev);
            writer.WriteElementString("maml", "name", Maml, type.TypeName);
            writer.WriteEndElement();
            WriteDescription(writer, "description", type.Description);
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    private static void WriteDescription(XmlWriter writer, string element, IReadOnlyList<string> paragraphs)
    {
        writer.WriteStartElement("maml", element, Maml);
        WriteParagraphs(writer, paragraphs);
        writer.WriteEndElement();
    }

    private static void WriteParagraphs(XmlWriter writer, IEnumerable<string> paragraphs)
    {
        foreach (var paragraph in paragraphs.Where(p => p.Length > 0))
        {
            writer.WriteElementString("maml", "para", Maml, paragraph);
        }
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
