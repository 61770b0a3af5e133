using System;
using System.Collections.Generic;
using System.Linq;

namespace AwsLogin.Engine.Saml;

/// <summary>
/// Every SAML sign-in failure, with its stable code, message and recommended action. Messages name endpoints, users,
/// role ARNs and SAML status codes; never a password, passcode, cookie or any part of an assertion.
/// </summary>
internal static class SamlErrors
{
    public const string NotXml = "SamlNotXml";
    public const string DtdProhibited = "SamlDtdProhibited";
    public const string ResponseTooLarge = "SamlResponseTooLarge";
    public const string StatusFailure = "SamlStatusFailure";
    public const string EncryptedAssertion = "SamlEncryptedAssertion";
    public const string NoRoles = "SamlNoRoles";
    public const string AuthenticationFailed = "SamlAuthenticationFailed";
    public const string IdpError = "SamlIdpError";
    public const string UnexpectedRecipient = "SamlUnexpectedRecipient";
    public const string RoleChoiceRequired = "SamlRoleChoiceRequired";
    public const string RoleNotInAssertion = "SamlRoleNotInAssertion";
    public const string CredentialRequired = "SamlCredentialRequired";
    public const string PasscodeRequired = "SamlPasscodeRequired";
    public const string InsecureEndpoint = "SamlInsecureEndpoint";
    public const string BrowserRequired = "SamlBrowserRequired";
    public const string PasscodeRejected = "SamlPasscodeRejected";
    public const string UnexpectedPage = "SamlUnexpectedPage";
    public const string CertificateUntrusted = "SamlCertificateUntrusted";
    public const string BrowserNotFound = "SamlBrowserNotFound";
    public const string BrowserFailed = "SamlBrowserFailed";
    public const string BrowserTimedOut = "SamlBrowserTimedOut";
    public const string BrowserClosed = "SamlBrowserClosed";

    private const string StatusPrefix = "urn:oasis:names:tc:SAML:2.0:status:";

    public static AwsLoginException Html(string target) => new(
        FailureKind.InvalidResponse,
        NotXml,
        $"The identity provider at '{target}' answered with an HTML page where a SAML (SOAP/XML) response was expected.",
        target,
        "Check the endpoint URL: for Shibboleth ECP it ends in /idp/profile/SAML2/SOAP/ECP. An HTML login page means the URL is the browser sign-in page, or the IdP does not offer ECP to this client.");

    public static AwsLoginException NotSaml(string target, string what) => new(
        FailureKind.InvalidResponse,
        NotXml,
        $"The identity provider at '{target}' did not answer with a usable SAML response: {what}.",
        target,
        "Check the endpoint URL and that the IdP releases SAML 2.0 responses to AWS (entity urn:amazon:webservices); its administrators can see the reason in the IdP log.");

    public static AwsLoginException Dtd(string target) => new(
        FailureKind.InvalidResponse,
        DtdProhibited,
        $"The answer from '{target}' contains a document type definition (DTD), which AwsLogin never processes (entity expansion and external entities are attacks on XML parsers).",
        target,
        "Real SAML responses carry no DTD. Check that the endpoint URL points at your IdP and that nothing between you and it rewrites the answer.");

    public static AwsLoginException TooLarge(string target, long limit) => new(
        FailureKind.InvalidResponse,
        ResponseTooLarge,
        $"The answer from '{target}' is larger than the {limit} bytes AwsLogin accepts for it (AWS accepts SAML assertions of at most 100,000 characters).",
        target,
        "Ask the IdP administrators to release fewer or shorter attributes to AWS (urn:amazon:webservices).");

    public static AwsLoginException Status(string target, string? code, string? secondCode, string? statusMessage)
    {
        var shown = Short(code) + (secondCode is null ? string.Empty : "/" + Short(secondCode));
        var message = $"The identity provider at '{target}' did not authenticate you: SAML status {shown}.";
        if (!string.IsNullOrWhiteSpace(statusMessage))
        {
            message += " The IdP says: " + Sanitize(statusMessage!) + ".";
        }

        return new AwsLoginException(
            FailureKind.AuthenticationFailed,
            StatusFailure,
            message,
            target,
            "Check the user name, password and second factor; if they are right, the IdP's administrators can see the reason for this status in the IdP log.");
    }

    public static AwsLoginException Encrypted(string target) => new(
        FailureKind.InvalidResponse,
        EncryptedAssertion,
        $"The identity provider at '{target}' encrypted the SAML assertion, so AwsLogin cannot read the AWS roles in it.",
        target,
        "Ask the IdP administrators not to encrypt assertions for AWS (urn:amazon:webservices) when they are fetched through this sign-in method.");

