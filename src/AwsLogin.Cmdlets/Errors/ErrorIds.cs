namespace AwsLogin.Errors;

/// <summary>
/// Every ErrorId the module uses, defined once. These are part of the public contract (scripts match on
/// FullyQualifiedErrorId): never rename, reuse or localise one.
/// </summary>
internal static class ErrorIds
{
    // Input and configuration
    public const string InvalidRoleArn = "InvalidRoleArn";
    public const string InvalidArgument = "InvalidArgument";
    public const string ProfileNotFound = "ProfileNotFound";
    public const string InvalidProfileConfiguration = "InvalidProfileConfiguration";
    public const string SourceProfileCycle = "SourceProfileCycle";
    public const string NoCredentials = "NoCredentials";
    public const string MfaCodeRequired = "MfaCodeRequired";
    public const string CredentialProcessFailed = "CredentialProcessFailed";
    public const string FileChangedConcurrently = "FileChangedConcurrently";
    public const string FileError = "FileError";
    public const string LockTimeout = "LockTimeout";
    public const string ScriptOrProgramRequired = "ScriptOrProgramRequired";
    public const string UnsafeExportValue = "UnsafeExportValue";
    public const string CredentialServerNotFound = "CredentialServerNotFound";
    public const string CredentialServerStartFailed = "CredentialServerStartFailed";
    public const string CredentialsExpired = "CredentialsExpired";

    // AWS answers
    public const string StsAccessDenied = "StsAccessDenied";
    public const string StsInvalidCredentials = "StsInvalidCredentials";
    public const string StsExpiredToken = "StsExpiredToken";
    public const string StsThrottled = "StsThrottled";
    public const string StsValidationError = "StsValidationError";
    public const string StsServiceError = "StsServiceError";
    public const string EndpointUnreachable = "EndpointUnreachable";

