using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace AwsLogin.Engine.Saml.Okta;

/// <summary>
/// Finds the SAMLResponse field of the auto-posting form Okta serves for a SAML app: the value of the first input
/// named SAMLResponse and the action of the form around it. A small tolerant scanner, not an HTML parser: tags and
/// attributes with double, single or no quotes, HTML character references (Okta writes '+' as &amp;#x2b;), and
/// comments, script and style content skipped (a script may hold markup-like text).
/// </summary>
internal static class OktaSamlForm
{
    public const string FieldName = "SAMLResponse";

    /// <summary>The field's decoded value and the decoded action of its form; both null when the page has no such field.</summary>
    public static (string? Value, string? Action) Find(string html)
    {
        string? action = null;
        var i = 0;
        while (i < html.Length)
        {
            var open = html.IndexOf('<', i);
            if (open < 0 || open + 1 >= html.Length)
            {
                break;
            }

            if (string.CompareOrdinal(html, open, "<!--", 0, 4) == 0)
            {
                var end = html.IndexOf("-->", open + 4, StringComparison.Ordinal);
                i = end < 0 ? html.Length : end + 3;
                continue;
            }

            var nameStart = open + 1;
            var nameEnd = nameStart;
            while (nameEnd < html.Length && IsNameChar(html[nameEnd]))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart)
            {
                // "</x>", "<!DOCTYPE>", "<?x?>" or a stray '<': nothing to read in it, except that a form has ended.
                if (string.Compare(html, nameStart, "/form", 0, 5, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    action = null;
                }

                var close = html.IndexOf('>', nameStart);
                i = close < 0 ? html.Length : close + 1;
                continue;
            }

            var tag = html.Substring(nameStart, nameEnd - nameStart).ToLowerInvariant();
            var attributes = ReadAttributes(html, nameEnd, out i);
            switch (tag)
            {
                case "form":
                    action = attributes.TryGetValue("action", out var target) ? target : null;
                    break;
                case "input":
                    if (attributes.TryGetValue("name", out var name) && string.Equals(name.Trim(), FieldName, StringComparison.OrdinalIgnoreCase))
                    {
                        return (attributes.TryGetValue("value", out var value) ? value : string.Empty, action);
                    }

                    break;
                case "script":
                case "style":
                case "textarea":
                    var endTag = html.IndexOf("</" + tag, i, StringComparison.OrdinalIgnoreCase);
                    i = endTag < 0 ? html.Length : endTag;
                    break;
            }
        }

        return (null, null);
    }

    /// <summary>Decodes HTML character references: numeric (decimal and hex) and the common named ones.</summary>
    public static string Decode(string text)
    {
        var amp = text.IndexOf('&');
        if (amp < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        result.Append(text, 0, amp);
        var i = amp;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '&' || !TryReference(text, i, out var decoded, out var length))
            {
                result.Append(c);
                i++;
                continue;
            }

            result.Append(decoded);
            i += length;
        }

        return result.ToString();
    }

    private static Dictionary<string, string> ReadAttributes(string html, int start, out int next)
    {
        var attributes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = start;
        while (i < html.Length)
        {
            while (i < html.Length && (char.IsWhiteSpace(html[i]) || html[i] == '/'))
            {
                i++;
            }

            if (i >= html.Length || html[i] == '>')
            {
                break;
            }

            var nameStart = i;
            while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] is not ('=' or '>' or '/'))
            {
                i++;
            }

            var name = html.Substring(nameStart, i - nameStart);
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            string value;
            if (i < html.Length && html[i] == '=')
            {
                i++;
                while (i < html.Length && char.IsWhiteSpace(html[i]))
                {
                    i++;
                }

                if (i < html.Length && html[i] is '"' or '\'')
                {
                    var quote = html[i];
                    var end = html.IndexOf(quote, i + 1);
                    end = end < 0 ? html.Length : end;
                    value = html.Substring(i + 1, end - i - 1);
                    i = Math.Min(html.Length, end + 1);
                }
                else
                {
                    var valueStart = i;
                    while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>')
                    {
                        i++;
                    }

                    value = html.Substring(valueStart, i - valueStart);
                }
            }
            else
            {
                value = string.Empty;
            }

            // HTML keeps the first of repeated attributes.
            if (name.Length > 0 && !attributes.ContainsKey(name))
            {
                attributes[name] = Decode(value);
            }
        }

        next = Math.Min(html.Length, i + 1);
        return attributes;
    }

    private static bool TryReference(string text, int amp, out string decoded, out int length)
    {
        decoded = string.Empty;
        length = 0;
        var i = amp + 1;
        if (i < text.Length && text[i] == '#')
        {
            i++;
            var hex = i < text.Length && text[i] is 'x' or 'X';
            if (hex)
            {
                i++;
            }

            var digitsStart = i;
            while (i < text.Length && (hex ? Uri.IsHexDigit(text[i]) : text[i] is >= '0' and <= '9') && i - digitsStart < 8)
            {
                i++;
            }

            if (i == digitsStart
                || !int.TryParse(text.Substring(digitsStart, i - digitsStart), hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                || code is <= 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
            {
                return false;
            }

            // The semicolon is optional for numeric references (browsers accept it missing).
            if (i < text.Length && text[i] == ';')
            {
                i++;
            }

            decoded = char.ConvertFromUtf32(code);
            length = i - amp;
            return true;
        }

        var semicolon = text.IndexOf(';', i);
        if (semicolon < 0 || semicolon - i > 8)
        {
            return false;
        }

        decoded = text.Substring(i, semicolon - i) switch
        {
            "amp" => "&",
            "lt" => "<",
            "gt" => ">",
            "quot" => "\"",
            "apos" => "'",
            "plus" => "+",
            "equals" => "=",
            "sol" => "/",
            "colon" => ":",
            "nbsp" => "\u00A0",
            _ => string.Empty,
        };
        length = semicolon + 1 - amp;
        return decoded.Length > 0;
    }

    private static bool IsNameChar(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9');
}
