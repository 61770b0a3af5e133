using System;
using System.Collections.Generic;

namespace AwsLogin.Engine.Saml.Okta;

/// <summary>
/// Every Okta sign-in failure, with its stable code, message and recommended action. Messages name the embed link,
/// the user, Okta error codes and statuses; never a password, passcode, state or session token, cookie or assertion.
/// </summary>
internal static class OktaErrors
{
    public const string PushRejected = "OktaPushRejected";
    public const string PushTimedOut = "OktaPushTimedOut";
    public const string PasscodeRejected = "OktaPasscodeRejected";
    public const string LockedOut = "OktaAccountLockedOut";
    public const string PasswordExpired = "OktaPasswordExpired";
    public const string MfaEnrollRequired = "OktaMfaEnrollRequired";
    public const string FactorNotEnrolled = "OktaFactorNotEnrolled";
    public const string TransactionExpired = "OktaTransactionExpired";
    public const string RateLimited = "OktaRateLimited";
    public const string UnexpectedStatus = "OktaUnexpectedStatus";
    public const string NoSamlResponse = "OktaNoSamlResponse";

    private const string CheckEmbedLink = "Check -EndpointUrl: it is the AWS app's embed link, https://ORG.okta.com/home/amazon_aws/APP_ID/272 (Okta admin console: the app's General tab, App Embed Link).";

    /// <summary>Okta refused the user name or password (E0000004); the shared password flow asks again on this code.</summary>
    public static AwsLoginException Authentication(string target, string user) => new(
        FailureKind.AuthenticationFailed,
        SamlErrors.AuthenticationFailed,
        $"Okta at '{target}' refused the sign-in of '{user}': wrong user name or password (E0000004).",
        target,
        "Check the user name (usually your email address) and the password; after too many failures Okta locks the account.");

    public static AwsLoginException Rejected(string target, string user) => new(
        FailureKind.AuthenticationFailed,
        PushRejected,
        $"The Okta Verify push for '{user}' at '{target}' was rejected.",
        target,
        "Approve the push on your phone. If you did not start this sign-in, tell your Okta administrators. -OktaFactor Totp with -Passcode signs in with a code instead.");

    public static AwsLoginException TimedOut(string target, string user, TimeSpan? waited) => new(
        FailureKind.AuthenticationFailed,
        PushTimedOut,
        waited is { } client
            ? $"The Okta Verify push for '{user}' at '{target}' was not answered within {client.TotalSeconds:0.#} seconds."
            : $"The Okta Verify push for '{user}' at '{target}' expired before it was answered.",
        target,
        "Sign in again and approve the push in Okta Verify, or use -OktaFactor Totp with -Passcode.");

    public static AwsLoginException WrongPasscode(string target, string user, string? summary) => new(
        FailureKind.AuthenticationFailed,
        PasscodeRejected,
        $"Okta at '{target}' did not accept the TOTP code of '{user}'{Says(summary)}.",
        target,
        "Use the current code from Okta Verify or Google Authenticator (each code works once, within its 30 seconds), and check the device clock.");

    public static AwsLoginException NoPasscode(string target, string user) => new(
        FailureKind.InvalidArgument,
        SamlErrors.PasscodeRequired,
        $"Okta at '{target}' asks '{user}' for a TOTP code, and none was given or could be asked for.",
        target,
        "Pass -Passcode (Read-Host -AsSecureString) with the current code from Okta Verify or Google Authenticator, or use -OktaFactor Push.");

    public static AwsLoginException NumberUnseen(string target, string user) => new(
        FailureKind.InvalidArgument,
        SamlErrors.PasscodeRequired,
        $"Okta Verify asks '{user}' to tap a number to approve the push from '{target}', and nobody can be shown the number here.",
        target,
        "Sign in interactively (Connect-AwsSaml), where the number is shown, or use -OktaFactor Totp.");

    public static AwsLoginException Locked(string target, string user) => new(
        FailureKind.AuthenticationFailed,
        LockedOut,
        $"The Okta account '{user}' at '{target}' is locked out.",
        target,
        "Unlock the account through Okta's sign-in page (Unlock account?) or ask your Okta administrators.");

