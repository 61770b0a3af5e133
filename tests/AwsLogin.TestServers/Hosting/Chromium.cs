using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;

namespace AwsLogin.TestServers;

/// <summary>
/// The real Chromium the browser sign-in tests drive: CHROMIUM_PATH, else /usr/bin/chromium. Where it is missing and
/// the tests run as root with apt-get (a clean Debian CI machine), it is installed once (Debian package chromium),
/// under a file lock so parallel test projects do not race; anywhere else a missing Chromium is a failure with
/// instructions, never a skipped test.
/// </summary>
public static class Chromium
{
    public const string PathVariable = "CHROMIUM_PATH";
    public const string DebianPath = "/usr/bin/chromium";

    private static readonly Lazy<string> s_path = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The Chromium program, installed first if needed. Throws InvalidOperationException with what to do.</summary>
    public static string Path => s_path.Value;

    /// <summary>The processes whose command line names <paramref name="profileDirectory"/> as their --user-data-dir (Linux).</summary>
    public static IReadOnlyList<int> ProcessesUsing(string profileDirectory) =>
        Processes(argument => argument == "--user-data-dir=" + profileDirectory);

    /// <summary>The processes whose --user-data-dir is inside <paramref name="folder"/> (Linux).</summary>
    public static IReadOnlyList<int> ProcessesUnder(string folder) =>
        Processes(argument => argument.StartsWith("--user-data-dir=" + folder.TrimEnd('/') + "/", StringComparison.Ordinal));

    /// <summary>Kills every process still using <paramref name="profileDirectory"/>; returns how many there were.</summary>
    public static int KillProcessesUsing(string profileDirectory) => Kill(ProcessesUsing(profileDirectory));

    /// <summary>Kills every process whose profile folder is inside <paramref name="folder"/>; returns how many there were.</summary>
    public static int KillProcessesUnder(string folder) => Kill(ProcessesUnder(folder));

    private static IReadOnlyList<int> Processes(Func<string, bool> isProfileArgument)
    {
        var found = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return found;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(System.IO.Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(System.IO.Path.Combine(directory, "cmdline")).Split('\0');
                if (arguments.Any(isProfileArgument))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    private static int Kill(IReadOnlyList<int> pids)
    {
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already exited.
            }
        }

        return pids.Count;
    }

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(configured)
                ? configured
                : throw new InvalidOperationException($"{PathVariable} is '{configured}', which does not exist. Point it at a Chromium-family browser program, or unset it to use {DebianPath}.");
        }

        if (File.Exists(DebianPath))
        {
            return DebianPath;
        }

        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get") || Environment.UserName != "root")
        {
            throw new InvalidOperationException(
                $"The browser sign-in tests need Chromium and it is not at {DebianPath}. Install it (Debian: apt-get install chromium) or set {PathVariable} to a Chromium-family browser program.");
        }

        Install();
        return File.Exists(DebianPath)
            ? DebianPath
            : throw new InvalidOperationException($"apt-get installed chromium, but {DebianPath} does not exist.");
    }

    private static void Install()
    {
        using var installLock = AcquireInstallLock();
        if (File.Exists(DebianPath))
        {
            return;
        }

        var (code, output) = Run("apt-get", "install -y --no-install-recommends chromium");
        if (code != 0)
        {
            // A clean machine may have no package lists yet.
            Run("apt-get", "update");
            (code, output) = Run("apt-get", "install -y --no-install-recommends chromium");
        }

        if (code != 0)
        {
            throw new InvalidOperationException($"apt-get install chromium failed with exit code {code}: {string.Join(Environment.NewLine, output.TakeLast(15))}");
        }
    }

    private static FileStream AcquireInstallLock()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "awslogin-tests-chromium-install.lock");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(20);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(500);
            }
        }
    }

    private static (int Code, IReadOnlyList<string> Output) Run(string program, string arguments)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        var output = new List<string>();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Add(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.Add(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, ["apt-get did not finish within 15 minutes."]);
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToArray());
        }
    }
}