    public static AwsLoginException Roleless(string target, string? user) => new(
        FailureKind.AccessDenied,
        NoRoles,
        $"The SAML assertion from '{target}'{ForUser(user)} grants no AWS role: it has no valid https://aws.amazon.com/SAML/Attributes/Role value.",
        target,
        "Ask the IdP administrators to grant you an AWS role (each Role value is 'role ARN,SAML provider ARN').");

    public static AwsLoginException Authentication(string target, string user, string what) => new(
        FailureKind.AuthenticationFailed,
        AuthenticationFailed,
        $"The identity provider at '{target}' refused the sign-in of '{user}': {what}.",
        target,
        "Check the user name and password, and approve the Duo request or use a current passcode (-Factor, -Passcode).");

    public static AwsLoginException HttpFailure(string target, int status, string? detail) => new(
        FailureKind.InvalidResponse,
        IdpError,
        $"The identity provider at '{target}' failed with HTTP {status}{(string.IsNullOrWhiteSpace(detail) ? string.Empty : ": " + Sanitize(detail!))}.",
        target,
        "Check the endpoint URL; if it is right, the IdP's administrators can see the failure in the IdP log.");

    public static AwsLoginException Redirected(string target, int status, Uri? location) => new(
        FailureKind.InvalidResponse,
        IdpError,
        $"The identity provider at '{target}' redirected the sign-in (HTTP {status}){(location is null ? string.Empty : " to '" + WithoutQuery(location) + "'")} instead of answering it.",
        target,
        "Use the IdP's ECP endpoint URL itself (for Shibboleth, https://HOST/idp/profile/SAML2/SOAP/ECP), not a page that redirects to a browser login.");

    public static AwsLoginException Fault(string target, string? faultCode, string? faultString) => new(
        FailureKind.InvalidResponse,
        IdpError,
        $"The identity provider at '{target}' answered with a SOAP fault{(faultCode is null ? string.Empty : " " + Sanitize(faultCode))}{(string.IsNullOrWhiteSpace(faultString) ? string.Empty : ": " + Sanitize(faultString!))}.",
        target,
        "The IdP could not process the request; its administrators can see the reason in the IdP log.");

    public static AwsLoginException WrongRecipient(string target, string expected, string actual) => new(
        FailureKind.InvalidResponse,
        UnexpectedRecipient,
        $"The identity provider at '{target}' addressed its response to '{Sanitize(actual)}', not to AWS ('{expected}'); AwsLogin does not use it.",
        target,
        "Check the endpoint URL. An IdP that answers an AWS request for another service is misconfigured or not the IdP you meant.");

    public static AwsLoginException ChoiceRequired(string target, IReadOnlyList<SamlRole> roles) => new(
        FailureKind.InvalidArgument,
        RoleChoiceRequired,
        $"The SAML assertion from '{target}' grants {roles.Count} roles and none was chosen: {string.Join(", ", roles.Select(r => r.RoleArn.Value))}.",
        target,
        "Pass -RoleArn with one or more of these roles, or -All; Get-AwsSamlRole lists them.");

    public static AwsLoginException NotGranted(string target, string roleArn, IReadOnlyList<SamlRole> roles) => new(
        FailureKind.NotFound,
        RoleNotInAssertion,
        $"The SAML assertion from '{target}' does not grant the role '{roleArn}'. It grants: {string.Join(", ", roles.Select(r => r.RoleArn.Value))}.",
        roleArn,
        "Choose one of the roles the assertion grants (Get-AwsSamlRole lists them), or ask the IdP administrators for this one.");

    public static AwsLoginException NoCredential(string target, bool sessionEnded) => new(
        FailureKind.InvalidArgument,
        CredentialRequired,
        sessionEnded
            ? $"The saved sign-in session for '{target}' has ended, and no user name and password could be asked for."
            : $"Signing in to '{target}' needs a user name and password, and none could be asked for.",
        target,
        "Pass -Credential (Get-Credential), or run the command in an interactive session so it can ask.");

    public static AwsLoginException NoPasscode(string target, bool smsSent) => new(
        FailureKind.InvalidArgument,
        PasscodeRequired,
        smsSent
            ? $"The identity provider at '{target}' had Duo send passcodes by SMS, and no passcode could be asked for."
            : $"Duo factor 'passcode' for '{target}' needs a passcode, and none was given or could be asked for.",
        target,
        "Pass -Passcode (Read-Host -AsSecureString) with a current Duo passcode, or use -Factor push.");

