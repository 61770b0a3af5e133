using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Saml.Browser;

/// <summary>The browser answered a command with a protocol error.</summary>
internal sealed class CdpException : Exception
{
    public CdpException(string method, int code, string message)
        : base($"{method} failed: {message} ({code})")
    {
        Method = method;
        Code = code;
    }

    public string Method { get; }

    public int Code { get; }
}

/// <summary>The DevTools connection is gone: the browser closed or crashed.</summary>
internal sealed class CdpClosedException : Exception
{
    public CdpClosedException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A protocol event, with the session (attached target) it came from.</summary>
internal sealed class CdpEvent
{
    public CdpEvent(string method, string? sessionId, JsonElement parameters)
    {
        Method = method;
        SessionId = sessionId;
        Parameters = parameters;
    }

    public string Method { get; }

    public string? SessionId { get; }

    /// <summary>The event's params (may hold page data such as a form body: never log them).</summary>
    public JsonElement Parameters { get; }

    public override string ToString() => Method;
}

/// <summary>
/// A small Chrome DevTools Protocol client: JSON-RPC over one WebSocket to the browser endpoint, with flat sessions
/// (commands for an attached target carry its sessionId). A background loop reads messages: answers complete their
/// command, events queue for <see cref="NextEventAsync"/>. Message contents are never logged.
/// </summary>
internal sealed class CdpConnection : IDisposable
{
    /// <summary>The largest message accepted (a form post to AWS is at most about 140 kB).</summary>
    public const int MaxMessageBytes = 8 * 1024 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly ConcurrentDictionary<int, (string Method, TaskCompletionSource<JsonElement> Answer)> _pending = new();
    private readonly ConcurrentQueue<CdpEvent> _events = new();
    private readonly SemaphoreSlim _eventCount = new(0);
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<bool> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextId;
    private volatile CdpClosedException? _closeReason;
    private Task? _reader;

    private CdpConnection(ClientWebSocket socket)
    {
        _socket = socket;
    }

    /// <summary>Completes when the connection has closed.</summary>
    public Task Closed => _closed.Task;

    public static async Task<CdpConnection> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();

        // Loopback only: never through a proxy.
        socket.Options.Proxy = null;
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new CdpConnection(socket);
        connection._reader = Task.Run(connection.ReadLoopAsync);
        return connection;
    }

    /// <summary>Sends a command and returns its result. Throws CdpException for a protocol error, CdpClosedException when the connection closes.</summary>
    public async Task<JsonElement> SendAsync(string method, Action<Utf8JsonWriter>? writeParameters, string? sessionId, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = (method, answer);
        if (_closeReason is { } closed)
        {
            _pending.TryRemove(id, out _);
            throw closed;
        }

        var message = Serialize(id, method, writeParameters, sessionId);
        await _sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(new ArraySegment<byte>(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
        {
            _pending.TryRemove(id, out _);
            throw new CdpClosedException("The DevTools connection closed.", ex);
        }
        finally
        {
            Array.Clear(message, 0, message.Length);
            _sendGate.Release();
        }

        using (cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken)))
        {
            try
            {
                return await answer.Task.ConfigureAwait(false);
            }
            finally
            {
                _pending.TryRemove(id, out _);
            }
        }
    }

    /// <summary>The next event. Throws CdpClosedException once the connection has closed and every queued event was taken.</summary>
    public async Task<CdpEvent> NextEventAsync(CancellationToken cancellationToken)
    {
        await _eventCount.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_events.TryDequeue(out var next))
        {
            return next;
        }

        // Only the closing release has no event behind it; release again for any other waiter.
        _eventCount.Release();
        throw _closeReason ?? new CdpClosedException("The DevTools connection closed.");
    }

    /// <summary>Serializes one command; the caller clears the buffer after sending (it may hold page data).</summary>
    internal static byte[] Serialize(int id, string method, Action<Utf8JsonWriter>? writeParameters, string? sessionId)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteString("method", method);
            writer.WriteStartObject("params");
            writeParameters?.Invoke(writer);
            writer.WriteEndObject();
            if (sessionId is not null)
            {
                writer.WriteString("sessionId", sessionId);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Handles one message from the browser: an answer to a command, or an event.</summary>
    internal void Dispatch(byte[] message, int length)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(new ReadOnlyMemory<byte>(message, 0, length));
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt32(out var id))
            {
                if (!_pending.TryGetValue(id, out var pending))
                {
                    return;
                }

                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    var code = error.TryGetProperty("code", out var codeElement) && codeElement.ValueKind == JsonValueKind.Number && codeElement.TryGetInt32(out var number) ? number : 0;
                    var text = error.TryGetProperty("message", out var messageElement) && messageElement.ValueKind == JsonValueKind.String ? messageElement.GetString() ?? string.Empty : string.Empty;
                    pending.Answer.TrySetException(new CdpException(pending.Method, code, SamlErrors.Sanitize(text)));
                }
                else
                {
                    pending.Answer.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }

                return;
            }

            if (root.TryGetProperty("method", out var methodElement) && methodElement.ValueKind == JsonValueKind.String)
            {
                var sessionId = root.TryGetProperty("sessionId", out var sessionElement) && sessionElement.ValueKind == JsonValueKind.String ? sessionElement.GetString() : null;
                var parameters = root.TryGetProperty("params", out var paramsElement) ? paramsElement.Clone() : default;
                _events.Enqueue(new CdpEvent(methodElement.GetString()!, sessionId, parameters));
                _eventCount.Release();
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _socket.Abort();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or WebSocketException)
        {
        }

        try
        {
            _reader?.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        Close(new CdpClosedException("The DevTools connection was closed."));
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new byte[64 * 1024];
        CdpClosedException reason;
        try
        {
            while (true)
            {
                var length = 0;
                WebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer), _stop.Token).ConfigureAwait(false);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        throw new CdpClosedException("The browser closed the DevTools connection.");
                    }

                    if (length + received.Count > MaxMessageBytes)
                    {
                        throw new CdpClosedException("The browser sent a DevTools message larger than " + MaxMessageBytes + " bytes.");
                    }

                    if (length + received.Count > message.Length)
                    {
                        var larger = new byte[Math.Min(MaxMessageBytes, Math.Max(message.Length * 2, length + received.Count))];
                        Buffer.BlockCopy(message, 0, larger, 0, length);
                        Array.Clear(message, 0, message.Length);
                        message = larger;
                    }

                    Buffer.BlockCopy(buffer, 0, message, length, received.Count);
                    length += received.Count;
                }
                while (!received.EndOfMessage);

                Dispatch(message, length);
                Array.Clear(message, 0, length);
            }
        }
        catch (CdpClosedException ex)
        {
            reason = ex;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            reason = new CdpClosedException("The DevTools connection closed.", ex);
        }
        finally
        {
            Array.Clear(buffer, 0, buffer.Length);
            Array.Clear(message, 0, message.Length);
        }

        Close(reason);
    }

    private void Close(CdpClosedException reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, reason, null) is not null)
        {
            return;
        }

        foreach (var pending in _pending.Values)
        {
            pending.Answer.TrySetException(reason);
        }

        _eventCount.Release();
        _closed.TrySetResult(true);
    }
}
