using System;
using System.Collections.Generic;

namespace AwsLogin.TestServers;

/// <summary>What the simulated user does in the browser, at the authorize endpoint and on the device verification page.</summary>
public enum SsoBrowserAction
{
    /// <summary>Signs in as <see cref="FakeIdentityCenter.BrowserUserName"/> and allows access.</summary>
    Approve,

    /// <summary>Signs in and clicks "Deny": the authorize endpoint redirects with error=access_denied; a device code is denied.</summary>
    Deny,

    /// <summary>Closes the browser: the sign-in page is shown and nothing else ever happens (no redirect, no approval).</summary>
    Abandon,
}

/// <summary>Where a device authorization stands.</summary>
public enum SsoDeviceState
{
    Pending,
    Approved,
    Denied,

    /// <summary>Approved and exchanged for a token (a device code is good for one token).</summary>
    Redeemed,
}

/// <summary>An AWS account in the fake's organisation.</summary>
public sealed record SsoAccount(string AccountId, string AccountName, string EmailAddress);

/// <summary>A permission set (role) assigned to a user in an account.</summary>
/// <param name="RoleArn">The IAM role behind it, arn:aws:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_NAME_HEX.</param>
/// <param name="SessionDuration">How long GetRoleCredentials credentials for it last (the permission set's session duration).</param>
public sealed record SsoRoleAssignment(string UserName, string AccountId, string RoleName, string RoleArn, TimeSpan SessionDuration);

/// <summary>A client registered through RegisterClient (or seeded). The secret is kept out of ToString.</summary>
/// <param name="Scopes">The registered scopes; null when the client registered none (legacy AWS CLI registrations).</param>
/// <param name="GrantTypes">The registered grant types; null when the client named none (legacy: device code and refresh).</param>
public sealed record SsoClientRegistration(
    string ClientId,
    string ClientSecret,
    string ClientName,
    IReadOnlyList<string>? Scopes,
    IReadOnlyList<string>? GrantTypes,
    IReadOnlyList<string> RedirectUris,
    string? IssuerUrl,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"{ClientName} ({ClientId}, expires {ExpiresAt:u})";
}

/// <summary>A device authorization started through StartDeviceAuthorization (the device code itself is not exposed).</summary>
/// <param name="UserName">Who approved or denied it; null while pending.</param>
public sealed record SsoDeviceAuthorization(
    string UserCode,
    string ClientId,
    string StartUrl,
    SsoDeviceState State,
    string? UserName,
    DateTimeOffset ExpiresAt,
    TimeSpan Interval);

/// <summary>
/// A sign-in created by <see cref="FakeIdentityCenter.SeedSignIn"/>: a registered client and the tokens of a session,
/// as the AWS CLI caches them in ~/.aws/sso/cache. Secrets are kept out of ToString.
/// </summary>
/// <param name="RefreshToken">Null when the sign-in was seeded without one.</param>
public sealed record SsoSeededSignIn(
    string UserName,
    string StartUrl,
    string ClientId,
    string ClientSecret,
    DateTimeOffset RegistrationExpiresAt,
    string AccessToken,
    DateTimeOffset AccessTokenExpiresAt,
    string? RefreshToken)
{
    public override string ToString() =>
        $"{UserName} at {StartUrl} (client {ClientId}, token {FakeIdentityCenter.TokenHash(AccessToken)} expires {AccessTokenExpiresAt:u})";
}

/// <summary>One request the fake answered, in arrival order. No secret is recorded: tokens appear only as hashes.</summary>
/// <param name="Operation">RegisterClient, StartDeviceAuthorization, CreateToken, Authorize, VerifyDevice, ListAccounts,
/// ListAccountRoles, GetRoleCredentials, Logout, or Unknown.</param>
/// <param name="Signed">True when the request carried an Authorization header (the SDK sends these operations unsigned).</param>
/// <param name="BearerTokenHash">The <see cref="FakeIdentityCenter.TokenHash"/> of x-amz-sso_bearer_token; null when absent.</param>
/// <param name="Parameters">The non-secret parameters: clientId, clientName, grantType, startUrl, redirectUri, scopes,
/// account_id, role_name, max_result, next_token, user_code, state... (never secrets, codes, verifiers or tokens).</param>
/// <param name="IssuedTokenHash">The hash of the access token a CreateToken call issued, if any.</param>
/// <param name="IssuedAccessKeyId">The access key of the role credentials a GetRoleCredentials call issued, if any.</param>
/// <param name="ErrorCode">The exception name returned (e.g. SlowDownException), or null on success.</param>
public sealed record SsoCall(
    string Operation,
    bool Signed,
    string? BearerTokenHash,
    IReadOnlyDictionary<string, string> Parameters,
    string? IssuedTokenHash,
    string? IssuedAccessKeyId,
    string? ErrorCode,
    string? ErrorMessage,
    int HttpStatus,
    DateTimeOffset ReceivedAt);