    public static AwsLoginException Expired(string target, string user) => new(
        FailureKind.AuthenticationFailed,
        PasswordExpired,
        $"The Okta password of '{user}' at '{target}' has expired.",
        target,
        "Sign in to Okta in a browser and change the password, then sign in here with the new one.");

    public static AwsLoginException EnrollRequired(string target, string user) => new(
        FailureKind.AuthenticationFailed,
        MfaEnrollRequired,
        $"Okta at '{target}' requires '{user}' to enroll a second factor before signing in.",
        target,
        "Sign in to Okta in a browser and set up Okta Verify (push or code) or Google Authenticator.");

    public static AwsLoginException NotEnrolled(string target, string user, string wanted, IReadOnlyCollection<string> enrolled) => new(
        FailureKind.AuthenticationFailed,
        FactorNotEnrolled,
        $"Okta at '{target}' asks '{user}' for a second factor, and {wanted} is not among the factors enrolled: {(enrolled.Count == 0 ? "none" : string.Join(", ", enrolled))}.",
        target,
        "Use -OktaFactor Push (Okta Verify) or Totp (Okta Verify or Google Authenticator code) with a factor you have enrolled; other factors (SMS, email, security keys) need a browser sign-in.");

    public static AwsLoginException TransactionTimedOut(string target, string user) => new(
        FailureKind.AuthenticationFailed,
        TransactionExpired,
        $"The Okta sign-in of '{user}' at '{target}' expired before it was completed (E0000011).",
        target,
        "Sign in again and answer the second factor within five minutes.");

    public static AwsLoginException Throttled(string target) => new(
        FailureKind.Throttled,
        RateLimited,
        $"Okta at '{target}' refused the request: too many requests (HTTP 429).",
        target,
        "Wait a minute and sign in again; if it persists, set AWSLOGIN_OKTA_PUSH_POLL_SECONDS to poll pushes less often.");

    public static AwsLoginException Status(string target, string user, string status) => new(
        FailureKind.AuthenticationFailed,
        UnexpectedStatus,
        $"Okta at '{target}' answered the sign-in of '{user}' with status {SamlErrors.Sanitize(status)}, which AwsLogin cannot complete.",
        target,
        "Sign in to Okta in a browser: it shows what the account needs (a password reset, a recovery step or a factor not offered here).");

    public static AwsLoginException NoForm(string target, string page) => new(
        FailureKind.InvalidResponse,
        NoSamlResponse,
        $"Okta at '{target}' answered with a page ('{SamlErrors.Sanitize(page)}') that holds no SAMLResponse form field.",
        target,
        CheckEmbedLink + " Okta shows its sign-in or an error page when the session did not start or you are not assigned the app.");

    public static AwsLoginException Api(string target, int status, string? errorCode, string? summary) => new(
        FailureKind.InvalidResponse,
        SamlErrors.IdpError,
        $"Okta at '{target}' failed with HTTP {status}{(errorCode is null ? string.Empty : " " + SamlErrors.Sanitize(errorCode))}{Says(summary)}.",
        target,
        CheckEmbedLink + " If it is right, the Okta System Log shows the failure.");

    public static AwsLoginException NotAuthnApi(string target, string what) => new(
        FailureKind.InvalidResponse,
        SamlErrors.IdpError,
        $"The server of '{target}' did not answer as Okta's Authentication API: {what}.",
        target,
        CheckEmbedLink);

    public static AwsLoginException OffOrg(string target, string where) => new(
        FailureKind.InvalidResponse,
        SamlErrors.IdpError,
        $"Okta at '{target}' pointed the sign-in at '{SamlErrors.Sanitize(where)}', which is not the Okta org of the embed link; AwsLogin does not follow it.",
        target,
        CheckEmbedLink + " Sign-ins that go on to another identity provider (inbound federation) need a browser.");

    public static AwsLoginException TooManyRedirects(string target, int hops) => new(
        FailureKind.InvalidResponse,
        SamlErrors.IdpError,
        $"Okta at '{target}' redirected the sign-in more than {hops} times.",
        target,
        CheckEmbedLink);

    // Okta-controlled text goes into messages only as one short sanitized line.
    private static string Says(string? summary) =>
        string.IsNullOrWhiteSpace(summary) ? string.Empty : ": " + SamlErrors.Sanitize(summary!);
}
