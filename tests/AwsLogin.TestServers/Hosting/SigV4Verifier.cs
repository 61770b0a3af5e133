using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace AwsLogin.TestServers;

/// <summary>How a SigV4 check ended.</summary>
public enum SigV4Outcome
{
    /// <summary>The signature is correct for the named key's secret.</summary>
    Valid,
    /// <summary>No Authorization header at all.</summary>
    Missing,
    /// <summary>The Authorization header or the date is malformed (AWS: IncompleteSignature).</summary>
    Malformed,
    /// <summary>The access key is not known (AWS: InvalidClientTokenId).</summary>
    UnknownKey,
    /// <summary>Wrong signature, credential scope or request time (AWS: SignatureDoesNotMatch).</summary>
    SignatureMismatch,
}

/// <summary>The result of <see cref="SigV4Verifier.Verify"/>. <see cref="Detail"/> never holds a secret.</summary>
public sealed record SigV4Result(
    SigV4Outcome Outcome,
    string? AccessKeyId,
    string? SecurityToken,
    string? Region,
    string Detail)
{
    public bool IsValid => Outcome == SigV4Outcome.Valid;
}

/// <summary>
/// Verifies AWS Signature Version 4 in the Authorization header the way AWS services do: canonical request
/// (method, double-encoded path, sorted query, the signed headers, SHA-256 of the body), credential scope
/// (date, region, service), request time and the HMAC chain derived from the key's secret.
/// </summary>
public sealed class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private const string UnreservedCharacters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

    private readonly string _service;
    private readonly Func<string, string?> _findSecret;

    /// <param name="service">The signing name, e.g. sts.</param>
    /// <param name="findSecret">Returns the secret access key for an access key ID, or null when the key is unknown.</param>
    public SigV4Verifier(string service, Func<string, string?> findSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentNullException.ThrowIfNull(findSecret);
        _service = service;
        _findSecret = findSecret;
    }

    /// <summary>The region the credential scope must name; null accepts any region.</summary>
    public string? Region { get; init; }

    /// <summary>How far X-Amz-Date may be from the server clock (AWS allows 15 minutes).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Verifies a request whose body has already been read into <paramref name="body"/>.</summary>
    public SigV4Result Verify(HttpRequest request, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);

        string? token = Header(request, "x-amz-security-token");
        string authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return new SigV4Result(SigV4Outcome.Missing, null, token, null, "Request is missing Authentication Token");
        }

        if (!TryParseAuthorization(authorization, out AuthorizationHeader? header, out string problem))
        {
            return new SigV4Result(SigV4Outcome.Malformed, null, token, null, problem);
        }

        string[] scope = header.Credential.Split('/');
        if (scope.Length != 5 || scope[0].Length == 0 || scope[4] != "aws4_request")
        {
            return new SigV4Result(SigV4Outcome.Malformed, null, token, null,
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term.");
        }

        string accessKeyId = scope[0];
        string region = scope[2];
        SigV4Result Fail(SigV4Outcome outcome, string detail) => new(outcome, accessKeyId, token, region, detail);

        string? amzDate = Header(request, "x-amz-date");
        if (amzDate is null)
        {
            return Fail(SigV4Outcome.Malformed, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (!DateTimeOffset.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset signedAt))
        {
            return Fail(SigV4Outcome.Malformed, "X-Amz-Date must be in the ISO8601 basic format yyyyMMddTHHmmssZ.");
        }

        if (!header.SignedHeaders.Contains("host"))
        {
            return Fail(SigV4Outcome.Malformed, "'Host' must be a signed header.");
        }

        if (scope[1] != amzDate[..8])
        {
            return Fail(SigV4Outcome.SignatureMismatch, $"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scope[1]}' != '{amzDate[..8]}'");
        }

        if (Region is not null && !string.Equals(region, Region, StringComparison.Ordinal))
        {
            return Fail(SigV4Outcome.SignatureMismatch, $"Credential should be scoped to a valid region, not '{region}'.");
        }

        if (scope[3] != _service)
        {
            return Fail(SigV4Outcome.SignatureMismatch, $"Credential should be scoped to correct service: '{_service}'.");
        }

        if (signedAt < now - MaxClockSkew)
        {
            return Fail(SigV4Outcome.SignatureMismatch, $"Signature expired: {amzDate} is now earlier than {now.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture)} - {MaxClockSkew.TotalMinutes} min.");
        }

        if (signedAt > now + MaxClockSkew)
        {
            return Fail(SigV4Outcome.SignatureMismatch, $"Signature not yet current: {amzDate} is still later than {now.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture)} + {MaxClockSkew.TotalMinutes} min.");
        }

        string? secret = _findSecret(accessKeyId);
        if (secret is null)
        {
            return Fail(SigV4Outcome.UnknownKey, "The security token included in the request is invalid.");
        }

        string payloadHash = Hex(SHA256.HashData(body));
        string? declaredHash = Header(request, "x-amz-content-sha256");
        if (declaredHash is not null && !string.Equals(declaredHash, payloadHash, StringComparison.OrdinalIgnoreCase))
        {
            // Services other than S3 always sign the body itself; a declared hash must agree with it.
            return Fail(SigV4Outcome.SignatureMismatch, "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        string canonicalRequest = CanonicalRequest(request, header.SignedHeaders, payloadHash);
        string credentialScope = string.Join('/', scope[1..]);
        string stringToSign = string.Join('\n', Algorithm, amzDate, credentialScope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        byte[] signingKey = DeriveSigningKey(secret, scope[1], region, scope[3]);
        byte[] expected = Encoding.ASCII.GetBytes(Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign))));
        byte[] provided = Encoding.ASCII.GetBytes(header.Signature.ToLowerInvariant());

        return CryptographicOperations.FixedTimeEquals(expected, provided)
            ? new SigV4Result(SigV4Outcome.Valid, accessKeyId, token, region, "OK")
            : Fail(SigV4Outcome.SignatureMismatch,
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    /// <summary>
    /// The access key and region named in the Authorization header's credential scope, without verifying anything;
    /// null when there is no well-formed SigV4 header.
    /// </summary>
    public static (string AccessKeyId, string Region)? ReadCredentialScope(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!TryParseAuthorization(request.Headers.Authorization.ToString(), out AuthorizationHeader? header, out _))
        {
            return null;
        }

        string[] scope = header.Credential.Split('/');
        return scope.Length == 5 ? (scope[0], scope[2]) : null;
    }

    /// <summary>The SigV4 signing key: HMAC chain over date, region, service and "aws4_request".</summary>
    public static byte[] DeriveSigningKey(string secret, string date, string region, string service)
    {
        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8.ToArray());
    }

    private static string CanonicalRequest(HttpRequest request, IReadOnlyList<string> signedHeaders, string payloadHash)
    {
        // The raw target keeps the path and query exactly as sent; HttpRequest.Path is already decoded.
        string rawTarget = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget
            ?? request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent();
        int question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string rawPath = question < 0 ? rawTarget : rawTarget[..question];
        string rawQuery = question < 0 ? string.Empty : rawTarget[(question + 1)..];

        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');
        builder.Append(CanonicalPath(rawPath)).Append('\n');
        builder.Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach (string name in signedHeaders)
        {
            builder.Append(name).Append(':').Append(CanonicalHeaderValue(request.Headers[name])).Append('\n');
        }

        builder.Append('\n');
        builder.Append(string.Join(';', signedHeaders)).Append('\n');
        builder.Append(payloadHash);
        return builder.ToString();
    }

    private static string CanonicalPath(string rawPath)
    {
        // Every service but S3 normalizes the path and URI-encodes each segment twice.
        var segments = new List<string>();
        foreach (string segment in rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(UriEncode(UriEncode(Uri.UnescapeDataString(segment))));
        }

        string path = "/" + string.Join('/', segments);
        return rawPath.Length > 1 && rawPath.EndsWith('/') && segments.Count > 0 ? path + "/" : path;
    }

    private static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return string.Empty;
        }

        IEnumerable<(string Name, string Value)> pairs = rawQuery
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                string name = equals < 0 ? pair : pair[..equals];
                string value = equals < 0 ? string.Empty : pair[(equals + 1)..];
                return (UriEncode(Uri.UnescapeDataString(name)), UriEncode(Uri.UnescapeDataString(value)));
            })
            .OrderBy(pair => pair.Item1, StringComparer.Ordinal)
            .ThenBy(pair => pair.Item2, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(pair => pair.Name + "=" + pair.Value));
    }

    private static string CanonicalHeaderValue(StringValues values) =>
        string.Join(',', values.Select(value => string.Join(' ', (value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))));

    private static string UriEncode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (b < 0x80 && UnreservedCharacters.Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string? Header(HttpRequest request, string name)
    {
        StringValues values = request.Headers[name];
        return values.Count == 0 ? null : values.ToString().Trim();
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static bool TryParseAuthorization(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AuthorizationHeader? header, out string problem)
    {
        header = null;
        if (!value.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            problem = $"Unsupported AWS 'algorithm': only '{Algorithm}' is supported.";
            return false;
        }

        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string part in value[Algorithm.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !parts.TryAdd(part[..equals], part[(equals + 1)..]))
            {
                problem = "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.";
                return false;
            }
        }

        if (!parts.TryGetValue("Credential", out string? credential)
            || !parts.TryGetValue("SignedHeaders", out string? signedHeaders)
            || !parts.TryGetValue("Signature", out string? signature)
            || parts.Count != 3)
        {
            problem = "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.";
            return false;
        }

        string[] names = signedHeaders.Split(';');
        if (names.Any(name => name.Length == 0 || name != name.ToLowerInvariant())
            || !names.SequenceEqual(names.Order(StringComparer.Ordinal)))
        {
            problem = "SignedHeaders must be lowercase, sorted and separated by ';'.";
            return false;
        }

        if (signature.Length != 64 || !signature.All(Uri.IsHexDigit))
        {
            problem = "Signature must be 64 hexadecimal characters.";
            return false;
        }

        header = new AuthorizationHeader(credential, names, signature);
        problem = string.Empty;
        return true;
    }

    private sealed record AuthorizationHeader(string Credential, IReadOnlyList<string> SignedHeaders, string Signature);
}
