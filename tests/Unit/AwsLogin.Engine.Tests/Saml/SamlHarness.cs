using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Ecp;
using AwsLogin.Engine.Tests.Sts;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>
/// A fake Shibboleth ECP IdP registered with a fake STS as two IAM SAML providers (accounts 111111111111 and
/// 222222222222), with the user alice granted three roles, plus the engine's private world from <see cref="BrokerHarness"/>.
/// </summary>
internal sealed class SamlHarness : IAsyncDisposable
{
    public const string UserName = "alice";
    public const string Password = "correct horse battery staple";
    public const string ProviderA = "arn:aws:iam::111111111111:saml-provider/Shibboleth";
    public const string ProviderB = "arn:aws:iam::222222222222:saml-provider/Shibboleth";
    public const string Admin = "arn:aws:iam::111111111111:role/Admin";
    public const string Reader = "arn:aws:iam::111111111111:role/Reader";
    public const string Deploy = "arn:aws:iam::222222222222:role/Deploy";

    private SamlHarness(BrokerHarness world, FakeEcpIdp idp)
    {
        World = world;
        Idp = idp;
    }

    public BrokerHarness World { get; }

    public FakeEcpIdp Idp { get; }

    public FakeSts Sts => World.Fake;

    public RecordingLog Log => World.Log;

    public static async Task<SamlHarness> StartAsync(bool duo = false, int? sessionDuration = null)
    {
        var world = await BrokerHarness.StartAsync();
        var idp = await FakeEcpIdp.StartAsync();
        idp.RegisterWith(world.Fake, ProviderA);
        idp.RegisterWith(world.Fake, ProviderB);
        world.Fake.ConfigureRole(Admin, maxSessionDuration: 43200);
        idp.AddUser(UserName, Password, new[] { Role(Admin, ProviderA), Role(Reader, ProviderA), Role(Deploy, ProviderB) }, duo, sessionDuration);
        return new SamlHarness(world, idp);
    }

    public static string Role(string roleArn, string providerArn) => roleArn + "," + providerArn;

    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    public static IdpCredential Alice(string password = Password) => new(UserName, Secure(password));

    public EcpProviderOptions Options(IdpCredential? credential = null) => new(Idp.EcpEndpoint) { Credential = credential };

    public ISamlAssertionProvider Provider(EcpProviderOptions options) => SamlProviders.Create(options, World.Context());

    public SamlCredentialBroker Broker() => new(World.Context());

    public Task<IReadOnlyList<CredentialSet>> GetAsync(EcpProviderOptions options, Func<SamlCredentialRequest, SamlCredentialRequest>? shape = null)
    {
        var request = new SamlCredentialRequest(Provider(options));
        return Broker().GetCredentialsAsync(shape is null ? request : shape(request), CancellationToken.None);
    }

    public async Task<AwsLoginException> FailAsync(EcpProviderOptions options, Func<SamlCredentialRequest, SamlCredentialRequest>? shape = null)
    {
        var exception = await Assert.ThrowsAsync<AwsLoginException>(() => GetAsync(options, shape));
        AssertNoSecrets(exception);
        return exception;
    }

    public IReadOnlyList<StsCall> SamlCalls => Sts.Calls.Where(call => call.Action == "AssumeRoleWithSAML").ToArray();

    /// <summary>Every secret of this world: STS secrets, the password, every passcode and every assertion issued.</summary>
    public IEnumerable<string> Secrets(params string[] more)
    {
        foreach (var secret in World.Secrets())
        {
            yield return secret;
        }

        yield return Password;
        foreach (var passcode in Idp.SmsPasscodes)
        {
            yield return passcode;
        }

        foreach (var fingerprint in SecretScan.Assertions(Idp.IssuedAssertions))
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
        await Idp.DisposeAsync();
        await World.DisposeAsync();
    }
}
