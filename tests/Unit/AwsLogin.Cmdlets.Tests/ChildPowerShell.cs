using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Runs a command in a new process through the pwsh stand-in (AwsLogin.TestHost), like `pwsh -c`.</summary>
public static class ChildPowerShell
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(string command, IDictionary<string, string?> environment)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(ModulePathsAttribute.Current.TestHostPath);
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(command);
        foreach (var pair in environment)
        {
            if (pair.Value is null)
            {
                startInfo.Environment.Remove(pair.Key);
            }
            else
            {
                startInfo.Environment[pair.Key] = pair.Value;
            }
        }

        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The Import-Module line for child commands.</summary>
    public static string Import => $"Import-Module '{ModulePathsAttribute.Manifest}' -ErrorAction Stop; ";
}
