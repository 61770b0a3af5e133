using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using AwsLogin.Engine.Saml.Ecp;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>The ECP SOAP messages: the AuthnRequest sent, and taking the samlp:Response out of the answer intact.</summary>
public sealed class EcpEnvelopeTests
{
    private const string Aws = "https://signin.aws.amazon.com/saml";
    private const string Target = "https://idp.example.test/idp/profile/SAML2/SOAP/ECP";

    [Fact]
    public void The_request_is_a_soap_envelope_with_an_AuthnRequest_for_aws_over_paos()
    {
        var now = new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc);
        var document = new XmlDocument();
        document.LoadXml(Encoding.UTF8.GetString(EcpEnvelope.AuthnRequest("urn:amazon:webservices", Aws, now)));
        var namespaces = new XmlNamespaceManager(document.NameTable);
        namespaces.AddNamespace("S", "http://schemas.xmlsoap.org/soap/envelope/");
        namespaces.AddNamespace("samlp", "urn:oasis:names:tc:SAML:2.0:protocol");
        namespaces.AddNamespace("saml", "urn:oasis:names:tc:SAML:2.0:assertion");

        var request = (XmlElement)document.SelectSingleNode("/S:Envelope/S:Body/samlp:AuthnRequest", namespaces)!;

        Assert.Equal("2.0", request.GetAttribute("Version"));
        Assert.Equal("2026-11-23T12:00:00Z", request.GetAttribute("IssueInstant"));
        Assert.Equal(Aws, request.GetAttribute("AssertionConsumerServiceURL"));
        Assert.Equal("urn:oasis:names:tc:SAML:2.0:bindings:PAOS", request.GetAttribute("ProtocolBinding"));
        Assert.Matches("^_[0-9a-f]{32}$", request.GetAttribute("ID"));
        Assert.Equal("urn:amazon:webservices", request.SelectSingleNode("saml:Issuer", namespaces)!.InnerText);
        Assert.NotEqual(request.GetAttribute("ID"), Id(EcpEnvelope.AuthnRequest("urn:amazon:webservices", Aws, now)));
    }

    [Fact]
    public void The_response_keeps_inherited_namespaces_and_escaped_characters_so_its_canonical_form_is_unchanged()
    {
        // Prefixes declared on the envelope and body only, an xsi:type QName value, and a carriage return, a tab and
        // a line break in attribute values and text: after extraction the exclusive canonical form must be the same.
        const string Answer =
            "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">" +
            "<S:Body xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">" +
            "<samlp:Response ID=\"_r\" Version=\"2.0\"><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>" +
            "<saml:Assertion ID=\"_a\" Version=\"2.0\"><saml:Issuer>https://idp.example.test/idp/shibboleth</saml:Issuer>" +
            "<saml:AttributeStatement><saml:Attribute Name=\"x&#13;&#9;y&#10;z\"><saml:AttributeValue xsi:type=\"xs:string\">line one&#13;\nline two</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>" +
            "</saml:Assertion></samlp:Response></S:Body></S:Envelope>";

        var extracted = EcpEnvelope.ExtractResponse(Encoding.UTF8.GetBytes(Answer), "text/xml", Aws, Target);

        // XmlReader.Create normalises line ends and attribute whitespace as every conforming parser (and AWS) does;
        // XmlDocument.Load(Stream) alone would not.
        var original = new XmlDocument { PreserveWhitespace = true };
        original.Load(XmlReader.Create(new StringReader(Answer)));
        var standalone = new XmlDocument { PreserveWhitespace = true };
        standalone.Load(XmlReader.Create(new MemoryStream(extracted)));
        Assert.Equal("Response", standalone.DocumentElement!.LocalName);
        Assert.Equal(
            Canonical(original.GetElementsByTagName("Assertion", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!),
            Canonical(standalone.GetElementsByTagName("Assertion", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!));
        Assert.Equal("http://www.w3.org/2001/XMLSchema", standalone.DocumentElement.GetAttribute("xmlns:xs"));
        Assert.Equal("x\r\ty\nz", ((XmlElement)standalone.GetElementsByTagName("Attribute", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!).GetAttribute("Name"));
    }

    [Fact]
    public void A_soap_fault_is_SamlIdpError_with_its_code_and_text()
    {
        const string Fault = "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body><S:Fault><faultcode>S:Server</faultcode><faultstring>Unable to authenticate</faultstring></S:Fault></S:Body></S:Envelope>";

        var error = Assert.Throws<AwsLoginException>(() => EcpEnvelope.ExtractResponse(Encoding.UTF8.GetBytes(Fault), "text/xml", Aws, Target));

        Assert.Equal("SamlIdpError", error.Code);
        Assert.Contains("Unable to authenticate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_response_addressed_to_another_service_is_SamlUnexpectedRecipient()
    {
        const string Answer = "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Header><ecp:Response xmlns:ecp=\"urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp\" AssertionConsumerServiceURL=\"https://sp.example.test/acs\"/></S:Header><S:Body/></S:Envelope>";

        var error = Assert.Throws<AwsLoginException>(() => EcpEnvelope.ExtractResponse(Encoding.UTF8.GetBytes(Answer), "text/xml", Aws, Target));

        Assert.Equal("SamlUnexpectedRecipient", error.Code);
    }

    [Theory]
    [InlineData("text/html; charset=utf-8", "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"/>")]
    [InlineData("text/xml", "<html><body>login</body></html>")]
    [InlineData(null, "<!doctype HTML><html></html>")]
    public void Html_is_SamlNotXml(string? contentType, string body)
    {
        var error = Assert.Throws<AwsLoginException>(() => EcpEnvelope.ExtractResponse(Encoding.UTF8.GetBytes(body), contentType, Aws, Target));

        Assert.Equal("SamlNotXml", error.Code);
    }

    [Theory]
    [InlineData("<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body/></S:Envelope>")]
    [InlineData("<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"/>")]
    [InlineData("<Envelope/>")]
    public void An_envelope_without_a_response_is_SamlNotXml(string body)
    {
        Assert.Equal("SamlNotXml", Assert.Throws<AwsLoginException>(() => EcpEnvelope.ExtractResponse(Encoding.UTF8.GetBytes(body), "text/xml", Aws, Target)).Code);
    }

    [Fact]
    public void A_dtd_is_SamlDtdProhibited_and_a_huge_answer_SamlResponseTooLarge()
    {
        var dtd = "<!DOCTYPE S:Envelope [<!ENTITY e \"x\">]><S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>&e;</S:Body></S:Envelope>";
        var huge = "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>" + new string(' ', EcpEnvelope.MaxAnswerBytes) + "</S:Body></S:Envelope>";

        Assert.Equal("SamlDtdProhibited", Assert.Throws<AwsLoginException>(() => EcpEnvelope.ExtractResponse(Encoding.UTF8.GetBytes(dtd), "text/xml", Aws, Target)).Code);
        Assert.Equal("SamlResponseTooLarge", Assert.Throws<AwsLoginException>(() => EcpEnvelope.ExtractResponse(Encoding.UTF8.GetBytes(huge), "text/xml", Aws, Target)).Code);
    }

    private static string Id(byte[] envelope)
    {
        var document = new XmlDocument();
        document.LoadXml(Encoding.UTF8.GetString(envelope));
        return ((XmlElement)document.GetElementsByTagName("AuthnRequest", "urn:oasis:names:tc:SAML:2.0:protocol")[0]!).GetAttribute("ID");
    }

    private static string Canonical(XmlNode node)
    {
        var document = new XmlDocument { PreserveWhitespace = true };
        document.AppendChild(document.ImportNode(node, deep: true));

        // ImportNode drops inherited declarations; exclusive c14n needs only visibly used ones, which the element
        // itself must supply, so add the in-scope ones the way an XML signature library sees them.
        foreach (var (prefix, uri) in InScope(node))
        {
            if (!document.DocumentElement!.HasAttribute(prefix.Length == 0 ? "xmlns" : "xmlns:" + prefix))
            {
                document.DocumentElement.SetAttribute(prefix.Length == 0 ? "xmlns" : "xmlns:" + prefix, uri);
            }
        }

        var transform = new XmlDsigExcC14NTransform();
        transform.LoadInput(document);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var reader = new StreamReader(output, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static (string Prefix, string Uri)[] InScope(XmlNode node)
    {
        var found = new System.Collections.Generic.Dictionary<string, string>();
        for (var current = node.ParentNode as XmlElement; current is not null; current = current.ParentNode as XmlElement)
        {
            foreach (XmlAttribute attribute in current.Attributes)
            {
                if (attribute.NamespaceURI == "http://www.w3.org/2000/xmlns/")
                {
                    var prefix = attribute.Prefix.Length == 0 ? string.Empty : attribute.LocalName;
                    found.TryAdd(prefix, attribute.Value);
                }
            }
        }

        return found.Select(pair => (pair.Key, pair.Value)).ToArray();
    }
}
