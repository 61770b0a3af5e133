using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsLogin.Engine.Sso;

/// <summary>
/// Turns AWS SDK and transport failures of IAM Identity Center calls into <see cref="AwsLoginException"/>s with
/// stable codes. Cancellation passes through. AWS's messages name no secrets and are kept.
/// </summary>
internal static class SsoErrors
{
    public const string SignInAgain = "Sign in again with Connect-AwsSso (or aws sso login).";

    /// <summary>Runs an AWS call; service errors go through <paramref name="map"/>, transport errors become EndpointUnreachable.</summary>
    public static async Task<T> TranslateAsync<T>(Func<Task<T>> call, Func<AmazonServiceException, AwsLoginException> map, string operation, string target, string endpointDescription)
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
            throw map(ex);
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

    /// <summary>The AWS error code of a service exception ("ServiceError" when AWS sent none).</summary>
    public static string CodeOf(AmazonServiceException ex) => string.IsNullOrEmpty(ex.ErrorCode) ? "ServiceError" : ex.ErrorCode;

    /// <summary>A portal (ListAccounts, ListAccountRoles, GetRoleCredentials) failure.</summary>
    public static AwsLoginException FromPortal(AmazonServiceException ex, string operation, string target)
    {
        var code = CodeOf(ex);
        var message = $"{operation} failed for '{target}': {code}: {ex.Message}";
        if (code == "UnauthorizedException" || ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            return new AwsLoginException(FailureKind.AccessDenied, "SsoTokenRejected",
                $"IAM Identity Center rejected the access token ({operation} for '{target}'): it was revoked, or its sign-in session ended.",
                target, SignInAgain, ex);
        }

        if (code is "ForbiddenException" or "AccessDeniedException" || ex.StatusCode == HttpStatusCode.Forbidden)
        {
            return new AwsLoginException(FailureKind.AccessDenied, "SsoAccessDenied", message, target,
                "You are not assigned this account or role in IAM Identity Center: list what you may use with Get-AwsSsoRole, or ask an administrator for the assignment.", ex);
        }

        if (code == "ResourceNotFoundException" || ex.StatusCode == HttpStatusCode.NotFound)
        {
            return new AwsLoginException(FailureKind.NotFound, "SsoRoleNotFound", message, target,
                "Check the account id and role (permission set) name; Get-AwsSsoRole lists the ones assigned to you.", ex);
        }

        if (IsThrottling(ex))
        {
            return Throttled(ex, message, target);
        }

        if (code == "InvalidRequestException")
        {
            return new AwsLoginException(FailureKind.ServiceValidation, "SsoInvalidRequest", message, target,
                "Check the account id (12 digits) and the role name.", ex);
        }

        return Service(ex, message, target);
    }

    /// <summary>An OIDC (RegisterClient, StartDeviceAuthorization, CreateToken) failure outside the polling loop.</summary>
    public static AwsLoginException FromOidc(AmazonServiceException ex, string operation, string target)
    {
        var code = CodeOf(ex);
        var message = $"{operation} failed for '{target}': {code}: {ex.Message}";
        return code switch
        {
            "AccessDeniedException" => new AwsLoginException(FailureKind.AccessDenied, "SsoAuthorizationDenied",
                $"The sign-in to '{target}' was denied: {ex.Message}", target, "Sign in again and allow the access request.", ex),
            "ExpiredTokenException" => new AwsLoginException(FailureKind.Expired, "SsoSignInTimedOut",
                $"The sign-in to '{target}' took too long: {ex.Message}", target, "Run Connect-AwsSso again and finish the sign-in in the browser sooner.", ex),
            "InvalidScopeException" => new AwsLoginException(FailureKind.InvalidConfiguration, "SsoInvalidScope", message, target,
                "Correct sso_registration_scopes in the sso-session (sso:account:access is the scope for AWS accounts).", ex),
            "InvalidClientException" => new AwsLoginException(FailureKind.AccessDenied, "SsoClientRejected", message, target,
                "The client registration is no longer valid; run Connect-AwsSso -Force to register a new client.", ex),
            _ when IsThrottling(ex) => Throttled(ex, message, target),
            _ => Service(ex, message, target),
        };
    }

    public static bool IsThrottling(AmazonServiceException ex) =>
        ex.ErrorCode is "TooManyRequestsException" or "ThrottlingException" or "Throttling" || (int)ex.StatusCode == 429;

    public static bool IsServerFault(AmazonServiceException ex) => (int)ex.StatusCode >= 500;

    private static AwsLoginException Throttled(AmazonServiceException ex, string message, string target) =>
        new(FailureKind.Throttled, "SsoThrottled", message, target, "IAM Identity Center is throttling these calls; wait a little and try again.", ex);

    private static AwsLoginException Service(AmazonServiceException ex, string message, string target) =>
        new(FailureKind.ServiceError, "SsoServiceError", message, target, "See the AWS error code and message.", ex);

    private static AwsLoginException Unreachable(string operation, string target, string endpointDescription, Exception ex) =>
        AwsLoginException.Unreachable(operation, target, endpointDescription, "sso_region, AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL_SSO", ex);
}
