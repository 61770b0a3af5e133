using System;

namespace AwsLogin.TestServers;

/// <summary>An STS error as AWS returns it: code, HTTP status and message; thrown by the action handlers.</summary>
internal sealed class StsFault : Exception
{
    public StsFault(string code, int httpStatus, string message)
        : base(message)
    {
        Code = code;
        HttpStatus = httpStatus;
    }

    public string Code { get; }

    public int HttpStatus { get; }

    // Error codes and statuses as STS sends them (botocore's sts service model and the STS API reference).
    public static StsFault AccessDenied(string message) => new("AccessDenied", 403, message);

    public static StsFault ExpiredToken() => new("ExpiredToken", 403, "The security token included in the request is expired");

    public static StsFault InvalidClientTokenId() => new("InvalidClientTokenId", 403, "The security token included in the request is invalid.");

    public static StsFault SignatureDoesNotMatch(string message) => new("SignatureDoesNotMatch", 403, message);

    public static StsFault IncompleteSignature(string message) => new("IncompleteSignature", 400, message);

    public static StsFault MissingAuthenticationToken() => new("MissingAuthenticationToken", 403, "Request is missing Authentication Token");

    public static StsFault Validation(string message) => new("ValidationError", 400, message);

    public static StsFault InvalidAction(string action, string? version) =>
        new("InvalidAction", 400, $"Could not find operation {action} for version {version ?? "NO_VERSION_SPECIFIED"}");

    public static StsFault MalformedPolicyDocument(string message) => new("MalformedPolicyDocument", 400, message);

    public static StsFault InvalidIdentityToken(string message) => new("InvalidIdentityToken", 400, message);

    public static StsFault ExpiredTokenException(string message) => new("ExpiredTokenException", 400, message);

    public static StsFault IdpRejectedClaim(string message) => new("IDPRejectedClaim", 403, message);

    public static StsFault MfaFailed() => AccessDenied("MultiFactorAuthentication failed with invalid MFA one time pass code.");
}
