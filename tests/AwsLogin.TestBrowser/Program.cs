using System;
using System.IO;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using AwsLogin.TestServers;

namespace AwsLogin.TestBrowser;

/// <summary>Opens one URL as a browser would (see the project file), then exits 0; 2 on a usage error, 1 when the page failed.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: AwsLogin.TestBrowser <url>");
            return 2;
        }

        var url = args[0];
        if (Environment.GetEnvironmentVariable("AWSLOGIN_TEST_BROWSER_LOG") is { Length: > 0 } log)
        {
            await File.AppendAllTextAsync(log, url + Environment.NewLine);
        }

        var mode = Environment.GetEnvironmentVariable("AWSLOGIN_TEST_BROWSER_MODE") ?? "follow";
        switch (mode)
        {
            case "ignore":
                return 0;
            case "follow":
                using (var browser = new FakeBrowser())
                {
                    var page = await browser.OpenAsync(url);
                    return (int)page.Status < 400 ? 0 : 1;
                }

            case "forge-state":
                return await TamperAsync(url, location => Regex.Replace(location, "state=[^&]+", "state=forged"));
            case "callback-error":
                return await TamperAsync(url, location => Regex.Replace(location, "code=[^&]+", "error=server_error&error_description=Something+failed"));
            default:
                Console.Error.WriteLine("unknown AWSLOGIN_TEST_BROWSER_MODE " + mode);
                return 2;
        }
    }

    // Follows the authorize URL by hand and changes the redirect before the browser would follow it.
    private static async Task<int> TamperAsync(string url, Func<string, string> change)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseProxy = false });
        using var response = await http.GetAsync(url);
        if (response.Headers.Location is not { } location)
        {
            return 1;
        }

        using var callback = await http.GetAsync(change(location.ToString()));
        return 0;
    }
}
