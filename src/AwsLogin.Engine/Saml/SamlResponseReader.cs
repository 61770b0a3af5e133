using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Xml;

namespace AwsLogin.Engine.Saml;

/// <summary>
/// Reads a samlp:Response for AWS: its status, and from its first Assertion the roles, RoleSessionName and
/// SessionDuration. It does not verify the signature (AWS does, against the IAM SAML provider's metadata), so what it
/// reads only chooses which roles to ask for; AWS decides whether they are granted. Failures are
/// <see cref="AwsLoginException"/>s with specific codes: SamlNotXml, SamlDtdProhibited, SamlResponseTooLarge,
/// SamlStatusFailure, SamlEncryptedAssertion, SamlNoRoles.
/// </summary>
public static class SamlResponseReader
{
    /// <summary>The longest SAMLAssertion AssumeRoleWithSAML takes (base64 characters).</summary>
    public const int MaxBase64Length = 100_000;

    /// <summary>The largest samlp:Response whose base64 form fits <see cref="MaxBase64Length"/>.</summary>
    public const int MaxResponseBytes = MaxBase64Length / 4 * 3;

    public const string RoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role";
    public const string RoleSessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    public const string SessionDurationAttribute = "https://aws.amazon.com/SAML/Attributes/SessionDuration";

    /// <summary>Reads a base64 samlp:Response, as an HTML form posts it to https://signin.aws.amazon.com/saml.</summary>
    public static SamlAssertion FromBase64(string base64Response, string target, IEngineLog log)
    {
        var trimmed = (base64Response ?? string.Empty).Trim();
        if (trimmed.Length > MaxBase64Length)
        {
            throw SamlErrors.TooLarge(target, MaxBase64Length);
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(trimmed);
        }
        catch (FormatException)
        {
            throw SamlErrors.NotSaml(target, "the SAMLResponse is not base64");
        }

        return Read(bytes, trimmed, target, log);
    }

    /// <summary>Reads a samlp:Response as XML bytes (for example, taken out of an ECP SOAP answer).</summary>
    public static SamlAssertion FromXml(byte[] responseXml, string target, IEngineLog log)
    {
        if (responseXml.Length > MaxResponseBytes)
        {
            throw SamlErrors.TooLarge(target, MaxResponseBytes);
        }

        return Read(responseXml, Convert.ToBase64String(responseXml), target, log);
    }

    private static SamlAssertion Read(byte[] bytes, string base64, string target, IEngineLog log)
    {
        var document = SamlXml.Load(bytes, MaxResponseBytes, target);
        var response = document.DocumentElement!;
        if (!SamlXml.Is(response, SamlXml.ProtocolNamespace, "Response"))
        {
            throw SamlErrors.NotSaml(target, $"the document is a '{SamlErrors.Sanitize(response.Name)}', not a SAML 2.0 samlp:Response");
        }

        ThrowUnlessSuccess(response, target);

        var assertion = SamlXml.Child(response, SamlXml.AssertionNamespace, "Assertion");
        if (assertion is null)
        {
            if (SamlXml.Child(response, SamlXml.AssertionNamespace, "EncryptedAssertion") is not null)
            {
                throw SamlErrors.Encrypted(target);
            }

            throw SamlErrors.NotSaml(target, "the response holds no assertion");
        }

        var attributes = ReadAttributes(assertion);
        var subject = SamlXml.Child(SamlXml.Child(assertion, SamlXml.AssertionNamespace, "Subject"), SamlXml.AssertionNamespace, "NameID")?.InnerText.Trim();
        var roles = ReadRoles(attributes, target, log);
        if (roles.Count == 0)
        {
            throw SamlErrors.Roleless(target, string.IsNullOrEmpty(subject) ? null : subject);
        }

        return new SamlAssertion(
            base64,
            roles,
            attributes.TryGetValue(RoleSessionNameAttribute, out var names) ? names.FirstOrDefault() : null,
            ReadSessionDuration(attributes, log),
            SamlXml.Child(assertion, SamlXml.AssertionNamespace, "Issuer")?.InnerText.Trim(),
            ReadNotOnOrAfter(assertion),
            string.IsNullOrEmpty(subject) ? null : subject);
    }

