using System;
using System.Collections.Generic;

namespace AwsLogin.TestServers;

/// <summary>A long-term IAM user access key seeded into a <see cref="FakeSts"/>.</summary>
public sealed record FakeIamUser(
    string UserName,
    string AccountId,
    string UserId,
    string Arn,
    string AccessKeyId,
    string SecretAccessKey)
{
    // Records print every property; keep the secret out of test output.
    public override string ToString() => $"{Arn} ({AccessKeyId})";
}

/// <summary>One request the fake answered, in arrival order.</summary>
/// <param name="Action">The Action parameter, or an empty string when none was sent.</param>
/// <param name="SigningAccessKeyId">The access key named in the Authorization header; null for an unsigned request.</param>
/// <param name="SigningRegion">The region of the credential scope; null for an unsigned request.</param>
/// <param name="Parameters">The query parameters except Action, Version and SAMLAssertion.</param>
/// <param name="SamlAssertionLength">The length of the SAMLAssertion parameter, which is not recorded itself.</param>
/// <param name="IssuedAccessKeyId">The access key of the credentials the call issued, if any.</param>
/// <param name="ErrorCode">The AWS error code returned, or null on success.</param>
/// <param name="ErrorMessage">The error message returned (never holds a secret), or null on success.</param>
/// <param name="HttpStatus">The HTTP status returned.</param>
public sealed record StsCall(
    string Action,
    string? SigningAccessKeyId,
    string? SigningRegion,
    IReadOnlyDictionary<string, string> Parameters,
    int? SamlAssertionLength,
    string? IssuedAccessKeyId,
    string? ErrorCode,
    string? ErrorMessage,
    int HttpStatus,
    DateTimeOffset ReceivedAt);

/// <summary>Temporary credentials the fake issued (or that a test seeded), with the identity they carry.</summary>
/// <param name="Expiration">When the credentials stop working; this is also what the response showed.</param>
/// <param name="Arn">The identity ARN, e.g. arn:aws:sts::111111111111:assumed-role/Role/session.</param>
/// <param name="UserId">The GetCallerIdentity UserId, e.g. AROA...:session.</param>
/// <param name="Action">The STS action that issued them, or "Seed".</param>
/// <param name="SignedBy">The access key that signed the issuing call; null for AssumeRoleWithSAML and seeded keys.</param>
/// <param name="RoleArn">The role for an assumed-role session, else null.</param>
/// <param name="IsRoleChain">True when an assumed-role session assumed this role.</param>
public sealed record IssuedCredential(
    string AccessKeyId,
    string SecretAccessKey,
    string SessionToken,
    DateTimeOffset Expiration,
    string Arn,
    string AccountId,
    string UserId,
    string Action,
    string? SignedBy,
    string? RoleArn,
    bool IsRoleChain)
{
    public override string ToString() => $"{Arn} ({AccessKeyId}, expires {Expiration:u})";
}
