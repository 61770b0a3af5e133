using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using Xunit;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>
/// The Pester tests and build.ps1 run only where pwsh is installed; here the real PowerShell parser at least checks
/// that every one of them parses, and that the Pester files call only commands the module exports or Pester and
/// PowerShell provide (or the test helpers define).
/// </summary>
public sealed class ScriptSyntaxTests
{
    public static IEnumerable<object[]> Scripts()
    {
        var root = RepositoryRoot();
        return Directory.GetFiles(Path.Combine(root, "tests", "Pester"), "*.ps1")
            .Append(Path.Combine(root, "build.ps1"))
            .Select(path => new object[] { Path.GetRelativePath(root, path) });
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void ScriptParses(string relativePath)
    {
        Parser.ParseFile(Path.Combine(RepositoryRoot(), relativePath), out _, out var errors);

        Assert.Empty(errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}"));
    }

    [Fact]
    public void PesterFilesUseOnlyExportedAwsLoginCommands()
    {
        var manifest = File.ReadAllText(ModulePathsAttribute.Manifest);
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot(), "tests", "Pester"), "*.ps1").Select(path => (Path: path, Ast: Parser.ParseFile(path, out _, out _))).ToArray();
        var helpers = files.SelectMany(file => file.Ast.FindAll(node => node is FunctionDefinitionAst, searchNestedScriptBlocks: true).Cast<FunctionDefinitionAst>().Select(f => f.Name))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (path, ast) in files)
        {
            var commands = ast.FindAll(node => node is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>()
                .Select(command => command.GetCommandName())
                .Where(name => name is not null && name.Contains("-Aws", StringComparison.Ordinal) && !helpers.Contains(name));
            foreach (var name in commands)
            {
                Assert.True(manifest.Contains("'" + name + "'", StringComparison.Ordinal), $"{Path.GetFileName(path)} calls {name}, which the module does not export.");
            }
        }
    }

    // The module is laid out in <root>/out/AwsLogin/<version>/.
    private static string RepositoryRoot() =>
        Path.GetFullPath(Path.Combine(ModulePathsAttribute.Current.ModuleDirectory, "..", "..", ".."));
}
