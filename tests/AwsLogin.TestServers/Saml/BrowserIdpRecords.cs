using System;

namespace AwsLogin.TestServers;

/// <summary>What the fake browser IdP posts to AWS once the user is signed in, to simulate broken IdPs.</summary>
public enum BrowserIdpBehavior
{
    /// <summary>A form with a signed SAMLResponse for the user's roles and a RelayState.</summary>
    Normal,

    /// <summary>A signed assertion without any Role attribute value.</summary>
    NoRoles,

    /// <summary>A form posted to AWS with a RelayState but no SAMLResponse.</summary>
    MissingSamlResponse,
}

/// <summary>One request to the fake browser IdP as it saw it. Passwords are never recorded, only the user name.</summary>
/// <param name="SentSessionCookie">Whether the request carried the IdP session cookie.</param>
/// <param name="UsedSession">Whether a valid session cookie signed the user in (no login form needed).</param>
/// <param name="UserName">The user signed in (by session or login form), if any.</param>
/// <param name="Outcome">What the fake did: LoginPage, SignedIn (a good login form), BadPassword, Issued, UnknownServiceProvider, NotFound or MethodNotAllowed.</param>
public sealed record BrowserIdpCall(
    string Method,
    string Path,
    bool SentSessionCookie,
    bool UsedSession,
    string? UserName,
    int HttpStatus,
    string Outcome,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Whether this was the login form posted back with a user name and password.</summary>
    public bool IsLoginPost => Method == "POST";
}
