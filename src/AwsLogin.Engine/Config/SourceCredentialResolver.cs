using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;
using AwsLogin.Engine.Cache;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.LoginProfiles;
using AwsLogin.Engine.Sso;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Config;

/// <summary>
/// Finds the starting credentials the way the AWS SDKs do: explicit keys; a named profile (static keys,
/// role_arn with source_profile or credential_source, credential_process, IAM Identity Center settings); or,
/// with no profile, environment variables, then AWS_PROFILE or [default], then the container endpoint, then EC2
/// instance metadata.
/// </summary>
internal sealed class SourceCredentialResolver
{
    private readonly EngineContext _context;
    private readonly ProfileStore _store;
    private bool _forceRefresh;
    private SamlSignInServices _samlServices = SamlSignInServices.Silent;

    public SourceCredentialResolver(EngineContext context, ProfileStore store)
    {
        _context = context;
        _store = store;
    }

    public SourcePlan Plan(IdentityRequest request)
    {
        _forceRefresh = request.ForceRefresh;
        _samlServices = request.SamlServices ?? SamlSignInServices.Silent;
        if (request.SsoAccountId is not null || request.SsoRoleName is not null)
        {
            return PlanSso(request);
        }

        if (request.StartingCredentials is { } explicitCredentials)
        {
            return Fixed(explicitCredentials, "keys", explicitCredentials.Source, profile: null);
        }

        if (!string.IsNullOrEmpty(request.ProfileName))
        {
            return PlanProfile(request.ProfileName!, isDefault: false);
        }

        var fromEnvironment = EnvironmentCredentials();
        if (fromEnvironment is not null)
        {
            var profileForSettings = ProfileForSettings();
            return Fixed(fromEnvironment, "environment", "environment variables", profileForSettings);
        }

        var profileName = _context.Environment.Get("AWS_PROFILE");
        if (!string.IsNullOrEmpty(profileName))
        {
            return PlanProfile(profileName!, isDefault: false);
        }

        if (_store.TryGetProfile("default", out var defaultProfile) && HasCredentialSettings(defaultProfile!))
        {
            return PlanProfile("default", isDefault: true);
        }

        return PlanMachine(defaultProfile);
    }

    private SourcePlan PlanProfile(string name, bool isDefault)
    {
        var profile = _store.GetProfileOrThrow(name);
        var hops = new List<RoleHop>();
        var keyParts = new List<string> { "profile", _store.ConfigPath, _store.CredentialsPath };
        var resolve = PlanProfileChain(profile, hops, keyParts, new List<string>());
        var description = isDefault ? "profile default" : $"profile {name}";
        return new SourcePlan(CredentialCache.Key(keyParts), description, resolve, hops, profile);
    }

