using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>The secret checks every SAML test world makes: of errors, of the engine log, and what gives an assertion away.</summary>
internal static class SecretScan
{
    // Markup and encodings that mean an assertion (or a form carrying one) reached a message.
    private static readonly string[] s_markers = { "<saml", "PHNhbWxw", "SignatureValue", "SAMLResponse=" };

    /// <summary>An issued assertion: its base64 (whole and its start), its signature value and its IDs.</summary>
    public static IEnumerable<string> Assertion(string base64Assertion)
    {
        yield return base64Assertion;
        yield return base64Assertion.Substring(0, 60);
        var xml = Encoding.UTF8.GetString(Convert.FromBase64String(base64Assertion));
        foreach (Match match in Regex.Matches(xml, "SignatureValue[^>]*>([^<]+)<"))
        {
            yield return match.Groups[1].Value.Trim();
        }

        foreach (Match match in Regex.Matches(xml, " ID=\"(_[0-9a-f]+)\""))
        {
            yield return match.Groups[1].Value;
        }
    }

    /// <summary>Every issued assertion's fingerprints.</summary>
    public static IEnumerable<string> Assertions(IEnumerable<string> base64Assertions) => base64Assertions.SelectMany(Assertion);

    /// <summary>No secret in the error's message, target, recommended action or ToString, nor in the log.</summary>
    public static void AssertClean(AwsLoginException exception, IReadOnlyList<string> log, IEnumerable<string> secrets)
    {
        var all = secrets.ToArray();
        var texts = new[] { exception.Message, exception.Target ?? string.Empty, exception.RecommendedAction ?? string.Empty, exception.ToString() };
        foreach (var secret in all)
        {
            Assert.All(texts, text => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        }

        AssertClean(log, all);
    }

    /// <summary>No secret and no assertion markup in any log message.</summary>
    public static void AssertClean(IReadOnlyList<string> log, IEnumerable<string> secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.All(log, message => Assert.DoesNotContain(secret, message, StringComparison.Ordinal));
        }

        foreach (var marker in s_markers)
        {
            Assert.All(log, message => Assert.DoesNotContain(marker, message, StringComparison.OrdinalIgnoreCase));
        }
    }
}
