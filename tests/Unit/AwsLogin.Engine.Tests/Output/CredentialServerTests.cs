using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Output;
using AwsLogin.Engine.Tests.Sts;
using Xunit;

namespace AwsLogin.Engine.Tests.Output;

/// <summary>The container-credentials endpoint: the contract, the token, strict parsing, loopback binding, refresh and stop.</summary>
public sealed class CredentialServerTests
{
    [Fact]
    public async Task AnswersTheContainerContractWithTheToken()
    {
        var source = new CountingSource(TimeSpan.FromHours(1)) { AccountId = "222222222222" };
        using var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);

        var response = await GetAsync(server, server.AuthorizationToken);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("no-store", response.Headers["cache-control"]);
        Assert.StartsWith("application/json", response.Headers["content-type"]);
        using var json = JsonDocument.Parse(response.Body);
        var issued = source.Issued.Single();
        Assert.Equal(new[] { "AccessKeyId", "SecretAccessKey", "Token", "Expiration", "AccountId" }, json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(issued.AccessKeyId, json.RootElement.GetProperty("AccessKeyId").GetString());
        Assert.Equal(issued.SecretAccessKey, json.RootElement.GetProperty("SecretAccessKey").GetString());
        Assert.Equal(issued.SessionToken, json.RootElement.GetProperty("Token").GetString());
        Assert.Equal(issued.Expiration!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), json.RootElement.GetProperty("Expiration").GetString());
        Assert.Equal("222222222222", json.RootElement.GetProperty("AccountId").GetString());
        Assert.Equal(1, server.RequestsServed);
        Assert.Equal(new Uri($"http://127.0.0.1:{server.Port}/credentials"), server.Uri);
    }

    [Fact]
    public async Task TokenIsLongRandomAndUrlSafe()
    {
        var source = new CountingSource(TimeSpan.FromHours(1));
        using var first = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);
        using var second = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);

        Assert.Matches("^[A-Za-z0-9_-]{43}$", first.AuthorizationToken);
        Assert.NotEqual(first.AuthorizationToken, second.AuthorizationToken);
        Assert.NotEqual(first.Port, second.Port);
        Assert.True(first.TokenMatches(first.AuthorizationToken));
        Assert.False(first.TokenMatches(second.AuthorizationToken));
        Assert.False(first.TokenMatches(first.AuthorizationToken + "x"));
        Assert.False(first.TokenMatches(string.Empty));
    }

    [Fact]
    public async Task RequestWithoutTheTokenIsRefused()
    {
        var source = new CountingSource(TimeSpan.FromHours(1));
        using var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);

        var response = await GetAsync(server, authorization: null);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("MissingAuthorization", JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString());
        AssertNoSecret(source, response.Body);
        Assert.Equal(0, server.RequestsServed);
        Assert.Equal(1, server.RequestsRefused);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("Bearer {token}")]
    [InlineData("{token}x")]
    [InlineData("{token-prefix}")]
    public async Task RequestWithAWrongTokenIsRefused(string presented)
    {
        var source = new CountingSource(TimeSpan.FromHours(1));
        using var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);
        var value = presented.Replace("{token}", server.AuthorizationToken).Replace("{token-prefix}", server.AuthorizationToken[..20]);

        var response = await GetAsync(server, value);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal("InvalidAuthorization", JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString());
        AssertNoSecret(source, response.Body);
    }

    [Fact]
    public async Task TwoAuthorizationHeadersAreRefusedEvenWhenOneIsRight()
    {
        var source = new CountingSource(TimeSpan.FromHours(1));
        using var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);

        var response = await SendRawAsync(server.Port, $"GET /credentials HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nAuthorization: wrong\r\nAuthorization: {server.AuthorizationToken}\r\n\r\n");

        Assert.Equal(403, response.Status);
        AssertNoSecret(source, response.Text);
    }

    [Theory]
    [InlineData("GET /credentials HTTP/1.1\nHost: {host}\nAuthorization: {token}\n\n", 400)]
    [InlineData("GET /credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\n folded\r\n\r\n", 400)]
    [InlineData("GET /credentials HTTP/1.1\r\nAuthorization: {token}\r\n\r\n", 400)]
    [InlineData("GET /credentials HTTP/1.1\r\nHost: attacker.example:{port}\r\nAuthorization: {token}\r\n\r\n", 400)]
    [InlineData("GET /credentials HTTP/1.1\r\nHost: {host}\r\nHost: {host}\r\nAuthorization: {token}\r\n\r\n", 400)]
    [InlineData("GET /credentials HTTP/1.1\r\nHost : {host}\r\nAuthorization: {token}\r\n\r\n", 400)]
    [InlineData("GET  /credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\n\r\n", 400)]
    [InlineData("GET /credentials\r\nHost: {host}\r\nAuthorization: {token}\r\n\r\n", 400)]
    [InlineData("GET /credentials HTTP/2.0\r\nHost: {host}\r\nAuthorization: {token}\r\n\r\n", 505)]
    [InlineData("GET /credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\nX-Bad: caf\u00e9\r\n\r\n", 400)]
    [InlineData("GET /credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\nX-Nul: a\0b\r\n\r\n", 400)]
    [InlineData("GET /credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\nContent-Length: 5\r\n\r\nhello", 400)]
    [InlineData("GET /credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400)]
    [InlineData("POST /credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\nContent-Length: 0\r\n\r\n", 405)]
    [InlineData("OPTIONS /credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\n\r\n", 405)]
    [InlineData("GET /credentials/ HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\n\r\n", 404)]
    [InlineData("GET /credentials?x=1 HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\n\r\n", 404)]
    [InlineData("GET http://{host}/credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\n\r\n", 404)]
    [InlineData("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n", 400)]
    public async Task MalformedOrUnexpectedRequestsAreRefused(string template, int expectedStatus)
    {
        var source = new CountingSource(TimeSpan.FromHours(1));
        using var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);
        var request = template.Replace("{host}", $"127.0.0.1:{server.Port}").Replace("{port}", server.Port.ToString(CultureInfo.InvariantCulture)).Replace("{token}", server.AuthorizationToken);

        var response = await SendRawAsync(server.Port, request);

        Assert.Equal(expectedStatus, response.Status);
        AssertNoSecret(source, response.Text);
        Assert.Equal(0, server.RequestsServed);
        if (expectedStatus == 405)
        {
            Assert.Contains("Allow: GET\r\n", response.Text);
        }
    }

    [Fact]
    public async Task TheSameRequestWellFormedIsServed()
    {
        // The positive twin of the refusals above, written the same raw way: HTTP/1.0 and localhost are fine too.
        var source = new CountingSource(TimeSpan.FromHours(1));
        using var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);

        var first = await SendRawAsync(server.Port, $"GET /credentials HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nAuthorization: {server.AuthorizationToken}\r\nContent-Length: 0\r\n\r\n");
        var second = await SendRawAsync(server.Port, $"GET /credentials HTTP/1.0\r\nhost:localhost:{server.Port}\r\nauthorization:\t{server.AuthorizationToken} \r\n\r\n");

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Contains(source.Issued.Single().AccessKeyId, second.Text);
    }

    [Fact]
    public async Task OversizedHeadsAndTooManyHeadersAreRefused()
    {
        var source = new CountingSource(TimeSpan.FromHours(1));
        using var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);
        var prefix = $"GET /credentials HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nAuthorization: {server.AuthorizationToken}\r\n";

        var large = await SendRawAsync(server.Port, prefix + "X-Padding: " + new string('a', 20_000) + "\r\n\r\n");
        var many = await SendRawAsync(server.Port, prefix + string.Concat(Enumerable.Range(0, 70).Select(i => $"X-H{i}: v\r\n")) + "\r\n");

        Assert.Equal(431, large.Status);
        Assert.Equal(431, many.Status);
        Assert.Equal(0, server.RequestsServed);
        AssertNoSecret(source, large.Text + many.Text);
    }

    [Fact]
    public async Task ASlowClientTimesOut()
    {
        var source = new CountingSource(TimeSpan.FromHours(1));
        using var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance, new CredentialServerOptions { RequestTimeout = TimeSpan.FromMilliseconds(500) });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /credentials HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\n"));

        var started = DateTime.UtcNow;
        var text = await ReadAllAsync(stream);

        Assert.StartsWith("HTTP/1.1 408 ", text);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ListensOnLoopbackOnly()
    {
        var source = new CountingSource(TimeSpan.FromHours(1));
        using var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);

        if (OperatingSystem.IsLinux())
        {
            // The kernel's own table: the port is bound to 127.0.0.1 (0100007F) and to no other address.
            var port = server.Port.ToString("X4", CultureInfo.InvariantCulture);
            var bound = File.ReadAllLines("/proc/net/tcp").Concat(File.Exists("/proc/net/tcp6") ? File.ReadAllLines("/proc/net/tcp6") : Array.Empty<string>())
                .Skip(0)
                .Select(line => line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length > 3 && fields[1].EndsWith(":" + port, StringComparison.Ordinal) && fields[3] == "0A")
                .Select(fields => fields[1][..fields[1].IndexOf(':')])
                .ToList();
            Assert.Equal(new[] { "0100007F" }, bound);

            // Another loopback address reaches a socket bound to 0.0.0.0, but not one bound to 127.0.0.1.
            using var other = new TcpClient();
            var refused = await Assert.ThrowsAsync<SocketException>(() => other.ConnectAsync(IPAddress.Parse("127.0.0.2"), server.Port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }

        var response = await GetAsync(server, server.AuthorizationToken);
        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task StopReleasesThePort()
    {
        var source = new CountingSource(TimeSpan.FromHours(1));
        var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance);
        var port = server.Port;
        using (var idle = new TcpClient())
        {
            // A connection that never sends a request must not keep the server alive.
            await idle.ConnectAsync(IPAddress.Loopback, port);
            server.Stop();
            server.Stop();
        }

        Assert.False(server.IsRunning);
        using var client = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
    }

    [Fact]
    public async Task RefreshesOnceBeforeExpiryUnderConcurrentLoad()
    {
        // Six-second credentials: the refresh is due at half the lifetime (3 s); the load runs for 5 s, before the
        // second set's refresh (at 3 s + 3 s).
        var source = new CountingSource(TimeSpan.FromSeconds(6)) { Latency = TimeSpan.FromMilliseconds(200) };
        var log = new RecordingLog();
        using var server = await CredentialServer.StartAsync(source.NextAsync, log);
        var seen = new ConcurrentBag<(DateTime At, string KeyId, DateTime Expiration)>();
        var failures = new ConcurrentBag<string>();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        using var http = new HttpClient();

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            while (DateTime.UtcNow < until)
            {
                var response = await GetAsync(server, server.AuthorizationToken, http);
                var at = DateTime.UtcNow;
                if (response.Status != HttpStatusCode.OK)
                {
                    failures.Add(response.Status + " " + response.Body);
                    continue;
                }

                using var json = JsonDocument.Parse(response.Body);
                seen.Add((at, json.RootElement.GetProperty("AccessKeyId").GetString()!, json.RootElement.GetProperty("Expiration").GetDateTime().ToUniversalTime()));
                await Task.Delay(10);
            }
        })));

        Assert.Empty(failures);
        Assert.Equal(2, source.Calls);
        Assert.Equal(1, server.RefreshCount);
        var first = source.Issued[0];
        var second = source.Issued[1];
        Assert.Equal(new[] { first.AccessKeyId, second.AccessKeyId }.OrderBy(k => k), seen.Select(s => s.KeyId).Distinct().OrderBy(k => k));

        // Every answer was valid when it arrived, and the new key was served before the old one expired.
        Assert.All(seen, s => Assert.True(s.Expiration > s.At, $"{s.KeyId} expired at {s.Expiration:O}, served at {s.At:O}"));
        var firstNew = seen.Where(s => s.KeyId == second.AccessKeyId).Min(s => s.At);
        Assert.True(firstNew < first.Expiration!.Value, $"the new key was first served at {firstNew:O}, the old expired at {first.Expiration:O}");
        Assert.Contains(log.Messages, m => m.Contains("refreshed", StringComparison.Ordinal) && m.Contains(second.MaskedAccessKeyId, StringComparison.Ordinal));
        Assert.All(log.Messages, m =>
        {
            foreach (var secret in source.Secrets())
            {
                Assert.DoesNotContain(secret, m, StringComparison.Ordinal);
            }

            Assert.DoesNotContain(server.AuthorizationToken, m, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task RequestsThatFindTheSetExpiredShareOneRefresh()
    {
        // No margin: the set is only replaced when it expires, so the requests below all find it expired.
        var source = new CountingSource(TimeSpan.FromSeconds(1)) { Latency = TimeSpan.FromMilliseconds(500) };
        using var server = await CredentialServer.StartAsync(source.NextAsync, NullEngineLog.Instance, new CredentialServerOptions { MaximumRefreshMargin = TimeSpan.Zero });
        source.Lifetime = TimeSpan.FromHours(1);
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        using var http = new HttpClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => GetAsync(server, server.AuthorizationToken, http)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(2, source.Calls);
        Assert.All(responses, r => Assert.Contains(source.Issued[1].AccessKeyId, r.Body));
    }

    [Fact]
    public async Task AFailedRefreshKeepsServingUntilExpiryThenAnswers503()
    {
        // Six-second credentials: the refresh is due after 3 s and fails again and again; at 3.5 s the first set
        // (2.5 s left) is still served, at 6.5 s it has expired.
        var source = new CountingSource(TimeSpan.FromSeconds(6)) { FailAfter = 1 };
        var log = new RecordingLog();
        using var server = await CredentialServer.StartAsync(
            source.NextAsync,
            log,
            new CredentialServerOptions { MinimumRetryDelay = TimeSpan.FromMilliseconds(200), MaximumRetryDelay = TimeSpan.FromMilliseconds(400), Description = "role arn:aws:iam::222222222222:role/Test" });

        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var during = await GetAsync(server, server.AuthorizationToken);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await GetAsync(server, server.AuthorizationToken);

        Assert.Equal(HttpStatusCode.OK, during.Status);
        Assert.Contains(source.Issued[0].AccessKeyId, during.Body);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, after.Status);
        using var json = JsonDocument.Parse(after.Body);
        Assert.Equal("CredentialsUnavailable", json.RootElement.GetProperty("code").GetString());
        Assert.Contains("MfaCodeRequired", json.RootElement.GetProperty("message").GetString());
        Assert.Contains("MfaCodeRequired", server.LastError);
        Assert.True(source.Calls >= 3, $"the source was asked {source.Calls} time(s); retries were expected");
        Assert.Contains(log.Messages, m => m.Contains("could not refresh role arn:aws:iam::222222222222:role/Test", StringComparison.Ordinal));
        AssertNoSecret(source, after.Body + string.Join("\n", log.Messages));
    }

    [Fact]
    public async Task TheSameSetAgainIsNotARefresh()
    {
        var source = new CountingSource(TimeSpan.FromSeconds(2)) { RepeatLast = true };
        var log = new RecordingLog();
        using var server = await CredentialServer.StartAsync(source.NextAsync, log, new CredentialServerOptions { MinimumRetryDelay = TimeSpan.FromMilliseconds(300) });

        // The refresh is due after 1 s; by 2.5 s it has failed at least once.
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        Assert.Equal(0, server.RefreshCount);
        Assert.Contains("cannot be renewed", server.LastError);
        Assert.Contains(log.Messages, m => m.Contains("cannot be renewed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LongTermKeysAreServedWithARollingExpirationAndNoToken()
    {
        var keys = new CredentialSet("AKIAEXAMPLE123456789", "long-term-secret-value", null) { Source = "profile base", Origin = CredentialOrigin.LongTermKeys };
        using var server = await CredentialServer.StartAsync(_ => Task.FromResult(keys), NullEngineLog.Instance);

        var response = await GetAsync(server, server.AuthorizationToken);

        using var json = JsonDocument.Parse(response.Body);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("Token").ValueKind);
        Assert.InRange(json.RootElement.GetProperty("Expiration").GetDateTime().ToUniversalTime() - DateTime.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        Assert.False(json.RootElement.TryGetProperty("AccountId", out _));
        Assert.Null(server.NextRefresh);
        Assert.Null(server.Expiration);
    }

    [Fact]
    public async Task ExpiredStartingCredentialsAreAnError()
    {
        var expired = new CredentialSet("ASIAEXAMPLE123456789", "secret", "token") { Expiration = DateTime.UtcNow.AddMinutes(-1), Source = "piped" };

        var error = await Assert.ThrowsAsync<AwsLoginException>(() => CredentialServer.StartAsync(_ => Task.FromResult(expired), NullEngineLog.Instance));

        Assert.Equal("CredentialsExpired", error.Code);
        Assert.Equal(FailureKind.Expired, error.Kind);
        Assert.DoesNotContain("secret", error.Message);
    }

    [Fact]
    public async Task SourceErrorsOnStartPropagate()
    {
        var error = await Assert.ThrowsAsync<AwsLoginException>(() => CredentialServer.StartAsync(
            _ => Task.FromException<CredentialSet>(new AwsLoginException(FailureKind.NotFound, "ProfileNotFound", "no such profile", "nope")),
            NullEngineLog.Instance));

        Assert.Equal("ProfileNotFound", error.Code);
    }

    [Theory]
    [InlineData(60, 30)]
    [InlineData(900, 450)]
    [InlineData(3600, 1200)]
    [InlineData(43200, 1200)]
    [InlineData(0, 0)]
    public void RefreshMarginIsHalfTheLifetimeAtMostTwentyMinutes(int lifetimeSeconds, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), CredentialServer.RefreshMarginFor(TimeSpan.FromSeconds(lifetimeSeconds), new CredentialServerOptions().MaximumRefreshMargin));
    }

    [Fact]
    public void ServerVariablesPointAtTheServerAndClearEverythingThatWins()
    {
        var variables = CredentialEnvironment.VariablesForServer(new Uri("http://127.0.0.1:43210/credentials"), "tok", "eu-west-1");
        var byName = variables.ToDictionary(v => v.Key, v => v.Value);

        Assert.Equal("http://127.0.0.1:43210/credentials", byName["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
        Assert.Equal("tok", byName["AWS_CONTAINER_AUTHORIZATION_TOKEN"]);
        Assert.Equal("eu-west-1", byName["AWS_REGION"]);
        Assert.Equal("eu-west-1", byName["AWS_DEFAULT_REGION"]);
        foreach (var cleared in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE" })
        {
            Assert.True(byName.ContainsKey(cleared), cleared);
            Assert.Null(byName[cleared]);
        }

        Assert.Equal(variables.Count, byName.Count);
    }

    internal static void AssertNoSecret(CountingSource source, string text)
    {
        foreach (var secret in source.Secrets())
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    internal static async Task<HttpAnswer> GetAsync(CredentialServer server, string? authorization, HttpClient? http = null)
    {
        using var own = http is null ? new HttpClient() : null;
        var client = http ?? own!;
        using var request = new HttpRequestMessage(HttpMethod.Get, server.Uri);
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        return new HttpAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), headers);
    }

    /// <summary>Sends bytes as they are (Latin-1 for characters above 0x7F) and reads the whole answer.</summary>
    internal static async Task<RawAnswer> SendRawAsync(int port, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        var text = await ReadAllAsync(stream);
        var status = text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) ? int.Parse(text.Substring(9, 3), CultureInfo.InvariantCulture) : 0;
        return new RawAnswer(status, text);
    }

    private static async Task<string> ReadAllAsync(NetworkStream stream)
    {
        using var buffer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await stream.CopyToAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal sealed record HttpAnswer(HttpStatusCode Status, string Body, Dictionary<string, string> Headers);

    internal sealed record RawAnswer(int Status, string Text);
}

/// <summary>A credential source that issues a new random set per call and remembers them.</summary>
internal sealed class CountingSource
{
    private readonly ConcurrentQueue<CredentialSet> _issued = new();
    private int _calls;

    public CountingSource(TimeSpan lifetime)
    {
        Lifetime = lifetime;
    }

    public TimeSpan Lifetime { get; set; }

    public TimeSpan Latency { get; init; }

    public string? AccountId { get; init; }

    /// <summary>Calls after this many fail with MfaCodeRequired.</summary>
    public int? FailAfter { get; init; }

    /// <summary>Calls after the first return the first set again.</summary>
    public bool RepeatLast { get; init; }

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<CredentialSet> Issued => _issued.ToArray();

    public IEnumerable<string> Secrets() => Issued.SelectMany(c => new[] { c.SecretAccessKey, c.SessionToken! });

    public async Task<CredentialSet> NextAsync(CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, cancellationToken);
        }

        if (FailAfter is { } limit && call > limit)
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "MfaCodeRequired", "The role needs an MFA code and nobody can enter one.", "arn:aws:iam::111111111111:mfa/alice");
        }

        if (RepeatLast && _issued.TryPeek(out var first))
        {
            return first;
        }

        var id = "ASIA" + Convert.ToHexString(Guid.NewGuid().ToByteArray())[..16];
        var set = new CredentialSet(id, "secret-" + Guid.NewGuid().ToString("N"), "token-" + Guid.NewGuid().ToString("N"))
        {
            Expiration = DateTime.UtcNow + Lifetime,
            AccountId = AccountId,
            Source = "test source",
        };
        _issued.Enqueue(set);
        return set;
    }
}
