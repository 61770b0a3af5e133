using System.Collections.Generic;
using System.Management.Automation;

namespace AwsLogin.Completers;

/// <summary>Shared matching and quoting for the completers.</summary>
internal static class CompletionText
{
    /// <summary>The candidates matching what was typed (a case-insensitive wildcard prefix), quoted where needed.</summary>
    public static IEnumerable<CompletionResult> Matching(IEnumerable<string> candidates, string? wordToComplete)
    {
        var typed = Unquote(wordToComplete ?? string.Empty);
        var pattern = new WildcardPattern(WildcardPattern.Escape(typed).Replace("`*", "*").Replace("`?", "?") + "*", WildcardOptions.IgnoreCase);
        foreach (var candidate in candidates)
        {
            if (pattern.IsMatch(candidate))
            {
                yield return new CompletionResult(Quote(candidate), candidate, CompletionResultType.ParameterValue, candidate);
            }
        }
    }

    private static string Unquote(string text) =>
        text.Length > 0 && (text[0] == '\'' || text[0] == '"') ? text.Trim(text[0]) : text;

    private static string Quote(string value)
    {
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || "'\"`$(){}[];,&|@#<>".IndexOf(c) >= 0)
            {
                return "'" + value.Replace("'", "''") + "'";
            }
        }

        return value;
    }
}
