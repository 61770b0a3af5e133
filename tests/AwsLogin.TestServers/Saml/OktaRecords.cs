using System;
using System.Collections.Generic;

namespace AwsLogin.TestServers;

/// <summary>What the simulated user does with an Okta Verify push (seen from poll <see cref="FakeOkta.PushAnswerOnPoll"/> on).</summary>
public enum OktaPushAction
{
    /// <summary>Approves: the poll answers SUCCESS with a session token.</summary>
    Approve,

    /// <summary>Taps "No, it's not me": factorResult REJECTED.</summary>
    Reject,

    /// <summary>Lets it expire: factorResult TIMEOUT.</summary>
    Timeout,

    /// <summary>Never answers: factorResult WAITING on every poll.</summary>
    Ignore,
}

/// <summary>How the AWS app answers a request inside a valid Okta session, to simulate broken or hostile orgs.</summary>
public enum OktaAppBehavior
{
    /// <summary>The auto-posting form with a signed assertion for the user's roles.</summary>
    Normal,

    /// <summary>A signed assertion without any Role attribute value.</summary>
    NoRoles,

    /// <summary>A signed response padded beyond what AWS accepts.</summary>
    Oversized,

    /// <summary>A 2 MiB page.</summary>
    HugePage,

    /// <summary>The form posts the assertion to another service than AWS.</summary>
    WrongAction,

    /// <summary>A signed assertion whose validity ended five minutes ago.</summary>
    Expired,

    /// <summary>HTTP 403: the user is not assigned the app.</summary>
    NotAssigned,

    /// <summary>A redirect to another host (an inbound-federation IdP).</summary>
    ForeignRedirect,
}

/// <summary>An Okta account state that primary authentication reports instead of going on.</summary>
public enum OktaAccountState
{
    Active,
    LockedOut,
    PasswordExpired,
    MfaEnroll,
    PasswordReset,
}

/// <summary>Which authenticator app a user's TOTP factor belongs to (the factor's provider).</summary>
public enum OktaTotpProvider
{
    Okta,
    Google,
}

/// <summary>A user of the fake Okta org. The password and TOTP secret are kept out of ToString.</summary>
/// <param name="Roles">Values of the AWS Role attribute, "roleArn,principalArn".</param>
/// <param name="Push">Whether Okta Verify push is enrolled.</param>
/// <param name="Totp">The enrolled TOTP factor's provider, if any.</param>
/// <param name="Sms">Whether an SMS factor is enrolled (a factor AwsLogin does not use).</param>
public sealed record FakeOktaUser(string Login, string Password, IReadOnlyList<string> Roles, bool Push, OktaTotpProvider? Totp, bool Sms, OktaAccountState State, int? SessionDuration)
{
    /// <summary>The TOTP factor's shared secret (the key behind the enrollment QR code).</summary>
    public byte[] TotpSecret { get; init; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(20);

    internal string Id { get; } = "00u" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    internal string PushFactorId { get; } = "opf" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    internal string TotpFactorId { get; } = "ost" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    internal string SmsFactorId { get; } = "mbl" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));

    public override string ToString() => Login;
}

/// <summary>One request to the fake Okta org as it saw it. Passwords, passcodes and tokens are never recorded, only whether they came.</summary>
/// <param name="UserName">The user the request was for (authenticated or named), if known.</param>
/// <param name="SentPassword">Whether the body carried a password (primary authentication).</param>
/// <param name="SentStateToken">Whether the body carried a state token.</param>
/// <param name="SentPasscode">Whether the body carried a TOTP passCode.</param>
/// <param name="SentSessionToken">Whether the query carried a session token (the session redirect).</param>
/// <param name="SentSessionCookie">Whether the request carried the sid cookie.</param>
/// <param name="UsedSession">Whether a valid sid cookie authenticated the request.</param>
/// <param name="Outcome">What the fake did: Success, MfaRequired, BadPassword, Waiting, Approved, Rejected, PushTimeout, BadPasscode, BadStateToken, SessionCreated, BadSessionToken, Form, LoginRedirect, LoginPage, Cancelled, Injected, or a behavior name.</param>
public sealed record OktaCall(
    string Method,
    string Path,
    string? UserName,
    bool SentPassword,
    bool SentStateToken,
    bool SentPasscode,
    bool SentSessionToken,
    bool SentSessionCookie,
    bool UsedSession,
    string? Accept,
    string? ContentType,
    int HttpStatus,
    string Outcome,
    DateTimeOffset ReceivedAt);