    // Walks role_arn/source_profile links down to the profile that holds real credentials, collecting hops.
    private Func<CancellationToken, Task<CredentialSet>> PlanProfileChain(ConfigProfile profile, List<RoleHop> hops, List<string> keyParts, List<string> visited)
    {
        visited.Add(profile.Name);
        keyParts.Add(profile.Name);

        if (profile.RoleArn is { } roleArnText)
        {
            var hop = HopFromProfile(profile, roleArnText);
            if (profile.SourceProfile is not null && profile.CredentialSource is not null)
            {
                throw Invalid(profile.Name, "sets both source_profile and credential_source; a role profile takes one of them.");
            }

            Func<CancellationToken, Task<CredentialSet>> inner;
            if (profile.SourceProfile is { } sourceName)
            {
                if (sourceName == profile.Name)
                {
                    // botocore: a profile that names itself as source uses its own static keys.
                    inner = StaticKeys(profile, keyParts) ?? throw Invalid(profile.Name, "names itself as source_profile but has no aws_access_key_id/aws_secret_access_key.");
                }
                else if (visited.Contains(sourceName))
                {
                    throw new AwsLoginException(
                        FailureKind.InvalidConfiguration,
                        "SourceProfileCycle",
                        $"The source_profile chain loops: {string.Join(" -> ", visited)} -> {sourceName}.",
                        profile.Name,
                        "Break the loop: one profile in the chain must hold credentials instead of a source_profile.");
                }
                else
                {
                    if (!_store.TryGetProfile(sourceName, out var source))
                    {
                        throw new AwsLoginException(
                            FailureKind.InvalidConfiguration,
                            "ProfileNotFound",
                            $"The profile '{profile.Name}' names source_profile '{sourceName}', which does not exist in {_store.ConfigPath} or {_store.CredentialsPath}.",
                            profile.Name,
                            "Add the source profile or correct the source_profile setting.");
                    }

                    inner = PlanProfileChain(source!, hops, keyParts, visited);
                }
            }
            else if (profile.CredentialSource is { } credentialSource)
            {
                keyParts.Add("credential_source=" + credentialSource);
                inner = credentialSource switch
                {
                    "Environment" => _ => Task.FromResult(EnvironmentCredentials() ?? throw NoCredentials($"profile {profile.Name} (credential_source Environment)", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set.")),
                    "EcsContainer" => ct => ContainerCredentialsAsync(ct),
                    "Ec2InstanceMetadata" => ct => InstanceMetadataCredentialsAsync(ct),
                    _ => throw Invalid(profile.Name, $"has credential_source '{credentialSource}'; it must be Environment, EcsContainer or Ec2InstanceMetadata."),
                };
            }
            else
            {
                throw Invalid(profile.Name, "has role_arn but neither source_profile nor credential_source.");
            }

            hops.Add(hop);
            keyParts.AddRange(hop.CacheKeyParts());
            return inner;
        }

        // A login profile's own credential_process runs this module for the same profile: sign in here instead.
        return StaticKeys(profile, keyParts)
            ?? SamlLogin(profile, keyParts)
            ?? CredentialProcess(profile, keyParts)
            ?? SsoCredentials(profile, keyParts)
            ?? throw Unsupported(profile);
    }

    private static RoleHop HopFromProfile(ConfigProfile profile, string roleArnText)
    {
        if (!RoleArn.TryParse(roleArnText, out var roleArn))
        {
            throw Invalid(profile.Name, $"has role_arn '{roleArnText}', which is not an IAM role ARN.");
        }

        return new RoleHop(roleArn!)
        {
            ExternalId = profile.ExternalId,
            RoleSessionName = profile.RoleSessionName,
            MfaSerial = profile.MfaSerial,
            DurationSeconds = profile.DurationSeconds,
            Origin = "profile " + profile.Name,
        };
    }

    private Func<CancellationToken, Task<CredentialSet>>? StaticKeys(ConfigProfile profile, List<string> keyParts)
    {
        if (profile.AccessKeyId is not { Length: > 0 } accessKeyId)
        {
            return null;
        }

        if (profile.SecretAccessKey is not { Length: > 0 } secret)
        {
            throw Invalid(profile.Name, "has aws_access_key_id but no aws_secret_access_key.");
        }

        var credentials = new CredentialSet(accessKeyId, secret, profile.SessionToken)
        {
            Source = "profile " + profile.Name,
            Origin = profile.SessionToken is null ? CredentialOrigin.LongTermKeys : CredentialOrigin.Temporary,
            Region = profile.Region,
        };
        keyParts.Add("static");
        keyParts.Add(accessKeyId);
        keyParts.Add(CredentialCache.Fingerprint(secret + "\n" + profile.SessionToken));
        return _ => Task.FromResult(credentials);
    }

    private Func<CancellationToken, Task<CredentialSet>>? CredentialProcess(ConfigProfile profile, List<string> keyParts)
    {
        if (profile.CredentialProcess is not { Length: > 0 } command)
        {
            return null;
        }

        keyParts.Add("credential_process");
        keyParts.Add(command);
        return ct => CredentialProcessRunner.RunAsync(command, profile.Name, _context.Log, ct);
    }

    // Login profiles: SAML role credentials from the cache, or a sign-in that asks nobody (SamlSignIn).
    private Func<CancellationToken, Task<CredentialSet>>? SamlLogin(ConfigProfile profile, List<string> keyParts)
    {
        if (SamlLoginProfile.FromProfile(profile) is not { } settings)
        {
            return null;
        }

        keyParts.Add("saml-login");
        keyParts.Add(SamlCredentialBroker.NormalizeEndpoint(settings.EndpointUrl));
        keyParts.Add(settings.UserName ?? string.Empty);
        keyParts.Add(settings.RoleArn ?? string.Empty);
        var services = _samlServices;
        var forceRefresh = _forceRefresh;
        // The config is already read: the credential_process hot path reads it once.
        return ct => SamlSignIn.GetProfileCredentialsAsync(settings, services, forceRefresh, _context, ct, _store);
    }

    // IAM Identity Center profiles: GetRoleCredentials with the token the AWS CLI (or Connect-AwsSso) cached in
    // ~/.aws/sso/cache, refreshed when it can be; never a browser here.
    private Func<CancellationToken, Task<CredentialSet>>? SsoCredentials(ConfigProfile profile, List<string> keyParts)
    {
        if (profile.SsoAccountId is null && profile.SsoSession is null && profile.SsoStartUrl is null)
        {
            return null;
        }

        var target = new SsoTargetResolver(_store, _context.Environment).TryFromProfile(profile)!;
        if (profile.SsoAccountId is null || profile.SsoRoleName is null)
        {
            throw Invalid(profile.Name, "has incomplete IAM Identity Center settings: it needs sso_account_id and sso_role_name (with sso_session, or sso_start_url and sso_region).");
        }

        keyParts.Add("sso");
        keyParts.Add(target.SessionName ?? string.Empty);
        keyParts.Add(target.StartUrl);
        keyParts.Add(profile.SsoAccountId);
        keyParts.Add(profile.SsoRoleName);
        var accountId = profile.SsoAccountId;
        var roleName = profile.SsoRoleName;
        var source = new SsoTokenSource { ProfileName = profile.Name };
        var forceRefresh = _forceRefresh;
        return async ct =>
        {
            var credentials = await new SsoService(_context).GetRoleCredentialsAsync(source, accountId, roleName, forceRefresh, ct).ConfigureAwait(false);
            return credentials with { Source = $"profile {profile.Name} (IAM Identity Center role {roleName} in account {accountId})", Region = profile.Region };
        };
    }

    // -SsoAccountId/-SsoRoleName: role credentials from an sso-session, a start URL, or a token given outright.
    private SourcePlan PlanSso(IdentityRequest request)
    {
        if (request.StartingCredentials is not null || !string.IsNullOrEmpty(request.ProfileName))
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "SsoConflictingSources",
                "IAM Identity Center role credentials are a starting identity of their own; they cannot be combined with a profile or keys.",
                request.SsoAccountId, "Start from the IAM Identity Center role, or from the profile or keys, not both.");
        }

        if (string.IsNullOrEmpty(request.SsoAccountId) || string.IsNullOrEmpty(request.SsoRoleName))
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "InvalidArgument",
                "IAM Identity Center role credentials need both an account id and a role name.", request.SsoAccountId ?? request.SsoRoleName,
                "Pass -SsoAccountId and -SsoRoleName.");
        }

        var source = request.SsoSource ?? new SsoTokenSource();
        var accountId = request.SsoAccountId!;
        var roleName = request.SsoRoleName!;
        SsoService.CheckAccountAndRole(accountId, roleName);
        var service = new SsoService(_context);
        var key = CredentialCache.Key(new[] { "sso", service.SourceIdentity(source), accountId, roleName });
        var description = $"IAM Identity Center role {roleName} in account {accountId}";
        var forceRefresh = request.ForceRefresh;
        return new SourcePlan(key, description, ct => service.GetRoleCredentialsAsync(source, accountId, roleName, forceRefresh, ct), Array.Empty<RoleHop>(), ProfileForSettings());
    }

    private SourcePlan PlanMachine(ConfigProfile? defaultProfile)
    {
        var env = _context.Environment;
        if (!string.IsNullOrEmpty(env.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) || !string.IsNullOrEmpty(env.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI")))
        {
            // The SDKs prefer the relative URI (ECS) when both are set.
            var relative = env.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
            var uri = string.IsNullOrEmpty(relative) ? env.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI")! : relative!;
            return new SourcePlan(CredentialCache.Key(new[] { "container", uri }), "container credentials", ContainerCredentialsAsync, Array.Empty<RoleHop>(), defaultProfile);
        }

        if (string.Equals(env.Get("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw NoCredentials("the default credential chain", "no environment variables, no usable default profile, no container endpoint, and EC2 instance metadata is disabled (AWS_EC2_METADATA_DISABLED).");
        }

        return new SourcePlan(CredentialCache.Key(new[] { "imds" }), "EC2 instance metadata", InstanceMetadataCredentialsAsync, Array.Empty<RoleHop>(), defaultProfile);
    }

    private ConfigProfile? ProfileForSettings()
    {
        var name = _context.Environment.Get("AWS_PROFILE");
        return _store.TryGetProfile(string.IsNullOrEmpty(name) ? "default" : name!, out var profile) ? profile : null;
    }

    private CredentialSet? EnvironmentCredentials()
    {
        var env = _context.Environment;
        var accessKeyId = env.Get("AWS_ACCESS_KEY_ID") ?? env.Get("AWS_ACCESS_KEY");
        var secret = env.Get("AWS_SECRET_ACCESS_KEY") ?? env.Get("AWS_SECRET_KEY");
        if (string.IsNullOrEmpty(accessKeyId) || string.IsNullOrEmpty(secret))
        {
            return null;
        }

        var token = env.Get("AWS_SESSION_TOKEN") ?? env.Get("AWS_SECURITY_TOKEN");
        DateTime? expiration = null;
        if (env.Get("AWS_CREDENTIAL_EXPIRATION") is { Length: > 0 } expirationText
            && DateTime.TryParse(expirationText, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            expiration = parsed;
        }

        return new CredentialSet(accessKeyId!, secret!, token)
        {
            Expiration = expiration,
            Source = "environment variables",
            Origin = string.IsNullOrEmpty(token) ? CredentialOrigin.LongTermKeys : CredentialOrigin.Temporary,
        };
    }

    // Both SDK providers do work in their constructors (the container one validates the endpoint, the instance
    // metadata one fetches a token and the role name), so they are built inside SdkCredentialsAsync's try.
    private static Task<CredentialSet> ContainerCredentialsAsync(CancellationToken cancellationToken) =>
        SdkCredentialsAsync(() => new GenericContainerCredentials(), "container credentials", "Check AWS_CONTAINER_CREDENTIALS_FULL_URI/RELATIVE_URI and the container's task role.");

    private static Task<CredentialSet> InstanceMetadataCredentialsAsync(CancellationToken cancellationToken) =>
        SdkCredentialsAsync(() => new InstanceProfileAWSCredentials(), "EC2 instance metadata",
            "Configure credentials: run Get-AwsRoleCredential with -ProfileName, set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");

    private static async Task<CredentialSet> SdkCredentialsAsync(Func<AWSCredentials> createProvider, string description, string recommendedAction)
    {
        AWSCredentials provider;
        ImmutableCredentials credentials;
        try
        {
            provider = createProvider();
            credentials = await provider.GetCredentialsAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AmazonClientException or AmazonServiceException or System.Net.Http.HttpRequestException
            or InvalidOperationException or ArgumentException or System.Text.Json.JsonException)
        {
            throw new AwsLoginException(FailureKind.NoCredentials, "NoCredentials", $"No credentials from {description}: {ex.Message}", description, recommendedAction, ex);
        }

        return new CredentialSet(credentials.AccessKey, credentials.SecretKey, credentials.Token)
        {
            Expiration = provider.Expiration?.ToUniversalTime(),
            Source = description,
            Origin = string.IsNullOrEmpty(credentials.Token) ? CredentialOrigin.LongTermKeys : CredentialOrigin.Temporary,
        };
    }

    private static SourcePlan Fixed(CredentialSet credentials, string kind, string description, ConfigProfile? profile) =>
        new(
            CredentialCache.Key(new[] { kind, credentials.AccessKeyId, CredentialCache.Fingerprint(credentials.SecretAccessKey + "\n" + credentials.SessionToken) }),
            description,
            _ => Task.FromResult(credentials),
            Array.Empty<RoleHop>(),
            profile);

    internal static bool HasCredentialSettings(ConfigProfile profile) =>
        profile.AccessKeyId is not null || profile.RoleArn is not null || profile.CredentialProcess is not null || SamlLoginProfile.IsLoginProfile(profile)
        || profile.SsoAccountId is not null || profile.SsoSession is not null || profile.SsoStartUrl is not null;

    private static AwsLoginException Unsupported(ConfigProfile profile)
    {
        if (profile.Values.ContainsKey("web_identity_token_file"))
        {
            return Invalid(profile.Name, "uses web_identity_token_file, which AwsLogin does not read; use the AWS SDK's own provider for web identity.");
        }

        return Invalid(profile.Name, "has no credentials: it needs aws_access_key_id/aws_secret_access_key, role_arn, credential_process or IAM Identity Center settings.");
    }

    private static AwsLoginException Invalid(string profileName, string what) =>
        new(FailureKind.InvalidConfiguration, "InvalidProfileConfiguration", $"The profile '{profileName}' {what}", profileName, "Correct the profile in the shared config or credentials file.");

    private static AwsLoginException NoCredentials(string where, string why) =>
        new(FailureKind.NoCredentials, "NoCredentials", $"No AWS credentials found in {where}: {why}", where,
            "Pass -ProfileName, -AccessKey/-SecretKey or a credential object, set AWS_PROFILE, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.");
}
