using System;

namespace AwsLogin.Engine.Saml.Ecp;

/// <summary>
/// The Duo second factor Shibboleth's Duo AuthAPI flow uses for non-browser (ECP) sign-in, named in a request header.
/// </summary>
public enum DuoFactor
{
    /// <summary>Duo picks: a push to the first device that has Duo Mobile, else a phone call.</summary>
    Auto,
    /// <summary>A push to Duo Mobile.</summary>
    Push,
    /// <summary>A passcode (Duo Mobile, a hardware token, SMS or a bypass code), sent in the passcode header.</summary>
    Passcode,
    /// <summary>Duo texts new passcodes; that attempt fails by design, and the next one uses a texted passcode.</summary>
    Sms,
    /// <summary>A phone call to approve.</summary>
    Phone,
}

/// <summary>Sign-in through the SAML 2.0 ECP profile as Shibboleth serves it, with Duo through HTTP headers.</summary>
public sealed record EcpProviderOptions : SamlProviderOptions
{
    public const string DefaultDuoFactorHeader = "X-Shibboleth-Duo-Factor";
    public const string DefaultDuoPasscodeHeader = "X-Shibboleth-Duo-Passcode";

    /// <param name="endpointUrl">The IdP's ECP endpoint, for Shibboleth https://HOST/idp/profile/SAML2/SOAP/ECP.</param>
    public EcpProviderOptions(Uri endpointUrl)
        : base(endpointUrl)
    {
    }

    /// <summary>The Duo factor to ask for; null sends no factor header (the IdP's default, normally auto).</summary>
    public DuoFactor? Factor { get; init; }

    /// <summary>The header that names the Duo factor (the IdP's idp.duo.nonbrowser.header.factor).</summary>
    public string DuoFactorHeader { get; init; } = DefaultDuoFactorHeader;

    /// <summary>The header that carries the passcode (the IdP's idp.duo.nonbrowser.header.passcode).</summary>
    public string DuoPasscodeHeader { get; init; } = DefaultDuoPasscodeHeader;
}
