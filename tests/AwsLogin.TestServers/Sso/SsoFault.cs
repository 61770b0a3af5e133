using System;

namespace AwsLogin.TestServers;

/// <summary>
/// An IAM Identity Center error as AWS returns it. OIDC errors carry an OAuth error code and travel as
/// {"error", "error_description"}; portal errors travel as {"message"}. Both name the exception in x-amzn-ErrorType.
/// </summary>
internal sealed class SsoFault : Exception
{
    public SsoFault(string code, int httpStatus, string message, string? oauthError)
        : base(message)
    {
        Code = code;
        HttpStatus = httpStatus;
        OAuthError = oauthError;
    }

    /// <summary>The exception name, e.g. AuthorizationPendingException.</summary>
    public string Code { get; }

    public int HttpStatus { get; }

    /// <summary>The OAuth error code of an OIDC error (e.g. authorization_pending); null for a portal error.</summary>
    public string? OAuthError { get; }

    public bool IsOidc => OAuthError is not null;

    // OIDC errors and statuses as botocore's sso-oidc service model defines them; descriptions as the service
    // sends them where known (authorization pending, invalid refresh token), else short and specific.
    public static SsoFault InvalidRequest(string description) => new("InvalidRequestException", 400, description, "invalid_request");

    public static SsoFault InvalidClient(string description) => new("InvalidClientException", 401, description, "invalid_client");

    public static SsoFault InvalidGrant(string description) => new("InvalidGrantException", 400, description, "invalid_grant");

    public static SsoFault UnauthorizedClient(string description) => new("UnauthorizedClientException", 400, description, "unauthorized_client");

    public static SsoFault UnsupportedGrantType(string description) => new("UnsupportedGrantTypeException", 400, description, "unsupported_grant_type");

    public static SsoFault InvalidScope(string description) => new("InvalidScopeException", 400, description, "invalid_scope");

    public static SsoFault InvalidClientMetadata(string description) => new("InvalidClientMetadataException", 400, description, "invalid_client_metadata");

    public static SsoFault InvalidRedirectUri(string description) => new("InvalidRedirectUriException", 400, description, "invalid_redirect_uri");

    public static SsoFault AuthorizationPending() => new("AuthorizationPendingException", 400, "Authorization is still pending", "authorization_pending");

    public static SsoFault SlowDown() => new("SlowDownException", 400, "Client is polling too frequently", "slow_down");

    public static SsoFault ExpiredToken(string description) => new("ExpiredTokenException", 400, description, "expired_token");

    public static SsoFault AccessDenied(string description) => new("AccessDeniedException", 400, description, "access_denied");

    // Portal errors (botocore's sso service model); ForbiddenException is not modelled but is what the portal
    // answers for a role that is not assigned ("No access"), so SDKs surface it as their generic service exception.
    public static SsoFault Unauthorized() => new("UnauthorizedException", 401, "Session token not found or invalid", null);

    public static SsoFault Forbidden() => new("ForbiddenException", 403, "No access", null);

    public static SsoFault PortalInvalidRequest(string message) => new("InvalidRequestException", 400, message, null);

    public static SsoFault TooManyRequests() => new("TooManyRequestsException", 429, "Too many requests", null);

    public static SsoFault UnknownOperation(string method, string path) =>
        new("UnknownOperationException", 404, $"No operation matches {method} {path}", null);

    /// <summary>The OAuth error code a test-injected OIDC error carries when the test names none.</summary>
    public static string DefaultOAuthError(string code) => code switch
    {
        "InvalidRequestException" => "invalid_request",
        "InvalidClientException" => "invalid_client",
        "InvalidGrantException" => "invalid_grant",
        "UnauthorizedClientException" => "unauthorized_client",
        "UnsupportedGrantTypeException" => "unsupported_grant_type",
        "InvalidScopeException" => "invalid_scope",
        "AuthorizationPendingException" => "authorization_pending",
        "SlowDownException" => "slow_down",
        "AccessDeniedException" => "access_denied",
        "ExpiredTokenException" => "expired_token",
        "InvalidClientMetadataException" => "invalid_client_metadata",
        "InvalidRedirectUriException" => "invalid_redirect_uri",
        _ => "server_error",
    };
}
