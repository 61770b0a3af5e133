using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsLogin.TestServers;

/// <summary>
/// A loopback EC2 instance metadata service (IMDSv2, HttpTokens required) with one instance profile. The AWS SDKs reach
/// it through AWS_EC2_METADATA_SERVICE_ENDPOINT. It answers what they ask for instance-profile credentials:
/// <c>PUT /latest/api/token</c> with X-aws-ec2-metadata-token-ttl-seconds (1 to 21600) gives a session token;
/// <c>GET /latest/meta-data/iam/security-credentials/</c> lists the role name, <c>.../security-credentials/&lt;role&gt;</c>
/// gives the credentials JSON, <c>/latest/meta-data/iam/info</c> the instance profile, and the
/// <c>security-credentials-extended</c> paths newer SDKs try first add AccountId. Every GET needs a valid
/// X-aws-ec2-metadata-token header (401 otherwise), and a token PUT with X-Forwarded-For is refused (403), as on EC2.
/// </summary>
public sealed class FakeInstanceMetadata : IAsyncDisposable
{
    public const string TokenPath = "/latest/api/token";
    public const string RolesPath = "/latest/meta-data/iam/security-credentials/";
    public const string ExtendedRolesPath = "/latest/meta-data/iam/security-credentials-extended/";
    public const string InfoPath = "/latest/meta-data/iam/info";
    public const string TokenHeader = "X-aws-ec2-metadata-token";
    public const string TokenTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";

    private const int MaxTokenTtlSeconds = 21600;
    private const string TextPlain = "text/plain";

    private readonly Lock _gate = new();
    private readonly List<MetadataRequest> _requests = [];
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly string _instanceProfileId = "AIPA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 17);
    private MachineCredential? _credential;
    private InjectedFailure? _failure;
    private LoopbackServer? _server;

    private FakeInstanceMetadata()
    {
    }

    /// <summary>
    /// The value for AWS_EC2_METADATA_SERVICE_ENDPOINT, e.g. http://127.0.0.1:50123, without a trailing slash: the AWS
    /// SDK for .NET appends "/latest/..." to it as text.
    /// </summary>
    public string ServiceEndpoint => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    /// <summary>The root address, with a trailing slash.</summary>
    public Uri BaseUri => Server.BaseUri;

    /// <summary>The role of the instance profile; null when the instance has no instance profile (the IAM paths answer 404).</summary>
    public string? RoleName { get; set; } = "AwsLoginInstanceRole";

    /// <summary>The account in the instance profile ARN and the extended credentials.</summary>
    public string AccountId { get; set; } = "111111111111";

    /// <summary>The instance profile ARN that /latest/meta-data/iam/info shows.</summary>
    public string InstanceProfileArn => $"arn:aws:iam::{AccountId}:instance-profile/{RoleName}";

    /// <summary>When false, GETs without a token are answered as IMDSv1 would (HttpTokens optional).</summary>
    public bool RequireToken { get; set; } = true;

    /// <summary>The clock for session-token expiry and LastUpdated.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The credentials of the instance profile role; <see cref="CredentialSource"/> wins when both are set.</summary>
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

    /// <summary>Called for every credentials request; null from it (or no credentials at all) is answered 404.</summary>
    public Func<MachineCredential?>? CredentialSource { get; set; }

    /// <summary>Every request answered so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<MetadataRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    private LoopbackServer Server => _server ?? throw new InvalidOperationException("The fake instance metadata service has not been started.");

