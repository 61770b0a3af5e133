using System;

namespace AwsLogin;

/// <summary>How Connect-AwsSaml and Get-AwsSamlRole get the SAML assertion from the identity provider.</summary>
public enum SamlProvider
{
    /// <summary>The SAML 2.0 ECP profile as Shibboleth serves it: a SOAP request with HTTP Basic authentication.</summary>
    Ecp,
    /// <summary>The user's Chromium-family browser (Edge, Chrome, Chromium): any IdP, any MFA it offers.</summary>
    Browser,
}

/// <summary>The Duo second factor asked for at an ECP sign-in.</summary>
public enum DuoFactor
{
    /// <summary>Duo picks: a push to Duo Mobile, else a phone call.</summary>
    Auto,
    /// <summary>A push to Duo Mobile.</summary>
    Push,
    /// <summary>A passcode, from -Passcode or asked for.</summary>
    Passcode,
    /// <summary>Duo texts passcodes; the cmdlet then asks for one.</summary>
    Sms,
    /// <summary>A phone call.</summary>
    Phone,
}

/// <summary>
/// An AWS role a SAML sign-in grants. Provider, EndpointUrl and ProfileName say where it came from, and bind by
/// property name to Connect-AwsSaml, together with RoleArn.
/// </summary>
public sealed class AwsSamlRole
{
    internal AwsSamlRole(string roleArn, string principalArn, string accountId, string roleName, SamlProvider provider, Uri endpointUrl, string profileName)
    {
        RoleArn = roleArn;
        PrincipalArn = principalArn;
        AccountId = accountId;
        RoleName = roleName;
        Provider = provider;
        EndpointUrl = endpointUrl;
        ProfileName = profileName;
    }

    /// <summary>The ARN of the role.</summary>
    public string RoleArn { get; }

    /// <summary>The ARN of the IAM SAML provider that trusts the identity provider for this role.</summary>
    public string PrincipalArn { get; }

    /// <summary>The 12-digit account id of the role.</summary>
    public string AccountId { get; }

    /// <summary>The role name, without its path.</summary>
    public string RoleName { get; }

    /// <summary>How the assertion was obtained.</summary>
    public SamlProvider Provider { get; }

    /// <summary>The identity provider endpoint signed in to.</summary>
    public Uri EndpointUrl { get; }

    /// <summary>The name the sign-in session is kept under.</summary>
    public string ProfileName { get; }

    public override string ToString() => RoleArn;
}
