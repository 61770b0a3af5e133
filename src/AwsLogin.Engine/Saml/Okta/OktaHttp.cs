using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Saml.Okta;

/// <summary>
/// The HTTP side of an Okta sign-in: one client over one cookie jar, redirects not followed (the caller checks each
/// hop stays on the org), TLS verified unless the options say otherwise, every answer read with a size limit, and
/// network failures turned into EndpointUnreachable. Request URLs (which can carry a session token) are never logged.
/// </summary>
internal sealed class OktaHttp : IDisposable
{
    /// <summary>What is read of an error answer: enough for Okta's JSON error, never a whole page.</summary>
    public const int MaxErrorBytes = 64 * 1024;

    private readonly HttpClient _http;
    private readonly string _target;
    private readonly TimeSpan _timeout;

    public OktaHttp(SamlProviderOptions options, CookieContainer cookies, string target)
    {
        _target = target;
        _timeout = options.Timeout;
        var handler = new HttpClientHandler
        {
            CookieContainer = cookies,
            UseCookies = true,
            AllowAutoRedirect = false,
        };
        if (options.SkipCertificateCheck)
        {
            handler.ServerCertificateCustomValidationCallback = (_, _, _, _) => true;
        }

        _http = new HttpClient(handler, disposeHandler: true) { Timeout = options.Timeout };
    }

    /// <summary>Sends the request and reads the answer: at most <paramref name="limit"/> bytes of a 200 (more is SamlResponseTooLarge), a bounded start of anything else.</summary>
    public async Task<OktaAnswer> SendAsync(HttpRequestMessage request, int limit, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw SamlErrors.Unreachable(_target, $"it did not answer within {_timeout.TotalSeconds:0} seconds", null);
        }
        catch (HttpRequestException ex)
        {
            throw SamlErrors.Transport(_target, ex);
        }

        using (response)
        {
            var ok = response.StatusCode == HttpStatusCode.OK;
            var body = await IdpResponseReader.ReadAsync(response, ok ? limit : Math.Min(limit, MaxErrorBytes), failWhenLarger: ok, _target, cancellationToken).ConfigureAwait(false);
            return new OktaAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, response.Headers.Location, response.ReasonPhrase);
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One HTTP answer from Okta, read whole (within its limit).</summary>
internal sealed class OktaAnswer
{
    public OktaAnswer(int status, string? contentType, byte[] body, Uri? location, string? reason)
    {
        Status = status;
        ContentType = contentType;
        Body = body;
        Location = location;
        Reason = reason;
    }

    public int Status { get; }

    public string? ContentType { get; }

    public byte[] Body { get; }

    public Uri? Location { get; }

    public string? Reason { get; }

    public bool IsJson => ContentType is not null && ContentType.IndexOf("json", StringComparison.OrdinalIgnoreCase) >= 0;

    public override string ToString() => $"HTTP {Status} {ContentType} ({Body.Length} bytes, {Mask.Hidden})";
}
