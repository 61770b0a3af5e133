using System;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;

namespace AwsLogin.Engine.Sts;

/// <summary>The identity an access key belongs to, from GetCallerIdentity.</summary>
public sealed record CallerIdentity(string Account, string Arn, string UserId);

/// <summary>
/// The STS calls the module makes, through the AWS SDK. Each call is signed with the credentials passed in,
/// so a role chain signs every hop with the previous hop's keys.
/// </summary>
public sealed class StsService
{
    // STS's [\w+=,.@-] is ASCII; .NET's \w would keep letters such as 'é', which STS rejects.
    private static readonly Regex s_sessionNameInvalid = new(@"[^A-Za-z0-9_+=,.@-]", RegexOptions.CultureInvariant);

    private readonly IEngineLog _log;

    public StsService(IEngineLog log)
    {
        _log = log;
    }

    /// <summary>AssumeRole signed by <paramref name="signer"/>.</summary>
    public async Task<CredentialSet> AssumeRoleAsync(CredentialSet signer, RoleHop hop, StsEndpoint endpoint, string? tokenCode, CancellationToken cancellationToken)
    {
        var request = new AssumeRoleRequest
        {
            RoleArn = hop.RoleArn.Value,
            RoleSessionName = hop.RoleSessionName ?? DefaultSessionName(),
            DurationSeconds = hop.DurationSeconds,
            ExternalId = hop.ExternalId,
            Policy = hop.Policy,
        };
        if (hop.MfaSerial is not null)
        {
            request.SerialNumber = hop.MfaSerial;
            request.TokenCode = tokenCode;
        }

        _log.Verbose($"AssumeRole {hop.RoleArn} as '{request.RoleSessionName}', signed by {signer.MaskedAccessKeyId}, via {endpoint.Description}.");
        using var client = CreateClient(signer, endpoint);
        var response = await StsErrors.TranslateAsync(
            () => client.AssumeRoleAsync(request, cancellationToken), "AssumeRole", hop.RoleArn.Value, endpoint.Description).ConfigureAwait(false);

        return FromStsCredentials(response.Credentials, hop.RoleArn.Value) with
        {
            Arn = response.AssumedRoleUser?.Arn,
            AccountId = hop.RoleArn.AccountId,
            Region = endpoint.Region,
            Source = $"role {hop.RoleArn}",
            Origin = signer.Origin is CredentialOrigin.AssumedRole or CredentialOrigin.ChainedRole or CredentialOrigin.SamlRole or CredentialOrigin.SsoRole
                ? CredentialOrigin.ChainedRole
                : CredentialOrigin.AssumedRole,
        };
    }

    /// <summary>GetSessionToken, optionally with MFA; only long-term keys may call it.</summary>
    public async Task<CredentialSet> GetSessionTokenAsync(CredentialSet signer, string? serialNumber, string? tokenCode, int? durationSeconds, StsEndpoint endpoint, CancellationToken cancellationToken)
    {
        var request = new GetSessionTokenRequest { DurationSeconds = durationSeconds };
        if (serialNumber is not null)
        {
            request.SerialNumber = serialNumber;
            request.TokenCode = tokenCode;
        }

        _log.Verbose($"GetSessionToken{(serialNumber is null ? string.Empty : " with MFA device " + serialNumber)}, signed by {signer.MaskedAccessKeyId}, via {endpoint.Description}.");
        using var client = CreateClient(signer, endpoint);
        var response = await StsErrors.TranslateAsync(
            () => client.GetSessionTokenAsync(request, cancellationToken), "GetSessionToken", serialNumber ?? signer.MaskedAccessKeyId, endpoint.Description).ConfigureAwait(false);

        return FromStsCredentials(response.Credentials, "GetSessionToken") with
        {
            AccountId = signer.AccountId,
            Arn = signer.Arn,
            Region = endpoint.Region,
            Source = serialNumber is null ? "session token" : $"session token (MFA {serialNumber})",
            Origin = CredentialOrigin.SessionToken,
        };
    }

    /// <summary>GetFederationToken for an IAM user's long-term keys.</summary>
    public async Task<CredentialSet> GetFederationTokenAsync(CredentialSet signer, string name, string? policy, int? durationSeconds, StsEndpoint endpoint, CancellationToken cancellationToken)
    {
        var request = new GetFederationTokenRequest { Name = name, Policy = policy, DurationSeconds = durationSeconds };
        _log.Verbose($"GetFederationToken as '{name}', signed by {signer.MaskedAccessKeyId}, via {endpoint.Description}.");
        using var client = CreateClient(signer, endpoint);
        var response = await StsErrors.TranslateAsync(
            () => client.GetFederationTokenAsync(request, cancellationToken), "GetFederationToken", name, endpoint.Description).ConfigureAwait(false);

        return FromStsCredentials(response.Credentials, "GetFederationToken") with
        {
            Arn = response.FederatedUser?.Arn,
            AccountId = AccountFromArn(response.FederatedUser?.Arn) ?? signer.AccountId,
            Region = endpoint.Region,
            Source = $"federation token '{name}'",
            Origin = CredentialOrigin.FederationToken,
        };
    }

