using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Sso;

/// <summary>What the browser brought to the redirect URI: a code and state, or an OAuth error.</summary>
internal sealed record LoopbackCallback(string? Code, string? State, string? Error, string? ErrorDescription)
{
    public override string ToString() => Error is null ? "authorization code" : "error " + Error;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(ToString());
        return true;
    }
}

/// <summary>
/// The OAuth redirect target of the authorization code flow (RFC 8252 7.3): an HTTP listener on 127.0.0.1 and a
/// port the system picks, that waits for one GET of the callback path. Each connection is served on its own so
/// that a browser's idle speculative connections cannot hold it up. Disposing it (or a timeout) closes the
/// port.
/// </summary>
internal sealed class LoopbackRedirectListener : IDisposable
{
    public const string CallbackPath = "/oauth/callback";

    private const int MaxRequestBytes = 16 * 1024;
    private static readonly TimeSpan s_requestTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly TaskCompletionSource<LoopbackCallback> _callback = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private LoopbackRedirectListener(TcpListener listener)
    {
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The port the system gave the listener.</summary>
    public int Port { get; }

    /// <summary>The redirect URI to send with the authorize request and CreateToken.</summary>
    public string RedirectUri => $"http://127.0.0.1:{Port}{CallbackPath}";

    /// <summary>Starts listening on 127.0.0.1 and a free port.</summary>
    public static LoopbackRedirectListener Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            throw new AwsLoginException(FailureKind.EndpointUnreachable, "SsoListenerFailed",
                $"No local port could be opened on 127.0.0.1 for the sign-in redirect: {ex.Message}", "127.0.0.1",
                "Use the device code flow (-UseDeviceCode), or allow local listening sockets.", ex);
        }

        var result = new LoopbackRedirectListener(listener);
        _ = result.AcceptLoopAsync();
        return result;
    }

    /// <summary>Waits for the callback; a timeout is SsoSignInTimedOut and closes the port.</summary>
    public async Task<LoopbackCallback> WaitAsync(TimeSpan timeout, string target, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (timeoutSource.Token.Register(() => cancelled.TrySetResult(true)))
        {
            var finished = await Task.WhenAny(_callback.Task, cancelled.Task).ConfigureAwait(false);
            if (finished == _callback.Task)
            {
                Dispose();
                return await _callback.Task.ConfigureAwait(false);
            }
        }

        Dispose();
        cancellationToken.ThrowIfCancellationRequested();
        throw new AwsLoginException(FailureKind.Expired, "SsoSignInTimedOut",
            $"The sign-in to {target} was not completed in the browser within {timeout.TotalSeconds:0} seconds; the local listener on port {Port} is closed.",
            target,
            "Run Connect-AwsSso again and finish the sign-in in the browser; without a browser on this machine, use -UseDeviceCode.");
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (Volatile.Read(ref _disposed) == 0)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var timeout = new CancellationTokenSource(s_requestTimeout);
                var stream = client.GetStream();
                var requestLine = await ReadRequestLineAsync(stream, timeout.Token).ConfigureAwait(false);
                var (status, body) = Handle(requestLine);
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
                var headBytes = Encoding.ASCII.GetBytes(head);
                await stream.WriteAsync(headBytes, 0, headBytes.Length, timeout.Token).ConfigureAwait(false);
                await stream.WriteAsync(bytes, 0, bytes.Length, timeout.Token).ConfigureAwait(false);
                await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                // A connection that sends nothing, or goes away, is simply dropped.
            }
        }
    }

    private (string Status, string Body) Handle(string? requestLine)
    {
        var parts = requestLine?.Split(' ');
        if (parts is null || parts.Length < 2 || parts[0] != "GET")
        {
            return ("400 Bad Request", Page("This address only receives the IAM Identity Center sign-in redirect."));
        }

        var target = parts[1];
        var queryStart = target.IndexOf('?');
        var path = queryStart < 0 ? target : target.Substring(0, queryStart);
        if (path != CallbackPath)
        {
            return ("404 Not Found", Page("Not found."));
        }

        var query = ParseQuery(queryStart < 0 ? string.Empty : target.Substring(queryStart + 1));
        query.TryGetValue("code", out var code);
        query.TryGetValue("state", out var state);
        query.TryGetValue("error", out var error);
        query.TryGetValue("error_description", out var description);
        if (!string.IsNullOrEmpty(error))
        {
            _callback.TrySetResult(new LoopbackCallback(null, state, error, description));
            return ("200 OK", Page("The sign-in was not completed (" + error + "). You can close this window and return to PowerShell."));
        }

        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(state))
        {
            return ("400 Bad Request", Page("The redirect has no authorization code."));
        }

        _callback.TrySetResult(new LoopbackCallback(code, state, null, null));
        return ("200 OK", Page("Signed in to AWS IAM Identity Center. You can close this window and return to PowerShell."));
    }

    private static string Page(string text) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>AwsLogin</title></head><body><p>" + WebUtility.HtmlEncode(text) + "</p></body></html>";

    // Reads up to the end of the headers (the body of a GET is ignored) and returns the request line.
    private static async Task<string?> ReadRequestLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        using (cancellationToken.Register(stream.Dispose))
        {
            while (length < buffer.Length)
            {
                var read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (IndexOf(buffer, length, "\r\n\r\n") >= 0)
                {
                    break;
                }
            }
        }

        var end = IndexOf(buffer, length, "\r\n");
        return end < 0 ? null : Encoding.ASCII.GetString(buffer, 0, end);
    }

    private static int IndexOf(byte[] buffer, int length, string text)
    {
        for (var i = 0; i + text.Length <= length; i++)
        {
            var match = true;
            for (var j = 0; j < text.Length; j++)
            {
                if (buffer[i + j] != text[j])
                {
                    match = false;
                    break;
                }
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    internal static Dictionary<string, string> ParseQuery(string query) => FormUrlEncoded.Parse(query);
}
