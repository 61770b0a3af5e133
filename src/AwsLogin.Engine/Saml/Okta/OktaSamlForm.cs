using System;
using System.Linq;

namespace AwsLogin.Engine.Saml.Okta;

/// <summary>
/// Finds the SAMLResponse field of the auto-posting form Okta serves for a SAML app, with the shared tolerant scanner
/// (<see cref="HtmlPage"/>: any quote style, character references such as Okta's &amp;#x2b; for '+', comments,
/// scripts and styles skipped).
/// </summary>
internal static class OktaSamlForm
{
    public const string FieldName = "SAMLResponse";

    /// <summary>The field's decoded value and the decoded action of its form; both null when no form has such a field.</summary>
    public static (string? Value, string? Action) Find(string html)
    {
        foreach (var form in HtmlPage.Parse(html).Forms)
        {
            if (form.Inputs.FirstOrDefault(input => string.Equals(input.Name?.Trim(), FieldName, StringComparison.OrdinalIgnoreCase)) is { } field)
            {
                return (field.Value ?? string.Empty, form.Action);
            }
        }

        return (null, null);
    }
}
