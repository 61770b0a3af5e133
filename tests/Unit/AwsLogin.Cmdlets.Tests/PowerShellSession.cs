using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>A hosted runspace with the built module imported, as a user would have it.</summary>
public sealed class PowerShellSession : IDisposable
{
    private readonly Runspace _runspace;

    public PowerShellSession(bool importModule = true)
    {
        Host = new CaptureHost();
        _runspace = RunspaceFactory.CreateRunspace(Host, InitialSessionState.CreateDefault2());
        _runspace.Open();
        if (importModule)
        {
            Run($"Import-Module '{ModulePathsAttribute.Manifest}' -ErrorAction Stop").ThrowOnError();
        }
    }

    public Runspace Runspace => _runspace;

    /// <summary>The host: what Out-Host and Out-Default wrote, and answers for prompts.</summary>
    public CaptureHost Host { get; }

    /// <summary>Runs a script and captures every stream.</summary>
    public RunResult Run(string script, IDictionary<string, object?>? variables = null)
    {
        using var shell = PowerShell.Create(_runspace);
        if (variables is not null)
        {
            foreach (var pair in variables)
            {
                _runspace.SessionStateProxy.SetVariable(pair.Key, pair.Value);
            }
        }

        shell.AddScript(script);
        Collection<PSObject> output;
        ErrorRecord? terminating = null;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            output = new Collection<PSObject>();
            terminating = ex.ErrorRecord;
        }

        var errors = shell.Streams.Error.ToList();
        if (terminating is not null)
        {
            errors.Add(terminating);
        }

        return new RunResult(output.ToList(), errors, shell.Streams.Warning.Select(w => w.Message).ToList(), shell.Streams.Verbose.Select(v => v.Message).ToList(), shell.Streams.Information.Select(i => i.ToString()).ToList());
    }

    /// <summary>What Tab completion offers at the end of <paramref name="input"/>, through the real completion engine.</summary>
    public string[] Complete(string input)
    {
        using var shell = PowerShell.Create(_runspace);
        var completion = CommandCompletion.CompleteInput(input, input.Length, null, shell);
        return completion.CompletionMatches.Select(m => m.CompletionText).ToArray();
    }

    public void Dispose() => _runspace.Dispose();
}

/// <summary>Everything a script wrote.</summary>
public sealed record RunResult(List<PSObject> Output, List<ErrorRecord> Errors, List<string> Warnings, List<string> Verbose, List<string> Information)
{
    public RunResult ThrowOnError()
    {
        if (Errors.Count > 0)
        {
            throw new InvalidOperationException("The script failed: " + string.Join("; ", Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)));
        }

        return this;
    }

    /// <summary>The single error, asserted to be the only one.</summary>
    public ErrorRecord SingleError => Errors.Count == 1 ? Errors[0] : throw new Xunit.Sdk.XunitException($"Expected one error, got {Errors.Count}: {string.Join("; ", Errors.Select(e => e.FullyQualifiedErrorId))}");

    /// <summary>Every stream as text (output objects formatted by ToString and all their properties' ToString), for secret scans.</summary>
    public string AllText()
    {
        var builder = new StringBuilder();
        foreach (var item in Output)
        {
            builder.AppendLine(item?.ToString());
        }

        foreach (var error in Errors)
        {
            builder.AppendLine(error.ToString()).AppendLine(error.Exception?.ToString()).AppendLine(error.ErrorDetails?.Message).AppendLine(error.ErrorDetails?.RecommendedAction).AppendLine(error.TargetObject?.ToString());
        }

        Warnings.ForEach(w => builder.AppendLine(w));
        Verbose.ForEach(v => builder.AppendLine(v));
        Information.ForEach(i => builder.AppendLine(i));
        return builder.ToString();
    }
}
