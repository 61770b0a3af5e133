using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Console;

/// <summary>
/// Builds AWS console sign-in URLs (the custom identity broker flow): temporary credentials are exchanged at the
/// federation endpoint (getSigninToken) for a sign-in token, which goes into a login URL that leads to a console
/// page. Long-term IAM user keys first become a federation token (GetFederationToken). Works for credentials of
/// any origin; the rules AWS applies to SessionDuration are checked before any network call.
/// </summary>
public sealed class ConsoleSignIn
{
    /// <summary>The Issuer of login URLs: AWS shows it when the console session ends.</summary>
    public const string Issuer = "AwsLogin";

    /// <summary>
    /// The session policy for GetFederationToken when none is given. A federation token has the intersection of the
    /// user's permissions and the session policy, and none at all without a policy, so this lets the user's own apply.
    /// </summary>
    public const string PassThroughPolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

    /// <summary>AWS accepts a sign-in token for 15 minutes after it is issued.</summary>
    public static readonly TimeSpan SigninTokenLifetime = TimeSpan.FromMinutes(15);

    private readonly EngineContext _context;
    private readonly HttpMessageHandler? _handler;

    /// <param name="context">The environment, log and clock.</param>
    /// <param name="handler">The HTTP handler for the federation endpoint (tests); null for the default.</param>
    public ConsoleSignIn(EngineContext context, HttpMessageHandler? handler = null)
    {
        _context = context;
        _handler = handler;
    }

    /// <summary>
    /// Checks a sign-in locally: the session duration against the origin the identity will have, the region,
    /// destination and sign-in endpoint. Throws the same <see cref="AwsLoginException"/>s as
    /// <see cref="CreateAsync(ConsolePlan, CancellationToken)"/> would, but before any STS or sign-in call.
    /// </summary>
    public ConsolePlan Plan(IdentityRequest identity, ConsoleOptions options)
    {
        var preview = new CredentialBroker(_context).Preview(identity);
        CheckOrigin(preview.Origin, options.SessionDurationSeconds, preview.Target);
        var partition = preview.Partition
            ?? PartitionOfArn(identity.StartingCredentials?.Arn)
            ?? AwsPartition.FromRegion(options.Region ?? preview.Region);
        var region = ConsoleRegion(partition, options.Region, preview.Region);
        var destination = Destination(partition, region, options);
        SignInEndpoint.Resolve(partition, options.SignOutFirst, options.SignInEndpoint, _context.Environment);
        return new ConsolePlan(identity, options, preview, destination);
    }

    /// <summary>Resolves the planned identity (through the cache, like Get-AwsRoleCredential) and makes its sign-in URL.</summary>
    public async Task<ConsoleSignInUrl> CreateAsync(ConsolePlan plan, CancellationToken cancellationToken)
    {
        var credentials = await new CredentialBroker(_context).GetCredentialsAsync(plan.Identity, cancellationToken).ConfigureAwait(false);
        var options = plan.Options;
        var federation = new FederationSettings(plan.Identity.FederationName, plan.Identity.Policy, plan.Identity.DurationSeconds);
        return await CreateAsync(credentials, options, federation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes a sign-in URL for credentials of any origin (role, SAML, SSO, federation token, IAM user keys).</summary>
    public Task<ConsoleSignInUrl> CreateAsync(CredentialSet credentials, ConsoleOptions options, CancellationToken cancellationToken) =>
        CreateAsync(credentials, options, new FederationSettings(null, null, null), cancellationToken);

    private async Task<ConsoleSignInUrl> CreateAsync(CredentialSet credentials, ConsoleOptions options, FederationSettings federation, CancellationToken cancellationToken)
    {
        var target = credentials.Arn ?? credentials.Source;
        CheckOrigin(OriginOf(credentials), options.SessionDurationSeconds, target);
        var partition = PartitionOfArn(credentials.Arn) ?? AwsPartition.FromRegion(options.Region ?? credentials.Region);
        var region = ConsoleRegion(partition, options.Region, credentials.Region);
        var destination = Destination(partition, region, options);
        var endpoint = SignInEndpoint.Resolve(partition, options.SignOutFirst, options.SignInEndpoint, _context.Environment);

        if (OriginOf(credentials) == CredentialOrigin.LongTermKeys)
        {
            credentials = await FederationTokenAsync(credentials, partition, federation, cancellationToken).ConfigureAwait(false);
            target = credentials.Arn ?? target;
        }

        _context.Log.Verbose($"Requesting a console sign-in token for {target} from {endpoint.Description}{(options.SessionDurationSeconds is { } d ? $" for a {d}-second session" : string.Empty)}.");
        var token = await new FederationClient(_handler, options.Timeout)
            .GetSigninTokenAsync(endpoint, credentials, options.SessionDurationSeconds, target, cancellationToken).ConfigureAwait(false);
        var expiration = _context.UtcNow() + SigninTokenLifetime;

        var login = endpoint.Federation
            + "?Action=login"
            + "&Issuer=" + Uri.EscapeDataString(Issuer)
            + "&Destination=" + Uri.EscapeDataString(destination.AbsoluteUri)
            + "&SigninToken=" + Uri.EscapeDataString(token);
        var signOut = options.SignOutFirst && endpoint.CanSignOut;
        var url = signOut ? endpoint.OAuth + "?Action=logout&redirect_uri=" + Uri.EscapeDataString(login) : login;
        _context.Log.Verbose($"Made the console sign-in URL for {target} to {destination.GetLeftPart(UriPartial.Path)}{(signOut ? ", signing out of any console session first" : string.Empty)}; the sign-in token is valid until {expiration:u}.");
        return new ConsoleSignInUrl(url, destination, partition, region, signOut, expiration, credentials);
    }

    private async Task<CredentialSet> FederationTokenAsync(CredentialSet userKeys, AwsPartition partition, FederationSettings federation, CancellationToken cancellationToken)
    {
        var store = ProfileStore.Load(_context.Environment);
        var profileName = _context.Environment.Get("AWS_PROFILE");
        var profile = store.TryGetProfile(string.IsNullOrEmpty(profileName) ? "default" : profileName!, out var found) ? found : null;
        var region = userKeys.Region is { Length: > 0 } r && AwsPartition.FromRegion(r) == partition ? r : partition.DefaultRegion;
        var endpoint = new StsEndpoint(region, ServiceEndpointResolver.Resolve(ServiceEndpointResolver.Sts, profile, store, _context.Environment));
        var name = federation.Name ?? CredentialBroker.FederatedUserName(Environment.UserName);
        _context.Log.Verbose($"Long-term keys {userKeys.MaskedAccessKeyId} cannot sign in to the console directly; getting a federation token as '{name}'{(federation.Policy is null ? " with a policy that passes the user's permissions through" : " with the given session policy")}.");
        var token = await new StsService(_context.Log)
            .GetFederationTokenAsync(userKeys, name, federation.Policy ?? PassThroughPolicy, federation.DurationSeconds, endpoint, cancellationToken).ConfigureAwait(false);
        return token with { Region = userKeys.Region ?? region };
    }

    // Credentials without a session token are long-term keys whatever their recorded origin says.
    private static CredentialOrigin OriginOf(CredentialSet credentials) =>
        credentials.IsLongTerm ? CredentialOrigin.LongTermKeys
        : credentials.Origin == CredentialOrigin.LongTermKeys ? CredentialOrigin.Temporary
        : credentials.Origin;

    private static void CheckOrigin(CredentialOrigin? origin, int? sessionDuration, string target)
    {
        if (origin == CredentialOrigin.SessionToken)
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "ConsoleCredentialsNotSupported",
                $"The credentials of '{target}' come from GetSessionToken, which AWS does not accept for console sign-in: only role and federation-token credentials can sign in.",
                target,
                "Sign in with a role (-RoleArn, or a profile with role_arn), or with the IAM user's long-term keys (a federation token is made from them), without -SerialNumber and -SessionToken.");
        }

        if (sessionDuration is not { } seconds)
        {
            return;
        }

        if (seconds is < ConsoleOptions.MinSessionDuration or > ConsoleOptions.MaxSessionDuration)
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "SessionDurationOutOfRange",
                $"A console session lasts {ConsoleOptions.MinSessionDuration} to {ConsoleOptions.MaxSessionDuration} seconds; {seconds} is outside that range.",
                target,
                $"Pass -SessionDuration between {ConsoleOptions.MinSessionDuration} and {ConsoleOptions.MaxSessionDuration}.");
        }