    public static AwsLoginException Insecure(string target) => new(
        FailureKind.InvalidArgument,
        InsecureEndpoint,
        $"'{target}' is not an https URL; AwsLogin sends passwords only over https (plain http is allowed for the loopback address alone).",
        target,
        "Use the https URL of the identity provider's endpoint.");

    public static AwsLoginException Unreachable(string target, string reason, Exception? inner) => new(
        FailureKind.EndpointUnreachable,
        "EndpointUnreachable",
        $"The identity provider at '{target}' could not be reached: {reason}",
        target,
        "Check the endpoint URL, the network and proxy settings, and that the IdP's TLS certificate is valid for its host name.",
        inner);

    /// <summary>
    /// A failed request to the IdP: an untrusted TLS certificate (<see cref="CertificateUntrusted"/>) or a network
    /// failure (EndpointUnreachable), told by the innermost reason.
    /// </summary>
    public static AwsLoginException Transport(string target, Exception ex)
    {
        var innermost = ex;
        var tls = false;
        for (Exception? inner = ex; inner is not null; inner = inner.InnerException)
        {
            tls |= inner is System.Security.Authentication.AuthenticationException;
            innermost = inner;
        }

        return tls ? Untrusted(target, innermost.Message, ex) : Unreachable(target, innermost.Message, ex);
    }

    public static AwsLoginException Untrusted(string target, string reason, Exception? inner) => new(
        FailureKind.EndpointUnreachable,
        CertificateUntrusted,
        $"The TLS certificate of the identity provider at '{target}' is not trusted: {Sanitize(reason)}",
        target,
        "Check that the URL names the IdP's host as its certificate does, and that the certificate's issuing CA is trusted by this machine (for a private CA, add it to the system's trusted roots). -SkipCertificateCheck turns the check off, for test IdPs only.",
        inner);

    /// <summary>An HTML sign-in refused: the login form came back, with the IdP's own error text when it has one.</summary>
    public static AwsLoginException FormAuthentication(string target, string user, string? idpText) => new(
        FailureKind.AuthenticationFailed,
        AuthenticationFailed,
        $"The identity provider at '{target}' refused the sign-in of '{user}': "
            + (string.IsNullOrWhiteSpace(idpText) ? "it showed its login form again." : "it says: " + Sanitize(idpText!)),
        target,
        "Check the user name (for ADFS, as DOMAIN\\user or user@domain) and the password; an account locked out or with an expired password must be dealt with in a browser first.");

    public static AwsLoginException CodeRejected(string target, string user, string? idpText) => new(
        FailureKind.AuthenticationFailed,
        PasscodeRejected,
        $"The identity provider at '{target}' refused the verification code for '{user}'"
            + (string.IsNullOrWhiteSpace(idpText) ? "." : ": " + Sanitize(idpText!)),
        target,
        "Use a current code from your authenticator (codes expire after about 30 seconds, and each works once), passed with -Passcode or typed when asked.");

    public static AwsLoginException NoCode(string target, string user) => new(
        FailureKind.InvalidArgument,
        PasscodeRequired,
        $"The identity provider at '{target}' asks for a verification code for '{user}', and none was given or could be asked for.",
        target,
        "Pass -Passcode (Read-Host -AsSecureString) with a current code from your authenticator, or run the command in an interactive session so it can ask.");

    public static AwsLoginException NeedsBrowser(string target, string what) => new(
        FailureKind.InvalidResponse,
        BrowserRequired,
        $"The identity provider at '{target}' continues the sign-in in a way only a web browser can complete: {Sanitize(what)}.",
        target,
        "Sign in with -Provider Browser, which opens the IdP's sign-in page in your browser; or ask the IdP administrators for a verification-code second factor.");

    public static AwsLoginException Unexpected(string target, string what) => new(
        FailureKind.InvalidResponse,
        UnexpectedPage,
        $"The identity provider at '{target}' answered with a page that is neither a login form nor a SAML response for AWS: {Sanitize(what)}.",
        target,
        "Check the endpoint URL (for ADFS, https://HOST or https://HOST/adfs/ls/IdpInitiatedSignOn.aspx), that ADFS's IdP-initiated sign-on page is enabled (Set-AdfsProperties -EnableIdPInitiatedSignonPage $true) and that the relying party urn:amazon:webservices exists; or use -Provider Browser.");

