using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Output;

namespace AwsLogin.Engine.Config;

/// <summary>
/// Runs a profile's credential_process the way the AWS SDK for .NET does (cmd.exe /c on Windows, sh -c
/// elsewhere) and parses its stdout by the Version 1 contract. The terminal stays its stdin, as with the CLI.
/// </summary>
public static class CredentialProcessRunner
{
    private const int MaxStderrShown = 2000;

    public static async Task<CredentialSet> RunAsync(string commandLine, string profileName, IEngineLog log, CancellationToken cancellationToken)
    {
        var isWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        var startInfo = new ProcessStartInfo
        {
            FileName = isWindows ? "cmd.exe" : "/bin/sh",
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            CreateNoWindow = true,
        };
        startInfo.Arguments = isWindows ? "/c " + commandLine : "-c " + QuoteForSh(commandLine);

        // The command line itself is not secret (it lives in the config file), but keep verbose output short.
        log.Verbose($"Running the credential_process of profile '{profileName}'.");
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw Failed(profileName, "could not be started: " + ex.Message, ex);
        }

        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        using (cancellationToken.Register(() => TryKill(process)))
        {
            await Task.Run(() => process.WaitForExit(), CancellationToken.None).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var stdout = await stdoutTask.ConfigureAwait(false);
        var stderr = await stderrTask.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            // As the AWS CLI does, show the process's stderr (its own error message); stdout may hold secrets.
            var shown = stderr.Trim();
            if (shown.Length > MaxStderrShown)
            {
                shown = shown.Substring(0, MaxStderrShown) + "...";
            }

            throw Failed(profileName, $"exited with code {process.ExitCode}" + (shown.Length > 0 ? ": " + shown : "."), null);
        }

        var credentials = CredentialProcessJson.Parse(stdout);
        return credentials with { Source = $"credential_process of profile {profileName}" };
    }

    private static AwsLoginException Failed(string profileName, string what, Exception? inner) =>
        new(
            FailureKind.CredentialProcessFailed,
            "CredentialProcessFailed",
            $"The credential_process of profile '{profileName}' {what}",
            profileName,
            "Run the credential_process command from the profile by hand to see what it needs.",
            inner);

    private static string QuoteForSh(string commandLine)
    {
        // ProcessStartInfo.Arguments is split by .NET's Windows-style rules even on Unix: inside double quotes,
        // backslashes are literal unless they precede a double quote (or the closing quote), where each pair
        // becomes one backslash. Escape exactly those, as .NET's own PasteArguments does.
        var builder = new StringBuilder("\"");
        var i = 0;
        while (i < commandLine.Length)
        {
            var c = commandLine[i++];
            if (c == '\\')
            {
                var backslashes = 1;
                while (i < commandLine.Length && commandLine[i] == '\\')
                {
                    i++;
                    backslashes++;
                }

                var beforeQuote = i == commandLine.Length || commandLine[i] == '"';
                builder.Append('\\', beforeQuote ? backslashes * 2 : backslashes);
                continue;
            }

            if (c == '"')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }
}
