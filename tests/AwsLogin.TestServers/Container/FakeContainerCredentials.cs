using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsLogin.TestServers;

/// <summary>
/// A loopback container credentials endpoint, as the ECS agent and the EKS Pod Identity Agent serve it: the AWS SDKs
/// find it through AWS_CONTAINER_CREDENTIALS_FULL_URI (loopback hosts are allowed over plain HTTP) and send
/// AWS_CONTAINER_AUTHORIZATION_TOKEN (or the contents of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) as the Authorization
/// header. One GET of <see cref="CredentialsUri"/> answers the JSON the SDKs read: AccessKeyId, SecretAccessKey, Token
/// and Expiration, plus RoleArn (ECS) and AccountId (EKS).
/// </summary>
public sealed class FakeContainerCredentials : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ContainerCredentialsRequest> _requests = [];
    private readonly string _path = "/v2/credentials/" + Guid.NewGuid().ToString("D");
    private MachineCredential? _credential;
    private InjectedFailure? _failure;
    private LoopbackServer? _server;

    private FakeContainerCredentials()
    {
    }

    /// <summary>The value for AWS_CONTAINER_CREDENTIALS_FULL_URI, e.g. http://127.0.0.1:50123/v2/credentials/&lt;id&gt;.</summary>
    public Uri CredentialsUri => new(Server.BaseUri, _path.TrimStart('/'));

    /// <summary>
    /// When set, every request must carry exactly this Authorization header (AWS_CONTAINER_AUTHORIZATION_TOKEN): a
    /// missing header is answered 400 and a different one 403, as the EKS Pod Identity Agent does.
    /// </summary>
    public string? AuthorizationToken { get; set; }

    /// <summary>The credentials handed out; <see cref="CredentialSource"/> wins when both are set.</summary>
    public MachineCredential? Credential
    {
        get
        {
            lock (_gate)
            {
                return _credential;
            }
        }

        set
        {
            lock (_gate)
            {
                _credential = value;
            }
        }
    }

    /// <summary>Called for every authorized request; null from it (or no credentials at all) is answered 500.</summary>
    public Func<MachineCredential?>? CredentialSource { get; set; }

    /// <summary>Every request answered so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<ContainerCredentialsRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>How many requests were answered, whatever their outcome.</summary>
    public int RequestCount
    {
        get
        {
            lock (_gate)
            {
                return _requests.Count;
            }
        }
    }

    private LoopbackServer Server => _server ?? throw new InvalidOperationException("The fake container endpoint has not been started.");

    public static async Task<FakeContainerCredentials> StartAsync()
    {
        var fake = new FakeContainerCredentials();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Hands out temporary credentials seeded in (or issued by) a <see cref="FakeSts"/>, so STS accepts their signatures.</summary>
    public void Serve(IssuedCredential issued) => Credential = MachineCredential.From(issued);

    /// <summary>Answers the next <paramref name="times"/> authorized requests with <paramref name="httpStatus"/> (the SDKs retry).</summary>
    public void InjectFailure(int httpStatus, int times = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _failure = new InjectedFailure(httpStatus, times);
        }
    }

    /// <summary>Stops listening; connections to <see cref="CredentialsUri"/> are refused afterwards.</summary>
    public Task StopAsync() => _server?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string? authorization = request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null;
        (int status, string body, string contentType) = Answer(request, authorization);

        lock (_gate)
        {
            _requests.Add(new ContainerCredentialsRequest(request.Method, request.Path.Value ?? string.Empty, authorization, status, DateTimeOffset.UtcNow));
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    private (int Status, string Body, string ContentType) Answer(HttpRequest request, string? authorization)
    {
        const string Text = "text/plain; charset=utf-8";
        if (!string.Equals(request.Path.Value, _path, StringComparison.Ordinal))
        {
            return (404, "404 page not found\n", Text);
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            return (405, "Method Not Allowed\n", Text);
        }

        string? expected = AuthorizationToken;
        if (expected is not null)
        {
            if (string.IsNullOrEmpty(authorization))
            {
                return (400, "Service account token cannot be empty\n", Text);
            }

            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(authorization)))
            {
                return (403, "Access Denied. The authorization token is not valid for this endpoint.\n", Text);
            }
        }

        lock (_gate)
        {
            if (_failure is { } failure)
            {
                if (--failure.Remaining == 0)
                {
                    _failure = null;
                }

                return (failure.HttpStatus, "Injected by the test.\n", Text);
            }
        }

        MachineCredential? credential = CredentialSource is { } source ? source() : Credential;
        return credential is null
            ? (500, "No credentials are available for this container.\n", Text)
            : (200, credential.ToContainerJson(), "application/json");
    }

    private sealed class InjectedFailure(int httpStatus, int remaining)
    {
        public int HttpStatus { get; } = httpStatus;

        public int Remaining { get; set; } = remaining;
    }
}

/// <summary>One request the fake container endpoint answered, in arrival order.</summary>
/// <param name="Authorization">The Authorization header as received (the container token), or null when none was sent.</param>
public sealed record ContainerCredentialsRequest(string Method, string Path, string? Authorization, int HttpStatus, DateTimeOffset ReceivedAt)
{
    // Records print every property; keep the token out of test output.
    public override string ToString() => $"{Method} {Path} -> {HttpStatus}";
}

/// <summary>Temporary credentials that a machine endpoint (container agent or EC2 instance metadata) hands out.</summary>
/// <param name="Expiration">Written in whole seconds with a Z suffix, as the agents write it.</param>
/// <param name="RoleArn">Written by the ECS agent; left out when null.</param>
/// <param name="AccountId">Written by the EKS Pod Identity Agent (newer SDKs read it); left out when null.</param>
public sealed record MachineCredential(
    string AccessKeyId,
    string SecretAccessKey,
    string Token,
    DateTimeOffset Expiration,
    string? RoleArn = null,
    string? AccountId = null)
{
    public static MachineCredential From(IssuedCredential issued)
    {
        ArgumentNullException.ThrowIfNull(issued);
        return new MachineCredential(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken, issued.Expiration, issued.RoleArn, issued.AccountId);
    }

    /// <summary>An ISO 8601 UTC timestamp in whole seconds, e.g. 2026-11-23T12:00:00Z.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);

    public override string ToString() => $"{AccessKeyId} (expires {Timestamp(Expiration)})";

    internal string ToContainerJson() => Json(writer =>
    {
        if (RoleArn is not null)
        {
            writer.WriteString("RoleArn", RoleArn);
        }

        writer.WriteString("AccessKeyId", AccessKeyId);
        writer.WriteString("SecretAccessKey", SecretAccessKey);
        writer.WriteString("Token", Token);
        if (AccountId is not null)
        {
            writer.WriteString("AccountId", AccountId);
        }

        writer.WriteString("Expiration", Timestamp(Expiration));
    });

    internal static string Json(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
