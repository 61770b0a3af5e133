namespace AwsLogin.Engine.Sts;

/// <summary>
/// What an <see cref="IdentityRequest"/> will produce, worked out from the request and the local config alone
/// (no network call, no credential_process run), so that a caller can refuse an impossible follow-up step early.
/// </summary>
/// <param name="Origin">How the result will be obtained, or null when that is known only once the source is resolved.</param>
/// <param name="Region">The region the result will carry (the STS region).</param>
/// <param name="Target">For messages: the last role ARN, the federated user name, or the source ("profile dev").</param>
/// <param name="Partition">The partition of the last role in the chain, or null when no role is assumed.</param>
public sealed record IdentityPreview(CredentialOrigin? Origin, string Region, string Target, AwsPartition? Partition);
