using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AwsLogin.TestServers;

/// <summary>
/// The parameters of one Query-protocol request, with the constraints of the STS API model. Failures read like
/// AWS's ("1 validation error detected: Value ... at 'roleSessionName' failed to satisfy constraint: ...").
/// </summary>
internal sealed partial class StsParameters
{
    private readonly IReadOnlyDictionary<string, string> _values;

    public StsParameters(IReadOnlyDictionary<string, string> values)
    {
        _values = values;
    }

    public string? this[string name] => _values.TryGetValue(name, out string? value) ? value : null;

    public string Required(string name, int minLength, int maxLength, Regex? pattern = null, bool sensitive = false) =>
        Optional(name, minLength, maxLength, pattern, sensitive)
        ?? throw StsFault.Validation($"1 validation error detected: Value null at '{MemberName(name)}' failed to satisfy constraint: Member must not be null");

    public string? Optional(string name, int minLength, int maxLength, Regex? pattern = null, bool sensitive = false)
    {
        string? value = this[name];
        if (value is null)
        {
            return null;
        }

        if (value.Length < minLength)
        {
            throw Constraint(name, value, sensitive, $"Member must have length greater than or equal to {minLength}");
        }

        if (value.Length > maxLength)
        {
            throw Constraint(name, value, sensitive, $"Member must have length less than or equal to {maxLength}");
        }

        if (pattern is not null && !pattern.IsMatch(value))
        {
            throw Constraint(name, value, sensitive, $"Member must satisfy regular expression pattern: {PatternText(pattern)}");
        }

        return value;
    }

    public int? Duration(int min, int max)
    {
        string? text = this["DurationSeconds"];
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds))
        {
            throw StsFault.Validation($"Invalid value '{text}' for parameter DurationSeconds: must be an integer.");
        }

        if (seconds < min)
        {
            throw Constraint("DurationSeconds", text, false, $"Member must have value greater than or equal to {min}");
        }

        if (seconds > max)
        {
            throw Constraint("DurationSeconds", text, false, $"Member must have value less than or equal to {max}");
        }

        return seconds;
    }

    /// <summary>The inline session policy, checked to be JSON; null when none was sent.</summary>
    public string? Policy()
    {
        string? policy = Optional("Policy", 1, 2048);
        if (policy is null)
        {
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(policy);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw StsFault.MalformedPolicyDocument("The policy is not in the valid JSON format.");
            }
        }
        catch (JsonException)
        {
            throw StsFault.MalformedPolicyDocument("The policy is not in the valid JSON format.");
        }

        return policy;
    }

    // Patterns of the STS API model; \w there means [A-Za-z0-9_].
    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@-]*$")]
    public static partial Regex SessionNamePattern();

    [GeneratedRegex(@"^[A-Za-z0-9_+=,.@:/-]*$")]
    public static partial Regex ExternalIdPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_+=/:,.@-]*$")]
    public static partial Regex SerialNumberPattern();

    [GeneratedRegex(@"^[0-9]*$")]
    public static partial Regex TokenCodePattern();

    private static string MemberName(string name) =>
        name == "SAMLAssertion" ? "sAMLAssertion" : char.ToLowerInvariant(name[0]) + name[1..];

    // Shown as the API model writes it, with \w.
    private static string PatternText(Regex pattern) =>
        pattern.ToString().TrimStart('^').TrimEnd('$').Replace("A-Za-z0-9_", "\\w", StringComparison.Ordinal);

    private static StsFault Constraint(string name, string value, bool sensitive, string constraint)
    {
        // AWS echoes the value; the fake leaves sensitive ones (assertions) out of its messages.
        string shown = sensitive ? string.Empty : $" '{value}'";
        return StsFault.Validation($"1 validation error detected: Value{shown} at '{MemberName(name)}' failed to satisfy constraint: {constraint}");
    }
}