    private static void ThrowUnlessSuccess(XmlElement response, string target)
    {
        var status = SamlXml.Child(response, SamlXml.ProtocolNamespace, "Status");
        var code = SamlXml.Child(status, SamlXml.ProtocolNamespace, "StatusCode");
        var value = code?.GetAttribute("Value");
        if (value == SamlXml.SuccessStatus)
        {
            return;
        }

        var second = SamlXml.Child(code, SamlXml.ProtocolNamespace, "StatusCode")?.GetAttribute("Value");
        var message = SamlXml.Child(status, SamlXml.ProtocolNamespace, "StatusMessage")?.InnerText;
        throw SamlErrors.Status(target, string.IsNullOrEmpty(value) ? null : value, string.IsNullOrEmpty(second) ? null : second, message);
    }

    private static Dictionary<string, List<string>> ReadAttributes(XmlElement assertion)
    {
        var attributes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var statement in SamlXml.Children(assertion, SamlXml.AssertionNamespace, "AttributeStatement"))
        {
            foreach (var attribute in SamlXml.Children(statement, SamlXml.AssertionNamespace, "Attribute"))
            {
                var name = attribute.GetAttribute("Name");
                if (!attributes.TryGetValue(name, out var values))
                {
                    values = new List<string>();
                    attributes.Add(name, values);
                }

                values.AddRange(SamlXml.Children(attribute, SamlXml.AssertionNamespace, "AttributeValue").Select(value => value.InnerText.Trim()));
            }
        }

        return attributes;
    }

    private static List<SamlRole> ReadRoles(Dictionary<string, List<string>> attributes, string target, IEngineLog log)
    {
        var roles = new List<SamlRole>();
        if (!attributes.TryGetValue(RoleAttribute, out var values))
        {
            return roles;
        }

        foreach (var value in values)
        {
            if (!SamlRole.TryParse(value, out var role))
            {
                // A Role value names ARNs only; it is safe to show, and the IdP administrators need to see it.
                log.Warning($"Ignoring a Role value in the SAML assertion from '{target}' that is not 'role ARN,SAML provider ARN': '{SamlErrors.Sanitize(value)}'.");
                continue;
            }

            if (!roles.Contains(role!))
            {
                roles.Add(role!);
            }
        }

        return roles;
    }

    private static int? ReadSessionDuration(Dictionary<string, List<string>> attributes, IEngineLog log)
    {
        if (!attributes.TryGetValue(SessionDurationAttribute, out var values) || values.Count == 0)
        {
            return null;
        }

        // AWS documents 900 to 43200 seconds; anything else is not used here, and AWS judges it.
        if (int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 900 and <= 43200)
        {
            return seconds;
        }

        log.Warning($"The SAML assertion's SessionDuration '{SamlErrors.Sanitize(values[0])}' is not a number of seconds from 900 to 43200; it is not used to shorten the session.");
        return null;
    }

    private static DateTime? ReadNotOnOrAfter(XmlElement assertion)
    {
        var confirmation = SamlXml.Child(SamlXml.Child(SamlXml.Child(assertion, SamlXml.AssertionNamespace, "Subject"), SamlXml.AssertionNamespace, "SubjectConfirmation"), SamlXml.AssertionNamespace, "SubjectConfirmationData");
        var text = confirmation?.GetAttribute("NotOnOrAfter");
        if (string.IsNullOrEmpty(text))
        {
            text = SamlXml.Child(assertion, SamlXml.AssertionNamespace, "Conditions")?.GetAttribute("NotOnOrAfter");
        }

        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return XmlConvert.ToDateTime(text, XmlDateTimeSerializationMode.Utc);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
