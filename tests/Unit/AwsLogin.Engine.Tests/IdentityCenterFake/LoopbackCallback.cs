using System;
using System.Net;
using System.Text;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Tests;

/// <summary>What the AWS CLI runs during the PKCE flow: a loopback listener for /oauth/callback that captures code and state.</summary>
internal sealed class LoopbackCallback : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly TaskCompletionSource<(string? Code, string? State, string? Error)> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LoopbackCallback(HttpListener listener, int port)
    {
        _listener = listener;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The redirect URI with this listener's port, as used in the authorize request and CreateToken.</summary>
    public string RedirectUri => $"http://127.0.0.1:{Port}/oauth/callback";

    public Task<(string? Code, string? State, string? Error)> Result => _result.Task.WaitAsync(TimeSpan.FromSeconds(30));

    public static Task<LoopbackCallback> StartAsync()
    {
        int port = IdentityCenterHarness.FreeLoopbackPort();
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/oauth/callback/");
        listener.Start();
        var callback = new LoopbackCallback(listener, port);
        _ = callback.ServeAsync();
        return Task.FromResult(callback);
    }

    private async Task ServeAsync()
    {
        try
        {
            HttpListenerContext context = await _listener.GetContextAsync();
            var query = context.Request.QueryString;
            byte[] page = Encoding.UTF8.GetBytes("<html><body>You can close this window.</body></html>");
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/html";
            await context.Response.OutputStream.WriteAsync(page);
            context.Response.Close();
            _result.TrySetResult((query["code"], query["state"], query["error"]));
        }
        catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
        {
            _result.TrySetException(error);
        }
    }

    public ValueTask DisposeAsync()
    {
        _listener.Close();
        return ValueTask.CompletedTask;
    }
}
