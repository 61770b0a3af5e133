using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text.RegularExpressions;
using System.Xml;

namespace AwsLogin.TestServers;

/// <summary>What STS reads from a verified assertion.</summary>
internal sealed record SamlAssertionData(
    string Issuer,
    string Subject,
    string? SubjectFormat,
    string Recipient,
    IReadOnlyList<string> Roles,
    string? RoleSessionName,
    int? SessionDuration,
    DateTimeOffset? SessionNotOnOrAfter);

/// <summary>
/// Checks a base64 samlp:Response the way STS does for AssumeRoleWithSAML: well-formed XML without a DTD, exactly
/// one assertion, a valid XML signature by the provider's certificate over the Response or the Assertion, validity
/// times, an AWS audience and recipient. Everything is read from the one assertion the signature covers, so a
/// second, unsigned assertion (signature wrapping) is refused rather than read.
/// </summary>
internal static partial class SamlResponseValidator
{
    public const string ProtocolNamespace = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string AssertionNamespace = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string SuccessStatus = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string BearerMethod = "urn:oasis:names:tc:SAML:2.0:cm:bearer";
    public const string RoleAttribute = "https://aws.amazon.com/SAML/Attributes/Role";
    public const string RoleSessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
    public const string SessionDurationAttribute = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
    public const int MaxDocumentCharacters = 100_000;

    private static readonly HashSet<string> s_audienceUrns = new(StringComparer.Ordinal)
    {
        "urn:amazon:webservices", "urn:amazon:webservices:govcloud", "urn:amazon:webservices:cn-north-1",
    };

    private enum SignatureState
    {
        Absent,
        Valid,
        Invalid,
    }

    public static SamlAssertionData Validate(string base64Response, X509Certificate2 signingCertificate, string? expectedIssuer, DateTimeOffset now)
    {
        XmlDocument document = Parse(base64Response);
        XmlElement response = document.DocumentElement!;
        if (response.LocalName != "Response" || response.NamespaceURI != ProtocolNamespace)
        {
            throw StsFault.InvalidIdentityToken("The SAMLAssertion is not a SAML 2.0 Response.");
        }

        string? status = Child(Child(response, ProtocolNamespace, "Status"), ProtocolNamespace, "StatusCode")?.GetAttribute("Value");
        if (status != SuccessStatus)
        {
            throw StsFault.IdpRejectedClaim("The identity provider did not report a successful authentication.");
        }

        if (document.GetElementsByTagName("EncryptedAssertion", AssertionNamespace).Count > 0)
        {
            throw StsFault.InvalidIdentityToken("Encrypted assertions are not supported by the fake STS.");
        }

        XmlNodeList assertions = document.GetElementsByTagName("Assertion", AssertionNamespace);
        if (assertions.Count != 1 || assertions[0]!.ParentNode != response)
        {
            throw StsFault.InvalidIdentityToken("The Response must hold exactly one Assertion.");
        }

        var assertion = (XmlElement)assertions[0]!;
        using RSA key = signingCertificate.GetRSAPublicKey()
            ?? throw new ArgumentException("The provider certificate has no RSA key.", nameof(signingCertificate));
        SignatureState responseSignature = CheckSignature(document, response, key);
        SignatureState assertionSignature = CheckSignature(document, assertion, key);
        if (responseSignature == SignatureState.Invalid || assertionSignature == SignatureState.Invalid)
        {
            throw StsFault.InvalidIdentityToken("Response signature invalid");
        }

        if (responseSignature == SignatureState.Absent && assertionSignature == SignatureState.Absent)
        {
            throw StsFault.InvalidIdentityToken("Response is not signed");
        }

        return ReadAssertion(assertion, expectedIssuer, now);
    }

