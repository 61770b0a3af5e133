using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AwsLogin.Engine.Output;

/// <summary>RFC 3339 timestamps as the credential_process contract and the CLI's exports use them.</summary>
internal static class Rfc3339
{
    // Date, 'T' (or 't' or a space, which RFC 3339 allows), time, optional fraction, then Z or an offset.
    private static readonly Regex s_pattern = new(
        @"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$",
        RegexOptions.CultureInvariant);

    /// <summary>yyyy-MM-ddTHH:mm:ssZ in UTC; an unspecified kind is taken as UTC, fractions are dropped (never later than the truth).</summary>
    public static string Format(DateTime value)
    {
        var utc = value.Kind switch
        {
            DateTimeKind.Local => value.ToUniversalTime(),
            DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
            _ => value,
        };
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a timestamp with Z or an offset, with or without fractional seconds, to UTC.</summary>
    public static bool TryParse(string? text, out DateTime utc)
    {
        utc = default;
        var match = text is null ? null : s_pattern.Match(text.Trim());
        if (match is null || !match.Success)
        {
            return false;
        }

        try
        {
            var ticks = 0L;
            if (match.Groups[7].Success)
            {
                var fraction = match.Groups[7].Value;
                fraction = fraction.Length > 7 ? fraction.Substring(0, 7) : fraction.PadRight(7, '0');
                ticks = long.Parse(fraction, CultureInfo.InvariantCulture);
            }

            var offset = TimeSpan.Zero;
            if (match.Groups[9].Success)
            {
                offset = new TimeSpan(Int(match, 10), Int(match, 11), 0);
                if (match.Groups[9].Value == "-")
                {
                    offset = offset.Negate();
                }
            }

            var local = new DateTime(Int(match, 1), Int(match, 2), Int(match, 3), Int(match, 4), Int(match, 5), Int(match, 6), DateTimeKind.Unspecified).AddTicks(ticks);
            utc = new DateTimeOffset(local, offset).UtcDateTime;
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static int Int(Match match, int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
}
