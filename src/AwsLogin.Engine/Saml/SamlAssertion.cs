using System;
using System.Collections.Generic;

namespace AwsLogin.Engine.Saml;

/// <summary>
/// A SAML response an identity provider issued for AWS, and what AwsLogin read from it. The response itself (base64,
/// as AssumeRoleWithSAML takes it) stays in memory: it is a bearer token for every role it grants, so it is never
/// written to disk, logged, or shown; <see cref="ToString"/> masks it.
/// </summary>
public sealed class SamlAssertion
{
    internal SamlAssertion(string base64Response, IReadOnlyList<SamlRole> roles, string? roleSessionName, int? sessionDuration, string? issuer, DateTime? notOnOrAfter, string? subject = null)
    {
        Base64Response = base64Response;
        Roles = roles;
        RoleSessionName = roleSessionName;
        SessionDuration = sessionDuration;
        Issuer = issuer;
        NotOnOrAfter = notOnOrAfter;
        Subject = subject;
    }

    /// <summary>The roles the assertion grants, in the order the IdP listed them, without duplicates.</summary>
    public IReadOnlyList<SamlRole> Roles { get; }

    /// <summary>The RoleSessionName attribute, when present.</summary>
    public string? RoleSessionName { get; }

    /// <summary>The SessionDuration attribute in seconds, when present and within AWS's 900-43200.</summary>
    public int? SessionDuration { get; }

    /// <summary>The assertion's Issuer (the IdP's entity id), when present.</summary>
    public string? Issuer { get; }

    /// <summary>When the assertion stops being accepted (SubjectConfirmationData or Conditions NotOnOrAfter, UTC).</summary>
    public DateTime? NotOnOrAfter { get; }

    /// <summary>The assertion's Subject NameID, when present (the user as the IdP names them).</summary>
    public string? Subject { get; }

    /// <summary>The samlp:Response, base64-encoded: the SAMLAssertion parameter of AssumeRoleWithSAML. Never log it.</summary>
    internal string Base64Response { get; }

    public override string ToString() => $"SAML assertion from {Issuer ?? "an unnamed issuer"} granting {Roles.Count} role(s) ({Mask.Hidden})";
}
