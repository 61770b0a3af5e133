using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Console;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Browser;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>The browser provider's parts that need no browser: DevToolsActivePort, switches, discovery, the form post, the CDP client.</summary>
public sealed class BrowserPartsTests
{
    [Theory]
    [InlineData("38223\n/devtools/browser/c96fc2fd-6cf9-4853-a612-a74771b2d144", 38223, "/devtools/browser/c96fc2fd-6cf9-4853-a612-a74771b2d144")]
    [InlineData("9222\r\n/devtools/browser/abc_DEF-1\r\n", 9222, "/devtools/browser/abc_DEF-1")]
    public void DevToolsActivePort_gives_the_port_and_the_browser_endpoint_path(string text, int port, string path)
    {
        Assert.True(ChromiumProcess.TryParseActivePort(text, out var parsedPort, out var parsedPath));
        Assert.Equal((port, path), (parsedPort, parsedPath));
    }

    [Theory]
    [InlineData("")]
    [InlineData("38223")]
    [InlineData("38223\n")]
    [InlineData("0\n/devtools/browser/x")]
    [InlineData("70000\n/devtools/browser/x")]
    [InlineData("-1\n/devtools/browser/x")]
    [InlineData("38x23\n/devtools/browser/x")]
    [InlineData("38223\n/devtools/page/x")]
    [InlineData("38223\n/devtools/browser/")]
    [InlineData("38223\n/devtools/browser/x?y=1")]
    [InlineData("38223\n/devtools/browser/x y")]
    public void A_partial_or_foreign_DevToolsActivePort_is_not_used(string text)
    {
        Assert.False(ChromiumProcess.TryParseActivePort(text, out var port, out var path));
        Assert.Equal((0, string.Empty), (port, path));
    }

    [Fact]
    public void The_browser_starts_on_a_blank_page_with_a_private_profile_a_throwaway_cache_and_a_picked_port()
    {
        var windowed = ChromiumProcess.Arguments("/home/u/p", "/home/u/p/AwsLogin-cache", headless: false, noSandbox: false, ignoreCertificateErrors: false);
        var headless = ChromiumProcess.Arguments("/home/u/p", "/home/u/p/AwsLogin-cache", headless: true, noSandbox: true, ignoreCertificateErrors: true);

        Assert.Equal(
            new[]
            {
                "--user-data-dir=/home/u/p", "--disk-cache-dir=/home/u/p/AwsLogin-cache", "--remote-debugging-port=0", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "about:blank",
            },
            windowed);
        Assert.Equal(windowed.Take(windowed.Count - 1).Concat(new[] { "--headless=new", "--remote-debugging-address=127.0.0.1", "--no-sandbox", "--ignore-certificate-errors", "about:blank" }), headless);
        Assert.Equal("\"--user-data-dir=C:\\Users\\Jo Smith\\p\"", AwsLogin.Engine.Console.CommandLineArguments.Quote("--user-data-dir=C:\\Users\\Jo Smith\\p"));
        Assert.Equal("--no-sandbox", AwsLogin.Engine.Console.CommandLineArguments.Quote("--no-sandbox"));
    }

