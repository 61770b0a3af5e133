using System;

namespace AwsLogin.Engine.Config;

/// <summary>
/// Endpoint URLs configured the standard AWS way, in the SDKs' order of precedence:
/// AWS_ENDPOINT_URL_&lt;SERVICE&gt;, AWS_ENDPOINT_URL, the profile's services section, the profile's endpoint_url.
/// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or ignore_configured_endpoint_urls) turns them all off.
/// </summary>
public static class ServiceEndpointResolver
{
    /// <summary>STS: environment suffix STS, services key sts.</summary>
    public static readonly ServiceId Sts = new("STS", "sts");

    /// <summary>IAM Identity Center portal: SSO, sso.</summary>
    public static readonly ServiceId Sso = new("SSO", "sso");

    /// <summary>IAM Identity Center OIDC: SSO_OIDC, sso_oidc.</summary>
    public static readonly ServiceId SsoOidc = new("SSO_OIDC", "sso_oidc");

    /// <summary>The configured endpoint for a service, or null for AWS's own.</summary>
    public static Uri? Resolve(ServiceId service, ConfigProfile? profile, ProfileStore store, IEnvironmentReader environment)
    {
        if (IsTrue(environment.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) || IsTrue(profile?.Get("ignore_configured_endpoint_urls")))
        {
            return null;
        }

        var configured = environment.Get("AWS_ENDPOINT_URL_" + service.EnvironmentSuffix)
            ?? environment.Get("AWS_ENDPOINT_URL")
            ?? ServicesSectionValue(service, profile, store)
            ?? profile?.EndpointUrl;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        if (!Uri.TryCreate(configured!.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new AwsLoginException(
                FailureKind.InvalidConfiguration,
                "InvalidEndpointUrl",
                $"The configured endpoint URL for {service.ServicesKey} is not an http(s) URL: '{configured}'.",
                profile?.Name ?? "AWS_ENDPOINT_URL",
                "Correct AWS_ENDPOINT_URL_" + service.EnvironmentSuffix + ", AWS_ENDPOINT_URL or endpoint_url.");
        }

        return uri;
    }

    private static string? ServicesSectionValue(ServiceId service, ConfigProfile? profile, ProfileStore store)
    {
        if (profile?.Services is not { Length: > 0 } servicesName)
        {
            return null;
        }

        return store.GetServiceEndpointUrl(servicesName, service.ServicesKey);
    }

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}

/// <summary>How a service is named in endpoint settings.</summary>
public sealed record ServiceId(string EnvironmentSuffix, string ServicesKey);
