using System;

namespace AwsLogin.Engine;

/// <summary>What kind of failure an <see cref="AwsLoginException"/> is; the cmdlets map each to an ErrorId and category.</summary>
public enum FailureKind
{
    /// <summary>Bad input from the user (malformed ARN, bad duration, conflicting options).</summary>
    InvalidArgument,
    /// <summary>A named profile, section or file does not exist.</summary>
    NotFound,
    /// <summary>The shared config is inconsistent (cycle in source_profile, missing keys).</summary>
    InvalidConfiguration,
    /// <summary>No credentials could be found at all.</summary>
    NoCredentials,
    /// <summary>AWS refused the identity (AccessDenied, InvalidClientTokenId, signature mismatch).</summary>
    AccessDenied,
    /// <summary>The credentials used to sign have expired (ExpiredToken).</summary>
    Expired,
    /// <summary>AWS throttled the call and the SDK's retries were exhausted.</summary>
    Throttled,
    /// <summary>AWS rejected a parameter (ValidationError, e.g. a duration the role does not allow).</summary>
    ServiceValidation,
    /// <summary>The endpoint could not be reached (refused, DNS, TLS, timeout).</summary>
    EndpointUnreachable,
    /// <summary>Another AWS service error.</summary>
    ServiceError,
    /// <summary>An external credential_process failed or returned bad JSON.</summary>
    CredentialProcessFailed,
    /// <summary>A file could not be read or written.</summary>
    FileError,
    /// <summary>Another process holds a lock for too long.</summary>
    LockTimeout,
    /// <summary>An identity provider refused the user name, password or second factor.</summary>
    AuthenticationFailed,
    /// <summary>An identity provider answered with something that is not a usable SAML response.</summary>
    InvalidResponse,
}

/// <summary>
/// The one exception type the engine lets escape. Messages never contain secrets; <see cref="Code"/> is stable
/// (AWS error codes are kept as they are, ours are PascalCase).
/// </summary>
public sealed class AwsLoginException : Exception
{
    public AwsLoginException(FailureKind kind, string code, string message, string? target = null, string? recommendedAction = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Code = code;
        Target = target;
        RecommendedAction = recommendedAction;
    }

    /// <summary>The failure class.</summary>
    public FailureKind Kind { get; }

    /// <summary>A stable code: the AWS error code for service errors (AccessDenied, ExpiredToken), else ours.</summary>
    public string Code { get; }

    /// <summary>The item being processed: a profile name, role ARN or path. Never a secret.</summary>
    public string? Target { get; }

    /// <summary>What the user should do next.</summary>
    public string? RecommendedAction { get; }

    /// <summary>An endpoint could not be reached; the message names the innermost transport failure (never a secret).</summary>
    internal static AwsLoginException Unreachable(string operation, string target, string endpointDescription, string settingsHint, Exception ex)
    {
        var innermost = ex;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return new AwsLoginException(
            FailureKind.EndpointUnreachable,
            "EndpointUnreachable",
            $"{operation} for '{target}' could not reach {endpointDescription}: {innermost.Message}",
            target,
            $"Check the network, proxy and endpoint settings ({settingsHint}).",
            ex);
    }
}