    [Fact]
    public void On_windows_edge_then_chrome_then_chromium_are_looked_for_where_their_installers_put_them()
    {
        var environment = new DictionaryEnvironment
        {
            ["ProgramFiles"] = @"C:\Program Files",
            ["ProgramFiles(x86)"] = @"C:\Program Files (x86)",
            ["LOCALAPPDATA"] = @"C:\Users\jo\AppData\Local",
        };
        var installed = new HashSet<string>(StringComparer.Ordinal);
        var locator = new ChromiumLocator(BrowserPlatform.Windows, environment, installed.Contains, _ => false);

        Assert.Equal(
            new[]
            {
                @"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
                @"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
                @"C:\Users\jo\AppData\Local\Microsoft\Edge\Application\msedge.exe",
                @"C:\Program Files\Google\Chrome\Application\chrome.exe",
                @"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
                @"C:\Users\jo\AppData\Local\Google\Chrome\Application\chrome.exe",
                @"C:\Users\jo\AppData\Local\Chromium\Application\chrome.exe",
            },
            locator.Candidates().Select(c => c.Candidate));

        var none = Assert.Throws<AwsLoginException>(() => locator.Locate(null));
        Assert.Equal((SamlErrors.BrowserNotFound, FailureKind.NotFound, "browser"), (none.Code, none.Kind, none.Target));
        Assert.Contains(@"C:\Users\jo\AppData\Local\Google\Chrome\Application\chrome.exe", none.Message, StringComparison.Ordinal);
        Assert.Contains("-BrowserPath", none.RecommendedAction, StringComparison.Ordinal);

        installed.Add(@"C:\Users\jo\AppData\Local\Google\Chrome\Application\chrome.exe");
        Assert.Equal(@"C:\Users\jo\AppData\Local\Google\Chrome\Application\chrome.exe", locator.Locate(null));
        installed.Add(@"C:\Program Files\Microsoft\Edge\Application\msedge.exe");
        Assert.Equal(@"C:\Program Files\Microsoft\Edge\Application\msedge.exe", locator.Locate(null));
        Assert.Equal(@"D:\Portable\chrome.exe", new ChromiumLocator(BrowserPlatform.Windows, environment, path => path == @"D:\Portable\chrome.exe").Locate(@"D:\Portable\chrome.exe"));
    }

    [Fact]
    public void On_macos_applications_are_looked_for_in_both_application_folders_and_a_bundle_names_its_program()
    {
        var environment = new DictionaryEnvironment { ["HOME"] = "/Users/jo" };
        var chromeInHome = "/Users/jo/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
        var locator = new ChromiumLocator(BrowserPlatform.MacOS, environment, path => path == chromeInHome, path => path == "/Users/jo/Applications/Google Chrome.app");

        Assert.Equal(
            new[]
            {
                "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
                "/Users/jo/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
                "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
                chromeInHome,
                "/Applications/Chromium.app/Contents/MacOS/Chromium",
                "/Users/jo/Applications/Chromium.app/Contents/MacOS/Chromium",
            },
            locator.Candidates().Select(c => c.Candidate));
        Assert.Equal(chromeInHome, locator.Locate(null));
        Assert.Equal(chromeInHome, locator.Locate("/Users/jo/Applications/Google Chrome.app/"));
        var missing = Assert.Throws<AwsLoginException>(() => locator.Locate("/Applications/Brave Browser.app"));
        Assert.Equal((SamlErrors.BrowserNotFound, "/Applications/Brave Browser.app"), (missing.Code, missing.Target));
    }