    public static AwsLoginException TooManySteps(string target, string what, int limit) => new(
        FailureKind.InvalidResponse,
        IdpError,
        $"The identity provider at '{target}' {what} more than {limit} times without reaching a SAML response; AwsLogin stopped following it.",
        target,
        "The IdP is looping (a misconfigured relying party or sign-in policy); its administrators can see the reason in its event log. -Provider Browser may get through.");

    public static AwsLoginException ForeignTarget(string target, string what, Uri where) => new(
        FailureKind.InvalidArgument,
        InsecureEndpoint,
        $"The identity provider at '{target}' {what} '{WithoutQuery(where)}'; AwsLogin sends credentials only over https (or to the loopback address) and only to the IdP's own host.",
        target,
        "Check the endpoint URL. If the IdP really hands the sign-in on to another site, sign in with -Provider Browser.");
    public static AwsLoginException NoBrowser(string? browserPath, IEnumerable<string> lookedFor) => new(
        FailureKind.NotFound,
        BrowserNotFound,
        browserPath is null
            ? "No Chromium-family browser (Microsoft Edge, Google Chrome, Chromium) was found; looked for " + string.Join(", ", lookedFor) + "."
            : $"The browser '{browserPath}' was not found.",
        browserPath ?? "browser",
        browserPath is null
            ? "Install Microsoft Edge, Google Chrome or Chromium, or pass -BrowserPath with the path of a Chromium-family browser program."
            : "Pass -BrowserPath with the full path of a Chromium-family browser program (msedge, chrome, chromium), or a program name on PATH.");

    public static AwsLoginException BrowserProblem(string browser, string what, string? recommendedAction = null, Exception? inner = null) => new(
        FailureKind.InvalidResponse,
        BrowserFailed,
        $"The browser '{browser}' could not be used for the sign-in: {what}",
        browser,
        recommendedAction ?? "Pass -BrowserPath with a Chromium-family browser (Microsoft Edge, Google Chrome, Chromium) that starts on this machine.",
        inner);

    public static AwsLoginException BrowserTimeout(string target, TimeSpan timeout, bool headless) => new(
        FailureKind.AuthenticationFailed,
        BrowserTimedOut,
        $"The sign-in at '{target}' did not reach AWS within {timeout.TotalSeconds:0} seconds{(headless ? " (the browser ran headless, so nobody could answer the IdP's page)" : string.Empty)}.",
        target,
        headless
            ? "Run without -Headless and complete the sign-in in the browser window; -Headless suits only an IdP whose session is still valid."
            : "Complete the sign-in in the browser window before the time runs out. If the IdP showed no AWS role, check that -EndpointUrl is its start page for the AWS application.");

    public static AwsLoginException BrowserClosedEarly(string target) => new(
        FailureKind.AuthenticationFailed,
        BrowserClosed,
        $"The browser was closed before the sign-in at '{target}' reached AWS.",
        target,
        "Run the command again and leave the browser open until it closes by itself after the sign-in.");

    public static AwsLoginException BadHeaderName(string header) => new(
        FailureKind.InvalidArgument,
        "InvalidArgument",
        $"'{header}' is not an HTTP header name.",
        header,
        "Give the header names your IdP's Duo configuration uses (idp.duo.nonbrowser.header.factor and .passcode), such as X-Shibboleth-Duo-Factor.");

    public static AwsLoginException HopsNeedOneRole(string target) => new(
        FailureKind.InvalidArgument,
        "InvalidArgument",
        "Role hops after a SAML sign-in need exactly one SAML role; several roles were asked for.",
        target,
        "Ask for one SAML role when chaining further roles, or chain each role in its own command.");

    // "urn:oasis:names:tc:SAML:2.0:status:Responder" reads better as "Responder".
    private static string Short(string? code) =>
        code is null ? "(none)" : code.StartsWith(StatusPrefix, StringComparison.Ordinal) ? code.Substring(StatusPrefix.Length) : Sanitize(code);

    // A redirect's query string can carry a SAMLRequest or a session id: show only where it points.
    private static string WithoutQuery(Uri location)
    {
        var text = location.IsAbsoluteUri ? location.GetLeftPart(UriPartial.Path) : location.OriginalString;
        var cut = text.IndexOfAny(new[] { '?', '#' });
        return Sanitize(cut < 0 ? text : text.Substring(0, cut));
    }

    private static string ForUser(string? user) => user is null ? string.Empty : $" for '{user}'";

    // IdP-controlled text goes into messages only as one short line of printable characters.
    internal static string Sanitize(string text)
    {
        var chars = text.Trim().Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        var clean = new string(chars);
        return clean.Length > 200 ? clean.Substring(0, 200) + "..." : clean;
    }
}
