using System;
using System.Collections.Generic;
using System.Text;

namespace AwsLogin.Engine.Output;

/// <summary>
/// A strict parser for the head of an HTTP/1.x request (request line and header fields, RFC 9112), enough for
/// the credential server: anything unusual is refused rather than guessed at. Bodies are not supported.
/// </summary>
internal sealed class LoopbackHttpRequest
{
    /// <summary>At most this many header fields.</summary>
    public const int MaxHeaderCount = 64;

    private LoopbackHttpRequest(string method, string target, string version, Dictionary<string, List<string>> headers)
    {
        Method = method;
        Target = target;
        Version = version;
        Headers = headers;
    }

    public string Method { get; }

    public string Target { get; }

    public string Version { get; }

    /// <summary>Field values by lower-case name, in arrival order.</summary>
    public IReadOnlyDictionary<string, List<string>> Headers { get; }

    /// <summary>The one value of a field; null when absent. <paramref name="duplicate"/> is true when it came more than once.</summary>
    public string? Single(string name, out bool duplicate)
    {
        duplicate = false;
        if (!Headers.TryGetValue(name, out var values))
        {
            return null;
        }

        duplicate = values.Count > 1;
        return values[0];
    }

    /// <summary>
    /// Index of the first byte after the CRLF CRLF that ends the head in <paramref name="buffer"/>[0..<paramref name="length"/>),
    /// or -1 when it has not arrived yet.
    /// </summary>
    public static int FindEndOfHead(byte[] buffer, int length)
    {
        for (var i = 3; i < length; i++)
        {
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r')
            {
                return i + 1;
            }
        }

        return -1;
    }

    /// <summary>True when <paramref name="buffer"/>[<paramref name="from"/>..<paramref name="length"/>) has an LF without a CR before it.</summary>
    public static bool HasBareLineFeed(byte[] buffer, int from, int length)
    {
        for (var i = from; i < length; i++)
        {
            if (buffer[i] == '\n' && (i == 0 || buffer[i - 1] != '\r'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a complete head (ending with CRLF CRLF). Returns null and an error status and reason when it is malformed.</summary>
    public static LoopbackHttpRequest? TryParse(byte[] buffer, int length, out int errorStatus, out string? errorReason)
    {
        errorStatus = 400;
        errorReason = null;
        for (var i = 0; i < length; i++)
        {
            var b = buffer[i];
            // Only visible ASCII, space, tab and the CRLF line ends; a lone CR or LF, NUL or any byte >= 0x7F is refused.
            if (b == '\r')
            {
                if (i + 1 >= length || buffer[i + 1] != '\n')
                {
                    errorReason = "a CR not followed by LF";
                    return null;
                }
            }
            else if (b == '\n')
            {
                if (i == 0 || buffer[i - 1] != '\r')
                {
                    errorReason = "a bare LF line end";
                    return null;
                }
            }
            else if ((b < 0x20 && b != '\t') || b >= 0x7F)
            {
                errorReason = "a control or non-ASCII byte";
                return null;
            }
        }

        var text = Encoding.ASCII.GetString(buffer, 0, length);
        var lines = text.Split(new[] { "\r\n" }, StringSplitOptions.None);

        // The head ends with an empty line: lines = [request line, fields..., "", ""].
        if (lines.Length < 3 || lines[lines.Length - 1].Length != 0 || lines[lines.Length - 2].Length != 0)
        {
            errorReason = "an incomplete request head";
            return null;
        }

        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || !IsToken(parts[0]))
        {
            errorReason = "a malformed request line";
            return null;
        }

        var version = parts[2];
        if (version.Length != 8 || !version.StartsWith("HTTP/", StringComparison.Ordinal) || !char.IsDigit(version[5]) || version[6] != '.' || !char.IsDigit(version[7]))
        {
            errorReason = "a malformed HTTP version";
            return null;
        }

        if (version != "HTTP/1.1" && version != "HTTP/1.0")
        {
            errorStatus = 505;
            errorReason = "an HTTP version other than 1.0 and 1.1";
            return null;
        }

        var headers = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var count = 0;
        for (var i = 1; i < lines.Length - 2; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || line[0] == ' ' || line[0] == '\t')
            {
                // An empty line inside the head cannot happen (the head ends at the first one); a leading blank is obsolete line folding.
                errorReason = "obsolete header line folding";
                return null;
            }

            var colon = line.IndexOf(':');
            if (colon <= 0 || !IsToken(line.Substring(0, colon)))
            {
                // This also refuses whitespace between the field name and the colon (RFC 9112 section 5.1).
                errorReason = "a malformed header field";
                return null;
            }

            if (++count > MaxHeaderCount)
            {
                errorStatus = 431;
                errorReason = "too many header fields";
                return null;
            }

            var name = line.Substring(0, colon).ToLowerInvariant();
            var value = line.Substring(colon + 1).Trim(' ', '\t');
            if (!headers.TryGetValue(name, out var values))
            {
                values = new List<string>(1);
                headers.Add(name, values);
            }

            values.Add(value);
        }

        return new LoopbackHttpRequest(parts[0], parts[1], version, headers);
    }

    // RFC 9110 token characters.
    private static bool IsToken(string text)
    {
        foreach (var c in text)
        {
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".IndexOf(c) >= 0;
            if (!ok)
            {
                return false;
            }
        }

        return text.Length > 0;
    }
}
