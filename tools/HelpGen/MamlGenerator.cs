using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace AwsLogin.HelpGen;

/// <summary>From a folder of help pages to the MAML text of the module's help file.</summary>
public static class MamlGenerator
{
    /// <summary>The MAML file PowerShell looks for beside AwsLogin.Cmdlets.dll, in en-US/.</summary>
    public const string HelpFileName = "AwsLogin.Cmdlets.dll-Help.xml";

    /// <summary>
    /// Reads every cmdlet page (a *-*.md file whose front matter names <see cref="HelpFileName"/>) of
    /// <paramref name="directory"/>, in ordinal order of the cmdlet name.
    /// </summary>
    public static IReadOnlyList<CommandHelp> ReadPages(string directory)
    {
        var pages = new List<CommandHelp>();
        foreach (var path in Directory.GetFiles(directory, "*-*.md").OrderBy(p => p, StringComparer.Ordinal))
        {
            var page = HelpPageParser.Parse(File.ReadAllText(path), path);
            if (!string.Equals(page.ExternalHelpFile, HelpFileName, StringComparison.Ordinal))
            {
                continue;
            }

            var expectedName = Path.GetFileNameWithoutExtension(path);
            if (!string.Equals(page.Name, expectedName, StringComparison.Ordinal))
            {
                throw new HelpFormatException(path, 1, $"The page documents '{page.Name}' but is named '{expectedName}.md'.");
            }

            pages.Add(page);
        }

        if (pages.Count == 0)
        {
            throw new HelpFormatException(directory, 0, $"No help page for {HelpFileName} in this folder.");
        }

        return pages.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The MAML text for the pages in <paramref name="directory"/>.</summary>
    public static string GenerateFromDirectory(string directory) => MamlWriter.Write(ReadPages(directory));
}
