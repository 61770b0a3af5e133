using System.IO;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sso;
using Xunit;

namespace AwsLogin.Engine.Tests.Sso;

public sealed class BrowserLauncherTests
{
    [Fact]
    public void Only_http_addresses_are_opened()
    {
        var launcher = new SystemBrowserLauncher(null, NullEngineLog.Instance, new DictionaryEnvironment());

        Assert.False(launcher.TryOpen("file:///etc/passwd", out var problem));
        Assert.Contains("http", problem);
    }

    [Fact]
    public void A_named_browser_that_does_not_exist_is_found_out_before_the_sign_in()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-browser-" + System.Guid.NewGuid().ToString("N"));
        var launcher = new SystemBrowserLauncher(missing, NullEngineLog.Instance, new DictionaryEnvironment());

        var error = Assert.Throws<AwsLoginException>(launcher.Check);

        Assert.Equal("BrowserNotFound", error.Code);
        Assert.Equal(missing, error.Target);
        Assert.False(launcher.TryOpen("https://example.com/", out var problem));
        Assert.NotNull(problem);
    }
}
