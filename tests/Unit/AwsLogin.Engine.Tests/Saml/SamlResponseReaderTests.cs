using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Tests.Sts;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>SamlResponseReader: what it reads from a samlp:Response, and the specific errors for everything it refuses.</summary>
public sealed class SamlResponseReaderTests : IDisposable
{
    private const string Provider = "arn:aws:iam::123456789012:saml-provider/Shibboleth";
    private const string Admin = "arn:aws:iam::123456789012:role/Admin";
    private const string Reader = "arn:aws:iam::123456789012:role/path/Reader";
    private const string Target = "https://idp.example.test/idp/profile/SAML2/SOAP/ECP";

    private readonly X509Certificate2 _certificate = SamlAssertionBuilder.CreateSigningCertificate();
    private readonly RecordingLog _log = new();

    public void Dispose() => _certificate.Dispose();

    [Fact]
    public void Reads_roles_in_either_order_with_whitespace_and_the_aws_attributes()
    {
        var options = Options() with
        {
            Roles = [$"{Admin},{Provider}", $"  {Provider} ,\n\t{Reader}  "],
            RoleSessionName = "alice@example.test",
            SessionDuration = 1800,
        };

        var assertion = SamlResponseReader.FromBase64(SamlAssertionBuilder.Build(options), Target, _log);

        Assert.Equal(new[] { Admin, Reader }, assertion.Roles.Select(r => r.RoleArn.Value));
        Assert.All(assertion.Roles, r => Assert.Equal(Provider, r.PrincipalArn));
        Assert.Equal("123456789012", assertion.Roles[1].AccountId);
        Assert.Equal("Reader", assertion.Roles[1].RoleName);
        Assert.Equal("alice@example.test", assertion.RoleSessionName);
        Assert.Equal(1800, assertion.SessionDuration);
        Assert.Equal("https://idp.example.test/idp/shibboleth", assertion.Issuer);
        Assert.NotNull(assertion.NotOnOrAfter);
        Assert.Equal(DateTimeKind.Utc, assertion.NotOnOrAfter!.Value.Kind);
        Assert.Empty(_log.Messages);
    }

