using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsLogin.TestServers;

/// <summary>
/// A loopback AWS federation sign-in endpoint (signin.aws.amazon.com): GET /federation?Action=getSigninToken
/// exchanges temporary credentials that the paired <see cref="FakeSts"/> issued for a sign-in token, GET
/// /federation?Action=login trades the token for a redirect to the console, GET /oauth?Action=logout signs out
/// and redirects. It checks what AWS checks: valid, unexpired role or federation-token sessions only, the
/// SessionDuration range and who may use it, Issuer and Destination, and the 15-minute life of a sign-in token.
/// </summary>
public sealed class FakeSignIn : IAsyncDisposable
{
    /// <summary>AWS accepts a sign-in token for 15 minutes.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    // AWS answers refused credentials with HTTP 400 "Invalid credentials parameter" (and the same for a
    // SessionDuration that role-chain or federation-token credentials may not use).
    private const string InvalidCredentials = "Invalid credentials parameter";

    private static readonly Dictionary<string, string> s_consoleHosts = new(StringComparer.Ordinal)
    {
        ["aws"] = "console.aws.amazon.com",
        ["aws-us-gov"] = "console.amazonaws-us-gov.com",
        ["aws-cn"] = "console.amazonaws.cn",
    };

    private readonly FakeSts _sts;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SigninTokenRecord> _tokens = new(StringComparer.Ordinal);
    private readonly List<SignInCall> _calls = [];
    private readonly Queue<(string Action, int Status, string Body)> _injected = new();
    private LoopbackServer? _server;

    private FakeSignIn(FakeSts sts)
    {
        _sts = sts;
    }

    /// <summary>The root to give as AWS_ENDPOINT_URL_SIGNIN, e.g. http://127.0.0.1:50123/.</summary>
    public Uri Endpoint => (_server ?? throw new InvalidOperationException("The fake sign-in endpoint has not been started.")).BaseUri;

