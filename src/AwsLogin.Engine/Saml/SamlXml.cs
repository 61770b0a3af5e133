using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml;

namespace AwsLogin.Engine.Saml;

/// <summary>
/// Loads XML from an identity provider safely: no DTD (so no entity expansion or external entities), no resolver, a
/// size limit, and HTML recognised for what it is before the parser sees it.
/// </summary>
internal static class SamlXml
{
    public const string SoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string ProtocolNamespace = "urn:oasis:names:tc:SAML:2.0:protocol";
    public const string AssertionNamespace = "urn:oasis:names:tc:SAML:2.0:assertion";
    public const string EcpNamespace = "urn:oasis:names:tc:SAML:2.0:profiles:SSO:ecp";
    public const string SuccessStatus = "urn:oasis:names:tc:SAML:2.0:status:Success";
    public const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Parses <paramref name="bytes"/>; every failure is an <see cref="AwsLoginException"/> naming <paramref name="target"/>.</summary>
    public static XmlDocument Load(byte[] bytes, int maxBytes, string target)
    {
        if (bytes.Length > maxBytes)
        {
            throw SamlErrors.TooLarge(target, maxBytes);
        }

        if (LooksLikeHtml(bytes))
        {
            throw SamlErrors.Html(target);
        }

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxBytes,
            CloseInput = true,
        };
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(bytes, writable: false), settings);
            document.Load(reader);
        }
        catch (XmlException) when (HasDocumentType(bytes))
        {
            throw SamlErrors.Dtd(target);
        }
        catch (XmlException ex)
        {
            throw SamlErrors.NotSaml(target, $"the XML is not well-formed (line {ex.LineNumber}, position {ex.LinePosition})");
        }

        if (document.DocumentElement is null)
        {
            throw SamlErrors.NotSaml(target, "the document is empty");
        }

        return document;
    }

    public static XmlElement? Child(XmlElement? parent, string namespaceUri, string localName) =>
        parent is null ? null : Children(parent, namespaceUri, localName).FirstOrDefault();

    public static IEnumerable<XmlElement> Children(XmlElement parent, string namespaceUri, string localName) =>
        parent.ChildNodes.OfType<XmlElement>().Where(child => child.LocalName == localName && child.NamespaceURI == namespaceUri);

    public static bool Is(XmlElement element, string namespaceUri, string localName) =>
        element.LocalName == localName && element.NamespaceURI == namespaceUri;

    /// <summary>
    /// The element as a document of its own, with the namespace declarations it inherits from its ancestors copied
    /// onto it (a prefix used only inside an attribute value, such as xsi:type="xs:string", would otherwise be lost).
    /// Line breaks and tabs in text and attributes are written as character references, so that parsing the
    /// result again gives the same characters, and an XML signature inside still verifies.
    /// </summary>
    public static byte[] Standalone(XmlElement element)
    {
        var document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var copy = (XmlElement)document.ImportNode(element, deep: true);
        document.AppendChild(copy);
        for (var ancestor = element.ParentNode as XmlElement; ancestor is not null; ancestor = ancestor.ParentNode as XmlElement)
        {
            foreach (XmlAttribute attribute in ancestor.Attributes)
            {
                if (attribute.NamespaceURI != XmlnsNamespace)
                {
                    continue;
                }

                // The nearest declaration of a prefix wins: an element's own, then its parent's, and so on.
                var name = attribute.Prefix.Length == 0 ? "xmlns" : "xmlns:" + attribute.LocalName;
                if (!copy.HasAttribute(name))
                {
                    copy.SetAttribute(name, attribute.Value);
                }
            }
        }

        var settings = new XmlWriterSettings
        {
            Encoding = s_utf8,
            OmitXmlDeclaration = true,
            NewLineHandling = NewLineHandling.Entitize,
            Indent = false,
        };
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, settings))
        {
            document.WriteTo(writer);
        }

        return stream.ToArray();
    }

    /// <summary>The first characters of a document, for sniffing.</summary>
    private static string Head(byte[] bytes) => s_utf8.GetString(bytes, 0, Math.Min(bytes.Length, 1024)).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');

    private static bool LooksLikeHtml(byte[] bytes)
    {
        var head = Head(bytes);
        return head.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase)
            || head.StartsWith("<html", StringComparison.OrdinalIgnoreCase);
    }

    // Only consulted after the parser refused the document: DtdProcessing.Prohibit fails on any DOCTYPE.
    private static bool HasDocumentType(byte[] bytes) =>
        s_utf8.GetString(bytes).IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) >= 0;
}
