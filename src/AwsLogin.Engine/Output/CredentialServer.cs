using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Output;

/// <summary>
/// Serves one identity's credentials to other processes through the AWS container-credentials contract: an
/// HTTP endpoint on 127.0.0.1 (a random port) that answers GET <see cref="CredentialsPath"/> carrying the
/// random <see cref="AuthorizationToken"/> in the Authorization header with
/// <c>{"AccessKeyId","SecretAccessKey","Token","Expiration","AccountId"}</c>. Child processes find it through
/// AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN.
/// </summary>
/// <remarks>
/// Requests are answered from the server's current credential set; a background loop replaces it from the
/// source when less than <see cref="RefreshMarginFor"/> of its lifetime is left, so there is one refresh per
/// window however many requests arrive, and concurrent requests that find the set expired share one refresh.
/// A failed refresh is retried with a growing delay while the current set is served until it expires; after
/// that requests get 503.
/// </remarks>
public sealed class CredentialServer : IDisposable
{
    /// <summary>The one path the server answers.</summary>
    public const string CredentialsPath = "/credentials";

    /// <summary>How long the refresh loop sleeps at most before it looks at the clock again (laptops sleep; timers drift).</summary>
    private static readonly TimeSpan s_maximumSleep = TimeSpan.FromSeconds(30);

    private static readonly UTF8Encoding s_utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private readonly Func<CancellationToken, Task<CredentialSet>> _source;
    private readonly IEngineLog _log;
    private readonly CredentialServerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _connectionSlots;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private readonly byte[] _tokenDigest;
    private readonly object _gate = new();
    private readonly string _description;

    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private Task _refreshLoop = Task.CompletedTask;
    private Served? _current;
    private Task? _refreshing;
    private int _failures;
    private DateTime _nextAttemptAt;
    private string? _lastError;
    private DateTime? _lastRefreshAt;
    private int _refreshCount;
    private long _requestsServed;
    private long _requestsRefused;
    private int _stopped;

    private CredentialServer(Func<CancellationToken, Task<CredentialSet>> source, IEngineLog log, CredentialServerOptions options)
    {
        _source = source;
        _log = log;
        _options = options;
        _connectionSlots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
        AuthorizationToken = NewToken();
        _tokenDigest = Digest(AuthorizationToken);
        _description = options.Description ?? "the credentials";
    }

    /// <summary>The endpoint for AWS_CONTAINER_CREDENTIALS_FULL_URI: http://127.0.0.1:PORT/credentials.</summary>
    public Uri Uri => new("http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture) + CredentialsPath);

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>The secret every request must carry in its Authorization header (32 random bytes, base64url). Never log it.</summary>
    public string AuthorizationToken { get; }

    /// <summary>True until <see cref="Stop"/>.</summary>
    public bool IsRunning => Volatile.Read(ref _stopped) == 0;

    /// <summary>The access key id being served, masked.</summary>
    public string MaskedAccessKeyId => Mask.AccessKeyId(Volatile.Read(ref _current)?.Credentials.AccessKeyId);

    /// <summary>When the credentials being served expire (UTC); null for long-term keys.</summary>
    public DateTime? Expiration => Volatile.Read(ref _current)?.Credentials.Expiration;

    /// <summary>When the next refresh is due (UTC); null for long-term keys.</summary>
    public DateTime? NextRefresh
    {
        get
        {
            lock (_gate)
            {
                return _failures > 0 ? _nextAttemptAt : _current?.RefreshAt;
            }
        }
    }

    /// <summary>How many times the credentials were replaced after the first set.</summary>
    public int RefreshCount => Volatile.Read(ref _refreshCount);

    /// <summary>When the credentials were last replaced (UTC), if ever.</summary>
    public DateTime? LastRefresh
    {
        get
        {
            lock (_gate)
            {
                return _lastRefreshAt;
            }
        }
    }

    /// <summary>Why the last refresh failed, or null after a success. Never holds a secret.</summary>
    public string? LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    /// <summary>Requests answered with credentials.</summary>
    public long RequestsServed => Interlocked.Read(ref _requestsServed);

    /// <summary>Requests and connections refused (no or wrong token, malformed, too large, too many, unavailable).</summary>
    public long RequestsRefused => Interlocked.Read(ref _requestsRefused);

    /// <summary>The source of the credentials first served ("role arn:...").</summary>
    public string Source { get; private set; } = string.Empty;

    /// <summary>The region of the credentials first served, when known.</summary>
    public string? Region { get; private set; }

    /// <summary>
    /// How long before expiry a set with <paramref name="lifetime"/> left when it was obtained is replaced: half
    /// the lifetime, at most <paramref name="maximum"/>. Half (not a quarter or a fixed minute) leaves as much time
    /// for retries as for use when credentials are short, and for a one-hour role session it is the maximum (20
    /// minutes), which keeps served credentials outside the SDKs' own 15-minute refresh window.
    /// </summary>
    public static TimeSpan RefreshMarginFor(TimeSpan lifetime, TimeSpan maximum)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var half = TimeSpan.FromTicks(lifetime.Ticks / 2);
        return half < maximum ? half : maximum;
    }