    /// <summary>The clock for sign-in token lifetimes and credential expiry.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A delay before every answer.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Every request answered so far, oldest first (a snapshot). Holds no secret.</summary>
    public IReadOnlyList<SignInCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls.ToArray();
            }
        }
    }

    /// <summary>How many sign-in tokens were issued.</summary>
    public int IssuedTokenCount
    {
        get
        {
            lock (_gate)
            {
                return _tokens.Count;
            }
        }
    }

    public static async Task<FakeSignIn> StartAsync(FakeSts sts)
    {
        ArgumentNullException.ThrowIfNull(sts);
        var fake = new FakeSignIn(sts);
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Makes the next request with this Action (getSigninToken, login, logout) answer with this status and body.</summary>
    public void InjectResponse(string action, int httpStatus, string body = "")
    {
        lock (_gate)
        {
            _injected.Enqueue((action, httpStatus, body));
        }
    }

    public int CountCalls(string action)
    {
        lock (_gate)
        {
            return _calls.Count(call => call.Action == action);
        }
    }

    /// <summary>The access key of the session a sign-in token was issued for, or null for a token this fake never issued.</summary>
    public string? SessionOf(string signinToken)
    {
        lock (_gate)
        {
            return _tokens.TryGetValue(signinToken, out var record) ? record.AccessKeyId : null;
        }
    }

    public void Stop() => StopAsync().GetAwaiter().GetResult();

    public Task StopAsync() => _server?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var action = request.Query["Action"].ToString();
        var now = TimeProvider.GetUtcNow();
        Answer answer;
        string? accessKeyId = null;
        try
        {
            if (TakeInjected(action) is { } injected)
            {
                answer = new Answer(injected.Status, injected.Body, null, "injected");
            }
            else
            {
                (answer, accessKeyId) = (request.Method, request.Path.Value, action) switch
                {
                    ("GET", "/federation", "getSigninToken") => GetSigninToken(request, now),
                    ("GET", "/federation", "login") => Login(request, now),
                    ("GET", "/oauth", "logout") => (Logout(request), null),
                    _ => (new Answer(request.Path.Value is "/federation" or "/oauth" ? 400 : 404, "Unsupported request", null, "unsupported request"), null),
                };
            }
        }
        catch (SignInRefused refused)
        {
            answer = new Answer(refused.Status, refused.Message, null, refused.Message);
            accessKeyId = refused.AccessKeyId;
        }

        lock (_gate)
        {
            _calls.Add(new SignInCall(
                request.Path.Value ?? string.Empty,
                action,
                answer.Status,
                answer.Error,
                accessKeyId,
                request.Query.ContainsKey("SessionDuration") ? request.Query["SessionDuration"].ToString() : null,
                request.Query.ContainsKey("Issuer") ? request.Query["Issuer"].ToString() : null,
                action == "login" ? request.Query["Destination"].ToString() : null,
                answer.Location is not null && action == "login" ? answer.Location : null,
                now));
        }

        if (Latency > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Latency, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = answer.Status;
        if (answer.Location is not null)
        {
            context.Response.Headers.Location = answer.Location;
            return;
        }

        context.Response.ContentType = answer.Status == 200 ? "application/json" : "text/html; charset=utf-8";
        await context.Response.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private (Answer, string?) GetSigninToken(HttpRequest request, DateTimeOffset now)
    {
        var sessionText = request.Query["Session"].ToString();
        if (sessionText.Length == 0)
        {
            throw new SignInRefused(400, "Missing Session parameter", null);
        }

        string? id, key, token;
        try
        {
            using var session = JsonDocument.Parse(sessionText);
            id = StringProperty(session.RootElement, "sessionId");
            key = StringProperty(session.RootElement, "sessionKey");
            token = StringProperty(session.RootElement, "sessionToken");
        }
        catch (JsonException)
        {
            throw new SignInRefused(400, "Session is not JSON", null);
        }

        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(key))
        {
            throw new SignInRefused(400, InvalidCredentials + " (sessionId and sessionKey are required)", id);
        }

        // Long-term keys have no session token; only temporary credentials can sign in.
        if (string.IsNullOrEmpty(token) || !_sts.IsValidSession(id, key, token))
        {
            throw new SignInRefused(400, InvalidCredentials, id);
        }

        IssuedCredential issued = _sts.FindIssued(id) ?? throw new SignInRefused(400, InvalidCredentials, id);
        int? duration = null;
        if (request.Query.ContainsKey("SessionDuration"))
        {
            if (!int.TryParse(request.Query["SessionDuration"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || seconds is < 900 or > 43200)
            {
                throw new SignInRefused(400, "SessionDuration must be 900 to 43200 seconds", id);
            }

            if (issued.IsRoleChain || issued.Action == "GetFederationToken")
            {
                throw new SignInRefused(400, InvalidCredentials + " (SessionDuration with role-chain or federation-token credentials)", id);
            }

            duration = seconds;
        }

        var signinToken = Base64Url(RandomNumberGenerator.GetBytes(600));
        lock (_gate)
        {
            _tokens.Add(signinToken, new SigninTokenRecord(id, PartitionOf(issued.Arn), now, duration));
        }

        return (new Answer(200, JsonSerializer.Serialize(new Dictionary<string, string> { ["SigninToken"] = signinToken }), null, null), id);
    }

    private (Answer, string?) Login(HttpRequest request, DateTimeOffset now)
    {
        var issuer = request.Query["Issuer"].ToString();
        var destinationText = request.Query["Destination"].ToString();
        var signinToken = request.Query["SigninToken"].ToString();
        SigninTokenRecord? record;
        lock (_gate)
        {
            record = _tokens.GetValueOrDefault(signinToken);
        }

        if (record is null)
        {
            throw new SignInRefused(400, "Unknown SigninToken", null);
        }

        if (now - record.IssuedAt > TokenLifetime)
        {
            throw new SignInRefused(400, "The SigninToken has expired", record.AccessKeyId);
        }

        IssuedCredential? issued = _sts.FindIssued(record.AccessKeyId);
        if (issued is null || issued.Expiration <= now)
        {
            throw new SignInRefused(400, "The session of the SigninToken has expired", record.AccessKeyId);
        }

        // What AWS shows for GetSessionToken credentials.
        if (issued.Action == "GetSessionToken")
        {
            throw new SignInRefused(400, "Only federation tokens or assume role tokens may be used for federated login.", record.AccessKeyId);
        }

        if (issuer.Length == 0)
        {
            throw new SignInRefused(400, "Missing Issuer", record.AccessKeyId);
        }

        if (!Uri.TryCreate(destinationText, UriKind.Absolute, out var destination)
            || destination.Scheme != Uri.UriSchemeHttps
            || !s_consoleHosts.TryGetValue(record.Partition, out var consoleHost)
            || !(destination.Host == consoleHost || destination.Host.EndsWith("." + consoleHost, StringComparison.Ordinal)))
        {
            throw new SignInRefused(400, "Destination is not a console URL of the session's partition", record.AccessKeyId);
        }

        return (new Answer(302, string.Empty, destination.AbsoluteUri, null), record.AccessKeyId);
    }

    private Answer Logout(HttpRequest request)
    {
        // The sign-out follows redirect_uri to this sign-in endpoint or to an AWS page; anything else ends on aws.amazon.com.
        var redirect = request.Query["redirect_uri"].ToString();
        var own = Endpoint;
        var target = Uri.TryCreate(redirect, UriKind.Absolute, out var uri)
            && ((uri.Scheme == own.Scheme && uri.Authority == own.Authority)
                || (uri.Scheme == Uri.UriSchemeHttps && (uri.Host == "aws.amazon.com" || uri.Host.EndsWith(".aws.amazon.com", StringComparison.Ordinal))))
            ? uri.AbsoluteUri
            : "https://aws.amazon.com/";
        return new Answer(302, string.Empty, target, null);
    }

    private (string Action, int Status, string Body)? TakeInjected(string action)
    {
        lock (_gate)
        {
            if (_injected.Count > 0 && _injected.Peek().Action == action)
            {
                return _injected.Dequeue();
            }

            return null;
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string PartitionOf(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length >= 6 ? parts[1] : "aws";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Answer(int Status, string Body, string? Location, string? Error);

    private sealed record SigninTokenRecord(string AccessKeyId, string Partition, DateTimeOffset IssuedAt, int? SessionDuration);

    private sealed class SignInRefused(int status, string message, string? accessKeyId) : Exception(message)
    {
        public int Status { get; } = status;

        public string? AccessKeyId { get; } = accessKeyId;
    }
}

/// <summary>One request the fake sign-in endpoint answered. Holds no secret (no session key, token or sign-in token).</summary>
/// <param name="Path">/federation or /oauth.</param>
/// <param name="Action">getSigninToken, login or logout.</param>
/// <param name="HttpStatus">The status answered: 200, 302 or an error.</param>
/// <param name="Error">Why the request was refused, or null.</param>
/// <param name="AccessKeyId">The access key of the session involved, when known.</param>
/// <param name="SessionDuration">The SessionDuration parameter as sent, or null.</param>
/// <param name="Issuer">The Issuer parameter of a login, or null.</param>
/// <param name="Destination">The Destination parameter of a login, or null.</param>
/// <param name="RedirectedTo">Where a successful login redirected (the console page), or null.</param>
public sealed record SignInCall(
    string Path,
    string Action,
    int HttpStatus,
    string? Error,
    string? AccessKeyId,
    string? SessionDuration,
    string? Issuer,
    string? Destination,
    string? RedirectedTo,
    DateTimeOffset ReceivedAt);
