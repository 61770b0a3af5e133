using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Adfs;
using AwsLogin.Engine.Tests.Sts;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>
/// A fake ADFS registered with a fake STS as the IAM SAML provider of accounts 111111111111 and 222222222222, with
/// the user alice@example.test granted three roles, plus the engine's private world from <see cref="BrokerHarness"/>.
/// </summary>
internal sealed class AdfsHarness : IAsyncDisposable
{
    public const string UserName = "alice@example.test";
    public const string Password = "Corr3ct h&rse+battery=staple";
    public const string ProviderA = "arn:aws:iam::111111111111:saml-provider/ADFS";
    public const string ProviderB = "arn:aws:iam::222222222222:saml-provider/ADFS";
    public const string Admin = "arn:aws:iam::111111111111:role/ADFS-Admin";
    public const string Reader = "arn:aws:iam::111111111111:role/ADFS-Reader";
    public const string Deploy = "arn:aws:iam::222222222222:role/ADFS-Deploy";

    private AdfsHarness(BrokerHarness world, FakeAdfsIdp idp)
    {
        World = world;
        Idp = idp;
    }

    public BrokerHarness World { get; }

    public FakeAdfsIdp Idp { get; }

    public FakeSts Sts => World.Fake;

    public RecordingLog Log => World.Log;

    public static async Task<AdfsHarness> StartAsync(bool mfa = false, bool https = false)
    {
        var world = await BrokerHarness.StartAsync();
        var idp = await FakeAdfsIdp.StartAsync(https);
        idp.RegisterWith(world.Fake, ProviderA);
        idp.RegisterWith(world.Fake, ProviderB);
        idp.AddUser(UserName, Password, new[] { SamlHarness.Role(Admin, ProviderA), SamlHarness.Role(Reader, ProviderA), SamlHarness.Role(Deploy, ProviderB) }, mfa);
        return new AdfsHarness(world, idp);
    }

    public static IdpCredential Alice(string password = Password) => new(UserName, SamlHarness.Secure(password));

    /// <summary>Options for the ADFS server's root URL (the provider adds the sign-on page's path).</summary>
    public AdfsProviderOptions Options(IdpCredential? credential = null) => new(Idp.BaseUri) { Credential = credential };

    public ISamlAssertionProvider Provider(AdfsProviderOptions options) => SamlProviders.Create(options, World.Context());

    public Task<IReadOnlyList<CredentialSet>> GetAsync(AdfsProviderOptions options, Func<SamlCredentialRequest, SamlCredentialRequest>? shape = null)
    {
        var request = new SamlCredentialRequest(Provider(options));
        return new SamlCredentialBroker(World.Context()).GetCredentialsAsync(shape is null ? request : shape(request), CancellationToken.None);
    }

    public async Task<AwsLoginException> FailAsync(AdfsProviderOptions options, Func<SamlCredentialRequest, SamlCredentialRequest>? shape = null, params string[] more)
    {
        var exception = await Assert.ThrowsAsync<AwsLoginException>(() => GetAsync(options, shape));
        AssertNoSecrets(exception, more);
        return exception;
    }

    public IReadOnlyList<StsCall> SamlCalls => Sts.Calls.Where(call => call.Action == "AssumeRoleWithSAML").ToArray();

    /// <summary>Every secret of this world: STS secrets, the password, form context tokens and every assertion issued.</summary>
    public IEnumerable<string> Secrets(params string[] more)
    {
        foreach (var secret in World.Secrets())
        {
            yield return secret;
        }

        yield return Password;
        foreach (var context in Idp.IssuedContexts)
        {
            yield return context;
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
