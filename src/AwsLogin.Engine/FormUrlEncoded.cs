using System;
using System.Collections.Generic;

namespace AwsLogin.Engine;

/// <summary>application/x-www-form-urlencoded text: a query string, or a form posted by a browser.</summary>
internal static class FormUrlEncoded
{
    /// <summary>The fields, decoded; the first occurrence of a name wins, as parse_qs(...)[name][0] does in the AWS CLI.</summary>
    public static Dictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair : pair.Substring(0, equals));
            if (!values.ContainsKey(name))
            {
                values[name] = equals < 0 ? string.Empty : Decode(pair.Substring(equals + 1));
            }
        }

        return values;
    }

    private static string Decode(string component)
    {
        try
        {
            return Uri.UnescapeDataString(component.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return component;
        }
    }
}
