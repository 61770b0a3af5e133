using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AwsLogin.Engine.Config;

/// <summary>
/// Profile names for generated profiles: the name template, the characters a name may hold, and the
/// credential_process command line.
/// </summary>
/// <remarks>
/// A name is the template with its placeholders filled in, then sanitised: accents are dropped (<c>é</c> becomes
/// <c>e</c>), every run of characters other than ASCII letters, digits and <c>_ . @ +</c> becomes one <c>-</c>
/// (so spaces, brackets, quotes, slashes and <c>-</c> runs collapse), and <c>-</c> is trimmed from both ends; case
/// is kept. Such names need no quoting in <c>[profile NAME]</c>, on a command line or in AWS_PROFILE. A name that
/// sanitises to nothing falls back to <c>{AccountId}-{RoleName}</c>.
/// </remarks>
public static class SsoConfigNames
{
    /// <summary>The key that marks a section as written by <see cref="SsoConfigGenerator"/> (AWS tools ignore unknown keys).</summary>
    public const string MarkerKey = "x_awslogin_generated";

    /// <summary>The template used when a name would otherwise be empty.</summary>
    public const string FallbackTemplate = "{AccountId}-{RoleName}";

    /// <summary>The PowerShell a credential_process line runs by default (PowerShell 7); Windows PowerShell is "powershell".</summary>
    public const string DefaultPowerShell = "pwsh";

