using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;

namespace AwsLogin.Engine.Sso;

/// <summary>What CreateToken returned.</summary>
internal sealed record SsoTokenGrant(string AccessToken, int ExpiresInSeconds, string? RefreshToken);

/// <summary>What StartDeviceAuthorization returned; the device code is a secret.</summary>
internal sealed record SsoDeviceAuthorization(string DeviceCode, string UserCode, string VerificationUri, string VerificationUriComplete, int ExpiresInSeconds, int? IntervalSeconds)
{
    public override string ToString() => $"device authorization {UserCode}";
}

/// <summary>The answer to one device-code poll.</summary>
internal enum SsoDevicePoll
{
    Token,
    Pending,
    SlowDown,
}

/// <summary>
/// The IAM Identity Center OIDC calls (RegisterClient, StartDeviceAuthorization, CreateToken) through the AWS
/// SDK. They are unsigned; the client has no AWS credentials.
/// </summary>
internal sealed class SsoOidcService : IDisposable
{
    public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    public const string AuthorizationCodeGrant = "authorization_code";
    public const string RefreshTokenGrant = "refresh_token";
    public const string AccountAccessScope = "sso:account:access";

    /// <summary>The redirect URI the AWS CLI registers: loopback without a port, which matches any port (RFC 8252 7.3).</summary>
    public const string RegisteredRedirectUri = "http://127.0.0.1/oauth/callback";

    private readonly AmazonSSOOIDCClient _client;
    private readonly Uri? _endpoint;
    private readonly IEngineLog _log;

