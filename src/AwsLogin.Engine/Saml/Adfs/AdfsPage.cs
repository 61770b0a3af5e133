using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace AwsLogin.Engine.Saml.Adfs;

/// <summary>What an ADFS page asks for next.</summary>
internal enum AdfsPageKind
{
    /// <summary>The form that posts the SAML response to the service provider: the sign-in is done.</summary>
    SamlResponse,

    /// <summary>The login form: a user name and a password field.</summary>
    Login,

    /// <summary>A form asking only for the user name (a paginated sign-in); the password page follows.</summary>
    UserName,

    /// <summary>The additional-authentication page asking for a verification code.</summary>
    Code,

    /// <summary>A second factor that only a browser can complete (a push, a phone call, an iframe widget).</summary>
    BrowserOnly,

    /// <summary>Anything else: an error page, a page of another kind of IdP.</summary>
    Unknown,
}

/// <summary>
/// An ADFS page sorted by what it asks for, with the form that asks it. ADFS names its fields UserName, Password and
/// AuthMethod (FormsAuthentication, or the additional-authentication adapter) and adds hidden fields of its own that
/// must go back unchanged; its error text is in an element with id errorText.
/// </summary>
internal sealed class AdfsPage
{
    private const string SamlResponseField = "SAMLResponse";

    // Field names of second-factor codes: Azure MFA's VerificationCode, Symantec VIP's security code, OTP adapters.
    private static readonly Regex s_codeName = new(
        "verification|passcode|security_?code|one_?time|otp|token|mfa|pin$|code$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly Regex s_userName = new("user|email|login|upn|account", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private AdfsPage(AdfsPageKind kind, HtmlPage html, HtmlForm? form)
    {
        Kind = kind;
        Html = html;
        Form = form;
    }

    public AdfsPageKind Kind { get; }

    public HtmlPage Html { get; }

    /// <summary>The form to fill in (or, for <see cref="AdfsPageKind.SamlResponse"/>, the one holding the response).</summary>
    public HtmlForm? Form { get; }

    /// <summary>The IdP's error text on the page ("Incorrect user ID or password..."), when it shows one.</summary>
    public string? ErrorText =>
        Html.TextOf(id => id.IndexOf("errorText", StringComparison.OrdinalIgnoreCase) >= 0)
        ?? Html.TextOf("errorMessage");

    /// <summary>The AuthMethod the page's form posts back (the ADFS authentication adapter), when it has one.</summary>
    public string? AuthMethod => (Form ?? Html.Forms.FirstOrDefault(f => f.Input("AuthMethod") is not null))?.Input("AuthMethod")?.Value;

    /// <summary>The SAMLResponse value, entity-decoded (base64); only for <see cref="AdfsPageKind.SamlResponse"/>.</summary>
    public string? SamlResponse => Kind == AdfsPageKind.SamlResponse ? Form!.Input(SamlResponseField)?.Value : null;

    public static AdfsPage Classify(HtmlPage html)
    {
        var forms = html.Forms;
        if (forms.FirstOrDefault(f => f.Input(SamlResponseField) is not null) is { } response)
        {
            return new AdfsPage(AdfsPageKind.SamlResponse, html, response);
        }

        if (forms.FirstOrDefault(f => f.HasPassword && !IsCodeForm(f)) is { } login)
        {
            return new AdfsPage(AdfsPageKind.Login, html, login);
        }

        if (forms.FirstOrDefault(f => CodeField(f) is not null) is { } code)
        {
            return new AdfsPage(AdfsPageKind.Code, html, code);
        }

        if (forms.FirstOrDefault(f => UserField(f) is not null) is { } user)
        {
            return new AdfsPage(AdfsPageKind.UserName, html, user);
        }

        // An adapter's page with nothing to type: a push or call to approve, or a widget in an iframe (Duo).
        if (html.Frames.Count > 0 || forms.Any(f => f.Input("AuthMethod") is not null))
        {
            return new AdfsPage(AdfsPageKind.BrowserOnly, html, forms.FirstOrDefault(f => f.Input("AuthMethod") is not null));
        }

        return new AdfsPage(AdfsPageKind.Unknown, html, null);
    }

    /// <summary>The field the user name goes into: a typed field named like one, else the typed field before the password.</summary>
    public static HtmlInput? UserField(HtmlForm form)
    {
        var typed = form.Inputs.Where(i => i.IsTyped && !i.Disabled && !string.IsNullOrEmpty(i.Name)).ToArray();
        if (typed.FirstOrDefault(i => s_userName.IsMatch(i.Name!) || s_userName.IsMatch(i.Id ?? string.Empty)) is { } named)
        {
            return named;
        }

        var password = form.Inputs.FirstOrDefault(i => i.Type == "password");
        if (password is null)
        {
            return null;
        }

        var index = IndexOf(form, password);
        return typed.LastOrDefault(i => IndexOf(form, i) < index);
    }

    /// <summary>The field a verification code goes into, when the form has one.</summary>
    public static HtmlInput? CodeField(HtmlForm form) =>
        form.Inputs.FirstOrDefault(i => (i.IsTyped || i.Type == "password") && !i.Disabled && !string.IsNullOrEmpty(i.Name)
            && (s_codeName.IsMatch(i.Name!) || s_codeName.IsMatch(i.Id ?? string.Empty)));

    /// <summary>
    /// The fields a browser would send for this form when its user fills <paramref name="fill"/>'s fields and presses the
    /// first submit button: hidden and other fields as they are, checked boxes only, no disabled fields.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Submission(HtmlForm form, Func<HtmlInput, string?> fill)
    {
        var fields = new List<KeyValuePair<string, string>>();
        var submitted = false;
        foreach (var input in form.Inputs)
        {
            if (string.IsNullOrEmpty(input.Name) || input.Disabled)
            {
                continue;
            }

            switch (input.Type)
            {
                case "checkbox":
                case "radio":
                    if (input.Checked)
                    {
                        fields.Add(Pair(input.Name!, input.Value ?? "on"));
                    }

                    break;

                case "submit":
                    if (!submitted)
                    {
                        fields.Add(Pair(input.Name!, input.Value ?? string.Empty));
                        submitted = true;
                    }

                    break;

                case "image":
                case "button":
                case "reset":
                case "file":
                    break;

                default:
                    fields.Add(Pair(input.Name!, fill(input) ?? input.Value ?? string.Empty));
                    break;
            }
        }

        return fields;
    }

    /// <summary>application/x-www-form-urlencoded UTF-8 bytes, as browsers encode a form.</summary>
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        var builder = new StringBuilder();
        foreach (var field in fields)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            AppendEncoded(builder, field.Key);
            builder.Append('=');
            AppendEncoded(builder, field.Value);
        }

        var bytes = Encoding.ASCII.GetBytes(builder.ToString());
        builder.Clear();
        return bytes;
    }

    private static bool IsCodeForm(HtmlForm form) =>
        UserField(form) is null && CodeField(form) is { } code && code.Type == "password";

    private static int IndexOf(HtmlForm form, HtmlInput input)
    {
        for (var i = 0; i < form.Inputs.Count; i++)
        {
            if (ReferenceEquals(form.Inputs[i], input))
            {
                return i;
            }
        }

        return -1;
    }

    private static KeyValuePair<string, string> Pair(string name, string value) => new(name, value);

    private static void AppendEncoded(StringBuilder builder, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c is '*' or '-' or '.' or '_')
            {
                builder.Append(c);
            }
            else if (c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(((int)b).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        Array.Clear(bytes, 0, bytes.Length);
    }
}