    private static readonly string[] s_placeholders = { "AccountName", "AccountId", "RoleName", "AccountEmail", "SessionName" };
    private static readonly Regex s_accountId = new("^[0-9]{12}$", RegexOptions.CultureInvariant);
    private static readonly Regex s_roleName = new("^[A-Za-z0-9_+=,.@-]{1,64}$", RegexOptions.CultureInvariant);
    private static readonly Regex s_sessionName = new("^[A-Za-z0-9_.@+-]+$", RegexOptions.CultureInvariant);
    private static readonly Regex s_region = new("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant);
    private static readonly HashSet<string> s_outputs = new(StringComparer.Ordinal) { "json", "yaml", "yaml-stream", "text", "table" };

    /// <summary>The placeholders a name template may use: {AccountName}, {AccountId}, {RoleName}, {AccountEmail}, {SessionName}.</summary>
    public static IReadOnlyList<string> Placeholders => s_placeholders;

    /// <summary>
    /// Checks a name template: braces only around a known placeholder (matched ignoring case), and at least one of
    /// {AccountName}, {AccountId}, {RoleName} or {AccountEmail}. An <see cref="AwsLoginException"/>
    /// (InvalidArgument, InvalidNameTemplate) otherwise.
    /// </summary>
    public static void ValidateTemplate(string template) => Parse(template);

    /// <summary>
    /// Fills in <paramref name="template"/> and sanitises the result (see the remarks on <see cref="SsoConfigNames"/>);
    /// null values count as empty.
    /// </summary>
    public static string Expand(string template, string? accountName, string? accountId, string? roleName, string? accountEmail, string? sessionName)
    {
        var builder = new StringBuilder();
        foreach (var (literal, placeholder) in Parse(template))
        {
            builder.Append(literal);
            builder.Append(placeholder switch
            {
                "AccountName" => accountName,
                "AccountId" => accountId,
                "RoleName" => roleName,
                "AccountEmail" => accountEmail,
                "SessionName" => sessionName,
                _ => null,
            });
        }

        return Sanitize(builder.ToString());
    }

    /// <summary>Makes <paramref name="text"/> a profile name (see the remarks on <see cref="SsoConfigNames"/>); may return "".</summary>
    public static string Sanitize(string text)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        string decomposed;
        try
        {
            decomposed = text.Normalize(NormalizationForm.FormD);
        }
        catch (ArgumentException)
        {
            // A lone surrogate cannot be normalised; its characters become '-' below anyway.
            decomposed = text;
        }

        var builder = new StringBuilder(decomposed.Length);
        var pendingDash = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (IsNameCharacter(c) && c != '-')
            {
                if (pendingDash && builder.Length > 0)
                {
                    builder.Append('-');
                }

                pendingDash = false;
                builder.Append(c);
            }
            else
            {
                pendingDash = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// The credential_process command for one account and role: <c>pwsh -NoProfile -NonInteractive -Command
    /// "Get-AwsRoleCredential -SsoSession 'NAME' -SsoAccountId 'ID' -SsoRoleName 'ROLE' -AsProcessJson"</c>.
    /// </summary>
    /// <remarks>
    /// The PowerShell command is one double-quoted word, so that sh -c (the AWS SDK for .NET on Unix), cmd /c (on
    /// Windows) and shlex (the AWS CLI) all pass it to pwsh whole; inside it the values are single-quoted, so
    /// PowerShell reads them as literal strings: unquoted, an account id would be parsed as a number and lose its
    /// leading zeros, and a role name with ',' would become an array. The values are validated to hold none of the
    /// characters that are special inside those quotes (<c>' " $ ` \ %</c>).
    /// </remarks>
    public static string CredentialProcessCommand(string sessionName, string accountId, string roleName, string powerShell = DefaultPowerShell)
    {
        ValidateSessionName(sessionName);
        ValidateAccountId(accountId);
        ValidateRoleName(roleName);
        return powerShell + " -NoProfile -NonInteractive -Command \"Get-AwsRoleCredential -SsoSession '" + sessionName
            + "' -SsoAccountId '" + accountId + "' -SsoRoleName '" + roleName + "' -AsProcessJson\"";
    }

    /// <summary>True for the characters a sanitised name may hold: ASCII letters and digits and <c>_ . @ + -</c>.</summary>
    public static bool IsNameCharacter(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' or '@' or '+' or '-';

    internal static string ValidateSessionName(string name)
    {
        if (name is null || !s_sessionName.IsMatch(name))
        {
            throw InvalidSetting(name, $"'{name}' cannot be an sso-session name here: use ASCII letters, digits and _ . @ + - only.", "Choose an sso-session name such as 'my-sso'.");
        }

        return name;
    }

    internal static string ValidateAccountId(string accountId)
    {
        if (accountId is null || !s_accountId.IsMatch(accountId))
        {
            throw InvalidSetting(accountId, $"'{accountId}' is not an AWS account id (12 digits).", "Pass the 12-digit account id, with its leading zeros.");
        }

        return accountId;
    }

    internal static string ValidateRoleName(string roleName)
    {
        if (roleName is null || !s_roleName.IsMatch(roleName))
        {
            throw InvalidSetting(roleName, $"'{roleName}' is not a role name: 1-64 characters from A-Z a-z 0-9 _ + = , . @ -.", "Pass the permission set's role name as IAM Identity Center lists it.");
        }

        return roleName;
    }

    internal static string ValidateRegion(string region)
    {
        if (region is null || !s_region.IsMatch(region))
        {
            throw InvalidSetting(region, $"'{region}' is not an AWS region name such as eu-west-1.", "Pass a region name such as us-east-1 or eu-central-1.");
        }

        return region;
    }

    internal static string ValidateOutput(string output)
    {
        if (output is null || !s_outputs.Contains(output))
        {
            throw InvalidSetting(output, $"'{output}' is not an AWS CLI output format.", "Use json, yaml, yaml-stream, text or table.");
        }

        return output;
    }

    internal static bool HasWhiteSpace(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    internal static AwsLoginException InvalidSetting(string? value, string message, string recommendedAction) =>
        new(FailureKind.InvalidArgument, "InvalidSsoConfigSetting", message, value, recommendedAction);

    // The template as (literal text, placeholder) pairs; the last placeholder is null.
    private static List<(string Literal, string? Placeholder)> Parse(string template)
    {
        if (template is null)
        {
            throw new ArgumentNullException(nameof(template));
        }

        var parts = new List<(string, string?)>();
        var literal = new StringBuilder();
        var varies = false;
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c == '}')
            {
                throw InvalidTemplate(template, "it has a '}' without a '{' before it");
            }

            if (c != '{')
            {
                literal.Append(c);
                i++;
                continue;
            }

            var close = template.IndexOf('}', i + 1);
            if (close < 0)
            {
                throw InvalidTemplate(template, "it has a '{' without a '}' after it");
            }

            var name = template.Substring(i + 1, close - i - 1);
            var placeholder = Array.Find(s_placeholders, p => string.Equals(p, name, StringComparison.OrdinalIgnoreCase));
            if (placeholder is null)
            {
                throw InvalidTemplate(template, $"'{{{name}}}' is not a placeholder");
            }

            varies |= placeholder != "SessionName";
            parts.Add((literal.ToString(), placeholder));
            literal.Clear();
            i = close + 1;
        }

        if (!varies)
        {
            throw InvalidTemplate(template, "it has none of {AccountName}, {AccountId}, {RoleName} or {AccountEmail}, so every profile would get the same name");
        }

        parts.Add((literal.ToString(), null));
        return parts;
    }

    private static AwsLoginException InvalidTemplate(string template, string reason) =>
        new(
            FailureKind.InvalidArgument,
            "InvalidNameTemplate",
            $"The profile name template '{template}' cannot be used: {reason}.",
            template,
            "Use text with the placeholders {AccountName}, {AccountId}, {RoleName}, {AccountEmail} and {SessionName}, for example '{AccountName}-{RoleName}'.");
}