    [Fact]
    public void On_linux_edge_chrome_and_chromium_are_found_on_path_in_that_order_and_a_named_program_too()
    {
        var root = Directory.CreateTempSubdirectory("awslogin-locator-").FullName;
        try
        {
            var first = Directory.CreateDirectory(Path.Combine(root, "bin1")).FullName;
            var second = Directory.CreateDirectory(Path.Combine(root, "bin2")).FullName;
            File.WriteAllText(Path.Combine(first, "chromium"), string.Empty);
            File.WriteAllText(Path.Combine(second, "google-chrome-stable"), string.Empty);
            File.WriteAllText(Path.Combine(second, "my-browser"), string.Empty);
            var locator = new ChromiumLocator(BrowserPlatform.Unix, new DictionaryEnvironment { ["PATH"] = first + ":" + second });

            Assert.Equal(Path.Combine(second, "google-chrome-stable"), locator.Locate(null));
            Assert.Equal(Path.Combine(first, "chromium"), locator.Locate("chromium"));
            Assert.Equal(Path.Combine(second, "my-browser"), locator.Locate(" my-browser "));
            Assert.Equal(new[] { "microsoft-edge", "microsoft-edge-stable", "google-chrome", "google-chrome-stable", "chromium", "chromium-browser" }, locator.Candidates().Select(c => c.Candidate));
            Assert.All(locator.Candidates(), c => Assert.True(c.OnPath));

            var nothing = Assert.Throws<AwsLoginException>(() => new ChromiumLocator(BrowserPlatform.Unix, new DictionaryEnvironment { ["PATH"] = root }).Locate(null));
            Assert.Contains("chromium-browser on PATH", nothing.Message, StringComparison.Ordinal);
            var named = Assert.Throws<AwsLoginException>(() => locator.Locate("brave"));
            Assert.Equal((SamlErrors.BrowserNotFound, "brave"), (named.Code, named.Target));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("https://signin.aws.amazon.com/saml", true)]
    [InlineData("https://signin.aws.amazon.com/saml?SAMLart=x", true)]
    [InlineData("https://us-west-2.signin.aws.amazon.com/saml", true)]
    [InlineData("https://signin.aws.amazon.com/saml/acs/SAMLSP4SHN3UIS2D558H46", true)]
    [InlineData("https://signin.amazonaws-us-gov.com/saml", true)]
    [InlineData("https://signin.amazonaws.cn/saml", true)]
    [InlineData("https://SIGNIN.AWS.AMAZON.COM/saml", true)]
    [InlineData("https://idp.example.test/saml/post", true)]
    [InlineData("http://signin.aws.amazon.com/saml", false)]
    [InlineData("https://signin.aws.amazon.com:8443/saml", false)]
    [InlineData("https://signin.aws.amazon.com/federation", false)]
    [InlineData("https://signin.aws.amazon.com/saml/acs/", false)]
    [InlineData("https://signin.aws.amazon.com/samlx", false)]
    [InlineData("https://evilsignin.aws.amazon.com.example/saml", false)]
    [InlineData("https://notsignin.aws.amazon.com/saml", false)]
    [InlineData("not a url", false)]
    public void Aws_saml_endpoints_of_every_partition_and_the_configured_consumer_are_intercepted(string url, bool consumer)
    {
        Assert.Equal(consumer, SamlFormPost.IsConsumer(url, "https://idp.example.test/saml/post"));
    }

    [Fact]
    public void The_fetch_patterns_cover_each_partition_and_escape_the_configured_consumer()
    {
        var aws = SamlFormPost.UrlPatterns("https://signin.aws.amazon.com/saml");
        var custom = SamlFormPost.UrlPatterns("https://sp.example.test/a*b/saml");

        Assert.Contains("https://signin.aws.amazon.com/saml", aws);
        Assert.Contains("https://signin.aws.amazon.com/saml?*", aws);
        Assert.Contains("https://*.signin.aws.amazon.com/saml", aws);
        Assert.Contains("https://signin.amazonaws-us-gov.com/saml/acs/*", aws);
        Assert.Contains("https://*.signin.amazonaws.cn/saml", aws);
        Assert.Equal(18, aws.Count);
        Assert.Equal(aws.Concat(new[] { @"https://sp.example.test/a\*b/saml", @"https://sp.example.test/a\*b/saml?*" }), custom);
    }

    [Fact]
    public void The_form_body_comes_from_postDataEntries_or_postData()
    {
        var entries = Request("""{"postDataEntries":[{"bytes":"U0FNTFJlc3BvbnNlPWFi"},{"bytes":"JTJCYyUzRCZSZWxheVN0YXRlPXg="}],"postData":"ignored"}""");
        var plain = Request("""{"postData":"SAMLResponse=xy%3D%3D"}""");

        Assert.Equal("SAMLResponse=ab%2Bc%3D&RelayState=x", Encoding.ASCII.GetString(SamlFormPost.Body(entries)!));
        Assert.Equal("SAMLResponse=xy%3D%3D", Encoding.ASCII.GetString(SamlFormPost.Body(plain)!));
        Assert.Null(SamlFormPost.Body(Request("""{"hasPostData":true}""")));
        Assert.Null(SamlFormPost.Body(Request("""{"postDataEntries":[{"bytes":"not base64!"}]}""")));
        Assert.Null(SamlFormPost.Body(default));
    }

    [Fact]
    public void SAMLResponse_is_form_decoded_and_its_line_breaks_dropped()
    {
        var body = Encoding.ASCII.GetBytes("RelayState=https%3A%2F%2Fconsole.aws.amazon.com%2F&SAMLResponse=PHNh%2BbW%0D%0Axw%3D%3D&SAMLResponse=second&note=a+b");

        Assert.Equal("PHNh+bWxw==", SamlFormPost.Field(body, "SAMLResponse"));
        Assert.Equal("https://console.aws.amazon.com/", SamlFormPost.Field(body, "RelayState"));
        Assert.Equal("a b", SamlFormPost.Field(body, "note"));
        Assert.Null(SamlFormPost.Field(body, "samlresponse"));
        Assert.Equal(string.Empty, SamlFormPost.Field(Encoding.ASCII.GetBytes("SAMLResponse"), "SAMLResponse"));
        Assert.Null(SamlFormPost.Field(Array.Empty<byte>(), "SAMLResponse"));
    }

    [Fact]
    public void The_media_type_is_read_from_the_request_headers_in_any_case()
    {
        Assert.Equal("application/x-www-form-urlencoded", SamlFormPost.MediaType(Request("""{"headers":{"content-type":"Application/X-WWW-Form-Urlencoded; charset=UTF-8"}}""")));
        Assert.Equal("multipart/form-data", SamlFormPost.MediaType(Request("""{"headers":{"Content-Type":"multipart/form-data; boundary=x"}}""")));
        Assert.Null(SamlFormPost.MediaType(Request("""{"headers":{}}""")));
    }

    [Fact]
    public void The_default_profile_folder_is_one_per_profile_name_and_idp_host_and_no_user_is_known_before_a_sign_in()
    {
        var home = Path.Combine(Path.GetTempPath(), "awslogin-home-" + Guid.NewGuid().ToString("N"));
        var one = BrowserSamlProvider.DefaultProfileDirectory(home, "default", new Uri("https://idp.example.test/app/aws/sso?x=1"));

        Assert.Equal(Path.Combine(home, "saml", "browser"), Path.GetDirectoryName(one));
        Assert.Equal(16, Path.GetFileName(one).Length);
        Assert.Equal(one, BrowserSamlProvider.DefaultProfileDirectory(home, "default", new Uri("https://IDP.example.test/other")));
        Assert.NotEqual(one, BrowserSamlProvider.DefaultProfileDirectory(home, "work", new Uri("https://idp.example.test/app/aws/sso")));
        Assert.NotEqual(one, BrowserSamlProvider.DefaultProfileDirectory(home, "default", new Uri("https://idp2.example.test/app/aws/sso")));

        var context = new EngineContext(new DictionaryEnvironment { [EngineContext.HomeVariable] = home }, NullEngineLog.Instance);
        var provider = new BrowserSamlProvider(new BrowserProviderOptions(new Uri("https://idp.example.test/app/aws/sso")), context);
        var given = new BrowserSamlProvider(new BrowserProviderOptions(new Uri("https://idp.example.test/app/aws/sso")) { ProfileDirectory = Path.Combine(home, "mine") }, context);
        Assert.Equal(BrowserSamlProvider.DefaultProfileDirectory(home, "default", new Uri("https://idp.example.test/")), provider.ProfileDirectory);
        Assert.Equal(Path.Combine(home, "mine"), given.ProfileDirectory);
        Assert.Equal(("Browser", (string?)null), (provider.Name, provider.KnownUserName));
        Assert.False(Directory.Exists(home));
    }

    [Fact]
    public void A_damaged_record_of_users_knows_nobody()
    {
        var home = Directory.CreateTempSubdirectory("awslogin-home-").FullName;
        try
        {
            var context = new EngineContext(new DictionaryEnvironment { [EngineContext.HomeVariable] = home }, NullEngineLog.Instance);
            var provider = new BrowserSamlProvider(new BrowserProviderOptions(new Uri("https://idp.example.test/sso")), context);
            Directory.CreateDirectory(provider.ProfileDirectory);
            var record = Path.Combine(provider.ProfileDirectory, BrowserSamlProvider.KnownUsersFile);

            File.WriteAllText(record, """{"Version":1,"Users":{"https://idp.example.test/sso":"alice","https://idp.example.test/other":"bob"}}""");
            Assert.Equal("alice", provider.KnownUserName);
            File.WriteAllText(record, """{"Version":1,"Users":{"https://idp.example.test/sso":""}}""");
            Assert.Null(provider.KnownUserName);
            File.WriteAllText(record, """{"Version":2,"Users":{"https://idp.example.test/sso":"alice"}}""");
            Assert.Null(provider.KnownUserName);
            File.WriteAllText(record, "{not json");
            Assert.Null(provider.KnownUserName);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task The_cdp_client_pairs_answers_with_commands_queues_events_and_reports_protocol_errors()
    {
        await using var devTools = await FakeDevTools.StartAsync();
        var bigPostData = "SAMLResponse=" + new string('A', 300_000);
        devTools.Answer = command => command.GetProperty("method").GetString() switch
        {
            "Target.setAutoAttach" => new[]
            {
                FakeDevTools.Event("Target.attachedToTarget", """{"sessionId":"S1","targetInfo":{"type":"page"},"waitingForDebugger":false}"""),
                FakeDevTools.Event("Fetch.requestPaused", "{\"requestId\":\"R1\",\"request\":{\"postData\":\"" + bigPostData + "\"}}", "S1"),
                FakeDevTools.Result(command, "{}"),
            },
            "Page.navigate" => new[] { FakeDevTools.Error(command, -32000, "Cannot navigate to invalid URL") },
            _ => new[] { FakeDevTools.Result(command, """{"ok":true}""") },
        };
        using var cdp = await CdpConnection.ConnectAsync(devTools.Endpoint, CancellationToken.None);

        await cdp.SendAsync("Target.setAutoAttach", w => w.WriteBoolean("flatten", true), null, CancellationToken.None);
        var attached = await cdp.NextEventAsync(CancellationToken.None);
        var paused = await cdp.NextEventAsync(CancellationToken.None);
        var enabled = await cdp.SendAsync("Fetch.enable", null, "S1", CancellationToken.None);
        var refused = await Assert.ThrowsAsync<CdpException>(() => cdp.SendAsync("Page.navigate", w => w.WriteString("url", "x"), "S1", CancellationToken.None));

        Assert.Equal(("Target.attachedToTarget", null), (attached.Method, attached.SessionId));
        Assert.Equal(("Fetch.requestPaused", "S1"), (paused.Method, paused.SessionId));
        Assert.Equal(bigPostData, paused.Parameters.GetProperty("request").GetProperty("postData").GetString());
        Assert.True(enabled.GetProperty("ok").GetBoolean());
        Assert.Equal(("Page.navigate", -32000), (refused.Method, refused.Code));
        Assert.Contains("Cannot navigate to invalid URL", refused.Message, StringComparison.Ordinal);
        var sent = devTools.Commands;
        Assert.Equal(new[] { 1, 2, 3 }, sent.Select(c => c.GetProperty("id").GetInt32()));
        Assert.Equal(("Fetch.enable", "S1"), (sent[1].GetProperty("method").GetString(), sent[1].GetProperty("sessionId").GetString()));
        Assert.False(sent[0].TryGetProperty("sessionId", out _));
        Assert.True(sent[0].GetProperty("params").GetProperty("flatten").GetBoolean());
        Assert.Equal(JsonValueKind.Object, sent[1].GetProperty("params").ValueKind);
    }

    [Fact]
    public async Task When_the_browser_hangs_up_waiting_commands_and_events_fail_as_closed()
    {
        await using var devTools = await FakeDevTools.StartAsync();
        devTools.Answer = _ => Array.Empty<string>();
        using var cdp = await CdpConnection.ConnectAsync(devTools.Endpoint, CancellationToken.None);
        var command = cdp.SendAsync("Browser.getVersion", null, null, CancellationToken.None);
        var nextEvent = cdp.NextEventAsync(CancellationToken.None);
        await devTools.SendAsync(FakeDevTools.Event("Target.detachedFromTarget", """{"sessionId":"S1"}"""));
        Assert.Equal("Target.detachedFromTarget", (await nextEvent).Method);

        await devTools.CloseAsync();

        await Assert.ThrowsAsync<CdpClosedException>(() => command);
        await Assert.ThrowsAsync<CdpClosedException>(() => cdp.NextEventAsync(CancellationToken.None));
        await Assert.ThrowsAsync<CdpClosedException>(() => cdp.NextEventAsync(CancellationToken.None));
        await Assert.ThrowsAsync<CdpClosedException>(() => cdp.SendAsync("Browser.close", null, null, CancellationToken.None));
        Assert.True(cdp.Closed.IsCompleted);
    }

    private static JsonElement Request(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
