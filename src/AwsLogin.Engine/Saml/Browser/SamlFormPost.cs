using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Saml.Browser;

/// <summary>
/// The HTML form an IdP posts to AWS's SAML endpoint (the HTTP-POST binding): which URLs are AWS's assertion consumer
/// service, and how to take SAMLResponse out of the form body the browser reports over CDP.
/// </summary>
internal static class SamlFormPost
{
    public const string ResponseField = "SAMLResponse";

    private static readonly string[] s_signInHosts =
    {
        AwsPartition.Aws.SignInHost, AwsPartition.AwsUsGov.SignInHost, AwsPartition.AwsCn.SignInHost,
    };

    /// <summary>
    /// Fetch.enable URL patterns for every AWS SAML endpoint: each partition's sign-in host and its regional hosts
    /// (REGION.signin.aws.amazon.com), /saml and /saml/acs/ID, plus <paramref name="assertionConsumerServiceUrl"/>.
    /// </summary>
    public static IReadOnlyList<string> UrlPatterns(string assertionConsumerServiceUrl)
    {
        var patterns = new List<string>();
        foreach (var host in s_signInHosts)
        {
            foreach (var prefix in new[] { "https://", "https://*." })
            {
                patterns.Add(prefix + host + "/saml");
                patterns.Add(prefix + host + "/saml?*");
                patterns.Add(prefix + host + "/saml/acs/*");
            }
        }

        if (Uri.TryCreate(assertionConsumerServiceUrl, UriKind.Absolute, out var configured) && !IsAwsConsumer(configured))
        {
            var escaped = Escape(configured.GetLeftPart(UriPartial.Path));
            patterns.Add(escaped);
            patterns.Add(escaped + "?*");
        }

        return patterns;
    }

    /// <summary>Whether <paramref name="url"/> is an AWS SAML endpoint or the configured consumer URL (query ignored).</summary>
    public static bool IsConsumer(string url, string assertionConsumerServiceUrl)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (IsAwsConsumer(uri))
        {
            return true;
        }

        return Uri.TryCreate(assertionConsumerServiceUrl, UriKind.Absolute, out var configured)
            && string.Equals(uri.GetLeftPart(UriPartial.Path), configured.GetLeftPart(UriPartial.Path), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The request body CDP reported (postDataEntries, else postData), or null when it gave none.</summary>
    public static byte[]? Body(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (request.TryGetProperty("postDataEntries", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            using var body = new MemoryStream();
            var any = false;
            foreach (var entry in entries.EnumerateArray())
            {
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("bytes", out var bytes) && bytes.ValueKind == JsonValueKind.String)
                {
                    byte[] chunk;
                    try
                    {
                        chunk = Convert.FromBase64String(bytes.GetString()!);
                    }
                    catch (FormatException)
                    {
                        return null;
                    }

                    body.Write(chunk, 0, chunk.Length);
                    any = true;
                }
            }

            if (any)
            {
                return body.ToArray();
            }
        }

        if (request.TryGetProperty("postData", out var postData) && postData.ValueKind == JsonValueKind.String)
        {
            return Encoding.UTF8.GetBytes(postData.GetString()!);
        }

        return null;
    }

    /// <summary>The request's Content-Type media type (lower case), or null.</summary>
    public static string? MediaType(JsonElement request)
    {
        if (request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("headers", out var headers) || headers.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var header in headers.EnumerateObject())
        {
            if (string.Equals(header.Name, "Content-Type", StringComparison.OrdinalIgnoreCase) && header.Value.ValueKind == JsonValueKind.String)
            {
                var value = header.Value.GetString() ?? string.Empty;
                var semicolon = value.IndexOf(';');
                return (semicolon < 0 ? value : value.Substring(0, semicolon)).Trim().ToLowerInvariant();
            }
        }

        return null;
    }

    /// <summary>
    /// The value of field <paramref name="name"/> in an application/x-www-form-urlencoded body, or null when absent.
    /// For SAMLResponse the value is base64: whitespace (line breaks some IdPs insert) is removed.
    /// </summary>
    public static string? Field(byte[] body, string name)
    {
        // A urlencoded body is ASCII: every other byte arrives percent-encoded.
        if (!FormUrlEncoded.Parse(Encoding.ASCII.GetString(body)).TryGetValue(name, out var value))
        {
            return null;
        }

        return name == ResponseField ? new string(value.Where(c => !char.IsWhiteSpace(c)).ToArray()) : value;
    }

    private static bool IsAwsConsumer(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttps || !uri.IsDefaultPort)
        {
            return false;
        }

        var host = uri.Host.ToLowerInvariant();
        if (!s_signInHosts.Any(signIn => host == signIn || host.EndsWith("." + signIn, StringComparison.Ordinal)))
        {
            return false;
        }

        var path = uri.AbsolutePath;
        return path == "/saml" || (path.StartsWith("/saml/acs/", StringComparison.Ordinal) && path.Length > "/saml/acs/".Length);
    }

    // Fetch patterns: '*' is any run of characters, '?' one character, '\' escapes.
    private static string Escape(string url) =>
        url.Replace("\\", "\\\\").Replace("*", "\\*").Replace("?", "\\?");
}