    /// <summary>
    /// Gets the first credential set from <paramref name="source"/> (its errors propagate), then listens on
    /// 127.0.0.1 with a random port and starts the refresh loop.
    /// </summary>
    public static async Task<CredentialServer> StartAsync(
        Func<CancellationToken, Task<CredentialSet>> source,
        IEngineLog log,
        CredentialServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (source is null)
        {
            throw new ArgumentNullException(nameof(source));
        }

        var server = new CredentialServer(source, log ?? NullEngineLog.Instance, options ?? new CredentialServerOptions());
        var first = await source(cancellationToken).ConfigureAwait(false);
        var now = server._options.UtcNow();
        if (first.Expiration is { } expiration && expiration <= now)
        {
            throw new AwsLoginException(
                FailureKind.Expired,
                "CredentialsExpired",
                $"The credentials to serve ({first.MaskedAccessKeyId}, {first.Source}) expired at {expiration:u}.",
                first.Source,
                "Start from credentials that can be refreshed: a profile, keys, or a role to assume.");
        }

        server.Source = first.Source;
        server.Region = first.Region;
        server._current = new Served(first, now, RefreshAtFor(first, now, server._options.MaximumRefreshMargin));
        server.Listen();
        server._log.Verbose($"Credential server listening on 127.0.0.1:{server.Port}, serving {first.MaskedAccessKeyId} ({first.Source}){Until(server._current)}.");
        return server;
    }