    public SsoOidcService(string region, Uri? endpoint, IEngineLog log)
    {
        _endpoint = endpoint;
        _log = log;
        var config = new AmazonSSOOIDCConfig();
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        _client = new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), config);
        EndpointDescription = endpoint is null ? $"IAM Identity Center OIDC in {region}" : $"IAM Identity Center OIDC at {endpoint}";
    }

    /// <summary>For messages: which endpoint the calls go to.</summary>
    public string EndpointDescription { get; }

    /// <summary>
    /// The base of the authorize URL: the scheme and host of the OIDC endpoint, as the AWS CLI derives it from the
    /// endpoint its client resolves.
    /// </summary>
    public Uri AuthorizationBase()
    {
        var url = _endpoint ?? new Uri(_client.DetermineServiceOperationEndpoint(new RegisterClientRequest { ClientName = "awslogin", ClientType = "public" }).URL);
        return new Uri(url.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>RegisterClient for the device code grant (grant types unnamed, as the AWS CLI registers).</summary>
    public Task<SsoClientRegistration> RegisterForDeviceCodeAsync(string clientName, IReadOnlyList<string>? scopes, string target, CancellationToken cancellationToken)
    {
        var request = new RegisterClientRequest { ClientName = clientName, ClientType = "public" };
        if (scopes is { Count: > 0 })
        {
            request.Scopes = scopes.ToList();
        }

        return RegisterAsync(request, scopes is { Count: > 0 } ? scopes : null, grantTypes: null, target, cancellationToken);
    }

    /// <summary>RegisterClient for the authorization code and refresh grants with the loopback redirect URI and the start URL as issuer.</summary>
    public Task<SsoClientRegistration> RegisterForAuthorizationCodeAsync(string clientName, IReadOnlyList<string>? scopes, string issuerUrl, string target, CancellationToken cancellationToken)
    {
        var registeredScopes = scopes is { Count: > 0 } ? scopes.ToList() : new List<string> { AccountAccessScope };
        var grantTypes = new List<string> { AuthorizationCodeGrant, RefreshTokenGrant };
        var request = new RegisterClientRequest
        {
            ClientName = clientName,
            ClientType = "public",
            GrantTypes = grantTypes,
            RedirectUris = new List<string> { RegisteredRedirectUri },
            IssuerUrl = issuerUrl,
            Scopes = registeredScopes,
        };
        return RegisterAsync(request, registeredScopes, grantTypes, target, cancellationToken);
    }

    public async Task<SsoDeviceAuthorization> StartDeviceAuthorizationAsync(SsoClientRegistration registration, string startUrl, string target, CancellationToken cancellationToken)
    {
        _log.Verbose($"StartDeviceAuthorization for {startUrl} via {EndpointDescription}.");
        var request = new StartDeviceAuthorizationRequest { ClientId = registration.ClientId, ClientSecret = registration.ClientSecret, StartUrl = startUrl };
        var response = await SsoErrors.TranslateAsync(
            () => _client.StartDeviceAuthorizationAsync(request, cancellationToken),
            ex => SsoErrors.CodeOf(ex) == "InvalidRequestException" ? NotAPortal(startUrl, ex) : SsoErrors.FromOidc(ex, "StartDeviceAuthorization", target),
            "StartDeviceAuthorization", target, EndpointDescription).ConfigureAwait(false);
        if (string.IsNullOrEmpty(response.DeviceCode) || string.IsNullOrEmpty(response.UserCode) || string.IsNullOrEmpty(response.VerificationUri))
        {
            throw Empty("StartDeviceAuthorization", target);
        }

        return new SsoDeviceAuthorization(response.DeviceCode, response.UserCode, response.VerificationUri,
            string.IsNullOrEmpty(response.VerificationUriComplete) ? response.VerificationUri : response.VerificationUriComplete,
            response.ExpiresIn ?? 600, response.Interval);
    }

    /// <summary>One CreateToken poll with the device code: a token, pending, or slow down; other answers are errors.</summary>
    public async Task<(SsoDevicePoll Result, SsoTokenGrant? Grant)> PollDeviceTokenAsync(SsoClientRegistration registration, SsoDeviceAuthorization authorization, string target, CancellationToken cancellationToken)
    {
        var request = new CreateTokenRequest
        {
            GrantType = DeviceCodeGrant,
            ClientId = registration.ClientId,
            ClientSecret = registration.ClientSecret,
            DeviceCode = authorization.DeviceCode,
        };
        try
        {
            var grant = await CreateTokenAsync(request, target, cancellationToken).ConfigureAwait(false);
            return (SsoDevicePoll.Token, grant);
        }
        catch (AwsLoginException ex) when (ex.InnerException is AmazonServiceException service && SsoErrors.CodeOf(service) == "AuthorizationPendingException")
        {
            return (SsoDevicePoll.Pending, null);
        }
        catch (AwsLoginException ex) when (ex.InnerException is AmazonServiceException service && SsoErrors.CodeOf(service) == "SlowDownException")
        {
            return (SsoDevicePoll.SlowDown, null);
        }
    }

    /// <summary>CreateToken with the authorization code and the PKCE verifier.</summary>
    public Task<SsoTokenGrant> RedeemAuthorizationCodeAsync(SsoClientRegistration registration, string code, string redirectUri, string codeVerifier, string target, CancellationToken cancellationToken)
    {
        _log.Verbose($"CreateToken (authorization_code) for {target} via {EndpointDescription}.");
        return CreateTokenAsync(
            new CreateTokenRequest
            {
                GrantType = AuthorizationCodeGrant,
                ClientId = registration.ClientId,
                ClientSecret = registration.ClientSecret,
                Code = code,
                RedirectUri = redirectUri,
                CodeVerifier = codeVerifier,
            },
            target,
            cancellationToken);
    }

    /// <summary>CreateToken with the refresh token, as botocore's SSOTokenProvider refreshes.</summary>
    public Task<SsoTokenGrant> RefreshAsync(string clientId, string clientSecret, string refreshToken, string target, CancellationToken cancellationToken)
    {
        _log.Verbose($"CreateToken (refresh_token) for {target} via {EndpointDescription}.");
        return CreateTokenAsync(
            new CreateTokenRequest { GrantType = RefreshTokenGrant, ClientId = clientId, ClientSecret = clientSecret, RefreshToken = refreshToken },
            target,
            cancellationToken);
    }

    public void Dispose() => _client.Dispose();

    private async Task<SsoClientRegistration> RegisterAsync(RegisterClientRequest request, IReadOnlyList<string>? scopes, IReadOnlyList<string>? grantTypes, string target, CancellationToken cancellationToken)
    {
        _log.Verbose($"RegisterClient '{request.ClientName}' ({(grantTypes is null ? "device code" : "authorization code")}) via {EndpointDescription}.");
        var response = await SsoErrors.TranslateAsync(
            () => _client.RegisterClientAsync(request, cancellationToken),
            ex => request.IssuerUrl is not null && SsoErrors.CodeOf(ex) == "InvalidRequestException" ? NotAPortal(request.IssuerUrl, ex) : SsoErrors.FromOidc(ex, "RegisterClient", target),
            "RegisterClient", target, EndpointDescription).ConfigureAwait(false);
        if (string.IsNullOrEmpty(response.ClientId) || string.IsNullOrEmpty(response.ClientSecret) || response.ClientSecretExpiresAt is null)
        {
            throw Empty("RegisterClient", target);
        }

        return new SsoClientRegistration(response.ClientId, response.ClientSecret, DateTimeOffset.FromUnixTimeSeconds(response.ClientSecretExpiresAt.Value).UtcDateTime)
        {
            Scopes = scopes,
            GrantTypes = grantTypes,
        };
    }

    private async Task<SsoTokenGrant> CreateTokenAsync(CreateTokenRequest request, string target, CancellationToken cancellationToken)
    {
        var response = await SsoErrors.TranslateAsync(
            () => _client.CreateTokenAsync(request, cancellationToken),
            ex => SsoErrors.FromOidc(ex, "CreateToken", target),
            "CreateToken", target, EndpointDescription).ConfigureAwait(false);
        if (string.IsNullOrEmpty(response.AccessToken) || response.ExpiresIn is null)
        {
            throw Empty("CreateToken", target);
        }

        return new SsoTokenGrant(response.AccessToken, response.ExpiresIn.Value, string.IsNullOrEmpty(response.RefreshToken) ? null : response.RefreshToken);
    }

    private static AwsLoginException NotAPortal(string startUrl, AmazonServiceException ex) =>
        new(FailureKind.InvalidArgument, "SsoInvalidStartUrl",
            $"'{startUrl}' is not an IAM Identity Center access portal of this region: {SsoErrors.CodeOf(ex)}: {ex.Message}",
            startUrl,
            "Use the AWS access portal URL shown in the IAM Identity Center console (for example https://d-1234567890.awsapps.com/start) and the region of the Identity Center instance.",
            ex);

    private static AwsLoginException Empty(string operation, string target) =>
        new(FailureKind.ServiceError, "SsoServiceError", $"IAM Identity Center answered {operation} for '{target}' without the expected fields.", target);
}
