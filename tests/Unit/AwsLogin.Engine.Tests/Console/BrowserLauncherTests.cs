using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Console;
using AwsLogin.Engine.Tests.Cache;
using AwsLogin.Engine.Tests.Sts;
using Xunit;

namespace AwsLogin.Engine.Tests.Console;

/// <summary>Which program opens the browser on each platform, the fallbacks, failures, and a real launch on Unix.</summary>
public sealed class BrowserLauncherTests : IDisposable
{
    private const string Url = "https://127.0.0.1/federation?Action=login&SigninToken=SECRET-TOKEN-VALUE";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "awslogin-browser-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingLog _log = new();

    public BrowserLauncherTests()
    {
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Windows_opens_the_url_through_the_shell_then_explorer()
    {
        var commands = Launcher(BrowserPlatform.Windows, new ScriptedLauncher()).Commands(Url, null);

        Assert.Equal(new[] { (Url, true), ("explorer.exe", false) }, commands.Select(c => (c.FileName, c.UseShellExecute)));
        Assert.True(commands[1].IgnoreExitCode);
        Assert.Equal(new[] { Url }, commands[1].Arguments);
    }

    [Fact]
    public void MacOS_uses_open_and_open_a_for_an_application_name()
    {
        var launcher = Launcher(BrowserPlatform.MacOS, new ScriptedLauncher());

        var defaultBrowser = Assert.Single(launcher.Commands(Url, null));
        var named = Assert.Single(launcher.Commands(Url, "Google Chrome"));

        Assert.Equal("/usr/bin/open", defaultBrowser.FileName);
        Assert.Equal(new[] { Url }, defaultBrowser.Arguments);
        Assert.Equal("/usr/bin/open", named.FileName);
        Assert.Equal(new[] { "-a", "Google Chrome", Url }, named.Arguments);
    }

    [Fact]
    public void Unix_tries_BROWSER_then_xdg_open_wslview_sensible_browser_and_x_www_browser_found_on_PATH()
    {
        foreach (var program in new[] { "x-www-browser", "sensible-browser", "xdg-open", "firefox" })
        {
            File.WriteAllText(Path.Combine(_folder, program), string.Empty);
        }

        var commands = Launcher(BrowserPlatform.Unix, new ScriptedLauncher(), ("BROWSER", "firefox:nosuch")).Commands(Url, null);

        Assert.Equal(new[] { "firefox", "xdg-open", "sensible-browser", "x-www-browser" }, commands.Select(c => Path.GetFileName(c.FileName)));
        Assert.All(commands, c => Assert.Equal(new[] { Url }, c.Arguments));
    }

    [Fact]
    public void Unix_without_any_opener_is_BrowserNotFound()
    {
        var exception = Assert.Throws<AwsLoginException>(() => Launcher(BrowserPlatform.Unix, new ScriptedLauncher()).Open(Url, null, CancellationToken.None));

        Assert.Equal(("BrowserNotFound", FailureKind.NotFound), (exception.Code, exception.Kind));
        Assert.DoesNotContain("SECRET", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_opener_falls_back_to_the_next()
    {
        File.WriteAllText(Path.Combine(_folder, "xdg-open"), string.Empty);
        File.WriteAllText(Path.Combine(_folder, "sensible-browser"), string.Empty);
        var scripted = new ScriptedLauncher { ["xdg-open"] = 3, ["sensible-browser"] = null };

        var used = Launcher(BrowserPlatform.Unix, scripted).Open(Url, null, CancellationToken.None);

        Assert.Equal("sensible-browser", used);
        Assert.Equal(2, scripted.Started.Count);
        Assert.All(_log.Messages, m => Assert.DoesNotContain("SECRET", m, StringComparison.Ordinal));
    }

    [Fact]
    public void When_every_opener_fails_the_error_names_them_but_not_the_url()
    {
        File.WriteAllText(Path.Combine(_folder, "xdg-open"), string.Empty);
        var scripted = new ScriptedLauncher { ["xdg-open"] = 4 };

        var exception = Assert.Throws<AwsLoginException>(() => Launcher(BrowserPlatform.Unix, scripted).Open(Url, null, CancellationToken.None));

        Assert.Equal("BrowserFailed", exception.Code);
        Assert.Contains("xdg-open (exit code 4)", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Explorer_counts_as_opened_whatever_its_exit_code()
    {
        var scripted = new ScriptedLauncher { [Url] = new System.ComponentModel.Win32Exception(2, "not found"), ["explorer.exe"] = 1 };

        Assert.Equal("explorer.exe", Launcher(BrowserPlatform.Windows, scripted).Open(Url, null, CancellationToken.None));
    }

    [Fact]
    public void A_named_browser_path_must_exist()
    {
        var missing = Path.Combine(_folder, "no-such-browser");

        var exception = Assert.Throws<AwsLoginException>(() => Launcher(BrowserPlatform.Unix, new ScriptedLauncher()).Open(Url, missing, CancellationToken.None));

        Assert.Equal(("BrowserNotFound", missing), (exception.Code, exception.Target));
    }

    [Fact]
    public void A_named_browser_is_found_on_PATH_or_left_to_the_shell_on_Windows()
    {
        File.WriteAllText(Path.Combine(_folder, "firefox"), string.Empty);
        File.WriteAllText(Path.Combine(_folder, "brave.EXE"), string.Empty);

        var unix = Assert.Single(Launcher(BrowserPlatform.Unix, new ScriptedLauncher()).Commands(Url, "firefox"));
        var windowsOnPath = Assert.Single(Launcher(BrowserPlatform.Windows, new ScriptedLauncher(), ("PATHEXT", ".EXE")).Commands(Url, "brave"));
        var windowsAppPath = Assert.Single(Launcher(BrowserPlatform.Windows, new ScriptedLauncher()).Commands(Url, "msedge"));

        Assert.Equal(Path.Combine(_folder, "firefox"), unix.FileName);
        Assert.Equal((Path.Combine(_folder, "brave.EXE"), false), (windowsOnPath.FileName, windowsOnPath.UseShellExecute));
        Assert.Equal(("msedge", true), (windowsAppPath.FileName, windowsAppPath.UseShellExecute));
        Assert.Equal(new[] { Url }, windowsAppPath.Arguments);
        Assert.Throws<AwsLoginException>(() => Launcher(BrowserPlatform.Unix, new ScriptedLauncher()).Commands(Url, "msedge"));
    }

    [Fact]
    public void A_browser_command_prints_without_its_arguments()
    {
        var command = new BrowserCommand("xdg-open", new[] { Url }, false, "xdg-open");

        Assert.DoesNotContain("SECRET", command.ToString(), StringComparison.Ordinal);
    }

    [UnixFact]
    public void A_real_browser_program_receives_the_url_as_one_argument()
    {
        var output = Path.Combine(_folder, "received");
        var script = WriteScript("browser", $"printf '%s|%s' \"$#\" \"$1\" > '{output}'\n");
        var url = Url + "&Destination=https%3A%2F%2Fconsole.aws.amazon.com%2F&x=a b";

        try
        {
            var used = new BrowserLauncher(_log, ProcessEnvironment.Instance).Open(url, script, CancellationToken.None);

            Assert.Equal(script, used);
            Assert.Equal("1|" + url, File.ReadAllText(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [UnixFact]
    public void A_real_browser_that_fails_is_BrowserFailed_and_its_output_is_not_shown()
    {
        var script = WriteScript("failing", "echo \"cannot open $1\" >&2\nexit 2\n");

        var exception = Assert.Throws<AwsLoginException>(() => new BrowserLauncher(_log, ProcessEnvironment.Instance).Open(Url, script, CancellationToken.None));

        Assert.Equal("BrowserFailed", exception.Code);
        Assert.DoesNotContain("SECRET", exception.ToString(), StringComparison.Ordinal);
    }

    private string WriteScript(string name, string body)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        UnixMode.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private BrowserLauncher Launcher(BrowserPlatform platform, ScriptedLauncher launcher, params (string Name, string Value)[] variables)
    {
        var environment = new DictionaryEnvironment { ["PATH"] = _folder };
        foreach (var (name, value) in variables)
        {
            environment[name] = value;
        }

        return new BrowserLauncher(_log, environment, platform, launcher);
    }

    /// <summary>Answers Start by the program's file name: an exit code, null (still running) or an exception to throw.</summary>
    private sealed class ScriptedLauncher : Dictionary<string, object?>, IProcessLauncher
    {
        public List<BrowserCommand> Started { get; } = new();

        public int? Start(BrowserCommand command, TimeSpan wait, CancellationToken cancellationToken)
        {
            Started.Add(command);
            var key = TryGetValue(command.FileName, out _) ? command.FileName : Path.GetFileName(command.FileName);
            return TryGetValue(key, out var answer) ? answer switch
            {
                Exception ex => throw ex,
                int code => code,
                _ => null,
            } : 0;
        }
    }
}