    // IAM Identity Center
    public const string SsoNotSignedIn = "SsoNotSignedIn";
    public const string SsoTokenExpired = "SsoTokenExpired";
    public const string SsoTokenRejected = "SsoTokenRejected";
    public const string SsoAccessDenied = "SsoAccessDenied";
    public const string SsoRoleNotFound = "SsoRoleNotFound";
    public const string SsoSessionNotFound = "SsoSessionNotFound";
    public const string SsoTargetRequired = "SsoTargetRequired";
    public const string SsoRegionRequired = "SsoRegionRequired";
    public const string SsoInvalidStartUrl = "SsoInvalidStartUrl";
    public const string SsoStartUrlMismatch = "SsoStartUrlMismatch";
    public const string SsoAuthorizationDenied = "SsoAuthorizationDenied";
    public const string SsoSignInFailed = "SsoSignInFailed";
    public const string SsoSignInTimedOut = "SsoSignInTimedOut";
    public const string SsoStateMismatch = "SsoStateMismatch";
    public const string SsoClientRejected = "SsoClientRejected";
    public const string SsoListenerFailed = "SsoListenerFailed";
    public const string SsoTokenFileNotFound = "SsoTokenFileNotFound";
    public const string SsoTokenFileInvalid = "SsoTokenFileInvalid";
    public const string SsoInvalidRequest = "SsoInvalidRequest";
    public const string SsoThrottled = "SsoThrottled";
    public const string SsoServiceError = "SsoServiceError";
    public const string InvalidNameTemplate = "InvalidNameTemplate";
    public const string InvalidSsoConfigSetting = "InvalidSsoConfigSetting";
    public const string InvalidTargetRoleProfile = "InvalidTargetRoleProfile";
    public const string TargetRoleFileNotFound = "TargetRoleFileNotFound";
    public const string SsoSessionConflict = "SsoSessionConflict";
    // Console sign-in
    public const string SessionDurationNotAllowed = "SessionDurationNotAllowed";
    public const string SessionDurationOutOfRange = "SessionDurationOutOfRange";
    public const string ConsoleCredentialsNotSupported = "ConsoleCredentialsNotSupported";
    public const string InvalidConsoleDestination = "InvalidConsoleDestination";
    public const string RegionNotInPartition = "RegionNotInPartition";
    public const string InvalidSignInEndpoint = "InvalidSignInEndpoint";
    public const string SigninTokenRejected = "SigninTokenRejected";
    public const string SignInServiceError = "SignInServiceError";
    public const string BrowserNotFound = "BrowserNotFound";
    public const string BrowserFailed = "BrowserFailed";
    // SAML sign-in
    public const string SamlNotXml = "SamlNotXml";
    public const string SamlDtdProhibited = "SamlDtdProhibited";
    public const string SamlResponseTooLarge = "SamlResponseTooLarge";
    public const string SamlStatusFailure = "SamlStatusFailure";
    public const string SamlEncryptedAssertion = "SamlEncryptedAssertion";
    public const string SamlNoRoles = "SamlNoRoles";
    public const string SamlAuthenticationFailed = "SamlAuthenticationFailed";
    public const string SamlIdpError = "SamlIdpError";
    public const string SamlUnexpectedRecipient = "SamlUnexpectedRecipient";
    public const string SamlRoleChoiceRequired = "SamlRoleChoiceRequired";
    public const string SamlRoleNotInAssertion = "SamlRoleNotInAssertion";
    public const string SamlCredentialRequired = "SamlCredentialRequired";
    public const string SamlPasscodeRequired = "SamlPasscodeRequired";
    public const string SamlInsecureEndpoint = "SamlInsecureEndpoint";
    public const string SamlBrowserNotFound = "SamlBrowserNotFound";
    public const string SamlBrowserFailed = "SamlBrowserFailed";
    public const string SamlBrowserTimedOut = "SamlBrowserTimedOut";
    public const string SamlBrowserClosed = "SamlBrowserClosed";
    public const string SamlAssertionRejected = "SamlAssertionRejected";
    public const string SamlAssertionExpired = "SamlAssertionExpired";
    public const string SamlIdpRejectedClaim = "SamlIdpRejectedClaim";
    // Okta sign-in
    public const string OktaPushRejected = "OktaPushRejected";
    public const string OktaPushTimedOut = "OktaPushTimedOut";
    public const string OktaPasscodeRejected = "OktaPasscodeRejected";
    public const string OktaAccountLockedOut = "OktaAccountLockedOut";
    public const string OktaPasswordExpired = "OktaPasswordExpired";
    public const string OktaMfaEnrollRequired = "OktaMfaEnrollRequired";
    public const string OktaFactorNotEnrolled = "OktaFactorNotEnrolled";
    public const string OktaTransactionExpired = "OktaTransactionExpired";
    public const string OktaRateLimited = "OktaRateLimited";
    public const string OktaUnexpectedStatus = "OktaUnexpectedStatus";
    public const string OktaNoSamlResponse = "OktaNoSamlResponse";

    // Login profiles and vaults
    public const string InvalidLoginProfile = "InvalidLoginProfile";
    public const string LoginProfileNotFound = "LoginProfileNotFound";
    public const string LoginProfileConflict = "LoginProfileConflict";
    public const string SamlSettingsRequired = "SamlSettingsRequired";
    public const string SamlSignInRequired = "SamlSignInRequired";
    public const string SamlVaultUnavailable = "SamlVaultUnavailable";
    public const string SamlVaultFailed = "SamlVaultFailed";
    public const string SamlBrowserRequired = "SamlBrowserRequired";
    public const string SamlPasscodeRejected = "SamlPasscodeRejected";
    public const string SamlUnexpectedPage = "SamlUnexpectedPage";
    public const string SamlCertificateUntrusted = "SamlCertificateUntrusted";

    // Loading
    public const string AwsSdkVersionConflict = "AwsSdkVersionConflict";
}
