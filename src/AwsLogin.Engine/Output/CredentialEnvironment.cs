using System;
using System.Collections.Generic;
using System.Globalization;

namespace AwsLogin.Engine.Output;

/// <summary>
/// The environment variables that make the AWS CLI and SDKs use one credential set: the credential variables,
/// the region, and every variable that would otherwise take precedence or point elsewhere, cleared.
/// </summary>
public static class CredentialEnvironment
{
    /// <summary>Variables cleared so that the exported keys are what every AWS tool uses.</summary>
    public static readonly IReadOnlyList<string> ConflictingVariables = new[]
    {
        "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
    };

    /// <summary>Name/value pairs in the order to apply them; a null value means "remove the variable".</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> VariablesFor(CredentialSet credentials, string? region)
    {
        var variables = new List<KeyValuePair<string, string?>>
        {
            new("AWS_ACCESS_KEY_ID", credentials.AccessKeyId),
            new("AWS_SECRET_ACCESS_KEY", credentials.SecretAccessKey),
            new("AWS_SESSION_TOKEN", credentials.SessionToken),
            new("AWS_CREDENTIAL_EXPIRATION", credentials.Expiration?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        };

        var effectiveRegion = region ?? credentials.Region;
        if (!string.IsNullOrEmpty(effectiveRegion))
        {
            variables.Add(new("AWS_REGION", effectiveRegion));
            variables.Add(new("AWS_DEFAULT_REGION", effectiveRegion));
        }

        foreach (var name in ConflictingVariables)
        {
            variables.Add(new(name, null));
        }

        return variables;
    }

    /// <summary>
    /// The variables that point the AWS CLI and SDKs at a credential server (container credentials): the full URI
    /// and the authorization token, the region, and every variable that would take precedence, cleared (the
    /// static key variables, profiles, the relative container URI and the token file).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> VariablesForServer(Uri endpoint, string authorizationToken, string? region)
    {
        var variables = new List<KeyValuePair<string, string?>>
        {
            new("AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoint.AbsoluteUri),
            new("AWS_CONTAINER_AUTHORIZATION_TOKEN", authorizationToken),
            new("AWS_ACCESS_KEY_ID", null),
            new("AWS_SECRET_ACCESS_KEY", null),
            new("AWS_SESSION_TOKEN", null),
            new("AWS_CREDENTIAL_EXPIRATION", null),
        };

        if (!string.IsNullOrEmpty(region))
        {
            variables.Add(new("AWS_REGION", region));
            variables.Add(new("AWS_DEFAULT_REGION", region));
        }

        foreach (var name in ConflictingVariables)
        {
            if (name is not ("AWS_CONTAINER_CREDENTIALS_FULL_URI" or "AWS_CONTAINER_AUTHORIZATION_TOKEN"))
            {
                variables.Add(new(name, null));
            }
        }

        return variables;
    }
}
