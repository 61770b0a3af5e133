using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Okta;
using AwsLogin.Engine.Tests.Sts;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>
/// A fake Okta org whose AWS app is registered with a fake STS as two IAM SAML providers (accounts 111111111111 and
/// 222222222222), with the user alice@example.com granted three roles, plus the engine's private world from
/// <see cref="BrokerHarness"/>. Pushes are polled every 10 milliseconds.
/// </summary>
internal sealed class OktaHarness : IAsyncDisposable
{
    public const string UserName = "alice@example.com";
    public const string Password = "correct horse battery staple";
    public const string ProviderA = "arn:aws:iam::111111111111:saml-provider/Okta";
    public const string ProviderB = "arn:aws:iam::222222222222:saml-provider/Okta";
    public const string Admin = "arn:aws:iam::111111111111:role/Admin";
    public const string Reader = "arn:aws:iam::111111111111:role/Reader";
    public const string Deploy = "arn:aws:iam::222222222222:role/Deploy";

    private OktaHarness(BrokerHarness world, FakeOkta okta)
    {
        World = world;
        Okta = okta;
    }

    public BrokerHarness World { get; }

    public FakeOkta Okta { get; }

    public FakeSts Sts => World.Fake;

    public RecordingLog Log => World.Log;

    public IReadOnlyList<StsCall> SamlCalls => Sts.Calls.Where(call => call.Action == "AssumeRoleWithSAML").ToArray();

    /// <summary>Every TOTP code handed to the engine in this test (secrets for the leak scans).</summary>
    public List<string> Codes { get; } = new();

    public static async Task<OktaHarness> StartAsync(bool push = false, OktaTotpProvider? totp = null, bool sms = false, OktaAccountState state = OktaAccountState.Active)
    {
        var world = await BrokerHarness.StartAsync();
        var okta = await FakeOkta.StartAsync();
        okta.RegisterWith(world.Fake, ProviderA);
        okta.RegisterWith(world.Fake, ProviderB);
        okta.AddUser(UserName, Password, new[] { Role(Admin, ProviderA), Role(Reader, ProviderA), Role(Deploy, ProviderB) }, push, totp, sms, state);
        return new OktaHarness(world, okta);
    }

    public static string Role(string roleArn, string providerArn) => roleArn + "," + providerArn;

    public static SecureString Secure(string text) => SamlHarness.Secure(text);

    public static IdpCredential Alice(string password = Password) => new(UserName, Secure(password));

    /// <summary>The current TOTP code of <paramref name="login"/>, remembered as a secret.</summary>
    public string Code(string login = UserName, int stepOffset = 0)
    {
        var code = Okta.TotpCode(login, stepOffset);
        Codes.Add(code);
        return code;
    }

    public OktaProviderOptions Options(IdpCredential? credential = null) =>
        new(Okta.EmbedLink) { Credential = credential, PushPollInterval = TimeSpan.FromMilliseconds(10) };

    public ISamlAssertionProvider Provider(OktaProviderOptions options) => SamlProviders.Create(options, World.Context());

    public SamlCredentialBroker Broker() => new(World.Context());

    public Task<IReadOnlyList<CredentialSet>> GetAsync(OktaProviderOptions options, Func<SamlCredentialRequest, SamlCredentialRequest>? shape = null)
    {
        var request = new SamlCredentialRequest(Provider(options)) { RoleArns = new[] { Admin } };
        return Broker().GetCredentialsAsync(shape is null ? request : shape(request), CancellationToken.None);
    }

    public async Task<AwsLoginException> FailAsync(OktaProviderOptions options, Func<SamlCredentialRequest, SamlCredentialRequest>? shape = null)
    {
        var exception = await Assert.ThrowsAsync<AwsLoginException>(() => GetAsync(options, shape));
        AssertNoSecrets(exception);
        return exception;
    }

    /// <summary>Every secret of this world: STS secrets, the password, TOTP codes, Okta tokens and every assertion issued.</summary>
    public IEnumerable<string> Secrets(params string[] more)
    {
        foreach (var secret in World.Secrets())
        {
            yield return secret;
        }

        yield return Password;
        foreach (var code in Codes)
        {
            yield return code;
        }

        foreach (var token in Okta.IssuedTokens.Concat(Okta.IssuedSessionIds))
        {
            yield return token;
            yield return Uri.EscapeDataString(token);
        }

        foreach (var fingerprint in SecretScan.Assertions(Okta.IssuedAssertions))
        {
            yield return fingerprint;
        }

        foreach (var secret in more)
        {
            yield return secret;
        }
    }

    public void AssertNoSecrets(AwsLoginException exception, params string[] more) => SecretScan.AssertClean(exception, Log.Messages, Secrets(more));

    public void AssertLogClean(params string[] more) => SecretScan.AssertClean(Log.Messages, Secrets(more));

    public async ValueTask DisposeAsync()
    {
        await Okta.DisposeAsync();
        await World.DisposeAsync();
    }
}
