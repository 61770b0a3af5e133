using System;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsLogin.Engine.Sts;

/// <summary>Turns AWS SDK and transport exceptions into <see cref="AwsLoginException"/>s with stable codes.</summary>
internal static class StsErrors
{
    /// <summary>Runs an AWS call and translates its failures; cancellation passes through.</summary>
    public static async Task<T> TranslateAsync<T>(Func<Task<T>> call, string operation, string target, string endpointDescription)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonServiceException ex) when (ex.InnerException is HttpRequestException or SocketException || (ex.StatusCode == 0 && string.IsNullOrEmpty(ex.ErrorCode)))
        {
            throw Unreachable(operation, target, endpointDescription, ex);
        }
        catch (AmazonServiceException ex)
        {
            throw FromService(ex, operation, target);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(operation, target, endpointDescription, ex);
        }
        catch (SocketException ex)
        {
            throw Unreachable(operation, target, endpointDescription, ex);
        }
        catch (AmazonClientException ex) when (ex.InnerException is HttpRequestException or SocketException)
        {
            throw Unreachable(operation, target, endpointDescription, ex);
        }
    }

    public static AwsLoginException FromService(AmazonServiceException ex, string operation, string target)
    {
        var code = string.IsNullOrEmpty(ex.ErrorCode) ? "ServiceError" : ex.ErrorCode;
        var (kind, action) = code switch
        {
            "AccessDenied" or "AccessDeniedException" => (FailureKind.AccessDenied, "Check that the identity may call " + operation + " on this target (the role's trust policy, external id, MFA)."),
            "InvalidClientTokenId" or "SignatureDoesNotMatch" or "IncompleteSignature" or "UnrecognizedClientException" => (FailureKind.AccessDenied, "The signing credentials are not valid: check the access key and secret, or sign in again."),
            "ExpiredToken" or "ExpiredTokenException" or "RequestExpired" => (FailureKind.Expired, "The credentials have expired: get fresh ones (sign in again, or run the command with -Force)."),
            "Throttling" or "ThrottlingException" or "TooManyRequestsException" or "RequestLimitExceeded" => (FailureKind.Throttled, "AWS is throttling these calls; wait a little and try again."),
            "ValidationError" or "InvalidParameterValue" or "MalformedPolicyDocument" or "PackedPolicyTooLarge" => (FailureKind.ServiceValidation, "Correct the parameter AWS rejected (for example -DurationSeconds: role chaining allows at most 3600)."),
            "RegionDisabledException" => (FailureKind.ServiceError, "Activate STS in this region (IAM account settings) or choose another -Region."),
            _ => (FailureKind.ServiceError, "See the AWS error code and message."),
        };

        // AWS error messages name ARNs and policies, never secrets, so they are safe to show.
        var message = $"{operation} failed for '{target}': {code}: {ex.Message}";
        return new AwsLoginException(kind, code, message, target, action, ex);
    }

    /// <summary>
    /// The AssumeRoleWithSAML refusals about the assertion itself, with advice for SAML sign-in; null for others.
    /// The AWS code stays the code.
    /// </summary>
    public static AwsLoginException? ForSaml(AwsLoginException ex)
    {
        var (kind, action) = ex.Code switch
        {
            "InvalidIdentityToken" => (FailureKind.AccessDenied, "AWS did not accept the assertion's signature, issuer, audience or recipient. The IAM SAML provider's metadata must hold the IdP's current signing certificate and entity id; ask the IdP or AWS account administrators."),
            "ExpiredTokenException" => (FailureKind.Expired, "The assertion expired before AWS received it. Sign in again; if it keeps happening, check this computer's clock and the IdP's."),
            "IDPRejectedClaim" => (FailureKind.AccessDenied, "AWS rejected the assertion's claims (for example a failure status or a bad RoleSessionName); the IdP administrators can check what the IdP releases to AWS."),
            _ => (FailureKind.ServiceError, (string?)null),
        };

        return action is null ? null : new AwsLoginException(kind, ex.Code, ex.Message, ex.Target, action, ex.InnerException);
    }

    private static AwsLoginException Unreachable(string operation, string target, string endpointDescription, Exception ex) =>
        AwsLoginException.Unreachable(operation, target, endpointDescription, "AWS_ENDPOINT_URL_STS, endpoint_url in the profile", ex);
}
