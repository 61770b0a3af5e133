using System;
using System.Collections.Generic;

namespace AwsLogin.Engine.Sso;

/// <summary>
/// An IAM Identity Center access token as the AWS CLI v2 caches it in ~/.aws/sso/cache: the token, when it
/// expires, and, when the sign-in gave them, the refresh token and the client registration that can refresh it.
/// <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed record SsoToken
{
    public SsoToken(string accessToken, DateTime expiresAt)
    {
        if (string.IsNullOrEmpty(accessToken))
        {
            throw new ArgumentException("An access token is required.", nameof(accessToken));
        }

        AccessToken = accessToken;
        ExpiresAt = DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc);
    }

    /// <summary>The bearer token for the portal API (secret).</summary>
    public string AccessToken { get; }

    /// <summary>When the access token expires (UTC).</summary>
    public DateTime ExpiresAt { get; }

    /// <summary>The AWS access portal URL the token was issued for.</summary>
    public string? StartUrl { get; init; }

    /// <summary>The region of the Identity Center instance (sso_region).</summary>
    public string? Region { get; init; }

    /// <summary>The refresh token (secret), when the grant gave one.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>The OIDC client the token was issued to.</summary>
    public string? ClientId { get; init; }

    /// <summary>The OIDC client's secret (secret).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>When the client registration expires (UTC); after that the refresh token is useless.</summary>
    public DateTime? RegistrationExpiresAt { get; init; }

    /// <summary>Time left at <paramref name="nowUtc"/>.</summary>
    public TimeSpan RemainingAt(DateTime nowUtc) => ExpiresAt - nowUtc;

    /// <summary>True when botocore would refresh it: a refresh token and an unexpired registration.</summary>
    public bool CanRefreshAt(DateTime nowUtc) =>
        !string.IsNullOrEmpty(RefreshToken) && !string.IsNullOrEmpty(ClientId) && !string.IsNullOrEmpty(ClientSecret)
        && RegistrationExpiresAt is { } registrationExpiry && registrationExpiry > nowUtc;

    /// <summary>The token with all but its last four characters hidden, for display.</summary>
    public string MaskedAccessToken => SsoMask.Token(AccessToken);

    public override string ToString() => $"{MaskedAccessToken} ({StartUrl}, expires {ExpiresAt:u})";

    // Records print every property by default; this one must not.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("AccessToken = ").Append(MaskedAccessToken).Append(", StartUrl = ").Append(StartUrl).Append(", ExpiresAt = ").Append(ExpiresAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>
/// An OIDC client registration as the AWS CLI v2 caches it next to the tokens (clientId, clientSecret,
/// expiresAt, scopes, grantTypes). <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed record SsoClientRegistration
{
    public SsoClientRegistration(string clientId, string clientSecret, DateTime expiresAt)
    {
        ClientId = clientId;
        ClientSecret = clientSecret;
        ExpiresAt = DateTime.SpecifyKind(expiresAt, DateTimeKind.Utc);
    }

    public string ClientId { get; }

    /// <summary>The client secret (secret).</summary>
    public string ClientSecret { get; }

    /// <summary>When the registration expires (UTC).</summary>
    public DateTime ExpiresAt { get; }

    /// <summary>The registered scopes; null when the registration named none.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>The registered grant types; null for device-code registrations, which name none (as the AWS CLI's).</summary>
    public IReadOnlyList<string>? GrantTypes { get; init; }

    /// <summary>True for a registration made for the authorization code grant (the AWS CLI's test).</summary>
    public bool IsForAuthorizationCode => GrantTypes is not null && Contains(GrantTypes, SsoOidcService.AuthorizationCodeGrant);

    public override string ToString() => $"client {ClientId} (expires {ExpiresAt:u})";

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        foreach (var item in values)
        {
            if (item == value)
            {
                return true;
            }
        }

        return false;
    }

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ClientId = ").Append(ClientId).Append(", ExpiresAt = ").Append(ExpiresAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>Masking of bearer tokens for display.</summary>
public static class SsoMask
{
    /// <summary>"********wxyz": the tail tells tokens apart, nothing usable is shown.</summary>
    public static string Token(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return string.Empty;
        }

        return token!.Length < 24 ? Mask.Hidden : Mask.Hidden + token.Substring(token.Length - 4);
    }
}
