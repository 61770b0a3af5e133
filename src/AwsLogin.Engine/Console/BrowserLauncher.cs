using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Console;

/// <summary>The operating system families that open URLs differently.</summary>
public enum BrowserPlatform
{
    /// <summary>ShellExecute of the URL (the default browser), explorer.exe as fallback.</summary>
    Windows,
    /// <summary>/usr/bin/open, and open -a for a named application.</summary>
    MacOS,
    /// <summary>$BROWSER, xdg-open, wslview, sensible-browser, x-www-browser.</summary>
    Unix,
}

/// <summary>
/// One way to start a browser with a URL. <see cref="Arguments"/> hold the URL, a secret: only
/// <see cref="Description"/> may appear in messages.
/// </summary>
/// <param name="FileName">The program, or with <paramref name="UseShellExecute"/> the URL or application name to shell-execute.</param>
/// <param name="Arguments">The arguments, one of them the URL.</param>
/// <param name="UseShellExecute">True to go through the Windows shell (App Paths names, the URL handler).</param>
/// <param name="Description">The program for messages, never the URL.</param>
/// <param name="IgnoreExitCode">True for programs whose exit code says nothing (explorer.exe exits 1 after opening a URL).</param>
public sealed record BrowserCommand(string FileName, IReadOnlyList<string> Arguments, bool UseShellExecute, string Description, bool IgnoreExitCode = false)
{
    // Records print every member; the arguments carry the URL.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Description = ").Append(Description);
        return true;
    }
}

/// <summary>Starts processes for <see cref="BrowserLauncher"/>; replaceable in tests.</summary>
public interface IProcessLauncher
{
    /// <summary>
    /// Starts <paramref name="command"/> and waits up to <paramref name="wait"/>: the exit code when it has exited by then,
    /// null when it is still running (a browser) or was handed to the shell. Throws when it cannot start.
    /// </summary>
    int? Start(BrowserCommand command, TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>
/// Opens a URL in the default browser (Windows: the shell's URL handler; macOS: open; Linux and other Unix:
/// $BROWSER, xdg-open, wslview, sensible-browser, x-www-browser, the first that works) or in a browser the user
/// names. The URL is never logged and never put in an exception; the programs' output is discarded because some
/// echo the URL on failure.
/// </summary>
public sealed class BrowserLauncher
{
    /// <summary>How long a launcher is given to fail before it counts as started (openers exit at once; browsers keep running).</summary>
    public static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(3);

    private static readonly string[] s_unixOpeners = { "xdg-open", "wslview", "sensible-browser", "x-www-browser" };

    private readonly IEngineLog _log;
    private readonly IEnvironmentReader _environment;
    private readonly BrowserPlatform _platform;
    private readonly IProcessLauncher _launcher;

    public BrowserLauncher(IEngineLog log, IEnvironmentReader environment, BrowserPlatform? platform = null, IProcessLauncher? launcher = null)
    {
        _log = log;
        _environment = environment;
        _platform = platform ?? CurrentPlatform();
        _launcher = launcher ?? new SystemProcessLauncher();
    }

    /// <summary>The platform of this process.</summary>
    public static BrowserPlatform CurrentPlatform() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? BrowserPlatform.Windows
        : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? BrowserPlatform.MacOS
        : BrowserPlatform.Unix;

    /// <summary>
    /// Opens <paramref name="url"/> in <paramref name="browser"/> (a path, or a program or application name), or in the
    /// default browser when it is null. Returns what was started, for messages.
    /// </summary>
    public string Open(string url, string? browser, CancellationToken cancellationToken)
    {
        var commands = Commands(url, browser);
        var tried = new List<string>();
        foreach (var command in commands)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int? exitCode;
            try
            {
                exitCode = _launcher.Start(command, StartupWait, cancellationToken);
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                _log.Verbose($"Could not start {command.Description}: {ex.Message}");
                tried.Add($"{command.Description} (did not start: {ex.Message})");
                continue;
            }

            if (exitCode is null or 0 || command.IgnoreExitCode)
            {
                _log.Verbose($"Opened the browser with {command.Description}.");
                return command.Description;
            }

            _log.Verbose($"{command.Description} exited with code {exitCode}.");
            tried.Add($"{command.Description} (exit code {exitCode})");
        }

        if (tried.Count == 0)
        {
            throw new AwsLoginException(
                FailureKind.NotFound,
                "BrowserNotFound",
                browser is null
                    ? "No program to open a browser was found (looked for $BROWSER, " + string.Join(", ", s_unixOpeners) + " on PATH)."
                    : $"The browser '{browser}' was not found.",
                browser ?? "browser",
                browser is null
                    ? "Install xdg-utils (xdg-open) or set BROWSER, pass -Browser with the path of a browser, or use -PassThru and open the URL yourself."
                    : "Pass the full path of the browser program, or a program name on PATH.");
        }

        throw new AwsLoginException(
            FailureKind.NotFound,
            "BrowserFailed",
            "The browser could not be started: " + string.Join("; ", tried) + ".",
            browser ?? "browser",
            "Pass -Browser with the path of a browser that works here, or use -PassThru and open the URL yourself.");
    }

    /// <summary>
    /// Throws BrowserNotFound when <paramref name="browser"/> (or, when null, any default opener) cannot be found,
    /// so a caller can stop before making a sign-in URL that nothing could open. Starts nothing.
    /// </summary>
    public void Check(string? browser) => Commands("about:blank", browser);

    /// <summary>The ways to try, in order, for this platform; throws BrowserNotFound for a named browser that does not exist.</summary>
    internal IReadOnlyList<BrowserCommand> Commands(string url, string? browser)
    {
        if (!string.IsNullOrWhiteSpace(browser))
        {
            return new[] { NamedBrowser(url, browser!.Trim()) };
        }

        switch (_platform)
        {
            case BrowserPlatform.Windows:
                return new[]
                {
                    new BrowserCommand(url, Array.Empty<string>(), true, "the default browser (shell URL handler)"),
                    new BrowserCommand("explorer.exe", new[] { url }, false, "explorer.exe", IgnoreExitCode: true),
                };
            case BrowserPlatform.MacOS:
                return new[] { new BrowserCommand(FindOnPath("open") ?? "/usr/bin/open", new[] { url }, false, "open") };
            default:
                var commands = new List<BrowserCommand>();
                foreach (var entry in (_environment.Get("BROWSER") ?? string.Empty).Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries))
                {
                    var program = entry.Trim();
                    var found = IsPath(program) ? (File.Exists(program) ? program : null) : FindOnPath(program);
                    if (found is not null)
                    {
                        commands.Add(new BrowserCommand(found, new[] { url }, false, found + " (BROWSER)"));
                    }
                }

                foreach (var opener in s_unixOpeners)
                {
                    if (FindOnPath(opener) is { } found)
                    {
                        commands.Add(new BrowserCommand(found, new[] { url }, false, opener));
                    }
                }

                if (commands.Count == 0)
                {
                    throw new AwsLoginException(
                        FailureKind.NotFound,
                        "BrowserNotFound",
                        "No program to open a browser was found: BROWSER is not set to one and none of " + string.Join(", ", s_unixOpeners) + " is on PATH.",
                        "browser",
                        "Install xdg-utils (xdg-open) or set BROWSER, pass -Browser with the path of a browser, or use -PassThru and open the URL yourself.");
                }

                return commands;
        }
    }

