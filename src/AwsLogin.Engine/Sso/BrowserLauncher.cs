using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Sso;

/// <summary>Opens a URL for the user. Returns false (with a reason) when it cannot.</summary>
public interface IBrowserLauncher
{
    bool TryOpen(string url, out string? problem);
}

/// <summary>
/// Opens URLs in the system browser (the shell on Windows, open on macOS, xdg-open elsewhere), or with a
/// command the user chose (-Browser or AWSLOGIN_BROWSER): the URL replaces %s in it, or is appended.
/// </summary>
public sealed class SystemBrowserLauncher : IBrowserLauncher
{
    /// <summary>A browser command that overrides the system browser.</summary>
    public const string BrowserVariable = "AWSLOGIN_BROWSER";

    private readonly string? _command;
    private readonly IEngineLog _log;

    /// <param name="command">A browser command line; null for the system browser.</param>
    /// <param name="log">Hears when the browser command fails.</param>
    public SystemBrowserLauncher(string? command, IEngineLog log)
    {
        _command = string.IsNullOrWhiteSpace(command) ? null : command;
        _log = log;
    }

    public bool TryOpen(string url, out string? problem)
    {
        problem = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problem = "only http(s) addresses are opened";
            return false;
        }

        ProcessStartInfo startInfo;
        if (_command is not null)
        {
            if (CommandFor(_command, url) is not { } custom)
            {
                problem = $"the browser command '{_command}' has an unclosed quote";
                return false;
            }

            startInfo = custom;
        }
        else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            startInfo = new ProcessStartInfo(url) { UseShellExecute = true };
        }
        else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            startInfo = new ProcessStartInfo("open", Quote(url)) { UseShellExecute = false };
        }
        else
        {
            startInfo = new ProcessStartInfo("xdg-open", Quote(url)) { UseShellExecute = false };
        }

        try
        {
            var process = Process.Start(startInfo);
            if (process is not null)
            {
                var name = Path.GetFileName(startInfo.FileName);
                process.EnableRaisingEvents = true;
                process.Exited += (_, _) =>
                {
                    try
                    {
                        if (process.ExitCode != 0)
                        {
                            _log.Warning($"The browser command '{name}' exited with code {process.ExitCode}; open the URL shown above yourself.");
                        }
                    }
                    catch (InvalidOperationException)
                    {
                    }
                    finally
                    {
                        process.Dispose();
                    }
                };
            }

            return true;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or FileNotFoundException or PlatformNotSupportedException)
        {
            problem = $"'{startInfo.FileName}' could not be started: {ex.Message}";
            return false;
        }
    }

    /// <summary>The process for a browser command: a program path as it is, or words split as a POSIX shell would, with the URL for %s or appended.</summary>
    internal static ProcessStartInfo? CommandFor(string command, string url)
    {
        var trimmed = command.Trim();
        string program;
        var arguments = new StringBuilder();
        if (File.Exists(trimmed))
        {
            program = trimmed;
            arguments.Append(Quote(url));
        }
        else
        {
            var words = ShellWords.Split(trimmed);
            if (words is null || words.Count == 0)
            {
                return null;
            }

            program = words[0];
            var substituted = false;
            for (var i = 1; i < words.Count; i++)
            {
                var word = words[i];
                if (word.Contains("%s"))
                {
                    word = word.Replace("%s", url);
                    substituted = true;
                }

                Append(arguments, word);
            }

            if (!substituted)
            {
                Append(arguments, url);
            }
        }

        return new ProcessStartInfo(program, arguments.ToString()) { UseShellExecute = false };
    }

    private static void Append(StringBuilder arguments, string argument)
    {
        if (arguments.Length > 0)
        {
            arguments.Append(' ');
        }

        arguments.Append(Quote(argument));
    }

    // ProcessStartInfo.Arguments is split by the Windows rules on every platform: quote as .NET's PasteArguments does.
    internal static string Quote(string argument)
    {
        if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
        {
            return argument;
        }

        var builder = new StringBuilder("\"");
        var i = 0;
        while (i < argument.Length)
        {
            var c = argument[i++];
            if (c == '\\')
            {
                var backslashes = 1;
                while (i < argument.Length && argument[i] == '\\')
                {
                    i++;
                    backslashes++;
                }

                var beforeQuote = i == argument.Length || argument[i] == '"';
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
}

/// <summary>Whether a browser on this machine can take part in a sign-in.</summary>
public static class BrowserEnvironment
{
    /// <summary>
    /// False in an SSH session (SSH_CONNECTION, SSH_CLIENT or SSH_TTY: the user's browser is on another machine
    /// and cannot reach this one's loopback address), and on Linux and other Unix systems without a display
    /// (neither DISPLAY nor WAYLAND_DISPLAY). <paramref name="reason"/> says which.
    /// </summary>
    public static bool CanOpenBrowser(IEnvironmentReader environment, out string? reason)
    {
        foreach (var name in new[] { "SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY" })
        {
            if (!string.IsNullOrEmpty(environment.Get(name)))
            {
                reason = $"this is an SSH session ({name} is set)";
                return false;
            }
        }

        var isDesktopOs = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
        if (!isDesktopOs && string.IsNullOrEmpty(environment.Get("DISPLAY")) && string.IsNullOrEmpty(environment.Get("WAYLAND_DISPLAY")))
        {
            reason = "there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)";
            return false;
        }

        reason = null;
        return true;
    }
}
