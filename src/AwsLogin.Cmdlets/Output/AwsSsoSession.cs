using System;

namespace AwsLogin;

/// <summary>
/// A signed-in IAM Identity Center session: the access portal, its region, and the access token with its
/// expiry. The default views mask the token. The SsoSession, StartUrl and Region properties bind by name to the
/// other AwsLogin IAM Identity Center cmdlets.
/// </summary>
public sealed class AwsSsoSession
{
    internal AwsSsoSession(string? ssoSession, string? startUrl, string region, string accessToken, DateTime expiresAt, bool canRefresh, DateTime? registrationExpiresAt, string? cacheFile, string signInMethod)
    {
        SsoSession = ssoSession;
        StartUrl = startUrl;
        Region = region;
        AccessToken = accessToken;
        ExpiresAt = expiresAt;
        CanRefresh = canRefresh;
        RegistrationExpiresAt = registrationExpiresAt;
        CacheFile = cacheFile;
        SignInMethod = signInMethod;
    }

    /// <summary>The sso-session name; null for a legacy profile or a start URL signed in to directly.</summary>
    public string? SsoSession { get; }

    /// <summary>The AWS access portal URL.</summary>
    public string? StartUrl { get; }

    /// <summary>The region of the IAM Identity Center instance.</summary>
    public string Region { get; }

    /// <summary>The access token for the AWS access portal API. Masked in every default view.</summary>
    public string AccessToken { get; }

    /// <summary>When the access token expires (UTC).</summary>
    public DateTime ExpiresAt { get; }

    /// <summary>True when the cache holds a refresh token and an unexpired client registration, so the token renews itself.</summary>
    public bool CanRefresh { get; }

    /// <summary>When the client registration that can refresh the token expires (UTC).</summary>
    public DateTime? RegistrationExpiresAt { get; }

    /// <summary>The file in ~/.aws/sso/cache that holds the token (shared with the AWS CLI).</summary>
    public string? CacheFile { get; }

    /// <summary>How the token was obtained: AuthorizationCode, DeviceCode, Cached, Refreshed, Imported or Given.</summary>
    public string SignInMethod { get; }

    /// <summary>The access token with all but its last four characters hidden, as the views show it.</summary>
    public string MaskedAccessToken => AccessToken.Length < 24 ? "********" : "********" + AccessToken.Substring(AccessToken.Length - 4);

    /// <summary>Time left before the access token expires.</summary>
    public TimeSpan TimeRemaining => ExpiresAt - DateTime.UtcNow;

    public override string ToString() => $"{StartUrl ?? SsoSession} ({MaskedAccessToken}, expires {ExpiresAt:u})";
}