    private BrowserCommand NamedBrowser(string url, string browser)
    {
        if (IsPath(browser))
        {
            if (_platform == BrowserPlatform.MacOS && Directory.Exists(browser) && browser.TrimEnd('/').EndsWith(".app", StringComparison.OrdinalIgnoreCase))
            {
                return new BrowserCommand(FindOnPath("open") ?? "/usr/bin/open", new[] { "-a", browser, url }, false, "open -a " + browser);
            }

            if (!File.Exists(browser))
            {
                throw NotFound(browser);
            }

            return new BrowserCommand(browser, new[] { url }, false, browser);
        }

        if (FindOnPath(browser) is { } found)
        {
            return new BrowserCommand(found, new[] { url }, false, found);
        }

        // Not on PATH: Windows finds installed browsers by name (App Paths: chrome, msedge, firefox) and macOS by
        // application name (Firefox, "Google Chrome"); elsewhere the name means nothing.
        return _platform switch
        {
            BrowserPlatform.Windows => new BrowserCommand(browser, new[] { url }, true, browser),
            BrowserPlatform.MacOS => new BrowserCommand(FindOnPath("open") ?? "/usr/bin/open", new[] { "-a", browser, url }, false, "open -a " + browser),
            _ => throw NotFound(browser),
        };
    }

    private static AwsLoginException NotFound(string browser) =>
        new(
            FailureKind.NotFound,
            "BrowserNotFound",
            $"The browser '{browser}' was not found.",
            browser,
            "Pass the full path of the browser program, or a program name on PATH.");

    private static bool IsPath(string name) =>
        name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0 || Path.IsPathRooted(name);

    /// <summary>The full path of a program on PATH (with PATHEXT on Windows), or null.</summary>
    internal string? FindOnPath(string name)
    {
        var extensions = _platform == BrowserPlatform.Windows && Path.GetExtension(name).Length == 0
            ? (_environment.Get("PATHEXT") ?? ".COM;.EXE;.BAT;.CMD").Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries)
            : new[] { string.Empty };
        var separator = _platform == BrowserPlatform.Windows ? ';' : ':';
        foreach (var folder in (_environment.Get("PATH") ?? string.Empty).Split(new[] { separator }, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                string candidate;
                try
                {
                    candidate = Path.Combine(folder.Trim().Trim('"'), name + extension);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Starts real processes; their output is dropped so that nothing can echo the URL.</summary>
    private sealed class SystemProcessLauncher : IProcessLauncher
    {
        // On Unix the program runs with stdin, stdout and stderr on /dev/null (through sh, which execs it): a
        // browser that outlives PowerShell must not write into a pipe nobody reads any more.
        private const string UnixWrapper = "exec \"$0\" \"$@\" </dev/null >/dev/null 2>&1";

        public int? Start(BrowserCommand command, TimeSpan wait, CancellationToken cancellationToken)
        {
            var windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            ProcessStartInfo info;
            if (command.UseShellExecute || windows)
            {
                info = new ProcessStartInfo(command.FileName)
                {
                    UseShellExecute = command.UseShellExecute,
                    Arguments = string.Join(" ", command.Arguments.Select(CommandLineArguments.Quote)),
                };
                if (!command.UseShellExecute)
                {
                    info.RedirectStandardOutput = true;
                    info.RedirectStandardError = true;
                    info.CreateNoWindow = true;
                }
            }
            else
            {
                var arguments = new[] { "-c", UnixWrapper, command.FileName }.Concat(command.Arguments);
                info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, Arguments = string.Join(" ", arguments.Select(CommandLineArguments.Quote)) };
            }

            var process = Process.Start(info);
            if (process is null)
            {
                // The shell handed the URL to a running program.
                return null;
            }

            if (info.RedirectStandardOutput)
            {
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }

            if (process.WaitForExit((int)wait.TotalMilliseconds))
            {
                process.WaitForExit();
                var exitCode = process.ExitCode;
                process.Dispose();
                return exitCode;
            }

            // Still running (a browser): leave it alone.
            return null;
        }
    }
}
