using System;
using System.Collections.Generic;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsLogin.TestServers;

/// <summary>
/// A loopback Chrome DevTools Protocol browser endpoint (ws://127.0.0.1:PORT/devtools/browser/ID) for testing a CDP
/// client without a browser: each command is handed to <see cref="Answer"/>, whose messages (answers, events) are
/// sent back in order; <see cref="SendAsync"/> pushes events at any time and <see cref="CloseAsync"/> hangs up.
/// </summary>
public sealed class FakeDevTools : IAsyncDisposable
{
    public const string BrowserPath = "/devtools/browser/4b1d6c1e-0000-4000-8000-000000000001";

    private readonly Lock _gate = new();
    private readonly List<JsonElement> _commands = [];
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly TaskCompletionSource<WebSocket> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _hangUp = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackServer? _server;

    private FakeDevTools()
    {
    }

    /// <summary>The browser endpoint's WebSocket address.</summary>
    public Uri Endpoint => new("ws://" + (_server ?? throw new InvalidOperationException("Not started.")).BaseUri.Authority + BrowserPath);

    /// <summary>Answers one command (id, method, params, sessionId): the messages to send back; default: an empty result.</summary>
    public Func<JsonElement, IEnumerable<string>> Answer { get; set; } = command => [Result(command, "{}")];

    /// <summary>Every command received so far, oldest first.</summary>
    public IReadOnlyList<JsonElement> Commands
    {
        get
        {
            lock (_gate)
            {
                return _commands.ToArray();
            }
        }
    }

    public static async Task<FakeDevTools> StartAsync()
    {
        var devTools = new FakeDevTools();
        devTools._server = await LoopbackServer.StartAsync(devTools.HandleAsync, webSockets: true).ConfigureAwait(false);
        return devTools;
    }

    /// <summary>An answer to <paramref name="command"/> with <paramref name="resultJson"/> as its result.</summary>
    public static string Result(JsonElement command, string resultJson) =>
        $"{{\"id\":{command.GetProperty("id").GetInt32()},\"result\":{resultJson}}}";

    /// <summary>A protocol error answer to <paramref name="command"/>.</summary>
    public static string Error(JsonElement command, int code, string message) =>
        $"{{\"id\":{command.GetProperty("id").GetInt32()},\"error\":{{\"code\":{code},\"message\":{JsonSerializer.Serialize(message)}}}}}";

    /// <summary>An event, for a session or the browser.</summary>
    public static string Event(string method, string paramsJson, string? sessionId = null) =>
        $"{{\"method\":{JsonSerializer.Serialize(method)},\"params\":{paramsJson}{(sessionId is null ? string.Empty : ",\"sessionId\":" + JsonSerializer.Serialize(sessionId))}}}";

    /// <summary>Sends a message (an event) once the client is connected.</summary>
    public async Task SendAsync(string message)
    {
        var socket = await _connected.Task.ConfigureAwait(false);
        await SendOnAsync(socket, message).ConfigureAwait(false);
    }

    /// <summary>Closes the connection, as a browser that exits does.</summary>
    public Task CloseAsync()
    {
        _hangUp.TrySetResult();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _hangUp.TrySetResult();
        if (_server is not null)
        {
            await _server.StopAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Path != BrowserPath || !context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 404;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        _connected.TrySetResult(socket);
        var reading = ReadAsync(socket);
        await Task.WhenAny(reading, _hangUp.Task).ConfigureAwait(false);
        if (socket.State == WebSocketState.Open)
        {
            await _sendGate.WaitAsync().ConfigureAwait(false);
            try
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing", CancellationToken.None).ConfigureAwait(false);
            }
            catch (WebSocketException)
            {
            }
            finally
            {
                _sendGate.Release();
            }
        }
    }

    private async Task ReadAsync(WebSocket socket)
    {
        var buffer = new byte[1024 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                WebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), CancellationToken.None).ConfigureAwait(false);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    length += received.Count;
                }
                while (!received.EndOfMessage);

                using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
                var command = document.RootElement.Clone();
                lock (_gate)
                {
                    _commands.Add(command);
                }

                foreach (var reply in Answer(command))
                {
                    await SendOnAsync(socket, reply).ConfigureAwait(false);
                }
            }
        }
        catch (WebSocketException)
        {
        }
    }

    private async Task SendOnAsync(WebSocket socket, string message)
    {
        await _sendGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _sendGate.Release();
        }
    }
}
