using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AwsLogin.HelpGen;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>
/// The help: the committed MAML is what docs/en-US/*.md generate, the built module carries it, Get-Help finds it,
/// and every page agrees with the cmdlet it documents (parameter sets, parameters, mandatory, position,
/// pipeline input, aliases, types).
/// </summary>
public sealed class HelpTests : IClassFixture<HelpTests.ModuleSession>
{
    private readonly PowerShellSession _shell;

    public HelpTests(ModuleSession session)
    {
        _shell = session.Shell;
    }

    public static string DocsDirectory { get; } = Path.Combine(FindRepositoryRoot(), "docs", "en-US");

    public static TheoryData<string> DocumentedCmdlets
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var page in MamlGenerator.ReadPages(DocsDirectory))
            {
                data.Add(page.Name);
            }

            return data;
        }
    }

    [Fact]
    public void CommittedMamlIsWhatTheMarkdownGenerates()
    {
        var generated = MamlGenerator.GenerateFromDirectory(DocsDirectory);
        var committed = File.ReadAllText(Path.Combine(DocsDirectory, MamlGenerator.HelpFileName)).Replace("\r\n", "\n");

        // On failure: dotnet run --project tools/HelpGen -- docs/en-US (or ./build.ps1 -Task Help), then commit.
        Assert.Equal(generated, committed);
    }

    [Fact]
    public void BuiltModuleCarriesTheCommittedMaml()
    {
        var laidOut = Path.Combine(ModulePathsAttribute.Current.ModuleDirectory, "en-US", MamlGenerator.HelpFileName);

        Assert.True(File.Exists(laidOut), laidOut + " is missing.");
        Assert.Equal(
            File.ReadAllText(Path.Combine(DocsDirectory, MamlGenerator.HelpFileName)).Replace("\r\n", "\n"),
            File.ReadAllText(laidOut).Replace("\r\n", "\n"));
    }

    [Fact]
    public void EveryExportedCmdletHasAPageAndEveryPageAnExportedCmdlet()
    {
        var exported = _shell.Run("(Get-Module AwsLogin).ExportedCmdlets.Keys").ThrowOnError().Output
            .Select(o => o.ToString()).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var documented = MamlGenerator.ReadPages(DocsDirectory).Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();

        Assert.NotEmpty(exported);
        Assert.Equal(exported, documented);
    }

    [Theory]
    [MemberData(nameof(DocumentedCmdlets))]
    public void GetHelpShowsSynopsisDescriptionExamplesAndEveryParameter(string name)
    {
        var page = Page(name);
        var result = _shell.Run(
            """
            $help = Get-Help -Name $__name -Full
            $common = [System.Management.Automation.Cmdlet]::CommonParameters
            [pscustomobject]@{
                Synopsis    = [string]$help.Synopsis
                Description = @(@($help.description) | ForEach-Object { $_.Text }) -join "`n"
                Examples    = @(@($help.examples.example) | ForEach-Object { [string]$_.code })
                Documented  = @(@($help.parameters.parameter) | ForEach-Object { [string]$_.name })
                Actual      = @((Get-Command -Name $__name).Parameters.Keys | Where-Object { $_ -notin $common })
            }
            """,
            new Dictionary<string, object?> { ["__name"] = name }).ThrowOnError();

        var help = result.Output.Single();
        var synopsis = (string)help.Properties["Synopsis"].Value;
        var description = (string)help.Properties["Description"].Value;
        var examples = Strings(help.Properties["Examples"].Value);
        var documented = Strings(help.Properties["Documented"].Value);
        var actual = Strings(help.Properties["Actual"].Value);

        // Without a help file Get-Help makes up a synopsis from the syntax, which starts with the name.
        Assert.Equal(page.Synopsis[0], synopsis.Trim());
        Assert.Contains(page.Description[0], description);
        Assert.True(examples.Count >= 2, $"{name} has {examples.Count} example(s) in Get-Help; at least 2 are required.");
        Assert.All(examples, code => Assert.False(string.IsNullOrWhiteSpace(code)));
        Assert.NotEmpty(actual);
        Assert.Empty(actual.Except(documented, StringComparer.OrdinalIgnoreCase));
        Assert.Empty(documented.Except(actual, StringComparer.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(DocumentedCmdlets))]
    public void PageAgreesWithTheCmdletMetadata(string name)
    {
        var page = Page(name);
        var command = (CommandInfo)_shell.Run("Get-Command -Name $__name -CommandType Cmdlet", new Dictionary<string, object?> { ["__name"] = name })
            .ThrowOnError().Output.Single().BaseObject;

        var sets = command.ParameterSets.ToList();
        Assert.Equal(
            sets.Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal),
            page.Syntax.Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal));
        if (sets.Count > 1)
        {
            Assert.Equal(sets.Single(s => s.IsDefault).Name, page.Syntax.Single(s => s.IsDefault).Name);
        }

        Assert.True(page.SupportsCommonParameters, $"{name}.md has no '### CommonParameters' entry.");

        foreach (var set in sets)
        {
            var actual = set.Parameters.Where(p => !Cmdlet.CommonParameters.Contains(p.Name)).ToList();
            var shown = page.Syntax.Single(s => s.Name == set.Name).Parameters;
            Assert.Equal(
                actual.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal),
                shown.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));

            foreach (var parameter in actual)
            {
                var where = $"{name} -{parameter.Name} in the parameter set {set.Name}";
                var usage = page.FindParameter(parameter.Name)?.UsageFor(set.Name);
                Assert.True(usage is not null, $"{where} has no yaml block in {name}.md.");
                Assert.True(usage!.Required == parameter.IsMandatory, $"{where}: Required is {usage.Required}, the cmdlet says {parameter.IsMandatory}.");
                var position = parameter.Position == int.MinValue ? "Named" : parameter.Position.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(usage.Position == position, $"{where}: Position is {usage.Position}, the cmdlet says {position}.");
                Assert.True(usage.ByValue == parameter.ValueFromPipeline, $"{where}: pipeline input by value is {usage.ByValue}, the cmdlet says {parameter.ValueFromPipeline}.");
                Assert.True(
                    usage.ByPropertyName == parameter.ValueFromPipelineByPropertyName,
                    $"{where}: pipeline input by property name is {usage.ByPropertyName}, the cmdlet says {parameter.ValueFromPipelineByPropertyName}.");
                Assert.True(usage.Type == TypeName(parameter.ParameterType), $"{where}: Type is {usage.Type}, the cmdlet says {TypeName(parameter.ParameterType)}.");
                Assert.True(
                    usage.Aliases.OrderBy(a => a, StringComparer.Ordinal).SequenceEqual(parameter.Aliases.OrderBy(a => a, StringComparer.Ordinal)),
                    $"{where}: Aliases are '{string.Join(", ", usage.Aliases)}', the cmdlet says '{string.Join(", ", parameter.Aliases)}'.");

                var enumType = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
                if (enumType.IsEnum)
                {
                    Assert.Equal(Enum.GetNames(enumType), usage.AcceptedValues);
                }
            }
        }

        // A page must not document parameters the cmdlet does not have.
        var allParameters = sets.SelectMany(s => s.Parameters).Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(page.Parameters.Select(p => p.Name), p => !allParameters.Contains(p));
    }

    [Theory]
    [MemberData(nameof(DocumentedCmdlets))]
    public void PageNotesNameTheRealErrorIds(string name)
    {
        // NOTES has a paragraph "Errors carry a FullyQualifiedErrorId ... followed by ",<implementing type>":"
        // and then one "- Id[, Id...]: meaning" item per group of ids; each id must be defined in ErrorIds.cs.
        var defined = File.ReadAllLines(Path.Combine(FindRepositoryRoot(), "src", "AwsLogin.Cmdlets", "Errors", "ErrorIds.cs"))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, "public const string (\\w+) = \"(\\w+)\";"))
            .Where(m => m.Success)
            .Select(m => m.Groups[2].Value)
            .ToHashSet(StringComparer.Ordinal);
        var command = (CmdletInfo)_shell.Run("Get-Command -Name $__name -CommandType Cmdlet", new Dictionary<string, object?> { ["__name"] = name })
            .ThrowOnError().Output.Single().BaseObject;

        var notes = Page(name).Notes;
        var intro = notes.FirstOrDefault(n => n.StartsWith("Errors carry a FullyQualifiedErrorId", StringComparison.Ordinal));
        Assert.True(intro is not null, $"{name}.md NOTES does not list its error ids.");
        Assert.Contains("\"," + command.ImplementingType.FullName + "\"", intro);
        var listed = notes.SkipWhile(n => n != intro).Skip(1)
            .TakeWhile(n => n.StartsWith("- ", StringComparison.Ordinal) && n.Contains(':'))
            .SelectMany(n => n.Substring(2, n.IndexOf(':') - 2).Split(','))
            .Select(id => id.Trim())
            .ToList();

        Assert.NotEmpty(listed);
        Assert.DoesNotContain(listed, id => !defined.Contains(id));
    }

    private static CommandHelp Page(string name) => MamlGenerator.ReadPages(DocsDirectory).Single(p => p.Name == name);

    private static List<string> Strings(object? value) => value switch
    {
        null => new List<string>(),
        PSObject wrapped => Strings(wrapped.BaseObject),
        string single => new List<string> { single },
        System.Collections.IEnumerable many => many.Cast<object?>().Select(o => o is PSObject p ? p.BaseObject?.ToString() ?? string.Empty : o?.ToString() ?? string.Empty).ToList(),
        _ => new List<string> { value.ToString() ?? string.Empty },
    };

    // The type as a help page writes it: the short name, arrays with [], Nullable<T> as T.
    private static string TypeName(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsArray ? TypeName(type.GetElementType()!) + "[]" : type.Name;
    }

    private static string FindRepositoryRoot()
    {
        foreach (var start in new[] { ModulePathsAttribute.Current.ModuleDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "AwsLogin.PowerShell.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException("AwsLogin.PowerShell.sln not found above the module or test folder.");
    }

    /// <summary>One runspace with the module imported, shared by the tests of this class.</summary>
    public sealed class ModuleSession : IDisposable
    {
        public ModuleSession()
        {
            Shell = new PowerShellSession();
        }

        public PowerShellSession Shell { get; }

        public void Dispose() => Shell.Dispose();
    }
}
