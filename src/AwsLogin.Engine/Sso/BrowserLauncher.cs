using System;
using System.Runtime.InteropServices;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Sso;

/// <summary>Opens a URL for the user. Returns false (with a reason) when it cannot.</summary>
public interface IBrowserLauncher
{
    bool TryOpen(string url, out string? problem);
}

/// <summary>
/// Opens URLs with the module's browser launcher (<see cref="Console.BrowserLauncher"/>: the default browser, or a
/// browser program the user names with -Browser or AWSLOGIN_BROWSER), whose output is discarded. A browser that
/// cannot be opened is not an error here: the sign-in URL is shown to the user anyway.
/// </summary>
public sealed class SystemBrowserLauncher : IBrowserLauncher
{
    /// <summary>A browser program (path or name) that Connect-AwsSso uses when -Browser is not given.</summary>
    public const string BrowserVariable = "AWSLOGIN_BROWSER";

    private readonly string? _browser;
    private readonly Console.BrowserLauncher _launcher;

    /// <param name="browser">A browser program (path or name); null for the default browser.</param>
    /// <param name="log">Hears which program was started.</param>
    /// <param name="environment">PATH, BROWSER and PATHEXT for finding the program.</param>
    public SystemBrowserLauncher(string? browser, IEngineLog log, IEnvironmentReader environment)
    {
        _browser = string.IsNullOrWhiteSpace(browser) ? null : browser;
        _launcher = new Console.BrowserLauncher(log, environment);
    }

    /// <summary>Throws BrowserNotFound when a named browser does not exist, so that a sign-in does not start without it.</summary>
    public void Check()
    {
        if (_browser is not null)
        {
            _launcher.Check(_browser);
        }
    }

    public bool TryOpen(string url, out string? problem)
    {
        problem = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            problem = "only http(s) addresses are opened";
            return false;
        }

        try
        {
            _launcher.Open(url, _browser, System.Threading.CancellationToken.None);
            return true;
        }
        catch (AwsLoginException ex) when (ex.Code is "BrowserNotFound" or "BrowserFailed")
        {
            problem = ex.Message;
            return false;
        }
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
