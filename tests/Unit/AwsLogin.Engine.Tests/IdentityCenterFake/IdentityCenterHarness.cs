using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using AwsLogin.TestServers;

namespace AwsLogin.Engine.Tests;

/// <summary>A fake STS and Identity Center with the real SDK clients pointed at them, and the AWS CLI's sign-in steps.</summary>
internal sealed class IdentityCenterHarness : IAsyncDisposable
{
    public const string CliRedirectUri = "http://127.0.0.1/oauth/callback";

    private IdentityCenterHarness(FakeSts sts, FakeIdentityCenter sso)
    {
        Sts = sts;
        Sso = sso;
        var oidcConfig = new AmazonSSOOIDCConfig { ServiceURL = sso.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 };
        var portalConfig = new AmazonSSOConfig { ServiceURL = sso.Endpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 };
        Oidc = new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), oidcConfig);
        Portal = new AmazonSSOClient(new AnonymousAWSCredentials(), portalConfig);
    }

    public FakeSts Sts { get; }

    public FakeIdentityCenter Sso { get; }

    public AmazonSSOOIDCClient Oidc { get; }

    public AmazonSSOClient Portal { get; }

    public static async Task<IdentityCenterHarness> StartAsync(TimeProvider? clock = null)
    {
        FakeSts sts = await FakeSts.StartAsync();
        FakeIdentityCenter sso = await FakeIdentityCenter.StartAsync(sts);
        if (clock is not null)
        {
            sts.TimeProvider = clock;
            sso.TimeProvider = clock;
        }

        return new IdentityCenterHarness(sts, sso);
    }

    /// <summary>RegisterClient as the AWS CLI does for the device code flow of an sso-session.</summary>
    public Task<RegisterClientResponse> RegisterDeviceClientAsync(List<string>? scopes = null, List<string>? grantTypes = null) =>
        Oidc.RegisterClientAsync(new RegisterClientRequest
        {
            ClientName = "botocore-client-dev",
            ClientType = "public",
            Scopes = scopes ?? ["sso:account:access"],
            GrantTypes = grantTypes ?? [FakeIdentityCenter.DeviceCodeGrant, FakeIdentityCenter.RefreshTokenGrant],
        });

    /// <summary>RegisterClient as the AWS CLI does for the authorization code + PKCE flow.</summary>
    public Task<RegisterClientResponse> RegisterPkceClientAsync() =>
        Oidc.RegisterClientAsync(new RegisterClientRequest
        {
            ClientName = "botocore-client-dev",
            ClientType = "public",
            Scopes = ["sso:account:access"],
            GrantTypes = [FakeIdentityCenter.AuthorizationCodeGrant, FakeIdentityCenter.RefreshTokenGrant],
            RedirectUris = [CliRedirectUri],
            IssuerUrl = Sso.StartUrl,
        });

    public Task<StartDeviceAuthorizationResponse> StartDeviceAsync(RegisterClientResponse client, string? startUrl = null) =>
        Oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            StartUrl = startUrl ?? Sso.StartUrl,
        });

    public Task<CreateTokenResponse> PollAsync(RegisterClientResponse client, StartDeviceAuthorizationResponse device) =>
        Oidc.CreateTokenAsync(new CreateTokenRequest
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            GrantType = FakeIdentityCenter.DeviceCodeGrant,
            DeviceCode = device.DeviceCode,
        });

    /// <summary>Register, start, approve as <paramref name="userName"/>, and poll once: a signed-in token.</summary>
    public async Task<(RegisterClientResponse Client, CreateTokenResponse Token)> SignInAsync(string userName = FakeIdentityCenter.DefaultUserName)
    {
        RegisterClientResponse client = await RegisterDeviceClientAsync();
        StartDeviceAuthorizationResponse device = await StartDeviceAsync(client);
        Sso.ApproveDevice(device.UserCode, userName);
        return (client, await PollAsync(client, device));
    }

    /// <summary>The AWS CLI's /authorize URL (scopes space-separated, S256 challenge without padding).</summary>
    public string AuthorizeUrl(string clientId, string redirectUri, string state, string codeChallenge, string scopes = "sso:account:access") =>
        $"{Sso.Endpoint}authorize?response_type=code&client_id={Uri.EscapeDataString(clientId)}" +
        $"&redirect_uri={Uri.EscapeDataString(redirectUri)}&state={Uri.EscapeDataString(state)}" +
        $"&code_challenge_method=S256&scopes={Uri.EscapeDataString(scopes)}&code_challenge={codeChallenge}";

    public static string NewCodeVerifier() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", 64);

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        Oidc.Dispose();
        Portal.Dispose();
        await Sso.DisposeAsync();
        await Sts.DisposeAsync();
    }
}