    private static XmlDocument Parse(string base64Response)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64Response);
        }
        catch (FormatException)
        {
            throw StsFault.InvalidIdentityToken("The SAMLAssertion is not valid base64.");
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxDocumentCharacters,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes), settings);
            document.Load(reader);
        }
        catch (XmlException)
        {
            // Also where a DTD or an oversized document ends up: neither is ever parsed further.
            throw StsFault.InvalidIdentityToken("The SAMLAssertion is not a well-formed XML document.");
        }

        return document;
    }

    private static SignatureState CheckSignature(XmlDocument document, XmlElement element, RSA key)
    {
        XmlElement[] signatures = element.ChildNodes.OfType<XmlElement>()
            .Where(child => child.LocalName == "Signature" && child.NamespaceURI == SignedXml.XmlDsigNamespaceUrl)
            .ToArray();
        if (signatures.Length == 0)
        {
            return SignatureState.Absent;
        }

        // The signature must reference this very element by a unique ID, so that what was verified is what is read.
        string id = element.GetAttribute("ID");
        if (signatures.Length > 1 || id.Length == 0 || CountElementsWithId(document, id) != 1)
        {
            return SignatureState.Invalid;
        }

        try
        {
            var signedXml = new SignedXml(document);
            signedXml.LoadXml(signatures[0]);
            if (signedXml.SignedInfo is not { References.Count: 1 }
                || signedXml.SignedInfo.References[0] is not Reference reference
                || reference.Uri != "#" + id)
            {
                return SignatureState.Invalid;
            }

            for (int i = 0; i < reference.TransformChain.Count; i++)
            {
                if (reference.TransformChain[i] is not (XmlDsigEnvelopedSignatureTransform or XmlDsigExcC14NTransform or XmlDsigC14NTransform))
                {
                    return SignatureState.Invalid;
                }
            }

            return signedXml.CheckSignature(key) ? SignatureState.Valid : SignatureState.Invalid;
        }
        catch (CryptographicException)
        {
            return SignatureState.Invalid;
        }
    }

    private static int CountElementsWithId(XmlDocument document, string id) =>
        document.GetElementsByTagName("*").OfType<XmlElement>()
            .Count(element => element.GetAttribute("ID") == id || element.GetAttribute("Id") == id || element.GetAttribute("id") == id);

    private static SamlAssertionData ReadAssertion(XmlElement assertion, string? expectedIssuer, DateTimeOffset now)
    {
        string issuer = Child(assertion, AssertionNamespace, "Issuer")?.InnerText.Trim()
            ?? throw StsFault.InvalidIdentityToken("The Assertion has no Issuer.");
        if (expectedIssuer is not null && issuer != expectedIssuer)
        {
            throw StsFault.InvalidIdentityToken("Issuer not present in specified provider");
        }

        XmlElement subject = Child(assertion, AssertionNamespace, "Subject")
            ?? throw StsFault.InvalidIdentityToken("The Assertion has no Subject.");
        XmlElement nameId = Child(subject, AssertionNamespace, "NameID")
            ?? throw StsFault.InvalidIdentityToken("The Subject has no NameID.");

        // Web browser SSO: a bearer confirmation addressed to the AWS sign-in endpoint, valid until NotOnOrAfter.
        XmlElement confirmationData = Children(subject, AssertionNamespace, "SubjectConfirmation")
            .Where(confirmation => confirmation.GetAttribute("Method") == BearerMethod)
            .Select(confirmation => Child(confirmation, AssertionNamespace, "SubjectConfirmationData"))
            .FirstOrDefault(data => data is not null)
            ?? throw StsFault.InvalidIdentityToken("The Subject has no bearer SubjectConfirmationData.");
        string recipient = confirmationData.GetAttribute("Recipient");
        if (!IsSignInSamlEndpoint(recipient))
        {
            throw StsFault.InvalidIdentityToken("Incorrect recipient in SubjectConfirmationData");
        }

        DateTimeOffset confirmationEnd = Time(confirmationData, "NotOnOrAfter")
            ?? throw StsFault.InvalidIdentityToken("SubjectConfirmationData has no NotOnOrAfter.");
        if (confirmationEnd <= now)
        {
            throw StsFault.ExpiredTokenException("Token must be redeemed before SubjectConfirmationData NotOnOrAfter");
        }

        XmlElement conditions = Child(assertion, AssertionNamespace, "Conditions")
            ?? throw StsFault.InvalidIdentityToken("The Assertion has no Conditions.");
        if (Time(conditions, "NotBefore") > now)
        {
            throw StsFault.InvalidIdentityToken("The Assertion is not yet valid (Conditions NotBefore).");
        }

        if (Time(conditions, "NotOnOrAfter") <= now)
        {
            throw StsFault.ExpiredTokenException("Token is expired (Conditions NotOnOrAfter)");
        }

        bool audienceAccepted = Children(conditions, AssertionNamespace, "AudienceRestriction")
            .SelectMany(restriction => Children(restriction, AssertionNamespace, "Audience"))
            .Select(audience => audience.InnerText.Trim())
            .Any(audience => s_audienceUrns.Contains(audience) || IsSignInSamlEndpoint(audience));
        if (!audienceAccepted)
        {
            throw StsFault.InvalidIdentityToken("Incorrect audience");
        }

        XmlElement? authnStatement = Child(assertion, AssertionNamespace, "AuthnStatement");
        ILookup<string, string> attributes = Children(assertion, AssertionNamespace, "AttributeStatement")
            .SelectMany(statement => Children(statement, AssertionNamespace, "Attribute"))
            .SelectMany(attribute => Children(attribute, AssertionNamespace, "AttributeValue")
                .Select(value => (Name: attribute.GetAttribute("Name"), Value: value.InnerText.Trim())))
            .ToLookup(pair => pair.Name, pair => pair.Value, StringComparer.Ordinal);
        string? sessionDuration = attributes[SessionDurationAttribute].FirstOrDefault();

        return new SamlAssertionData(
            issuer,
            nameId.InnerText.Trim(),
            nameId.HasAttribute("Format") ? nameId.GetAttribute("Format") : null,
            recipient,
            attributes[RoleAttribute].ToArray(),
            attributes[RoleSessionNameAttribute].FirstOrDefault(),
            int.TryParse(sessionDuration, out int seconds) ? seconds : null,
            authnStatement is null ? null : Time(authnStatement, "SessionNotOnOrAfter"));
    }

    private static bool IsSignInSamlEndpoint(string value) => SignInSamlEndpoint().IsMatch(value);

    private static DateTimeOffset? Time(XmlElement element, string attribute)
    {
        if (!element.HasAttribute(attribute))
        {
            return null;
        }

        try
        {
            return XmlConvert.ToDateTimeOffset(element.GetAttribute(attribute));
        }
        catch (FormatException)
        {
            throw StsFault.InvalidIdentityToken($"{element.LocalName} {attribute} is not an xs:dateTime.");
        }
    }

    private static XmlElement? Child(XmlElement? parent, string namespaceUri, string localName) =>
        parent is null ? null : Children(parent, namespaceUri, localName).FirstOrDefault();

    private static IEnumerable<XmlElement> Children(XmlElement parent, string namespaceUri, string localName) =>
        parent.ChildNodes.OfType<XmlElement>().Where(child => child.LocalName == localName && child.NamespaceURI == namespaceUri);

    // https://signin.aws.amazon.com/saml and the regional and partition variants (us-east-1.signin..., amazonaws-us-gov, amazonaws.cn).
    [GeneratedRegex(@"^https://([a-z0-9-]+\.)?signin\.(aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)/saml$")]
    private static partial Regex SignInSamlEndpoint();
}