    public static async Task<FakeInstanceMetadata> StartAsync()
    {
        var fake = new FakeInstanceMetadata();
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync).ConfigureAwait(false);
        return fake;
    }

    /// <summary>Hands out temporary credentials seeded in (or issued by) a <see cref="FakeSts"/>, so STS accepts their signatures.</summary>
    public void Serve(IssuedCredential issued) => Credential = MachineCredential.From(issued);

    /// <summary>
    /// Answers the next <paramref name="times"/> requests whose path starts with <paramref name="pathPrefix"/> (any
    /// request when null) with <paramref name="httpStatus"/>, before any other check.
    /// </summary>
    public void InjectFailure(int httpStatus, int times = 1, string? pathPrefix = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (_gate)
        {
            _failure = new InjectedFailure(httpStatus, times, pathPrefix);
        }
    }

    /// <summary>Makes every session token issued so far invalid, as when its TTL has passed.</summary>
    public void ExpireTokens()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }
    }

    public int CountRequests(string method, string path)
    {
        lock (_gate)
        {
            return _requests.Count(r => r.Method == method && r.Path == path);
        }
    }

    /// <summary>Stops listening; connections to the endpoint are refused afterwards.</summary>
    public Task StopAsync() => _server?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string path = request.Path.Value ?? string.Empty;
        bool tokenPresented = request.Headers.ContainsKey(TokenHeader);
        int? ttl = int.TryParse(request.Headers[TokenTtlHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) ? parsed : null;
        Answer answer = Respond(request, path);

        lock (_gate)
        {
            _requests.Add(new MetadataRequest(request.Method, path, tokenPresented, ttl, answer.Status, TimeProvider.GetUtcNow()));
        }

        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = TextPlain;
        if (answer.TokenTtl is { } grantedTtl)
        {
            context.Response.Headers[TokenTtlHeader] = grantedTtl.ToString(CultureInfo.InvariantCulture);
        }

        await context.Response.WriteAsync(answer.Body, Encoding.UTF8, context.RequestAborted).ConfigureAwait(false);
    }

    private Answer Respond(HttpRequest request, string path)
    {
        lock (_gate)
        {
            if (_failure is { } failure && (failure.PathPrefix is null || path.StartsWith(failure.PathPrefix, StringComparison.Ordinal)))
            {
                if (--failure.Remaining == 0)
                {
                    _failure = null;
                }

                return new Answer(failure.HttpStatus, "Injected by the test.");
            }
        }

        if (path == TokenPath)
        {
            return HttpMethods.IsPut(request.Method) ? IssueToken(request) : new Answer(405, "Method Not Allowed");
        }

        if (!HttpMethods.IsGet(request.Method))
        {
            return new Answer(405, "Method Not Allowed");
        }

        if (!IsAuthorized(request))
        {
            return new Answer(401, "Unauthorized");
        }

        string? role = RoleName;
        if (role is null)
        {
            return NotFound();
        }

        if (path == InfoPath)
        {
            return new Answer(200, MachineCredential.Json(writer =>
            {
                writer.WriteString("Code", "Success");
                writer.WriteString("LastUpdated", MachineCredential.Timestamp(TimeProvider.GetUtcNow()));
                writer.WriteString("InstanceProfileArn", InstanceProfileArn);
                writer.WriteString("InstanceProfileId", _instanceProfileId);
            }));
        }

        foreach (string rolesPath in new[] { RolesPath, ExtendedRolesPath })
        {
            if (path == rolesPath || path == rolesPath.TrimEnd('/'))
            {
                return new Answer(200, role);
            }

            if (path == rolesPath + role)
            {
                return CredentialsAnswer(extended: rolesPath == ExtendedRolesPath);
            }
        }

        return NotFound();
    }

    private Answer IssueToken(HttpRequest request)
    {
        // IMDS refuses token requests that went through a proxy, so a token never leaves the instance.
        if (request.Headers.ContainsKey("X-Forwarded-For"))
        {
            return new Answer(403, "Forbidden");
        }

        string ttlText = request.Headers[TokenTtlHeader].ToString();
        if (!int.TryParse(ttlText, NumberStyles.None, CultureInfo.InvariantCulture, out int ttl) || ttl < 1 || ttl > MaxTokenTtlSeconds)
        {
            return new Answer(400, "Bad Request");
        }

        string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(42));
        lock (_gate)
        {
            _tokens[token] = TimeProvider.GetUtcNow().AddSeconds(ttl);
        }

        return new Answer(200, token, ttl);
    }

    private bool IsAuthorized(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(TokenHeader, out var values))
        {
            return !RequireToken;
        }

        string token = values.ToString();
        lock (_gate)
        {
            return _tokens.TryGetValue(token, out DateTimeOffset expires) && expires > TimeProvider.GetUtcNow();
        }
    }

    private Answer CredentialsAnswer(bool extended)
    {
        MachineCredential? credential = CredentialSource is { } source ? source() : Credential;
        if (credential is null)
        {
            return NotFound();
        }

        return new Answer(200, MachineCredential.Json(writer =>
        {
            writer.WriteString("Code", "Success");
            writer.WriteString("LastUpdated", MachineCredential.Timestamp(TimeProvider.GetUtcNow()));
            writer.WriteString("Type", "AWS-HMAC");
            writer.WriteString("AccessKeyId", credential.AccessKeyId);
            writer.WriteString("SecretAccessKey", credential.SecretAccessKey);
            writer.WriteString("Token", credential.Token);
            writer.WriteString("Expiration", MachineCredential.Timestamp(credential.Expiration));
            if (extended)
            {
                writer.WriteString("AccountId", credential.AccountId ?? AccountId);
            }
        }));
    }

    private static Answer NotFound() =>
        new(404, "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<html><head><title>404 - Not Found</title></head><body><h1>404 - Not Found</h1></body></html>\n");

    private sealed record Answer(int Status, string Body, int? TokenTtl = null);

    private sealed class InjectedFailure(int httpStatus, int remaining, string? pathPrefix)
    {
        public int HttpStatus { get; } = httpStatus;

        public int Remaining { get; set; } = remaining;

        public string? PathPrefix { get; } = pathPrefix;
    }
}

/// <summary>One request the fake instance metadata service answered, in arrival order (tokens are not recorded).</summary>
/// <param name="TokenPresented">True when the request carried an X-aws-ec2-metadata-token header, valid or not.</param>
/// <param name="TokenTtlSeconds">The X-aws-ec2-metadata-token-ttl-seconds header, when it was an integer.</param>
public sealed record MetadataRequest(string Method, string Path, bool TokenPresented, int? TokenTtlSeconds, int HttpStatus, DateTimeOffset ReceivedAt)
{
    public override string ToString() => $"{Method} {Path} -> {HttpStatus}";
}