    [Fact]
    public void The_base64_kept_is_the_response_given_and_ToString_masks_it()
    {
        var base64 = SamlAssertionBuilder.Build(Options());

        var assertion = SamlResponseReader.FromBase64(base64, Target, _log);

        Assert.Equal(base64, assertion.Base64Response);
        Assert.DoesNotContain(base64.Substring(0, 40), assertion.ToString(), StringComparison.Ordinal);
        Assert.Contains("********", assertion.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_and_duplicate_role_values_are_skipped_with_a_warning()
    {
        var options = Options() with { Roles = [$"{Admin},{Provider}", $"{Admin},{Provider}", "Admin", $"{Admin},{Admin}", $"{Admin},{Provider},extra"] };

        var assertion = SamlResponseReader.FromBase64(SamlAssertionBuilder.Build(options), Target, _log);

        Assert.Single(assertion.Roles);
        Assert.Equal(3, _log.Messages.Count(m => m.Contains("Ignoring a Role value", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("3600", 3600)]
    [InlineData("600", null)]
    [InlineData("50000", null)]
    [InlineData("an hour", null)]
    public void SessionDuration_is_used_only_within_what_aws_documents(string text, int? expected)
    {
        var xml = SamlAssertionBuilder.BuildXml(Options() with { SessionDuration = 1234 }).Replace(">1234<", ">" + text + "<", StringComparison.Ordinal);

        var assertion = SamlResponseReader.FromXml(Encoding.UTF8.GetBytes(xml), Target, _log);

        Assert.Equal(expected, assertion.SessionDuration);
    }

    [Fact]
    public void A_response_without_role_values_is_SamlNoRoles()
    {
        var error = Fail(SamlAssertionBuilder.Build(Options() with { Roles = [] }));

        Assert.Equal("SamlNoRoles", error.Code);
        Assert.Equal(FailureKind.AccessDenied, error.Kind);
        Assert.Contains("alice@example.test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_response_whose_only_role_values_are_invalid_is_SamlNoRoles()
    {
        Assert.Equal("SamlNoRoles", Fail(SamlAssertionBuilder.Build(Options() with { Roles = ["not-an-arn"] })).Code);
    }

    [Fact]
    public void A_failure_status_is_SamlStatusFailure_with_the_codes_and_without_the_assertion()
    {
        var xml = SamlAssertionBuilder.BuildXml(Options());
        var success = System.Text.RegularExpressions.Regex.Match(xml, "<samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"\\s*/>");
        Assert.True(success.Success);
        var base64 = Base64(xml.Replace(
            success.Value,
            "<samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Responder\"><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:AuthnFailed\"/></samlp:StatusCode><samlp:StatusMessage>Bad\ncredentials</samlp:StatusMessage>",
            StringComparison.Ordinal));

        var error = Fail(base64);

        Assert.Equal("SamlStatusFailure", error.Code);
        Assert.Equal(FailureKind.AuthenticationFailed, error.Kind);
        Assert.Contains("Responder/AuthnFailed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bad credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Admin, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(base64.Substring(0, 40), error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_encrypted_assertion_is_SamlEncryptedAssertion()
    {
        var options = Options() with
        {
            AfterSigning = document =>
            {
                var assertion = document.GetElementsByTagName("Assertion", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!;
                var encrypted = document.CreateElement("saml", "EncryptedAssertion", "urn:oasis:names:tc:SAML:2.0:assertion");
                encrypted.InnerXml = "<xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>";
                assertion.ParentNode!.ReplaceChild(encrypted, assertion);
            },
        };

        Assert.Equal("SamlEncryptedAssertion", Fail(SamlAssertionBuilder.Build(options)).Code);
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>Sign in</body></html>")]
    [InlineData("  \n<html lang=\"en\"><head><title>Login</title></head></html>")]
    public void Html_is_SamlNotXml(string html)
    {
        var error = Fail(Base64(html));

        Assert.Equal("SamlNotXml", error.Code);
        Assert.Contains("HTML", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\"/>")]
    [InlineData("<Response/>")]
    [InlineData("just text")]
    [InlineData("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status></samlp:Response>")]
    [InlineData("<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">")]
    public void Anything_but_a_samlp_Response_with_an_assertion_is_SamlNotXml(string xml)
    {
        Assert.Equal("SamlNotXml", Fail(Base64(xml)).Code);
    }

    [Fact]
    public void Text_that_is_not_base64_is_SamlNotXml()
    {
        Assert.Equal("SamlNotXml", Fail("this is not base64!").Code);
    }

    [Fact]
    public void A_response_with_an_internal_dtd_is_SamlDtdProhibited()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE samlp:Response [<!ENTITY role \"" + Admin + "," + Provider + "\">]>"
            + SamlAssertionBuilder.BuildXml(Options()).Replace(Admin + "," + Provider, "&role;", StringComparison.Ordinal);

        Assert.Equal("SamlDtdProhibited", Fail(Base64(xml)).Code);
    }

    [Fact]
    public void Entity_expansion_is_never_attempted()
    {
        var laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
            + "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&lol3;</samlp:Response>";

        Assert.Equal("SamlDtdProhibited", Fail(Base64(laughs)).Code);
    }

    [Fact]
    public void An_external_entity_is_never_resolved()
    {
        var secretFile = Path.Combine(Path.GetTempPath(), "awslogin-xxe-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(secretFile, "secret-file-content");
        try
        {
            var xxe = $"<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file://{secretFile}\">]><samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&x;</samlp:Response>";

            var error = Fail(Base64(xxe));

            Assert.Equal("SamlDtdProhibited", error.Code);
            Assert.DoesNotContain("secret-file-content", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact]
    public void More_base64_than_sts_accepts_is_SamlResponseTooLarge()
    {
        var error = Fail(new string('A', SamlResponseReader.MaxBase64Length + 4));

        Assert.Equal("SamlResponseTooLarge", error.Code);
    }

    [Fact]
    public void More_xml_than_fits_sts_is_SamlResponseTooLarge()
    {
        var options = Options() with { Roles = Enumerable.Range(0, 1000).Select(i => $"arn:aws:iam::123456789012:role/Role{i:D4},{Provider}").ToArray() };
        var xml = Encoding.UTF8.GetBytes(SamlAssertionBuilder.BuildXml(options));
        Assert.True(xml.Length > SamlResponseReader.MaxResponseBytes);

        var error = Assert.Throws<AwsLoginException>(() => SamlResponseReader.FromXml(xml, Target, _log));

        Assert.Equal("SamlResponseTooLarge", error.Code);
    }

    [Fact]
    public void A_response_just_under_the_limit_is_read()
    {
        var options = Options() with { Roles = Enumerable.Range(0, 300).Select(i => $"arn:aws:iam::123456789012:role/Role{i:D4},{Provider}").ToArray() };
        var base64 = SamlAssertionBuilder.Build(options);
        Assert.InRange(base64.Length, 50_000, SamlResponseReader.MaxBase64Length);

        Assert.Equal(300, SamlResponseReader.FromBase64(base64, Target, _log).Roles.Count);
    }

    [Fact]
    public void Only_the_first_assertion_is_read()
    {
        var options = Options() with
        {
            Roles = [$"{Admin},{Provider}"],
            AfterSigning = document =>
            {
                var assertion = (XmlElement)document.GetElementsByTagName("Assertion", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!;
                var second = (XmlElement)assertion.CloneNode(deep: true);
                second.GetElementsByTagName("AttributeValue", "urn:oasis:names:tc:SAML:2.0:assertion")[0]!.InnerText = $"{Reader},{Provider}";
                assertion.ParentNode!.AppendChild(second);
            },
        };

        var read = SamlResponseReader.FromBase64(SamlAssertionBuilder.Build(options), Target, _log);

        Assert.Equal(Admin, Assert.Single(read.Roles).RoleArn.Value);
    }

    private SamlAssertionOptions Options() => new() { SigningCertificate = _certificate, Roles = [$"{Admin},{Provider}"] };

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private AwsLoginException Fail(string base64)
    {
        var error = Assert.Throws<AwsLoginException>(() => SamlResponseReader.FromBase64(base64, Target, _log));
        Assert.Equal(Target, error.Target);
        Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction));
        return error;
    }
}
