using System;

namespace AwsLogin;

/// <summary>
/// The SAML sign-in settings of an AWS profile (a login profile), as kept in the shared config file. ProfileName binds
/// by property name to Connect-AwsSaml, Get-AwsSamlRole, Get-AwsRoleCredential, Disconnect-AwsSaml and
/// Remove-AwsLoginProfile. A password stored in the file is never shown: HasPlainPassword says whether there is one.
/// </summary>
public sealed class AwsLoginProfile
{
    internal AwsLoginProfile(
        string profileName,
        SamlProvider provider,
        Uri endpointUrl,
        string? userName,
        string? roleArn,
        int? durationSeconds,
        string? factor,
        string? duoFactorHeader,
        string? duoPasscodeHeader,
        bool skipCertificateCheck,
        string? vault,
        bool hasPlainPassword,
        string? browserPath,
        bool headless,
        bool useDefaultCredentials,
        string? region,
        string? credentialProcess)
    {
        ProfileName = profileName;
        Provider = provider;
        EndpointUrl = endpointUrl;
        UserName = userName;
        RoleArn = roleArn;
        DurationSeconds = durationSeconds;
        Factor = factor;
        DuoFactorHeader = duoFactorHeader;
        DuoPasscodeHeader = duoPasscodeHeader;
        SkipCertificateCheck = skipCertificateCheck;
        Vault = vault;
        HasPlainPassword = hasPlainPassword;
        BrowserPath = browserPath;
        Headless = headless;
        UseDefaultCredentials = useDefaultCredentials;
        Region = region;
        CredentialProcess = credentialProcess;
    }

    /// <summary>The AWS profile name (also the name its IdP session and cached credentials are kept under).</summary>
    public string ProfileName { get; }

    /// <summary>How the SAML assertion is obtained.</summary>
    public SamlProvider Provider { get; }

    /// <summary>The identity provider endpoint (ECP endpoint, AD FS sign-on page, Okta app embed link, or start page).</summary>
    public Uri EndpointUrl { get; }

    /// <summary>The user who signs in; null when asked for at sign-in.</summary>
    public string? UserName { get; }

    /// <summary>The SAML role to assume; null takes the only role the assertion grants.</summary>
    public string? RoleArn { get; }

    /// <summary>The session length asked for, in seconds; the IdP's SessionDuration may shorten it.</summary>
    public int? DurationSeconds { get; }

    /// <summary>The second factor: ECP auto, push, passcode, sms, phone; Okta auto, push, totp.</summary>
    public string? Factor { get; }

    /// <summary>The header that names the Duo factor (ECP); null for the default X-Shibboleth-Duo-Factor.</summary>
    public string? DuoFactorHeader { get; }

    /// <summary>The header that carries the Duo passcode (ECP); null for the default X-Shibboleth-Duo-Passcode.</summary>
    public string? DuoPasscodeHeader { get; }

    /// <summary>True when the IdP's TLS certificate is not checked (verify_ssl = false).</summary>
    public bool SkipCertificateCheck { get; }

    /// <summary>The SecretManagement vault that keeps the IdP password.</summary>
    public string? Vault { get; }

    /// <summary>True when the config file holds the password in plain text (awslogin_saml_password).</summary>
    public bool HasPlainPassword { get; }

    /// <summary>The browser the Browser provider starts; null finds Edge, Chrome or Chromium.</summary>
    public string? BrowserPath { get; }

    /// <summary>The Browser provider runs the browser without a window.</summary>
    public bool Headless { get; }

    /// <summary>AD FS signs in with the Windows identity (Kerberos/NTLM).</summary>
    public bool UseDefaultCredentials { get; }

    /// <summary>The profile's region: where STS is called.</summary>
    public string? Region { get; }

    /// <summary>The profile's credential_process line, which AWS tools run to get credentials.</summary>
    public string? CredentialProcess { get; }

    public override string ToString() => ProfileName;
}