    /// <summary>
    /// AssumeRoleWithSAML: an unsigned call, the assertion is the proof of identity. AWS checks its signature against
    /// the SAML provider's metadata, its validity times and audience, and that it grants the role.
    /// </summary>
    public async Task<CredentialSet> AssumeRoleWithSamlAsync(Saml.SamlRole role, Saml.SamlAssertion assertion, int? durationSeconds, StsEndpoint endpoint, CancellationToken cancellationToken)
    {
        var request = new AssumeRoleWithSAMLRequest
        {
            RoleArn = role.RoleArn.Value,
            PrincipalArn = role.PrincipalArn,
            SAMLAssertion = assertion.Base64Response,
            DurationSeconds = durationSeconds,
        };

        _log.Verbose($"AssumeRoleWithSAML {role.RoleArn} with provider {role.PrincipalArn}{(durationSeconds is { } d ? " for " + FormatSeconds(d) + " seconds" : string.Empty)}, via {endpoint.Description}.");
        using var client = CreateClient(null, endpoint);
        AssumeRoleWithSAMLResponse response;
        try
        {
            response = await StsErrors.TranslateAsync(
                () => client.AssumeRoleWithSAMLAsync(request, cancellationToken), "AssumeRoleWithSAML", role.RoleArn.Value, endpoint.Description).ConfigureAwait(false);
        }
        catch (AwsLoginException ex) when (StsErrors.ForSaml(ex) is { } specific)
        {
            throw specific;
        }

        return FromStsCredentials(response.Credentials, role.RoleArn.Value) with
        {
            Arn = response.AssumedRoleUser?.Arn,
            AccountId = role.AccountId,
            Region = endpoint.Region,
            Source = $"SAML role {role.RoleArn}",
            Origin = CredentialOrigin.SamlRole,
        };
    }

    /// <summary>GetCallerIdentity: who these keys are.</summary>
    public async Task<CallerIdentity> GetCallerIdentityAsync(CredentialSet credentials, StsEndpoint endpoint, CancellationToken cancellationToken)
    {
        _log.Verbose($"GetCallerIdentity for {credentials.MaskedAccessKeyId} via {endpoint.Description}.");
        using var client = CreateClient(credentials, endpoint);
        var response = await StsErrors.TranslateAsync(
            () => client.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken), "GetCallerIdentity", credentials.MaskedAccessKeyId, endpoint.Description).ConfigureAwait(false);
        return new CallerIdentity(response.Account, response.Arn, response.UserId);
    }

    /// <summary>The default role session name: "awslogin-" and the OS user name, as IAM allows it.</summary>
    public static string DefaultSessionName() => SessionNameFor(Environment.UserName);

    internal static string SessionNameFor(string? userName)
    {
        var user = s_sessionNameInvalid.Replace(userName ?? "user", "_");
        var name = "awslogin-" + user;
        return name.Length > 64 ? name.Substring(0, 64) : name;
    }

    /// <summary>The account id in an ARN (arn:partition:service::ACCOUNT:...), or null.</summary>
    public static string? AccountFromArn(string? arn)
    {
        var parts = arn?.Split(':');
        return parts is { Length: >= 6 } && parts[4].Length == 12 ? parts[4] : null;
    }

    internal static AmazonSecurityTokenServiceClient CreateClient(CredentialSet? credentials, StsEndpoint endpoint)
    {
        var config = new AmazonSecurityTokenServiceConfig();
        if (endpoint.EndpointUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = endpoint.Region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(endpoint.Region);
        }

        AWSCredentials awsCredentials = credentials is null
            ? new AnonymousAWSCredentials()
            : credentials.SessionToken is null
                ? new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey)
                : new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken);
        return new AmazonSecurityTokenServiceClient(awsCredentials, config);
    }

    private static CredentialSet FromStsCredentials(Amazon.SecurityToken.Model.Credentials credentials, string what)
    {
        if (credentials is null || string.IsNullOrEmpty(credentials.AccessKeyId) || string.IsNullOrEmpty(credentials.SecretAccessKey))
        {
            throw new AwsLoginException(FailureKind.ServiceError, "EmptyCredentials", $"STS answered {what} without credentials.", what);
        }

        return new CredentialSet(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken)
        {
            Expiration = credentials.Expiration?.ToUniversalTime(),
        };
    }

    internal static string FormatSeconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