    /// <summary>Stops listening, closes open connections and ends the refresh loop; the port is free afterwards.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        try
        {
            _listener?.Stop();
        }
        catch (SocketException)
        {
        }

        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }

        try
        {
            Task.WaitAll(new[] { _acceptLoop, _refreshLoop }, TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loops end by cancellation; their exceptions were handled inside.
        }

        _log.Verbose($"Credential server on 127.0.0.1:{Port} stopped after {RequestsServed} request(s) and {RefreshCount} refresh(es).");
    }

    public void Dispose() => Stop();

    /// <summary>True when <paramref name="presented"/> is the token; the comparison takes the same time whatever it holds.</summary>
    internal bool TokenMatches(string presented)
    {
        var digest = Digest(presented);
        var difference = 0;
        for (var i = 0; i < digest.Length; i++)
        {
            difference |= digest[i] ^ _tokenDigest[i];
        }

        return difference == 0;
    }

    private static DateTime? RefreshAtFor(CredentialSet credentials, DateTime obtainedAt, TimeSpan maximumMargin)
    {
        if (credentials.Expiration is not { } expiration)
        {
            return null;
        }

        return expiration - RefreshMarginFor(expiration - obtainedAt, maximumMargin);
    }

    private static string Until(Served served) =>
        served.Credentials.Expiration is { } e ? $" until {e:u}, next refresh at {served.RefreshAt:u}" : " (long-term keys, no refresh needed)";

    private void Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        try
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                // Windows lets another process bind the same port with SO_REUSEADDR unless the port is exclusive.
                listener.ExclusiveAddressUse = true;
            }

            listener.Start(64);
        }
        catch (SocketException ex)
        {
            throw new AwsLoginException(
                FailureKind.EndpointUnreachable,
                "CredentialServerStartFailed",
                $"Could not listen on 127.0.0.1: {ex.SocketErrorCode}.",
                "127.0.0.1",
                "Check that the loopback interface is up and that a local firewall allows listening on it.",
                ex);
        }

        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
        _refreshLoop = Task.Run(RefreshLoopAsync);
    }

    private async Task AcceptLoopAsync()
    {
        var listener = _listener!;
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException || (ex is SocketException && _stopping.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException)
            {
                // A connection reset before it was accepted; keep listening.
                continue;
            }

            if (_stopping.IsCancellationRequested)
            {
                client.Dispose();
                return;
            }

            if (!_connectionSlots.Wait(0))
            {
                Interlocked.Increment(ref _requestsRefused);
                client.Dispose();
                continue;
            }

            _ = HandleConnectionAsync(client);
        }
    }

    private async Task HandleConnectionAsync(TcpClient client)
    {
        _connections[client] = 0;
        try
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            var deadline = DateTime.UtcNow + _options.RequestTimeout;
            var buffer = new byte[_options.MaxRequestHeadBytes];
            var length = 0;
            int end;
            while ((end = LoopbackHttpRequest.FindEndOfHead(buffer, length)) < 0)
            {
                if (length == buffer.Length)
                {
                    await RefuseAsync(client, stream, 431, "RequestTooLarge", $"The request head is larger than {buffer.Length} bytes.").ConfigureAwait(false);
                    return;
                }

                var read = await ReadWithDeadlineAsync(stream, buffer, length, deadline).ConfigureAwait(false);
                if (read < 0)
                {
                    await RefuseAsync(client, stream, 408, "RequestTimeout", "The request did not arrive in time.").ConfigureAwait(false);
                    return;
                }

                if (read == 0)
                {
                    // Closed before a whole request arrived.
                    Interlocked.Increment(ref _requestsRefused);
                    return;
                }

                // A client that ends lines with a bare LF would otherwise wait for a CRLF CRLF that never comes.
                if (LoopbackHttpRequest.HasBareLineFeed(buffer, length, length + read))
                {
                    await RefuseAsync(client, stream, 400, "BadRequest", "The request has a bare LF line end.").ConfigureAwait(false);
                    return;
                }

                length += read;
            }

            var response = await RespondAsync(buffer, end, deadline).ConfigureAwait(false);
            if (response.Status != 200)
            {
                Interlocked.Increment(ref _requestsRefused);
            }
            else
            {
                Interlocked.Increment(ref _requestsServed);
            }

            await WriteAsync(stream, response).ConfigureAwait(false);
            await CloseGracefullyAsync(client, stream).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away, or the server is stopping.
        }
        finally
        {
            _connections.TryRemove(client, out _);
            client.Dispose();
            _connectionSlots.Release();
        }
    }

    /// <summary>Reads into the buffer; -1 when the deadline passes first.</summary>
    private async Task<int> ReadWithDeadlineAsync(NetworkStream stream, byte[] buffer, int offset, DateTime deadline)
    {
        var remaining = deadline - DateTime.UtcNow;
        if (remaining <= TimeSpan.Zero)
        {
            return -1;
        }

        var read = stream.ReadAsync(buffer, offset, buffer.Length - offset, _stopping.Token);
        var finished = await Task.WhenAny(read, Task.Delay(remaining, _stopping.Token)).ConfigureAwait(false);
        if (finished != read)
        {
            // The read stays pending until the connection is closed; observe its failure then.
            _ = read.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            _stopping.Token.ThrowIfCancellationRequested();
            return -1;
        }

        return await read.ConfigureAwait(false);
    }

    private async Task RefuseAsync(TcpClient client, NetworkStream stream, int status, string code, string message)
    {
        Interlocked.Increment(ref _requestsRefused);
        _log.Verbose($"Credential server on 127.0.0.1:{Port} refused a request: {status} {code}.");
        await WriteAsync(stream, Error(status, code, message)).ConfigureAwait(false);
        await CloseGracefullyAsync(client, stream).ConfigureAwait(false);
    }

    private async Task<Response> RespondAsync(byte[] buffer, int length, DateTime deadline)
    {
        var request = LoopbackHttpRequest.TryParse(buffer, length, out var status, out var reason);
        Response? refusal = null;
        if (request is null)
        {
            refusal = Error(status, status == 505 ? "HttpVersionNotSupported" : status == 431 ? "RequestTooLarge" : "BadRequest", $"The request has {reason}.");
        }
        else if (request.Single("host", out var duplicateHost) is not { } host || duplicateHost || !IsOwnHost(host))
        {
            // Refusing other Host values defeats DNS rebinding from web pages.
            refusal = Error(400, "InvalidHost", $"The request must carry exactly one Host header, 127.0.0.1:{Port}.");
        }
        else if (request.Headers.ContainsKey("transfer-encoding") || (request.Single("content-length", out _) is { } contentLength && contentLength != "0"))
        {
            refusal = Error(400, "BodyNotAllowed", "The request must not have a body.");
        }
        else if (request.Single("authorization", out var duplicateAuthorization) is not { } authorization)
        {
            refusal = Error(403, "MissingAuthorization", "The request has no Authorization header; send the value of AWS_CONTAINER_AUTHORIZATION_TOKEN.");
        }
        else if (duplicateAuthorization || !TokenMatches(authorization))
        {
            refusal = Error(403, "InvalidAuthorization", "The Authorization header does not hold this server's token.");
        }
        else if (request.Method != "GET")
        {
            refusal = Error(405, "MethodNotAllowed", "Only GET is allowed.");
        }
        else if (request.Target != CredentialsPath)
        {
            refusal = Error(404, "NotFound", $"The only resource is {CredentialsPath}.");
        }

        if (refusal is not null)
        {
            _log.Verbose($"Credential server on 127.0.0.1:{Port} refused a request: {refusal.Status} {refusal.Code}.");
            return refusal;
        }

        var credentials = await CredentialsForRequestAsync(deadline).ConfigureAwait(false);
        if (credentials is null)
        {
            var why = LastError ?? "no refresh has succeeded yet";
            _log.Verbose($"Credential server on 127.0.0.1:{Port} has no valid credentials to serve: {why}");
            return Error(503, "CredentialsUnavailable", "The credentials have expired and could not be refreshed: " + why);
        }

        return new Response(200, "Success", Serialize(credentials, _options.UtcNow() + _options.LongTermKeyLifetime));
    }

    private bool IsOwnHost(string host)
    {
        var port = ":" + Port.ToString(CultureInfo.InvariantCulture);
        return string.Equals(host, "127.0.0.1" + port, StringComparison.OrdinalIgnoreCase)
            || string.Equals(host, "localhost" + port, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The current set when it is still valid; else waits (until the deadline) for one shared refresh.</summary>
    private async Task<CredentialSet?> CredentialsForRequestAsync(DateTime deadline)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && IsUsable(current.Credentials))
        {
            return current.Credentials;
        }

        Task refresh;
        lock (_gate)
        {
            // After a failure, requests do not hammer the source; the refresh loop retries on its schedule.
            if (_failures > 0 && _options.UtcNow() < _nextAttemptAt)
            {
                return null;
            }

            refresh = RefreshLocked();
        }

        var remaining = deadline - DateTime.UtcNow;
        if (remaining > TimeSpan.Zero)
        {
            await Task.WhenAny(refresh, Task.Delay(remaining, _stopping.Token)).ConfigureAwait(false);
        }

        current = Volatile.Read(ref _current);
        return current is not null && IsUsable(current.Credentials) ? current.Credentials : null;
    }

    private bool IsUsable(CredentialSet credentials) => credentials.Expiration is not { } e || e - _options.UtcNow() > TimeSpan.FromSeconds(1);

    private async Task RefreshLoopAsync()
    {
        var token = _stopping.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                DateTime? due;
                lock (_gate)
                {
                    due = _failures > 0 ? _nextAttemptAt : _current?.RefreshAt;
                }

                var wait = due is { } at ? at - _options.UtcNow() : s_maximumSleep;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < s_maximumSleep ? wait : s_maximumSleep, token).ConfigureAwait(false);
                    continue;
                }

                Task refresh;
                lock (_gate)
                {
                    refresh = RefreshLocked();
                }

                await refresh.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    // Single flight: every caller that needs a refresh while one runs gets the running one. Call under _gate.
    private Task RefreshLocked()
    {
        if (_refreshing is null || _refreshing.IsCompleted)
        {
            _refreshing = Task.Run(RefreshOnceAsync);
        }

        return _refreshing;
    }

    private async Task RefreshOnceAsync()
    {
        var previous = Volatile.Read(ref _current);
        string? failure;
        try
        {
            var fresh = await _source(_stopping.Token).ConfigureAwait(false);
            var now = _options.UtcNow();
            failure = fresh.Expiration is { } expiration && expiration <= now
                ? $"the source returned credentials that expired at {expiration:u}."
                : previous?.Credentials.Expiration is { } old && (fresh.Expiration is not { } renewed || renewed <= old) && fresh.AccessKeyId == previous.Credentials.AccessKeyId
                    ? "the source returned the credentials being served again; they cannot be renewed from it."
                    : null;
            if (failure is null)
            {
                var served = new Served(fresh, now, RefreshAtFor(fresh, now, _options.MaximumRefreshMargin));
                lock (_gate)
                {
                    Volatile.Write(ref _current, served);
                    _failures = 0;
                    _lastError = null;
                    _lastRefreshAt = now;
                    _refreshCount++;
                }

                _log.Verbose($"Credential server on 127.0.0.1:{Port} refreshed {_description}: now serving {fresh.MaskedAccessKeyId}{Until(served)}.");
                return;
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (AwsLoginException ex)
        {
            failure = $"{ex.Message} ({ex.Code})";
        }
        catch (Exception ex)
        {
            failure = $"{ex.GetType().Name}: {ex.Message}";
        }

        TimeSpan delay;
        lock (_gate)
        {
            _failures++;
            delay = RetryDelay(_failures, previous);
            _nextAttemptAt = _options.UtcNow() + delay;
            _lastError = failure;
        }

        var serving = previous?.Credentials.Expiration is { } until && until > _options.UtcNow()
            ? $"still serving {previous.Credentials.MaskedAccessKeyId} until it expires at {until:u}"
            : "nothing valid to serve meanwhile";
        _log.Warning($"Credential server on 127.0.0.1:{Port} could not refresh {_description}: {failure} Retrying in {delay.TotalSeconds:0} s; {serving}.");
    }

    private TimeSpan RetryDelay(int failures, Served? previous)
    {
        var delay = _options.MinimumRetryDelay;
        for (var i = 1; i < failures && delay < _options.MaximumRetryDelay; i++)
        {
            delay = TimeSpan.FromTicks(delay.Ticks * 2);
        }

        if (delay > _options.MaximumRetryDelay)
        {
            delay = _options.MaximumRetryDelay;
        }

        // While the served set is still valid, try again at least twice before it expires.
        if (previous?.Credentials.Expiration is { } expiration)
        {
            var half = TimeSpan.FromTicks((expiration - _options.UtcNow()).Ticks / 2);
            if (half > TimeSpan.FromSeconds(1) && half < delay)
            {
                delay = half;
            }
        }

        return delay;
    }

    private static string Serialize(CredentialSet credentials, DateTime longTermExpiration)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("AccessKeyId", credentials.AccessKeyId);
            writer.WriteString("SecretAccessKey", credentials.SecretAccessKey);

            // botocore reads response['Token'] and fails when the key is missing; null means "no session token".
            if (credentials.SessionToken is { } token)
            {
                writer.WriteString("Token", token);
            }
            else
            {
                writer.WriteNull("Token");
            }

            // Every SDK requires Expiration; long-term keys get a rolling one so that clients ask again now and then.
            writer.WriteString("Expiration", Rfc3339.Format(credentials.Expiration ?? longTermExpiration));
            if (!string.IsNullOrEmpty(credentials.AccountId))
            {
                writer.WriteString("AccountId", credentials.AccountId);
            }

            writer.WriteEndObject();
        }

        return s_utf8NoBom.GetString(stream.ToArray());
    }

    private static Response Error(int status, string code, string message)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            // The shape the AWS SDK for Go reads from a failed credentials endpoint; others show the body as it is.
            writer.WriteStartObject();
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
        }

        return new Response(status, code, s_utf8NoBom.GetString(stream.ToArray()));
    }

    private static async Task WriteAsync(NetworkStream stream, Response response)
    {
        var body = s_utf8NoBom.GetBytes(response.Body);
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(response.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(ReasonPhrase(response.Status)).Append("\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Cache-Control: no-store\r\n")
            .Append("Connection: close\r\n");
        if (response.Status == 405)
        {
            head.Append("Allow: GET\r\n");
        }

        head.Append("\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        var all = new byte[headBytes.Length + body.Length];
        Buffer.BlockCopy(headBytes, 0, all, 0, headBytes.Length);
        Buffer.BlockCopy(body, 0, all, headBytes.Length, body.Length);
        await stream.WriteAsync(all, 0, all.Length).ConfigureAwait(false);
        await stream.FlushAsync().ConfigureAwait(false);
    }

    // Closing a socket with unread input sends a reset, which can destroy the response before the client reads
    // it; so end the sending side first and discard what the client still sends, briefly.
    private async Task CloseGracefullyAsync(TcpClient client, NetworkStream stream)
    {
        try
        {
            client.Client.Shutdown(SocketShutdown.Send);
            var sink = new byte[4096];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            var discarded = 0;
            while (discarded < 64 * 1024)
            {
                var read = await ReadWithDeadlineAsync(stream, sink, 0, deadline).ConfigureAwait(false);
                if (read <= 0)
                {
                    return;
                }

                discarded += read;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };

    private static string NewToken()
    {
        var bytes = new byte[32];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static byte[] Digest(string text)
    {
        using var sha = SHA256.Create();
        return sha.ComputeHash(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A credential set being served: when it was obtained and when it is due for refresh (null: never).</summary>
    private sealed record Served(CredentialSet Credentials, DateTime ObtainedAt, DateTime? RefreshAt);

    private sealed record Response(int Status, string Code, string Body);
}
