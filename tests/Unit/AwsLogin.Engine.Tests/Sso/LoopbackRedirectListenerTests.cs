using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Sso;
using Xunit;

namespace AwsLogin.Engine.Tests.Sso;

/// <summary>The PKCE redirect target: 127.0.0.1, a system-chosen port, one callback, a clean timeout.</summary>
public sealed class LoopbackRedirectListenerTests
{
    private static readonly HttpClient s_http = new(new HttpClientHandler { AllowAutoRedirect = false, UseProxy = false });

    [Fact]
    public async Task The_callback_brings_the_code_and_state_and_the_browser_gets_a_page()
    {
        using var listener = LoopbackRedirectListener.Start();
        var waiting = listener.WaitAsync(TimeSpan.FromSeconds(10), "test", CancellationToken.None);

        var favicon = await s_http.GetAsync($"http://127.0.0.1:{listener.Port}/favicon.ico");
        var response = await s_http.GetAsync(listener.RedirectUri + "?code=the%20code&state=abc");
        var callback = await waiting;

        Assert.Equal(HttpStatusCode.NotFound, favicon.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("close this window", await response.Content.ReadAsStringAsync());
        Assert.Equal(("the code", "abc", null), (callback.Code, callback.State, callback.Error));
        Assert.Matches("^http://127\\.0\\.0\\.1:\\d+/oauth/callback$", listener.RedirectUri);
    }

    [Fact]
    public async Task An_oauth_error_is_returned_as_such()
    {
        using var listener = LoopbackRedirectListener.Start();
        var waiting = listener.WaitAsync(TimeSpan.FromSeconds(10), "test", CancellationToken.None);

        await s_http.GetAsync(listener.RedirectUri + "?error=access_denied&error_description=The+user+said+no&state=abc");
        var callback = await waiting;

        Assert.Equal(("access_denied", "The user said no", (string?)null), (callback.Error, callback.ErrorDescription, callback.Code));
    }

    [Fact]
    public async Task A_callback_without_a_code_does_not_end_the_wait()
    {
        using var listener = LoopbackRedirectListener.Start();
        var waiting = listener.WaitAsync(TimeSpan.FromSeconds(10), "test", CancellationToken.None);

        var empty = await s_http.GetAsync(listener.RedirectUri);
        var post = await s_http.PostAsync(listener.RedirectUri + "?code=c&state=s", new StringContent(string.Empty));
        await s_http.GetAsync(listener.RedirectUri + "?code=c&state=s");

        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal("c", (await waiting).Code);
    }

    [Fact]
    public async Task An_idle_connection_does_not_hold_up_the_real_request()
    {
        using var listener = LoopbackRedirectListener.Start();
        var waiting = listener.WaitAsync(TimeSpan.FromSeconds(10), "test", CancellationToken.None);
        using var idle = new TcpClient();
        await idle.ConnectAsync(IPAddress.Loopback, listener.Port);

        var watch = Stopwatch.StartNew();
        await s_http.GetAsync(listener.RedirectUri + "?code=c&state=s");
        await waiting;

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task When_the_user_never_comes_back_the_wait_times_out_and_the_port_is_released()
    {
        var listener = LoopbackRedirectListener.Start();
        var port = listener.Port;

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => listener.WaitAsync(TimeSpan.FromMilliseconds(300), "sso-session corp", CancellationToken.None));

        Assert.Equal("SsoSignInTimedOut", error.Code);
        Assert.Equal(FailureKind.Expired, error.Kind);
        Assert.Equal("sso-session corp", error.Target);
        using var again = new TcpListener(IPAddress.Loopback, port);
        again.Start();
        again.Stop();
    }

    [Fact]
    public async Task Cancellation_ends_the_wait_and_releases_the_port()
    {
        var listener = LoopbackRedirectListener.Start();
        using var cancel = new CancellationTokenSource(200);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listener.WaitAsync(TimeSpan.FromMinutes(1), "test", cancel.Token));

        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, listener.Port));
    }

    [Fact]
    public void Query_strings_are_decoded_and_the_first_value_wins()
    {
        var query = LoopbackRedirectListener.ParseQuery("code=a%2Bb&state=x+y&code=second&flag");

        Assert.Equal("a+b", query["code"]);
        Assert.Equal("x y", query["state"]);
        Assert.Equal(string.Empty, query["flag"]);
    }
}
