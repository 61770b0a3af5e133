using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace AwsLogin.TestServers;

/// <summary>Which element of a built SAML response carries the XML signature.</summary>
public enum SamlSignatureTarget
{
    None,
    Assertion,
    Response,
    Both,
}

/// <summary>What <see cref="SamlAssertionBuilder"/> puts into a samlp:Response. Defaults give an assertion STS accepts.</summary>
public sealed record SamlAssertionOptions
{
    /// <summary>The IdP key; it must hold an RSA private key (see <see cref="SamlAssertionBuilder.CreateSigningCertificate"/>).</summary>
    public required X509Certificate2 SigningCertificate { get; init; }

    public string Issuer { get; init; } = "https://idp.example.test/idp/shibboleth";

    public string Subject { get; init; } = "alice@example.test";

    public string NameIdFormat { get; init; } = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient";

    /// <summary>Values of the Role attribute, each "roleArn,principalArn" (see <see cref="SamlAssertionBuilder.RoleValue"/>).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The RoleSessionName attribute; null leaves it out.</summary>
    public string? RoleSessionName { get; init; } = "alice@example.test";

    /// <summary>The SessionDuration attribute in seconds; null leaves it out.</summary>
    public int? SessionDuration { get; init; }

    /// <summary>IssueInstant and AuthnInstant; defaults to now.</summary>
    public DateTimeOffset? IssueInstant { get; init; }

    /// <summary>Conditions NotBefore; defaults to a minute before IssueInstant.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Conditions and SubjectConfirmationData NotOnOrAfter; defaults to five minutes after IssueInstant.</summary>
    public DateTimeOffset? NotOnOrAfter { get; init; }

    /// <summary>The AuthnStatement SessionNotOnOrAfter; null leaves it out.</summary>
    public DateTimeOffset? SessionNotOnOrAfter { get; init; }

    public string Audience { get; init; } = SamlAssertionBuilder.AwsSignInSamlEndpoint;

    /// <summary>The SubjectConfirmationData Recipient and the Response Destination.</summary>
    public string Recipient { get; init; } = SamlAssertionBuilder.AwsSignInSamlEndpoint;

    public string StatusCode { get; init; } = "urn:oasis:names:tc:SAML:2.0:status:Success";

    public SamlSignatureTarget SignatureTarget { get; init; } = SamlSignatureTarget.Assertion;

    /// <summary>Runs on the signed document before it is serialized, to tamper with it or wrap the signature.</summary>
    public Action<XmlDocument>? AfterSigning { get; init; }
}

/// <summary>Builds signed SAML 2.0 responses like an IdP posts to https://signin.aws.amazon.com/saml, for tests.</summary>
public static class SamlAssertionBuilder
{
    public const string AwsSignInSamlEndpoint = "https://signin.aws.amazon.com/saml";
    private const string Protocol = SamlResponseValidator.ProtocolNamespace;
    private const string Assertion = SamlResponseValidator.AssertionNamespace;

