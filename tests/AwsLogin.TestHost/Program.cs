using System;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Text;

namespace AwsLogin.TestHost;

/// <summary>
/// Behaves like `pwsh -NoProfile -NonInteractive -Command &lt;command&gt;` (the credential_process line of a login
/// profile, through a `pwsh` shim on PATH) for the parts tests rely on: output
/// objects are written to stdout one per line, errors to stderr, and the exit code is 1 when the command
/// failed (a terminating error, or the last statement failed), else 0.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        // As pwsh: -NoProfile and -NonInteractive (always so here) may come first; -c or -Command takes the rest.
        var first = 0;
        while (first < args.Length && (args[first].Equals("-NoProfile", StringComparison.OrdinalIgnoreCase) || args[first].Equals("-NonInteractive", StringComparison.OrdinalIgnoreCase)))
        {
            first++;
        }

        if (args.Length != first + 2 || !(args[first] == "-c" || args[first].Equals("-Command", StringComparison.OrdinalIgnoreCase)))
        {
            Console.Error.WriteLine("usage: AwsLogin.TestHost [-NoProfile] [-NonInteractive] -c|-Command <command>");
            return 64;
        }

        var command = args[first + 1];

        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        var state = InitialSessionState.CreateDefault2();
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var shell = PowerShell.Create(runspace);
        // pwsh -c exits 1 when the last statement failed ($? false after it), as credential_process callers see.
        shell.AddScript(command + "\n$global:__awsLoginTestHostStatus = $?");

        var output = new PSDataCollection<PSObject>();
        output.DataAdded += (_, e) => stdout.WriteLine(output[e.Index]?.ToString());
        shell.Streams.Error.DataAdded += (_, e) => WriteError(stderr, shell.Streams.Error[e.Index]);
        try
        {
            shell.Invoke(null, output);
        }
        catch (RuntimeException ex)
        {
            WriteError(stderr, ex.ErrorRecord);
            return 1;
        }

        return runspace.SessionStateProxy.GetVariable("__awsLoginTestHostStatus") is true ? 0 : 1;
    }

    private static void WriteError(TextWriter stderr, ErrorRecord record)
    {
        var message = record.ErrorDetails?.Message ?? record.Exception?.Message ?? record.ToString();
        stderr.WriteLine(message);
        stderr.WriteLine("    + FullyQualifiedErrorId : " + record.FullyQualifiedErrorId);
        stderr.WriteLine("    + CategoryInfo          : " + record.CategoryInfo);
    }
}
