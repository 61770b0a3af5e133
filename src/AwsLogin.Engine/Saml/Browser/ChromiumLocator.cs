using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Console;

namespace AwsLogin.Engine.Saml.Browser;

/// <summary>
/// Finds a Chromium-family browser program: the one the user names, else Microsoft Edge, Google Chrome or Chromium
/// where their installers put them (Windows: Program Files and the user's LocalAppData; macOS: /Applications and
/// ~/Applications; Linux and other Unix: on PATH), in that order.
/// </summary>
internal sealed class ChromiumLocator
{
    private static readonly string[] s_unixPrograms =
    {
        "microsoft-edge", "microsoft-edge-stable", "google-chrome", "google-chrome-stable", "chromium", "chromium-browser",
    };

    private static readonly string[] s_macApplications = { "Microsoft Edge", "Google Chrome", "Chromium" };

    private readonly BrowserPlatform _platform;
    private readonly IEnvironmentReader _environment;
    private readonly Func<string, bool> _fileExists;
    private readonly Func<string, bool> _directoryExists;

    public ChromiumLocator(BrowserPlatform platform, IEnvironmentReader environment, Func<string, bool>? fileExists = null, Func<string, bool>? directoryExists = null)
    {
        _platform = platform;
        _environment = environment;
        _fileExists = fileExists ?? File.Exists;
        _directoryExists = directoryExists ?? Directory.Exists;
    }

    /// <summary>
    /// The browser program to start: <paramref name="browserPath"/> (a path, a macOS .app folder, or a program name on
    /// PATH) when given, else the first installed browser. Throws SamlBrowserNotFound.
    /// </summary>
    public string Locate(string? browserPath)
    {
        if (!string.IsNullOrWhiteSpace(browserPath))
        {
            return Named(browserPath!.Trim());
        }

        var lookedFor = new List<string>();
        foreach (var (candidate, onPath) in Candidates())
        {
            lookedFor.Add(candidate);
            var found = onPath ? FindOnPath(candidate) : (_fileExists(candidate) ? candidate : null);
            if (found is not null)
            {
                return found;
            }
        }

        throw SamlErrors.NoBrowser(null, _platform == BrowserPlatform.Unix ? new[] { string.Join(", ", s_unixPrograms) + " on PATH" } : lookedFor);
    }

    /// <summary>Where to look, in order: full paths, or (on Unix) program names to find on PATH.</summary>
    internal IEnumerable<(string Candidate, bool OnPath)> Candidates()
    {
        switch (_platform)
        {
            case BrowserPlatform.Windows:
                var programFilesX86 = _environment.Get("ProgramFiles(x86)");
                var programFiles = _environment.Get("ProgramFiles");
                var localAppData = _environment.Get("LOCALAPPDATA");
                var windows = new[]
                {
                    (programFilesX86, @"Microsoft\Edge\Application\msedge.exe"),
                    (programFiles, @"Microsoft\Edge\Application\msedge.exe"),
                    (localAppData, @"Microsoft\Edge\Application\msedge.exe"),
                    (programFiles, @"Google\Chrome\Application\chrome.exe"),
                    (programFilesX86, @"Google\Chrome\Application\chrome.exe"),
                    (localAppData, @"Google\Chrome\Application\chrome.exe"),
                    (localAppData, @"Chromium\Application\chrome.exe"),
                };
                return windows
                    .Where(pair => !string.IsNullOrWhiteSpace(pair.Item1))
                    .Select(pair => (pair.Item1!.TrimEnd('\\') + "\\" + pair.Item2, false))
                    .Distinct()
                    .ToArray();

            case BrowserPlatform.MacOS:
                var home = _environment.Get("HOME");
                var folders = string.IsNullOrWhiteSpace(home) ? new[] { "/Applications" } : new[] { "/Applications", home!.TrimEnd('/') + "/Applications" };
                return s_macApplications
                    .SelectMany(name => folders.Select(folder => ($"{folder}/{name}.app/Contents/MacOS/{name}", false)))
                    .ToArray();

            default:
                return s_unixPrograms.Select(name => (name, true)).ToArray();
        }
    }

    private string Named(string browserPath)
    {
        if (IsPath(browserPath))
        {
            // A macOS application bundle: its program is Contents/MacOS/<bundle name>.
            var bundle = browserPath.TrimEnd('/');
            if (bundle.EndsWith(".app", StringComparison.OrdinalIgnoreCase) && _directoryExists(bundle))
            {
                var name = Path.GetFileNameWithoutExtension(bundle);
                var program = bundle + "/Contents/MacOS/" + name;
                if (_fileExists(program))
                {
                    return program;
                }
            }

            if (_fileExists(browserPath))
            {
                return browserPath;
            }

            throw SamlErrors.NoBrowser(browserPath, Array.Empty<string>());
        }

        return FindOnPath(browserPath) ?? throw SamlErrors.NoBrowser(browserPath, Array.Empty<string>());
    }

    private string? FindOnPath(string name) => new BrowserLauncher(NullEngineLog.Instance, _environment, _platform).FindOnPath(name);

    private static bool IsPath(string name) =>
        name.IndexOf('/') >= 0 || name.IndexOf('\\') >= 0 || Path.IsPathRooted(name);
}