    /// <summary>A self-signed RSA-2048 certificate with its private key, valid for a day either side of now.</summary>
    public static X509Certificate2 CreateSigningCertificate(string subjectName = "CN=AwsLogin Fake IdP")
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest(subjectName, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public static string RoleValue(string roleArn, string principalArn) => roleArn + "," + principalArn;

    /// <summary>The samlp:Response base64-encoded, as the SAMLAssertion parameter carries it.</summary>
    public static string Build(SamlAssertionOptions options) => Convert.ToBase64String(Encoding.UTF8.GetBytes(BuildXml(options)));

    /// <summary>The samlp:Response as XML text.</summary>
    public static string BuildXml(SamlAssertionOptions options)
    {
        XmlDocument document = BuildDocument(options);
        options.AfterSigning?.Invoke(document);
        return document.OuterXml;
    }

    private static XmlDocument BuildDocument(SamlAssertionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DateTimeOffset issued = options.IssueInstant ?? DateTimeOffset.UtcNow;
        DateTimeOffset notOnOrAfter = options.NotOnOrAfter ?? issued.AddMinutes(5);

        var document = new XmlDocument { PreserveWhitespace = true };
        XmlElement response = Element(document, "samlp", Protocol, "Response", null,
            ("ID", NewId()), ("Version", "2.0"), ("IssueInstant", Time(issued)), ("Destination", options.Recipient));
        response.SetAttribute("xmlns:samlp", Protocol);
        response.SetAttribute("xmlns:saml", Assertion);
        document.AppendChild(response);
        response.AppendChild(Element(document, "saml", Assertion, "Issuer", options.Issuer));
        XmlElement status = Element(document, "samlp", Protocol, "Status", null);
        status.AppendChild(Element(document, "samlp", Protocol, "StatusCode", null, ("Value", options.StatusCode)));
        response.AppendChild(status);

        XmlElement assertion = Element(document, "saml", Assertion, "Assertion", null,
            ("ID", NewId()), ("Version", "2.0"), ("IssueInstant", Time(issued)));
        response.AppendChild(assertion);
        assertion.AppendChild(Element(document, "saml", Assertion, "Issuer", options.Issuer));

        XmlElement subject = Element(document, "saml", Assertion, "Subject", null);
        subject.AppendChild(Element(document, "saml", Assertion, "NameID", options.Subject, ("Format", options.NameIdFormat)));
        XmlElement confirmation = Element(document, "saml", Assertion, "SubjectConfirmation", null,
            ("Method", SamlResponseValidator.BearerMethod));
        confirmation.AppendChild(Element(document, "saml", Assertion, "SubjectConfirmationData", null,
            ("NotOnOrAfter", Time(notOnOrAfter)), ("Recipient", options.Recipient)));
        subject.AppendChild(confirmation);
        assertion.AppendChild(subject);

        XmlElement conditions = Element(document, "saml", Assertion, "Conditions", null,
            ("NotBefore", Time(options.NotBefore ?? issued.AddMinutes(-1))), ("NotOnOrAfter", Time(notOnOrAfter)));
        XmlElement restriction = Element(document, "saml", Assertion, "AudienceRestriction", null);
        restriction.AppendChild(Element(document, "saml", Assertion, "Audience", options.Audience));
        conditions.AppendChild(restriction);
        assertion.AppendChild(conditions);

        var authnAttributes = new List<(string, string)> { ("AuthnInstant", Time(issued)), ("SessionIndex", NewId()) };
        if (options.SessionNotOnOrAfter is { } sessionEnd)
        {
            authnAttributes.Add(("SessionNotOnOrAfter", Time(sessionEnd)));
        }

        XmlElement authn = Element(document, "saml", Assertion, "AuthnStatement", null, [.. authnAttributes]);
        XmlElement context = Element(document, "saml", Assertion, "AuthnContext", null);
        context.AppendChild(Element(document, "saml", Assertion, "AuthnContextClassRef",
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"));
        authn.AppendChild(context);
        assertion.AppendChild(authn);

        XmlElement attributes = Element(document, "saml", Assertion, "AttributeStatement", null);
        AddAttribute(document, attributes, SamlResponseValidator.RoleAttribute, options.Roles);
        if (options.RoleSessionName is not null)
        {
            AddAttribute(document, attributes, SamlResponseValidator.RoleSessionNameAttribute, [options.RoleSessionName]);
        }

        if (options.SessionDuration is { } duration)
        {
            AddAttribute(document, attributes, SamlResponseValidator.SessionDurationAttribute, [duration.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        assertion.AppendChild(attributes);

        // Sign the assertion first: a response signature then covers the signed assertion, as IdPs do it.
        if (options.SignatureTarget is SamlSignatureTarget.Assertion or SamlSignatureTarget.Both)
        {
            Sign(assertion, options.SigningCertificate);
        }

        if (options.SignatureTarget is SamlSignatureTarget.Response or SamlSignatureTarget.Both)
        {
            Sign(response, options.SigningCertificate);
        }

        return document;
    }

    private static void AddAttribute(XmlDocument document, XmlElement statement, string name, IEnumerable<string> values)
    {
        XmlElement attribute = Element(document, "saml", Assertion, "Attribute", null,
            ("Name", name), ("NameFormat", "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"));
        foreach (string value in values)
        {
            attribute.AppendChild(Element(document, "saml", Assertion, "AttributeValue", value));
        }

        statement.AppendChild(attribute);
    }

    private static void Sign(XmlElement element, X509Certificate2 certificate)
    {
        using RSA key = certificate.GetRSAPrivateKey()
            ?? throw new ArgumentException("The signing certificate has no RSA private key.", nameof(certificate));
        var signedXml = new SignedXml(element.OwnerDocument) { SigningKey = key };
        signedXml.SignedInfo!.CanonicalizationMethod = SignedXml.XmlDsigExcC14NTransformUrl;
        signedXml.SignedInfo.SignatureMethod = SignedXml.XmlDsigRSASHA256Url;
        var reference = new Reference("#" + element.GetAttribute("ID")) { DigestMethod = SignedXml.XmlDsigSHA256Url };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        reference.AddTransform(new XmlDsigExcC14NTransform());
        signedXml.AddReference(reference);
        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoX509Data(certificate));
        signedXml.KeyInfo = keyInfo;
        signedXml.ComputeSignature();

        // The schema puts ds:Signature right after the element's Issuer.
        XmlElement signature = signedXml.GetXml();
        XmlNode imported = element.OwnerDocument.ImportNode(signature, true);
        XmlNode issuer = element.GetElementsByTagName("Issuer", Assertion)[0]!;
        element.InsertAfter(imported, issuer);
    }

    private static XmlElement Element(XmlDocument document, string prefix, string namespaceUri, string localName, string? text, params (string Name, string Value)[] attributes)
    {
        XmlElement element = document.CreateElement(prefix, localName, namespaceUri);
        foreach ((string name, string value) in attributes)
        {
            element.SetAttribute(name, value);
        }

        if (text is not null)
        {
            element.InnerText = text;
        }

        return element;
    }

    // xs:ID values must not start with a digit.
    private static string NewId() => "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
