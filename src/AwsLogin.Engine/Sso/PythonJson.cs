using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace AwsLogin.Engine.Sso;

/// <summary>
/// JSON text exactly as Python's <c>json.dumps</c> writes it with its defaults (", " and ": " separators,
/// ensure_ascii), which is what the AWS CLI writes to ~/.aws/sso/cache and what it hashes for registration cache
/// keys. Values are strings, null, or lists of strings.
/// </summary>
internal static class PythonJson
{
    /// <summary>An object with its members in the given order (json.dumps keeps dict insertion order).</summary>
    public static string Object(IEnumerable<KeyValuePair<string, object?>> members)
    {
        var builder = new StringBuilder("{");
        var first = true;
        foreach (var member in members)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            AppendString(builder, member.Key);
            builder.Append(": ");
            AppendValue(builder, member.Value);
        }

        return builder.Append('}').ToString();
    }

    /// <summary>An object with its members sorted by name, as <c>json.dumps(..., sort_keys=True)</c> writes it.</summary>
    public static string SortedObject(IEnumerable<KeyValuePair<string, object?>> members) =>
        Object(members.OrderBy(m => m.Key, StringComparer.Ordinal));

    private static void AppendValue(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case string text:
                AppendString(builder, text);
                break;
            case bool flag:
                builder.Append(flag ? "true" : "false");
                break;
            case IEnumerable<string> list:
                builder.Append('[');
                var first = true;
                foreach (var item in list)
                {
                    if (!first)
                    {
                        builder.Append(", ");
                    }

                    first = false;
                    AppendString(builder, item);
                }

                builder.Append(']');
                break;
            default:
                throw new ArgumentException("Only strings, booleans, null and lists of strings are written.", nameof(value));
        }
    }

    // json.encoder.py_encode_basestring_ascii: the two-character escapes, and \uXXXX (lower-case hex) for every
    // other character outside ' '..'~'. .NET strings are UTF-16, so characters beyond the BMP come out as the
    // same surrogate pairs Python writes.
    private static void AppendString(StringBuilder builder, string text)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
