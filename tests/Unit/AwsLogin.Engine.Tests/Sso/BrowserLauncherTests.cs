using AwsLogin.Engine.Sso;
using Xunit;

namespace AwsLogin.Engine.Tests.Sso;

public sealed class BrowserLauncherTests
{
    private const string Url = "https://example.com/authorize?a=1&b=two words";

    [Fact]
    public void The_url_replaces_percent_s_or_is_appended_as_one_argument()
    {
        var appended = SystemBrowserLauncher.CommandFor("firefox --new-window", Url)!;
        var substituted = SystemBrowserLauncher.CommandFor("'/opt/my browser/run' --url=%s --quiet", Url)!;

        Assert.Equal("firefox", appended.FileName);
        Assert.Equal("--new-window \"https://example.com/authorize?a=1&b=two words\"", appended.Arguments);
        Assert.Equal("/opt/my browser/run", substituted.FileName);
        Assert.Equal("\"--url=https://example.com/authorize?a=1&b=two words\" --quiet", substituted.Arguments);
        Assert.Null(SystemBrowserLauncher.CommandFor("'unclosed", Url));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "\"\"")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("C:\\path with\\", "\"C:\\path with\\\\\"")]
    public void Arguments_are_quoted_as_dotnet_splits_them(string argument, string quoted)
    {
        Assert.Equal(quoted, SystemBrowserLauncher.Quote(argument));
    }

    [Fact]
    public void Only_http_addresses_are_opened()
    {
        var launcher = new SystemBrowserLauncher("does-not-matter", NullEngineLog.Instance);

        Assert.False(launcher.TryOpen("file:///etc/passwd", out var problem));
        Assert.Contains("http", problem);
    }
}
