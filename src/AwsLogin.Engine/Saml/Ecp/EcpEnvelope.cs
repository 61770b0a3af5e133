using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Xml;

namespace AwsLogin.Engine.Saml.Ecp;

/// <summary>
/// The SOAP messages of the SAML 2.0 ECP profile used directly against the IdP, as Shibboleth's ECP endpoint takes
/// them: a SOAP 1.1 envelope whose body is an AuthnRequest naming AWS as the service provider, and a SOAP answer
/// whose body is the samlp:Response (and whose ecp:Response header names where it is to be delivered).
/// </summary>
internal static class EcpEnvelope
{
    public const string PaosBinding = "urn:oasis:names:tc:SAML:2.0:bindings:PAOS";

    /// <summary>What an ECP client accepts: HTML and PAOS (the ECP profile's Accept value).</summary>
    public const string AcceptHeader = "text/html; application/vnd.paos+xml";

    /// <summary>The PAOS version and the ECP profile the client supports.</summary>
    public const string PaosHeader = "ver=\"urn:liberty:paos:2003-08\";\"urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp\"";

    /// <summary>The largest SOAP answer read (the samlp:Response inside has its own, smaller limit).</summary>
    public const int MaxAnswerBytes = 1024 * 1024;

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The SOAP envelope with an AuthnRequest for <paramref name="issuer"/> to be delivered to <paramref name="assertionConsumerServiceUrl"/>.</summary>
    public static byte[] AuthnRequest(string issuer, string assertionConsumerServiceUrl, DateTime utcNow)
    {
        var settings = new XmlWriterSettings { Encoding = s_utf8, OmitXmlDeclaration = false, Indent = false };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            writer.WriteStartDocument();
            writer.WriteStartElement("S", "Envelope", SamlXml.SoapNamespace);
            writer.WriteStartElement("S", "Body", SamlXml.SoapNamespace);
            writer.WriteStartElement("samlp", "AuthnRequest", SamlXml.ProtocolNamespace);
            writer.WriteAttributeString("xmlns", "saml", null, SamlXml.AssertionNamespace);
            writer.WriteAttributeString("ID", NewId());
            writer.WriteAttributeString("Version", "2.0");
            writer.WriteAttributeString("IssueInstant", utcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteAttributeString("AssertionConsumerServiceURL", assertionConsumerServiceUrl);
            writer.WriteAttributeString("ProtocolBinding", PaosBinding);
            writer.WriteElementString("saml", "Issuer", SamlXml.AssertionNamespace, issuer);
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndElement();
            writer.WriteEndDocument();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Takes the samlp:Response out of a SOAP answer, as a document of its own (its bytes are what AWS gets, base64).
    /// Refuses HTML, DTDs, oversized answers, SOAP faults, and answers addressed to another service.
    /// </summary>
    public static byte[] ExtractResponse(byte[] answer, string? contentType, string expectedConsumer, string target)
    {
        if (contentType is not null && contentType.StartsWith("text/html", StringComparison.OrdinalIgnoreCase))
        {
            throw SamlErrors.Html(target);
        }

        var document = SamlXml.Load(answer, MaxAnswerBytes, target);
        var envelope = document.DocumentElement!;
        if (SamlXml.Is(envelope, "http://www.w3.org/1999/xhtml", "html") || envelope.LocalName.Equals("html", StringComparison.OrdinalIgnoreCase))
        {
            throw SamlErrors.Html(target);
        }

        if (!SamlXml.Is(envelope, SamlXml.SoapNamespace, "Envelope"))
        {
            throw SamlErrors.NotSaml(target, $"the answer is a '{SamlErrors.Sanitize(envelope.Name)}', not a SOAP envelope");
        }

        var body = SamlXml.Child(envelope, SamlXml.SoapNamespace, "Body")
            ?? throw SamlErrors.NotSaml(target, "the SOAP envelope has no body");
        if (SamlXml.Child(body, SamlXml.SoapNamespace, "Fault") is { } fault)
        {
            throw SamlErrors.Fault(target, ChildText(fault, "faultcode"), ChildText(fault, "faultstring"));
        }

        // The IdP says in the ecp:Response header where the response is to go; it must be AWS, as asked.
        var ecpResponse = SamlXml.Child(SamlXml.Child(envelope, SamlXml.SoapNamespace, "Header"), SamlXml.EcpNamespace, "Response");
        if (ecpResponse is not null)
        {
            var consumer = ecpResponse.GetAttribute("AssertionConsumerServiceURL");
            if (!string.Equals(consumer, expectedConsumer, StringComparison.Ordinal))
            {
                throw SamlErrors.WrongRecipient(target, expectedConsumer, consumer);
            }
        }

        var response = SamlXml.Child(body, SamlXml.ProtocolNamespace, "Response")
            ?? throw SamlErrors.NotSaml(target, "the SOAP body holds no samlp:Response");
        return SamlXml.Standalone(response);
    }

    // SOAP 1.1 fault children are unqualified.
    private static string? ChildText(XmlElement fault, string localName)
    {
        foreach (XmlNode node in fault.ChildNodes)
        {
            if (node is XmlElement element && element.LocalName == localName)
            {
                return element.InnerText.Trim();
            }
        }

        return null;
    }

    // xs:ID values must not start with a digit.
    private static string NewId()
    {
        var bytes = new byte[16];
        using (var random = RandomNumberGenerator.Create())
        {
            random.GetBytes(bytes);
        }

        var builder = new StringBuilder("_", 33);
        foreach (var b in bytes)
        {
            builder.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
