using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Console;

/// <summary>
/// The getSigninToken call of the AWS federation endpoint. The request carries the session's secret key and
/// token and the answer is a sign-in token: neither ever reaches a message, log or exception.
/// </summary>
internal sealed class FederationClient
{
    // The JSON goes into a query string, never into HTML: keep '+' and '/' of secret keys as they are.
    private static readonly JsonSerializerOptions s_jsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly HttpMessageHandler? _handler;
    private readonly TimeSpan _timeout;

    /// <param name="handler">The HTTP handler to use (tests); null for a new HttpClientHandler per call.</param>
    /// <param name="timeout">How long to wait for the answer.</param>
    public FederationClient(HttpMessageHandler? handler, TimeSpan timeout)
    {
        _handler = handler;
        _timeout = timeout;
    }

    /// <summary>Exchanges temporary credentials for a sign-in token (valid for 15 minutes).</summary>
    public async Task<string> GetSigninTokenAsync(SignInEndpoint endpoint, CredentialSet credentials, int? sessionDuration, string target, CancellationToken cancellationToken)
    {
        var session = JsonSerializer.Serialize(
            new SessionJson
            {
                SessionId = credentials.AccessKeyId,
                SessionKey = credentials.SecretAccessKey,
                SessionToken = credentials.SessionToken ?? string.Empty,
            },
            s_jsonOptions);
        var query = "?Action=getSigninToken"
            + (sessionDuration is { } seconds ? "&SessionDuration=" + seconds.ToString(CultureInfo.InvariantCulture) : string.Empty)
            + "&Session=" + Uri.EscapeDataString(session);

        using var client = _handler is null
            ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }, disposeHandler: true)
            : new HttpClient(_handler, disposeHandler: false);
        client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint.Federation + query));
        request.Headers.UserAgent.ParseAdd("AwsLogin/" + typeof(FederationClient).Assembly.GetName().Version?.ToString(3));
        request.Headers.Accept.ParseAdd("application/json");

        HttpStatusCode status;
        string body;
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Unreachable(endpoint, target, $"no answer within {_timeout.TotalSeconds:0} seconds", null);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(endpoint, target, Innermost(ex).Message, ex);
        }

        var code = (int)status;
        if (status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new AwsLoginException(
                FailureKind.AccessDenied,
                "SigninTokenRejected",
                $"The AWS sign-in endpoint refused the credentials of '{target}' for console sign-in (HTTP {code}).",
                target,
                sessionDuration is null
                    ? "The credentials must be valid, unexpired role or federation-token credentials: get fresh ones (-Force) and try again."
                    : "AWS refuses -SessionDuration for credentials from role chaining and GetFederationToken, and for credentials that are invalid or expired: try again without -SessionDuration, or with fresh credentials.");
        }

        if (status != HttpStatusCode.OK)
        {
            throw ServiceError(endpoint, target, $"HTTP {code}");
        }

        string? token = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("SigninToken", out var value)
                && value.ValueKind == JsonValueKind.String)
            {
                token = value.GetString();
            }
        }
        catch (JsonException)
        {
            // Reported below without the body, which is not ours to show.
        }

        return string.IsNullOrEmpty(token) ? throw ServiceError(endpoint, target, "an answer without a SigninToken") : token!;
    }

    private static AwsLoginException Unreachable(SignInEndpoint endpoint, string target, string detail, Exception? inner) =>
        new(
            FailureKind.EndpointUnreachable,
            "EndpointUnreachable",
            $"getSigninToken for '{target}' could not reach the sign-in endpoint {endpoint.Description}: {detail}",
            target,
            "Check the network and proxy settings, and " + SignInEndpoint.EnvironmentVariable + " or -SignInEndpoint if set.",
            inner);

    private static AwsLoginException ServiceError(SignInEndpoint endpoint, string target, string detail) =>
        new(
            FailureKind.ServiceError,
            "SignInServiceError",
            $"The sign-in endpoint {endpoint.Description} failed getSigninToken for '{target}': {detail}.",
            target,
            "Try again later; if it persists, check " + SignInEndpoint.EnvironmentVariable + " or -SignInEndpoint.");

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
    }

    private sealed class SessionJson
    {
        [System.Text.Json.Serialization.JsonPropertyName("sessionId")]
        public string SessionId { get; set; } = string.Empty;

        [System.Text.Json.Serialization.JsonPropertyName("sessionKey")]
        public string SessionKey { get; set; } = string.Empty;

        [System.Text.Json.Serialization.JsonPropertyName("sessionToken")]
        public string SessionToken { get; set; } = string.Empty;
    }
}
