using System;
using System.Collections.Generic;
using AwsLogin.Engine.Saml.LoginProfiles;
using AwsLogin.Engine.Sso;

namespace AwsLogin.Engine.Sts;

/// <summary>
/// Which identity the caller wants: where to start (a profile, explicit keys, or the default chain) and which
/// STS steps to take from there. Mirrors the identity parameters of Get-AwsRoleCredential.
/// </summary>
public sealed record IdentityRequest
{
    /// <summary>A named profile to start from; null with no <see cref="StartingCredentials"/> means the default chain.</summary>
    public string? ProfileName { get; init; }

    /// <summary>Credentials to start from (explicit keys or a piped credential object).</summary>
    public CredentialSet? StartingCredentials { get; init; }

    /// <summary>Roles to assume in order after the starting identity (and after the profile's own role_arn).</summary>
    public IReadOnlyList<RoleHop> RoleHops { get; init; } = Array.Empty<RoleHop>();

    /// <summary>The region for STS and for the result; else the profile's, AWS_REGION, AWS_DEFAULT_REGION.</summary>
    public string? Region { get; init; }

    /// <summary>The MFA device: with role hops it goes with the first hop's AssumeRole, else GetSessionToken uses it.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>The MFA code; when null and one is needed, <see cref="MfaCodeProvider"/> is asked.</summary>
    public string? TokenCode { get; init; }

    /// <summary>Duration for GetSessionToken/GetFederationToken and for each -RoleArn hop.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>End with GetSessionToken even without MFA.</summary>
    public bool SessionToken { get; init; }

    /// <summary>End with GetFederationToken (IAM user keys only; cannot be combined with roles).</summary>
    public bool FederationToken { get; init; }

    /// <summary>The federated user name (2-32 characters); defaults to the OS user name.</summary>
    public string? FederationName { get; init; }

    /// <summary>A session policy for GetFederationToken.</summary>
    public string? Policy { get; init; }

    /// <summary>Ignore cached credentials and fetch new ones (they are cached again).</summary>
    public bool ForceRefresh { get; init; }

    /// <summary>An IAM Identity Center account to start from, with <see cref="SsoRoleName"/> (GetRoleCredentials).</summary>
    public string? SsoAccountId { get; init; }

    /// <summary>The IAM Identity Center role (permission set) in <see cref="SsoAccountId"/>.</summary>
    public string? SsoRoleName { get; init; }

    /// <summary>Where the IAM Identity Center token comes from; null means the default settings (AWS_PROFILE's, or the only sso-session).</summary>
    public SsoTokenSource? SsoSource { get; init; }

    /// <summary>Asks for MFA codes; null where nobody can answer.</summary>
    public MfaCodeProvider? MfaCodeProvider { get; init; }

    /// <summary>What a login profile's SAML sign-in may use (vaults; prompts only with -AskPassword); null: silent, no vault.</summary>
    public SamlSignInServices? SamlServices { get; init; }
}
