using System;

namespace AwsLogin.TestServers;

/// <summary>How the fake ADFS misbehaves, to test what a client does with broken or hostile IdPs.</summary>
public enum AdfsIdpBehavior
{
    /// <summary>ADFS as it is: login form, redirects, the SAMLResponse form.</summary>
    Normal,

    /// <summary>The sign-on page redirects to itself for ever.</summary>
    RedirectLoop,

    /// <summary>The sign-on page redirects to another site (an upstream IdP, as with home realm discovery).</summary>
    ForeignRedirect,

    /// <summary>The login page is padded to 2 MiB.</summary>
    HugePage,

    /// <summary>The IdP-initiated sign-on page is disabled (ADFS 2016's default): an error page without forms.</summary>
    SignOnPageDisabled,

    /// <summary>The login form posts to another host.</summary>
    ForeignFormAction,

    /// <summary>The SAMLResponse form posts to a service provider other than AWS.</summary>
    WrongConsumer,

    /// <summary>A signed assertion without any Role attribute value.</summary>
    NoRoles,
}

/// <summary>The additional authentication the fake ADFS asks of users who need a second factor.</summary>
public enum AdfsMfaMode
{
    /// <summary>Azure MFA's verification-code page (AuthMethod AzureMfaAuthentication, field VerificationCode).</summary>
    VerificationCode,

    /// <summary>Azure MFA waiting for a push to be approved: a form with nothing to fill in.</summary>
    AzurePush,

    /// <summary>Duo's ADFS adapter: the second factor in an iframe.</summary>
    DuoFrame,
}

/// <summary>One request to the fake ADFS as it saw it. Passwords and codes are never recorded, only whether they came.</summary>
/// <param name="UserAgent">The User-Agent header.</param>
/// <param name="SentSessionCookie">Whether the request carried the ADFS session cookie (MSISAuth).</param>
/// <param name="UsedSession">Whether a valid session cookie authenticated the request (no password checked).</param>
/// <param name="PostedUserName">The UserName field of a posted login form.</param>
/// <param name="SentPassword">Whether a posted form had a non-empty Password field.</param>
/// <param name="SentVerificationCode">Whether a posted form had a non-empty VerificationCode field.</param>
/// <param name="SentKmsi">Whether the (unchecked) Keep-me-signed-in box was posted, which a browser would not do.</param>
/// <param name="AuthMethod">The posted AuthMethod field.</param>
/// <param name="Outcome">
/// What the fake did: LoginForm, BadPassword, BadContext, MfaForm, BadCode, SignedIn, Issued, ToWia, WiaChallenge,
/// NotFound, UnknownRelyingParty, or a behavior name.
/// </param>
public sealed record AdfsIdpCall(
    string Method,
    string Path,
    string? UserAgent,
    bool SentSessionCookie,
    bool UsedSession,
    string? PostedUserName,
    bool SentPassword,
    bool SentVerificationCode,
    bool SentKmsi,
    string? AuthMethod,
    int HttpStatus,
    string Outcome,
    DateTimeOffset ReceivedAt);
