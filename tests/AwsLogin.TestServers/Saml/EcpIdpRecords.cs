using System;
using System.Collections.Generic;

namespace AwsLogin.TestServers;

/// <summary>How the fake ECP IdP answers a request that authenticated, to simulate broken or hostile IdPs.</summary>
public enum EcpIdpBehavior
{
    /// <summary>A SOAP answer with a signed assertion for the user's roles.</summary>
    Normal,

    /// <summary>HTTP 200 with an HTML login page (a browser SSO URL configured where the ECP endpoint belongs).</summary>
    Html,

    /// <summary>HTTP 200 with a SOAP answer whose samlp:Response has status Responder/AuthnFailed and no assertion.</summary>
    FailureStatus,

    /// <summary>The assertion replaced by a saml:EncryptedAssertion.</summary>
    EncryptedAssertion,

    /// <summary>A signed assertion without any Role attribute value.</summary>
    NoRoles,

    /// <summary>A signed response padded beyond what AWS accepts (about 150 kB of XML).</summary>
    Oversized,

    /// <summary>A 2 MiB SOAP answer.</summary>
    HugeBody,

    /// <summary>A SOAP answer that starts with a DTD declaring an entity.</summary>
    DtdBearing,

    /// <summary>A signed assertion whose validity ended five minutes ago.</summary>
    Expired,

    /// <summary>A signed assertion whose first Role value was changed after signing to <see cref="FakeEcpIdp.TamperedRoleValue"/>.</summary>
    Tampered,

    /// <summary>HTTP 500 with a SOAP fault.</summary>
    SoapFault,

    /// <summary>A signed response whose ecp:Response header addresses another service.</summary>
    WrongConsumer,
}

/// <summary>What the simulated user does with a Duo push or phone call.</summary>
public enum DuoPushAction
{
    Approve,
    Deny,
}

/// <summary>A user of the fake IdP. The password is kept out of ToString.</summary>
/// <param name="Roles">Values of the AWS Role attribute, "roleArn,principalArn".</param>
/// <param name="RequireDuo">Whether the IdP's MFA flow asks Duo after the password.</param>
/// <param name="SessionDuration">The SessionDuration attribute, if any.</param>
public sealed record FakeIdpUser(string UserName, string Password, IReadOnlyList<string> Roles, bool RequireDuo, int? SessionDuration)
{
    public override string ToString() => UserName;
}

/// <summary>One request to the fake IdP as it saw it. Passwords and passcodes are never recorded, only whether they came.</summary>
/// <param name="BasicUserName">The user name of the Basic Authorization header, if one came.</param>
/// <param name="SentSessionCookie">Whether the request carried an IdP session cookie.</param>
/// <param name="UsedSession">Whether a valid session cookie authenticated the request (no password checked).</param>
/// <param name="DuoFactor">The value of the Duo factor header, if one came.</param>
/// <param name="SentPasscode">Whether the Duo passcode header came.</param>
/// <param name="Outcome">What the fake did: Issued, NoCredentials, BadPassword, DuoDenied, BadPasscode, SmsSent, BadRequest, or a behavior name.</param>
public sealed record EcpIdpCall(
    string Method,
    string Path,
    string? BasicUserName,
    bool SentAuthorization,
    bool SentSessionCookie,
    bool UsedSession,
    string? DuoFactor,
    bool SentPasscode,
    string? Accept,
    string? Paos,
    string? ContentType,
    string? AuthnRequestIssuer,
    string? AssertionConsumerServiceUrl,
    string? ProtocolBinding,
    int HttpStatus,
    string Outcome,
    DateTimeOffset ReceivedAt);
