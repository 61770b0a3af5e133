using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Saml.Browser;

/// <summary>
/// A Chromium-family browser started for one sign-in: a private profile folder, remote debugging on a port the
/// browser picks (it writes it to DevToolsActivePort in the profile folder), and no background traffic. Its output is
/// read and dropped; the first lines are kept only to explain a browser that fails to start (before any page loads).
/// </summary>
internal sealed class ChromiumProcess : IDisposable
{
    /// <summary>The file in the profile folder where the browser writes its DevTools port and browser endpoint path.</summary>
    public const string ActivePortFile = "DevToolsActivePort";

    private const int KeptOutputLines = 20;

    private static readonly MethodInfo? s_killTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });

    private readonly Process _process;
    private readonly TaskCompletionSource<bool> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _errorEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _startupOutput = new();
    private volatile bool _keepOutput = true;

    private ChromiumProcess(Process process, string program)
    {
        _process = process;
        Program = program;
    }

    /// <summary>The program started.</summary>
    public string Program { get; }

    public int Id => _process.Id;

    /// <summary>Completes when the browser process has exited.</summary>
    public Task Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The command-line switches for a sign-in browser (the first page is about:blank; the IdP is opened over CDP).</summary>
    public static IReadOnlyList<string> Arguments(string profileDirectory, string cacheDirectory, bool headless, bool noSandbox, bool ignoreCertificateErrors)
    {
        var arguments = new List<string>
        {
            "--user-data-dir=" + profileDirectory,
            "--disk-cache-dir=" + cacheDirectory,
            "--remote-debugging-port=0",
            "--no-first-run",
            "--no-default-browser-check",

            // No background traffic: a sign-in needs none, and on a machine without network it would flood refused
            // connections (component updates, sync, field trials, QUIC probes).
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
        };
        if (headless)
        {
            // A windowed browser listens on loopback only; headless needs to be told.
            arguments.Add("--headless=new");
            arguments.Add("--remote-debugging-address=127.0.0.1");
        }

        if (noSandbox)
        {
            arguments.Add("--no-sandbox");
        }

        if (ignoreCertificateErrors)
        {
            arguments.Add("--ignore-certificate-errors");
        }

        arguments.Add("about:blank");
        return arguments;
    }

    /// <summary>Chromium refuses to run as root with its sandbox on Linux; only there is the sandbox turned off.</summary>
    public static bool NeedsNoSandbox() =>
        RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && IsRoot();

    /// <summary>Starts the browser. Throws SamlBrowserFailed when the program cannot be started.</summary>
    public static ChromiumProcess Start(string program, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            Arguments = string.Join(" ", arguments.Select(Console.CommandLineArguments.Quote)),
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var started = new ChromiumProcess(process, program);
        process.Exited += (_, _) => started._exited.TrySetResult(true);
        process.OutputDataReceived += (_, e) => started.Keep(e.Data, started._outputEnded);
        process.ErrorDataReceived += (_, e) => started.Keep(e.Data, started._errorEnded);
        try
        {
            if (!process.Start())
            {
                throw SamlErrors.BrowserProblem(program, "it did not start.");
            }
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            process.Dispose();
            throw SamlErrors.BrowserProblem(program, "it could not be started: " + ex.Message, inner: ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (process.HasExited)
            {
                started._exited.TrySetResult(true);
            }
        }
        catch (InvalidOperationException)
        {
            started._exited.TrySetResult(true);
        }

        return started;
    }

    /// <summary>
    /// Waits for the browser to write its DevTools port, and returns the browser endpoint's WebSocket address. Throws
    /// SamlBrowserFailed when the browser exits first or does not write it within <paramref name="limit"/>.
    /// </summary>
    public async Task<Uri> WaitForDevToolsAsync(string profileDirectory, TimeSpan limit, CancellationToken cancellationToken)
    {
        var path = Path.Combine(profileDirectory, ActivePortFile);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? text = null;
            try
            {
                text = File.Exists(path) ? File.ReadAllText(path) : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Being written: read it again in a moment.
            }

            if (text is not null && TryParseActivePort(text, out var port, out var browserPath))
            {
                _keepOutput = false;
                return new Uri($"ws://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}{browserPath}");
            }

            if (HasExited)
            {
                // What it wrote last explains why: give the readers a moment to reach the end of its output.
                await Task.WhenAny(Task.WhenAll(_outputEnded.Task, _errorEnded.Task), Task.Delay(1000, cancellationToken)).ConfigureAwait(false);
                _keepOutput = false;
                throw ExitedEarly();
            }

            if (DateTime.UtcNow > deadline)
            {
                _keepOutput = false;
                throw SamlErrors.BrowserProblem(Program, $"it did not open its DevTools port within {limit.TotalSeconds:0} seconds{Output()}.");
            }

            await Task.WhenAny(Exited, Task.Delay(100, cancellationToken)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads DevToolsActivePort: the port on the first line, the browser endpoint's path (/devtools/browser/ID) on the
    /// second.
    /// </summary>
    public static bool TryParseActivePort(string text, out int port, out string browserPath)
    {
        port = 0;
        browserPath = string.Empty;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        if (lines.Length < 2
            || !int.TryParse(lines[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out port)
            || port is < 1 or > 65535)
        {
            port = 0;
            return false;
        }

        var candidate = lines[1].Trim();
        if (!candidate.StartsWith("/devtools/browser/", StringComparison.Ordinal)
            || candidate.Length == "/devtools/browser/".Length
            || candidate.Any(c => !(char.IsLetterOrDigit(c) || c is '/' or '-' or '_')))
        {
            port = 0;
            return false;
        }

        browserPath = candidate;
        return true;
    }

    /// <summary>Waits up to <paramref name="wait"/> for the browser to exit, then kills it (and its helpers) if it has not.</summary>
    public async Task EndAsync(TimeSpan wait)
    {
        if (!HasExited)
        {
            await Task.WhenAny(Exited, Task.Delay(wait)).ConfigureAwait(false);
        }

        if (!HasExited)
        {
            Kill();
            await Task.WhenAny(Exited, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
    }

    /// <summary>Kills the browser and, where the runtime can, every process it started.</summary>
    public void Kill()
    {
        try
        {
            if (s_killTree is not null)
            {
                s_killTree.Invoke(_process, new object[] { true });
            }
            else
            {
                _process.Kill();
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException or TargetInvocationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        if (!HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private AwsLoginException ExitedEarly()
    {
        int? code = null;
        try
        {
            _process.WaitForExit(1000);
            code = _process.ExitCode;
        }
        catch (InvalidOperationException)
        {
        }

        // Exit code 0 at once: the browser handed over to another instance that already uses this profile folder.
        if (code == 0)
        {
            return SamlErrors.BrowserProblem(
                Program,
                "it exited at once, as a browser does when another instance already uses its profile folder.",
                "Close the browser window left open by an earlier sign-in with this profile (or end its process), then try again.");
        }

        var noDisplay = RuntimeInformation.IsOSPlatform(OSPlatform.Linux);
        return SamlErrors.BrowserProblem(
            Program,
            $"it exited{(code is null ? string.Empty : " with code " + code.Value.ToString(CultureInfo.InvariantCulture))} before opening its DevTools port{Output()}.",
            noDisplay
                ? "Check that the browser starts here (a windowed browser needs a display: DISPLAY or WAYLAND_DISPLAY), use -Headless where the IdP needs no interaction, or pass -BrowserPath with another browser."
                : null);
    }

    private void Keep(string? line, TaskCompletionSource<bool> ended)
    {
        if (line is null)
        {
            ended.TrySetResult(true);
            return;
        }

        if (!_keepOutput)
        {
            return;
        }

        lock (_startupOutput)
        {
            _startupOutput.Add(line);
            if (_startupOutput.Count > KeptOutputLines)
            {
                _startupOutput.RemoveAt(0);
            }
        }
    }

    // The last lines the browser wrote while starting (no page has loaded yet, so they carry nothing secret), minus the
    // noise a browser without a desktop session writes.
    private string Output()
    {
        string[] lines;
        lock (_startupOutput)
        {
            lines = _startupOutput
                .Where(line => line.Trim().Length > 0 && line.IndexOf("dbus", StringComparison.OrdinalIgnoreCase) < 0)
                .ToArray();
        }

        return lines.Length == 0 ? string.Empty : ". It said: " + SamlErrors.Sanitize(string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - 3))));
    }

    private static bool IsRoot()
    {
        try
        {
            return geteuid() == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = false)]
    private static extern uint geteuid();
}
