using System;
using System.Management.Automation;
using AwsLogin.Engine;

namespace AwsLogin.Errors;

/// <summary>Builds ErrorRecords: a stable ErrorId, a specific category, the item as target, and a recommended action.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(AwsLoginException exception)
    {
        var (errorId, category) = Classify(exception);
        var record = new ErrorRecord(new AwsLoginError(exception.Message, exception), errorId, category, exception.Target);
        record.ErrorDetails = new ErrorDetails(exception.Message);
        if (exception.RecommendedAction is not null)
        {
            record.ErrorDetails.RecommendedAction = exception.RecommendedAction;
        }

        return record;
    }

    public static ErrorRecord Create(string errorId, ErrorCategory category, object? target, string message, string? recommendedAction = null)
    {
        var record = new ErrorRecord(new AwsLoginError(message, null), errorId, category, target)
        {
            ErrorDetails = new ErrorDetails(message),
        };
        if (recommendedAction is not null)
        {
            record.ErrorDetails.RecommendedAction = recommendedAction;
        }

        return record;
    }

    public static ErrorRecord SdkVersionConflict(Exception exception) => Create(
        ErrorIds.AwsSdkVersionConflict,
        ErrorCategory.ResourceUnavailable,
        "AWSSDK.Core",
        "Another version of the AWS SDK for .NET (AWSSDK.Core) was loaded into this session before AwsLogin, and Windows PowerShell cannot keep two versions apart: " + exception.GetType().Name + ".",
        "Start a new session and import AwsLogin before any AWS.Tools module, or use PowerShell 7, where AwsLogin loads its own AWS SDK privately.");

    private static (string ErrorId, ErrorCategory Category) Classify(AwsLoginException exception) => exception.Code switch
    {
        "InvalidRoleArn" => (ErrorIds.InvalidRoleArn, ErrorCategory.InvalidArgument),
        "ProfileNotFound" => (ErrorIds.ProfileNotFound, ErrorCategory.ObjectNotFound),
        "SourceProfileCycle" => (ErrorIds.SourceProfileCycle, ErrorCategory.InvalidData),
        "InvalidProfileConfiguration" or "InvalidEndpointUrl" => (ErrorIds.InvalidProfileConfiguration, ErrorCategory.InvalidData),
        "NoCredentials" => (ErrorIds.NoCredentials, ErrorCategory.AuthenticationError),
        "MfaCodeRequired" => (ErrorIds.MfaCodeRequired, ErrorCategory.AuthenticationError),
        "CredentialProcessFailed" or "CredentialProcessInvalidOutput" => (ErrorIds.CredentialProcessFailed, ErrorCategory.InvalidResult),
        "FileChangedConcurrently" => (ErrorIds.FileChangedConcurrently, ErrorCategory.ResourceBusy),
        "LockTimeout" => (ErrorIds.LockTimeout, ErrorCategory.ResourceBusy),
        "UnsafeExportValue" => (ErrorIds.UnsafeExportValue, ErrorCategory.InvalidData),
        "CredentialServerStartFailed" => (ErrorIds.CredentialServerStartFailed, ErrorCategory.ResourceUnavailable),
        "CredentialsExpired" => (ErrorIds.CredentialsExpired, ErrorCategory.AuthenticationError),
        "InvalidClientTokenId" or "SignatureDoesNotMatch" or "IncompleteSignature" or "UnrecognizedClientException" => (ErrorIds.StsInvalidCredentials, ErrorCategory.AuthenticationError),
        "SsoNotSignedIn" => (ErrorIds.SsoNotSignedIn, ErrorCategory.AuthenticationError),
        "SsoTokenExpired" => (ErrorIds.SsoTokenExpired, ErrorCategory.AuthenticationError),
        "SsoTokenRejected" => (ErrorIds.SsoTokenRejected, ErrorCategory.AuthenticationError),
        "SsoAccessDenied" => (ErrorIds.SsoAccessDenied, ErrorCategory.PermissionDenied),
        "SsoRoleNotFound" => (ErrorIds.SsoRoleNotFound, ErrorCategory.ObjectNotFound),
        "SsoSessionNotFound" => (ErrorIds.SsoSessionNotFound, ErrorCategory.ObjectNotFound),
        "SsoTargetRequired" => (ErrorIds.SsoTargetRequired, ErrorCategory.InvalidArgument),
        "SsoRegionRequired" => (ErrorIds.SsoRegionRequired, ErrorCategory.InvalidArgument),
        "SsoConflictingSources" => (ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument),
        "SsoInvalidStartUrl" => (ErrorIds.SsoInvalidStartUrl, ErrorCategory.InvalidArgument),
        "SsoStartUrlMismatch" => (ErrorIds.SsoStartUrlMismatch, ErrorCategory.InvalidData),
        "SsoInvalidScope" => (ErrorIds.InvalidProfileConfiguration, ErrorCategory.InvalidData),
        "SsoAuthorizationDenied" => (ErrorIds.SsoAuthorizationDenied, ErrorCategory.PermissionDenied),
        "SsoSignInFailed" => (ErrorIds.SsoSignInFailed, ErrorCategory.AuthenticationError),
        "SsoSignInTimedOut" => (ErrorIds.SsoSignInTimedOut, ErrorCategory.OperationTimeout),
        "SsoStateMismatch" => (ErrorIds.SsoStateMismatch, ErrorCategory.SecurityError),
        "SsoClientRejected" => (ErrorIds.SsoClientRejected, ErrorCategory.AuthenticationError),
        "SsoListenerFailed" => (ErrorIds.SsoListenerFailed, ErrorCategory.ResourceUnavailable),
        "SsoTokenFileNotFound" => (ErrorIds.SsoTokenFileNotFound, ErrorCategory.ObjectNotFound),
        "SsoTokenFileInvalid" => (ErrorIds.SsoTokenFileInvalid, ErrorCategory.InvalidData),
        "SsoInvalidRequest" => (ErrorIds.SsoInvalidRequest, ErrorCategory.InvalidArgument),
        "SsoThrottled" => (ErrorIds.SsoThrottled, ErrorCategory.LimitsExceeded),
        "SsoServiceError" => (ErrorIds.SsoServiceError, ErrorCategory.InvalidResult),
        "InvalidNameTemplate" => (ErrorIds.InvalidNameTemplate, ErrorCategory.InvalidArgument),
        "InvalidSsoConfigSetting" => (ErrorIds.InvalidSsoConfigSetting, ErrorCategory.InvalidArgument),
        "InvalidTargetRoleProfile" => (ErrorIds.InvalidTargetRoleProfile, ErrorCategory.InvalidData),
        "TargetRoleFileNotFound" => (ErrorIds.TargetRoleFileNotFound, ErrorCategory.ObjectNotFound),
        "TargetRoleFileUnreadable" => (ErrorIds.FileError, ErrorCategory.ReadError),
        "SsoSessionConflict" => (ErrorIds.SsoSessionConflict, ErrorCategory.InvalidData),
        "SessionDurationNotAllowed" => (ErrorIds.SessionDurationNotAllowed, ErrorCategory.InvalidArgument),
        "SessionDurationOutOfRange" => (ErrorIds.SessionDurationOutOfRange, ErrorCategory.InvalidArgument),
        "ConsoleCredentialsNotSupported" => (ErrorIds.ConsoleCredentialsNotSupported, ErrorCategory.InvalidOperation),
        "InvalidConsoleDestination" => (ErrorIds.InvalidConsoleDestination, ErrorCategory.InvalidArgument),
        "RegionNotInPartition" => (ErrorIds.RegionNotInPartition, ErrorCategory.InvalidArgument),
        "InvalidSignInEndpoint" => (ErrorIds.InvalidSignInEndpoint, ErrorCategory.InvalidArgument),
        "SigninTokenRejected" => (ErrorIds.SigninTokenRejected, ErrorCategory.AuthenticationError),
        "SignInServiceError" => (ErrorIds.SignInServiceError, ErrorCategory.InvalidResult),
        "BrowserNotFound" => (ErrorIds.BrowserNotFound, ErrorCategory.ObjectNotFound),
        "BrowserFailed" => (ErrorIds.BrowserFailed, ErrorCategory.OpenError),
        "SamlNotXml" => (ErrorIds.SamlNotXml, ErrorCategory.InvalidData),
        "SamlDtdProhibited" => (ErrorIds.SamlDtdProhibited, ErrorCategory.SecurityError),
        "SamlResponseTooLarge" => (ErrorIds.SamlResponseTooLarge, ErrorCategory.LimitsExceeded),
        "SamlStatusFailure" => (ErrorIds.SamlStatusFailure, ErrorCategory.AuthenticationError),
        "SamlEncryptedAssertion" => (ErrorIds.SamlEncryptedAssertion, ErrorCategory.InvalidData),
        "SamlNoRoles" => (ErrorIds.SamlNoRoles, ErrorCategory.PermissionDenied),
        "SamlAuthenticationFailed" => (ErrorIds.SamlAuthenticationFailed, ErrorCategory.AuthenticationError),
        "SamlIdpError" => (ErrorIds.SamlIdpError, ErrorCategory.ProtocolError),
        "SamlUnexpectedRecipient" => (ErrorIds.SamlUnexpectedRecipient, ErrorCategory.SecurityError),
        "SamlRoleChoiceRequired" => (ErrorIds.SamlRoleChoiceRequired, ErrorCategory.InvalidArgument),
        "SamlRoleNotInAssertion" => (ErrorIds.SamlRoleNotInAssertion, ErrorCategory.ObjectNotFound),
        "SamlCredentialRequired" => (ErrorIds.SamlCredentialRequired, ErrorCategory.AuthenticationError),
        "SamlPasscodeRequired" => (ErrorIds.SamlPasscodeRequired, ErrorCategory.AuthenticationError),
        "SamlInsecureEndpoint" => (ErrorIds.SamlInsecureEndpoint, ErrorCategory.SecurityError),
        "SamlBrowserNotFound" => (ErrorIds.SamlBrowserNotFound, ErrorCategory.ObjectNotFound),
        "SamlBrowserFailed" => (ErrorIds.SamlBrowserFailed, ErrorCategory.OpenError),
        "SamlBrowserTimedOut" => (ErrorIds.SamlBrowserTimedOut, ErrorCategory.OperationTimeout),
        "SamlBrowserClosed" => (ErrorIds.SamlBrowserClosed, ErrorCategory.OperationStopped),
        "InvalidIdentityToken" => (ErrorIds.SamlAssertionRejected, ErrorCategory.SecurityError),
        "ExpiredTokenException" => (ErrorIds.SamlAssertionExpired, ErrorCategory.AuthenticationError),
        "IDPRejectedClaim" => (ErrorIds.SamlIdpRejectedClaim, ErrorCategory.PermissionDenied),
        "InvalidLoginProfile" => (ErrorIds.InvalidLoginProfile, ErrorCategory.InvalidData),
        "LoginProfileNotFound" => (ErrorIds.LoginProfileNotFound, ErrorCategory.ObjectNotFound),
        "LoginProfileConflict" => (ErrorIds.LoginProfileConflict, ErrorCategory.ResourceExists),
        "SamlSettingsRequired" => (ErrorIds.SamlSettingsRequired, ErrorCategory.InvalidArgument),
        "SamlSignInRequired" => (ErrorIds.SamlSignInRequired, ErrorCategory.AuthenticationError),
        "SamlVaultUnavailable" => (ErrorIds.SamlVaultUnavailable, ErrorCategory.NotInstalled),
        "SamlVaultFailed" => (ErrorIds.SamlVaultFailed, ErrorCategory.ReadError),
        "OktaPushRejected" => (ErrorIds.OktaPushRejected, ErrorCategory.AuthenticationError),
        "OktaPushTimedOut" => (ErrorIds.OktaPushTimedOut, ErrorCategory.OperationTimeout),
        "OktaPasscodeRejected" => (ErrorIds.OktaPasscodeRejected, ErrorCategory.AuthenticationError),
        "OktaAccountLockedOut" => (ErrorIds.OktaAccountLockedOut, ErrorCategory.PermissionDenied),
        "OktaPasswordExpired" => (ErrorIds.OktaPasswordExpired, ErrorCategory.AuthenticationError),
        "OktaMfaEnrollRequired" => (ErrorIds.OktaMfaEnrollRequired, ErrorCategory.NotEnabled),
        "OktaFactorNotEnrolled" => (ErrorIds.OktaFactorNotEnrolled, ErrorCategory.NotEnabled),
        "OktaTransactionExpired" => (ErrorIds.OktaTransactionExpired, ErrorCategory.OperationTimeout),
        "OktaRateLimited" => (ErrorIds.OktaRateLimited, ErrorCategory.LimitsExceeded),
        "OktaUnexpectedStatus" => (ErrorIds.OktaUnexpectedStatus, ErrorCategory.InvalidOperation),
        "OktaNoSamlResponse" => (ErrorIds.OktaNoSamlResponse, ErrorCategory.InvalidResult),
        "SamlBrowserRequired" => (ErrorIds.SamlBrowserRequired, ErrorCategory.NotImplemented),
        "SamlPasscodeRejected" => (ErrorIds.SamlPasscodeRejected, ErrorCategory.AuthenticationError),
        "SamlUnexpectedPage" => (ErrorIds.SamlUnexpectedPage, ErrorCategory.InvalidData),
        "SamlCertificateUntrusted" => (ErrorIds.SamlCertificateUntrusted, ErrorCategory.SecurityError),
        _ => exception.Kind switch
        {
            FailureKind.InvalidArgument => (ErrorIds.InvalidArgument, ErrorCategory.InvalidArgument),
            FailureKind.NotFound => (ErrorIds.ProfileNotFound, ErrorCategory.ObjectNotFound),
            FailureKind.InvalidConfiguration => (ErrorIds.InvalidProfileConfiguration, ErrorCategory.InvalidData),
            FailureKind.NoCredentials => (ErrorIds.NoCredentials, ErrorCategory.AuthenticationError),
            FailureKind.AccessDenied => (ErrorIds.StsAccessDenied, ErrorCategory.PermissionDenied),
            FailureKind.Expired => (ErrorIds.StsExpiredToken, ErrorCategory.AuthenticationError),
            FailureKind.Throttled => (ErrorIds.StsThrottled, ErrorCategory.LimitsExceeded),
            FailureKind.ServiceValidation => (ErrorIds.StsValidationError, ErrorCategory.InvalidArgument),
            FailureKind.EndpointUnreachable => (ErrorIds.EndpointUnreachable, ErrorCategory.ConnectionError),
            FailureKind.CredentialProcessFailed => (ErrorIds.CredentialProcessFailed, ErrorCategory.InvalidResult),
            FailureKind.FileError => (ErrorIds.FileError, ErrorCategory.WriteError),
            FailureKind.LockTimeout => (ErrorIds.LockTimeout, ErrorCategory.ResourceBusy),
            _ => (ErrorIds.StsServiceError, ErrorCategory.InvalidResult),
        },
    };
}
