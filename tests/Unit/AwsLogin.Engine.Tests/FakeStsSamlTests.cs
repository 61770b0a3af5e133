using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Tasks;
using System.Xml;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests;

/// <summary>AssumeRoleWithSAML against <see cref="FakeSts"/> through the real SDK, with assertions from <see cref="SamlAssertionBuilder"/>.</summary>
public sealed class FakeStsSamlTests : IDisposable
{
    private const string Provider = "arn:aws:iam::123456789012:saml-provider/Shibboleth";
    private const string Role = "arn:aws:iam::123456789012:role/SamlAdmin";
    private const string OtherRole = "arn:aws:iam::123456789012:role/SamlReader";
    private const string SamlNs = "urn:oasis:names:tc:SAML:2.0:assertion";

    private readonly X509Certificate2 _idpCertificate = SamlAssertionBuilder.CreateSigningCertificate();

    public void Dispose() => _idpCertificate.Dispose();

    [Fact]
    public async Task ValidAssertion_IssuesCredentialsForTheRole()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);
        string assertion = SamlAssertionBuilder.Build(Options());

        AssumeRoleWithSAMLResponse response = await sts.AssumeRoleWithSAMLAsync(Request(assertion));

        Assert.StartsWith("ASIA", response.Credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal("arn:aws:sts::123456789012:assumed-role/SamlAdmin/alice@example.test", response.AssumedRoleUser.Arn);
        Assert.EndsWith(":alice@example.test", response.AssumedRoleUser.AssumedRoleId, StringComparison.Ordinal);
        Assert.Equal("alice@example.test", response.Subject);
        Assert.Equal("transient", response.SubjectType);
        Assert.Equal("https://idp.example.test/idp/shibboleth", response.Issuer);
        Assert.Equal("https://signin.aws.amazon.com/saml", response.Audience);
        string expectedQualifier = Convert.ToBase64String(SHA1.HashData(
            Encoding.UTF8.GetBytes("https://idp.example.test/idp/shibboleth" + "123456789012" + "/Shibboleth")));
        Assert.Equal(expectedQualifier, response.NameQualifier);

        StsCall call = Assert.Single(fake.Calls);
        Assert.Null(call.SigningAccessKeyId);
        Assert.Equal(assertion.Length, call.SamlAssertionLength);
        Assert.False(call.Parameters.ContainsKey("SAMLAssertion"));
        IssuedCredential issued = fake.FindIssued(response.Credentials.AccessKeyId)!;
        Assert.Null(issued.SignedBy);
        Assert.Equal(Role, issued.RoleArn);
    }

    [Fact]
    public async Task SdkWithCredentials_StillSendsTheCallUnsigned()
    {
        await using FakeSts fake = await StartAsync();
        FakeIamUser user = fake.SeedUser("alice");
        using AmazonSecurityTokenServiceClient sts = FakeStsTests.Client(fake, new BasicAWSCredentials(user.AccessKeyId, user.SecretAccessKey));

        await sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(Options())));

        Assert.Null(Assert.Single(fake.Calls).SigningAccessKeyId);
    }

    [Theory]
    [InlineData(SamlSignatureTarget.Response)]
    [InlineData(SamlSignatureTarget.Both)]
    public async Task SignedResponse_IsAccepted(SamlSignatureTarget target)
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);

        await sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(Options() with { SignatureTarget = target })));
    }

    [Fact]
    public async Task RolePair_MayBeReversedAndSpaced()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);
        var options = Options() with { Roles = [$" {Provider} , {Role} "] };

        AssumeRoleWithSAMLResponse response = await sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(options)));

        Assert.Contains("SamlAdmin", response.AssumedRoleUser.Arn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duration_IsCappedBySessionNotOnOrAfterAndTheRoleMaximum()
    {
        await using FakeSts fake = await StartAsync();
        fake.ConfigureRole(Role, maxSessionDuration: 7200);
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);
        DateTimeOffset sessionEnd = DateTimeOffset.UtcNow.AddMinutes(20);
        string assertion = SamlAssertionBuilder.Build(Options() with { SessionNotOnOrAfter = sessionEnd });

        AssumeRoleWithSAMLResponse response = await sts.AssumeRoleWithSAMLAsync(Request(assertion, durationSeconds: 7200));
        var tooLong = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(Options()), durationSeconds: 7201)));

        Assert.InRange(response.Credentials.Expiration!.Value.ToUniversalTime(), sessionEnd.UtcDateTime.AddSeconds(-1), sessionEnd.UtcDateTime);
        AssertError(tooLong, "ValidationError", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SamlSession_AssumingAnotherRole_IsRoleChaining()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient anonymous = AnonymousClient(fake);
        Credentials saml = (await anonymous.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(Options())))).Credentials;
        using AmazonSecurityTokenServiceClient sts = FakeStsTests.Client(fake, new SessionAWSCredentials(saml.AccessKeyId, saml.SecretAccessKey, saml.SessionToken));

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = OtherRole, RoleSessionName = "next", DurationSeconds = 3601 }));

        AssertError(error, "ValidationError", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TamperedAssertion_IsInvalidIdentityToken()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);
        var options = Options() with
        {
            Roles = [SamlAssertionBuilder.RoleValue(OtherRole, Provider)],
            AfterSigning = document => AddRoleValue(document, SamlAssertionBuilder.RoleValue(Role, Provider)),
        };

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(options))));

        AssertError(error, "InvalidIdentityToken", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AssertionSignedByAnotherKey_IsInvalidIdentityToken()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);
        using X509Certificate2 attacker = SamlAssertionBuilder.CreateSigningCertificate("CN=Attacker");

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(Options() with { SigningCertificate = attacker }))));

        AssertError(error, "InvalidIdentityToken", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task UnsignedAssertion_IsInvalidIdentityToken()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(Options() with { SignatureTarget = SamlSignatureTarget.None }))));

        AssertError(error, "InvalidIdentityToken", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WrappedSignature_IsRefused()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);

        // The classic wrapping attack: hide the genuinely signed assertion and put a forged one where it is read.
        var options = Options() with
        {
            Roles = [SamlAssertionBuilder.RoleValue(OtherRole, Provider)],
            AfterSigning = document =>
            {
                var signed = (XmlElement)document.GetElementsByTagName("Assertion", SamlNs)[0]!;
                var forged = (XmlElement)signed.CloneNode(true);
                forged.SetAttribute("ID", "_forged");
                forged.RemoveChild(forged.GetElementsByTagName("Signature", "http://www.w3.org/2000/09/xmldsig#")[0]!);
                AddRoleValue(forged, SamlAssertionBuilder.RoleValue(Role, Provider));
                XmlElement extensions = document.CreateElement("samlp", "Extensions", "urn:oasis:names:tc:SAML:2.0:protocol");
                signed.ParentNode!.ReplaceChild(forged, signed);
                extensions.AppendChild(signed);
                document.DocumentElement!.InsertBefore(extensions, forged);
            },
        };

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(options))));

        AssertError(error, "InvalidIdentityToken", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ExpiredAssertion_IsExpiredTokenException()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);
        DateTimeOffset issued = DateTimeOffset.UtcNow.AddMinutes(-30);
        string assertion = SamlAssertionBuilder.Build(Options() with { IssueInstant = issued, NotOnOrAfter = issued.AddMinutes(5) });

        var error = await Assert.ThrowsAsync<ExpiredTokenException>(() => sts.AssumeRoleWithSAMLAsync(Request(assertion)));

        AssertError(error, "ExpiredTokenException", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task RoleNotInAssertion_IsAccessDenied()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);
        string onlyOther = SamlAssertionBuilder.Build(Options() with { Roles = [SamlAssertionBuilder.RoleValue(OtherRole, Provider)] });
        string none = SamlAssertionBuilder.Build(Options() with { Roles = [] });

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleWithSAMLAsync(Request(onlyOther)));
        var noRoles = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleWithSAMLAsync(Request(none)));

        AssertError(error, "AccessDenied", HttpStatusCode.Forbidden);
        AssertError(noRoles, "AccessDenied", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task WrongAudienceOrRecipient_IsInvalidIdentityToken()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);

        var audience = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(Options() with { Audience = "https://evil.example/saml" }))));
        var recipient = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(Options() with { Recipient = "https://evil.example/saml" }))));
        await sts.AssumeRoleWithSAMLAsync(Request(SamlAssertionBuilder.Build(Options() with { Audience = "urn:amazon:webservices" })));

        AssertError(audience, "InvalidIdentityToken", HttpStatusCode.BadRequest);
        AssertError(recipient, "InvalidIdentityToken", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task DtdBearingAssertion_IsRefusedUnparsed()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);
        string xml = SamlAssertionBuilder.BuildXml(Options());
        string withDtd = "<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" + xml.Replace("alice@example.test</saml:NameID>", "&xxe;</saml:NameID>", StringComparison.Ordinal);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleWithSAMLAsync(Request(Convert.ToBase64String(Encoding.UTF8.GetBytes(withDtd)))));

        AssertError(error, "InvalidIdentityToken", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OversizedAssertion_IsValidationError()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);
        string oversized = Convert.ToBase64String(new byte[75_003]);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleWithSAMLAsync(Request(oversized)));

        AssertError(error, "ValidationError", HttpStatusCode.BadRequest);
        Assert.DoesNotContain("AAAA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownProvider_IsRefused()
    {
        await using FakeSts fake = await StartAsync();
        using AmazonSecurityTokenServiceClient sts = AnonymousClient(fake);
        string other = "arn:aws:iam::123456789012:saml-provider/Other";
        string assertion = SamlAssertionBuilder.Build(Options() with { Roles = [SamlAssertionBuilder.RoleValue(Role, other)] });

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleWithSAMLAsync(new AssumeRoleWithSAMLRequest { RoleArn = Role, PrincipalArn = other, SAMLAssertion = assertion }));

        AssertError(error, "InvalidIdentityToken", HttpStatusCode.BadRequest);
    }

    private async Task<FakeSts> StartAsync()
    {
        FakeSts fake = await FakeSts.StartAsync();
        fake.RegisterSamlProvider(Provider, _idpCertificate);
        return fake;
    }

    private static AmazonSecurityTokenServiceClient AnonymousClient(FakeSts fake) => FakeStsTests.Client(fake, new AnonymousAWSCredentials());

    private SamlAssertionOptions Options() => new()
    {
        SigningCertificate = _idpCertificate,
        Roles = [SamlAssertionBuilder.RoleValue(Role, Provider), SamlAssertionBuilder.RoleValue(OtherRole, Provider)],
    };

    private static AssumeRoleWithSAMLRequest Request(string assertion, int? durationSeconds = null) =>
        new() { RoleArn = Role, PrincipalArn = Provider, SAMLAssertion = assertion, DurationSeconds = durationSeconds };

    private static void AddRoleValue(XmlNode scope, string value)
    {
        XmlDocument document = scope as XmlDocument ?? scope.OwnerDocument!;
        XmlNodeList attributes = scope is XmlDocument ? document.GetElementsByTagName("Attribute", SamlNs) : ((XmlElement)scope).GetElementsByTagName("Attribute", SamlNs);
        foreach (XmlElement attribute in attributes)
        {
            if (attribute.GetAttribute("Name") == "https://aws.amazon.com/SAML/Attributes/Role")
            {
                XmlElement added = document.CreateElement("saml", "AttributeValue", SamlNs);
                added.InnerText = value;
                attribute.AppendChild(added);
            }
        }
    }

    private static void AssertError(AmazonServiceException error, string code, HttpStatusCode status)
    {
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
    }
}
