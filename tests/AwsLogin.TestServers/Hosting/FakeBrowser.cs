using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.TestServers;

/// <summary>
/// Stands in for the user's web browser: opens a URL with GET and follows redirects (as a browser follows the
/// authorize endpoint's 302 to a loopback redirect URI), recording every address it visits. Give its
/// <see cref="OpenAsync"/> to code that would launch a browser.
/// </summary>
public sealed class FakeBrowser : IDisposable
{
    private const int MaxRedirects = 10;

    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    private readonly Lock _gate = new();
    private readonly List<Uri> _visited = [];

    /// <summary>Every address requested so far, redirect hops included, oldest first (a snapshot).</summary>
    public IReadOnlyList<Uri> Visited
    {
        get
        {
            lock (_gate)
            {
                return _visited.ToArray();
            }
        }
    }

    /// <summary>Opens <paramref name="url"/> and follows redirects; returns the final page's status and address.</summary>
    public async Task<FakeBrowserPage> OpenAsync(string url, CancellationToken cancellationToken = default)
    {
        var address = new Uri(url, UriKind.Absolute);
        for (int hop = 0; ; hop++)
        {
            lock (_gate)
            {
                _visited.Add(address);
            }

            using HttpResponseMessage response = await _http.GetAsync(address, cancellationToken).ConfigureAwait(false);
            Uri? location = response.Headers.Location;
            if ((int)response.StatusCode is >= 300 and < 400 && location is not null && hop < MaxRedirects)
            {
                address = location.IsAbsoluteUri ? location : new Uri(address, location);
                continue;
            }

            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return new FakeBrowserPage(address, response.StatusCode, body);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>The page a <see cref="FakeBrowser"/> ended on.</summary>
public sealed record FakeBrowserPage(Uri Address, HttpStatusCode Status, string Body);
