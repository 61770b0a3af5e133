using System;
using System.Collections.Generic;

namespace AwsLogin.Engine.Sso;

/// <summary>How the token of an <see cref="SsoSession"/> was obtained.</summary>
public enum SsoTokenOrigin
{
    /// <summary>A new sign-in with the authorization code grant (PKCE).</summary>
    AuthorizationCode,
    /// <summary>A new sign-in with the device code grant.</summary>
    DeviceCode,
    /// <summary>Found in the cache with enough lifetime left.</summary>
    Cached,
    /// <summary>Refreshed with the cached refresh token.</summary>
    Refreshed,
    /// <summary>Copied into the cache from a token file.</summary>
    Imported,
    /// <summary>Given by the caller (-AccessToken, -CacheFile).</summary>
    Given,
}

/// <summary>A signed-in IAM Identity Center session: which instance, the token, and where it is cached.</summary>
public sealed record SsoSession
{
    public SsoSession(string? sessionName, string? startUrl, string region, SsoToken token, string? cacheFile, SsoTokenOrigin origin)
    {
        SessionName = sessionName;
        StartUrl = startUrl;
        Region = region;
        Token = token;
        CacheFile = cacheFile;
        Origin = origin;
    }

    /// <summary>The sso-session name; null for legacy profiles, a bare start URL, or a token given outright.</summary>
    public string? SessionName { get; }

    public string? StartUrl { get; }

    /// <summary>The Identity Center region.</summary>
    public string Region { get; }

    public SsoToken Token { get; }

    /// <summary>The cache file that holds the token; null for a token given outright.</summary>
    public string? CacheFile { get; }

    public SsoTokenOrigin Origin { get; }

    public override string ToString() => $"{StartUrl ?? SessionName ?? "IAM Identity Center"} ({Token.MaskedAccessToken}, expires {Token.ExpiresAt:u})";

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(ToString());
        return true;
    }
}

/// <summary>What Connect-AwsSso asks for.</summary>
public sealed record SsoConnectRequest
{
    /// <summary>The AWS CLI's wait for the browser redirect.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The sso-session, profile, or start URL and region to sign in to.</summary>
    public SsoTokenSource Source { get; init; } = new();

    /// <summary>Use the device code grant even where a browser could open.</summary>
    public bool UseDeviceCode { get; init; }

    /// <summary>Show the URL instead of opening a browser.</summary>
    public bool NoBrowser { get; init; }

    /// <summary>A browser program (path or name) instead of the default browser (-Browser, else AWSLOGIN_BROWSER).</summary>
    public string? Browser { get; init; }

    /// <summary>Sign in even when the cache holds a token with more than 15 minutes left.</summary>
    public bool Force { get; init; }

    /// <summary>How long to wait for the user to finish in the browser.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}

/// <summary>What the user must open (and, for the device code, enter) to sign in.</summary>
/// <param name="Flow">The grant in use.</param>
/// <param name="Target">What is being signed in to ("sso-session corp").</param>
/// <param name="Url">The URL to open: the authorize URL, or the verification URL with the code filled in.</param>
/// <param name="VerificationUri">The device code flow's verification page without the code; null for PKCE.</param>
/// <param name="UserCode">The code to check or enter on the verification page; null for PKCE.</param>
/// <param name="OpeningBrowser">True when a browser is being opened with <paramref name="Url"/>.</param>
/// <param name="Reason">Why this flow was chosen, for the user (e.g. "this is an SSH session").</param>
public sealed record SsoAuthorizationPrompt(SsoSignInFlow Flow, string Target, string Url, string? VerificationUri, string? UserCode, bool OpeningBrowser, string? Reason);

/// <summary>Shows sign-in instructions to the user. Called from a worker thread.</summary>
public interface ISsoSignInPrompt
{
    void Show(SsoAuthorizationPrompt prompt);
}

/// <summary>Roles found by discovery, and the accounts whose roles could not be listed (each error's Target is the account id).</summary>
public sealed record SsoRoleListing(IReadOnlyList<SsoRole> Roles, IReadOnlyList<AwsLoginException> Failures)
{
    /// <summary>The session whose token listed them.</summary>
    public SsoSession? Session { get; init; }
}

/// <summary>The accounts assigned to the signed-in user, and the session whose token listed them.</summary>
public sealed record SsoAccountListing(SsoSession Session, IReadOnlyList<SsoAccount> Accounts);