        var reason = origin switch
        {
            CredentialOrigin.ChainedRole => "come from role chaining (a role assumed with another role's credentials); their console session lasts until they expire, at most one hour",
            CredentialOrigin.FederationToken => "come from GetFederationToken; their console session lasts as long as the federation token",
            CredentialOrigin.LongTermKeys => "are an IAM user's long-term keys, which sign in through a federation token; its console session lasts as long as the token",
            _ => null,
        };
        if (reason is not null)
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "SessionDurationNotAllowed",
                $"AWS does not accept a console session duration for '{target}': the credentials {reason}.",
                target,
                origin == CredentialOrigin.ChainedRole
                    ? "Omit -SessionDuration, or assume the role directly with an IAM user's keys or an identity provider (no role before it)."
                    : "Omit -SessionDuration; set the federation token's lifetime with -DurationSeconds instead.");
        }
    }

    private static AwsPartition? PartitionOfArn(string? arn)
    {
        var parts = arn?.Split(':');
        return parts is { Length: >= 6 } && parts[0] == "arn" ? AwsPartition.FromId(parts[1]) : null;
    }

    private string ConsoleRegion(AwsPartition partition, string? requested, string? fromCredentials)
    {
        if (!string.IsNullOrWhiteSpace(requested))
        {
            ConsoleDestination.CheckRegion(partition, requested!.Trim(), explicitRegion: true);
            return requested.Trim();
        }

        if (!string.IsNullOrWhiteSpace(fromCredentials))
        {
            var region = fromCredentials!.Trim();
            if (AwsPartition.FromRegion(region) == partition)
            {
                return region;
            }

            // A configured default region of another partition says nothing about where these credentials work.
            _context.Log.Verbose($"The region {region} is not in the {partition.Id} partition of the credentials; the console opens in {partition.DefaultRegion}.");
        }

        return partition.DefaultRegion;
    }

    private static Uri Destination(AwsPartition partition, string region, ConsoleOptions options)
    {
        if (options.Destination is { Length: > 0 } destination)
        {
            if (options.Service is not null)
            {
                throw new AwsLoginException(
                    FailureKind.InvalidArgument,
                    "InvalidConsoleDestination",
                    "Both a service and a destination URL were given; the console can open only one page.",
                    destination,
                    "Use -Service (with -Region) or -Destination, not both.");
            }

            return ConsoleDestination.Validate(partition, destination);
        }

        return ConsoleDestination.Build(partition, region, options.Service);
    }

    private sealed record FederationSettings(string? Name, string? Policy, int? DurationSeconds);
}
