using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Output;
using AwsLogin.Engine.Sts;
using AwsLogin.Engine.Tests.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Output;

/// <summary>How a credential server's source resolves an identity: first interactively, then in the background.</summary>
public sealed class ServedIdentityTests
{
    [Fact]
    public async Task LaterCallsGetNewCredentialsPastTheBrokerCache()
    {
        await using var h = await StartAsync();
        // Twenty minutes: more than the broker's usual 15-minute margin, so a plain second call would reuse them.
        h.Fake.IssuedLifetimeOverride = TimeSpan.FromMinutes(20);
        var request = Hops(RoleA) with { StartingCredentials = h.UserKeys };
        var source = ServedIdentity.Source(request, h.Context(), h.Environment, h.Log, new CredentialServerOptions());

        var first = await source(CancellationToken.None);
        var second = await source(CancellationToken.None);

        Assert.NotEqual(first.AccessKeyId, second.AccessKeyId);
        Assert.Equal(2, h.Calls("AssumeRole").Count);
        Assert.Equal(RoleA, h.Fake.FindIssued(second.AccessKeyId)!.RoleArn);
        h.AssertLogHasNoSecrets();
    }

    [Fact]
    public async Task ALongerLivedStepOfAChainIsReused()
    {
        await using var h = await StartAsync();
        h.Fake.ConfigureRole(RoleA, maxSessionDuration: 43200);
        var request = new IdentityRequest
        {
            StartingCredentials = h.UserKeys,
            RoleHops = new[]
            {
                new RoleHop(RoleArn.Parse(RoleA)) { DurationSeconds = 43200 },
                new RoleHop(RoleArn.Parse(RoleB)) { DurationSeconds = 900 },
            },
        };
        var source = ServedIdentity.Source(request, h.Context(), h.Environment, h.Log, new CredentialServerOptions());

        // The first hop lasts 12 hours (well past the server's margin), the second 15 minutes.
        var first = await source(CancellationToken.None);
        var second = await source(CancellationToken.None);

        Assert.NotEqual(first.AccessKeyId, second.AccessKeyId);
        Assert.Equal(new[] { RoleA, RoleB, RoleB }, h.Calls("AssumeRole").Select(c => c.Parameters["RoleArn"]));
    }

    [Fact]
    public async Task BackgroundCallsNeverPromptAndNeverReuseTheMfaCode()
    {
        await using var h = await StartAsync();
        h.Fake.SeedMfaDevice("alice", MfaSerial, MfaCode);
        h.Fake.ConfigureRole(RoleA, requireMfa: true);
        h.Fake.IssuedLifetimeOverride = TimeSpan.FromMinutes(20);
        var asked = 0;
        var request = Hops(RoleA) with
        {
            StartingCredentials = h.UserKeys,
            SerialNumber = MfaSerial,
            TokenCode = MfaCode,
            MfaCodeProvider = (_, _) => { Interlocked.Increment(ref asked); return Task.FromResult<string?>(MfaCode); },
        };
        var source = ServedIdentity.Source(request, h.Context(), h.Environment, h.Log, new CredentialServerOptions());

        await source(CancellationToken.None);
        var error = await Assert.ThrowsAsync<AwsLoginException>(() => source(CancellationToken.None));

        Assert.Equal("MfaCodeRequired", error.Code);
        Assert.Equal(0, asked);
        Assert.Single(h.Calls("AssumeRole"));
    }

    [Fact]
    public async Task BackgroundCallsReadTheEnvironmentTheyWereGiven()
    {
        await using var h = await StartAsync();
        h.WriteCredentials(h.UserKeySection("base"));
        h.Fake.IssuedLifetimeOverride = TimeSpan.FromMinutes(20);
        var snapshot = new AwsLogin.Engine.Config.DictionaryEnvironment(new[]
        {
            new System.Collections.Generic.KeyValuePair<string, string?>(AwsLogin.Engine.Config.SharedConfigFiles.ConfigFileVariable, h.ConfigPath),
            new(AwsLogin.Engine.Config.SharedConfigFiles.CredentialsFileVariable, h.CredentialsPath),
            new(EngineContext.HomeVariable, h.HomePath),
            new("AWS_ENDPOINT_URL_STS", h.Fake.Endpoint.ToString()),
            new("AWS_REGION", "us-east-1"),
        });
        var request = Hops(RoleA) with { ProfileName = "base" };
        var source = ServedIdentity.Source(request, h.Context(), snapshot, h.Log, new CredentialServerOptions());
        await source(CancellationToken.None);

        // What the server's clients see from now on must not change where the refreshes come from.
        h.Environment["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:9/";
        h.Environment[AwsLogin.Engine.Config.SharedConfigFiles.CredentialsFileVariable] = h.CredentialsPath + ".missing";
        var second = await source(CancellationToken.None);

        Assert.Equal(RoleA, h.Fake.FindIssued(second.AccessKeyId)!.RoleArn);
    }

    [Fact]
    public async Task ADefaultProfileWithCredentialsIsReported()
    {
        await using var h = await StartAsync();
        h.WriteConfig("[default]\nregion = us-east-1\n");
        Assert.Null(ServedIdentity.DefaultProfileThatWins(h.Environment));

        h.WriteCredentials(h.UserKeySection("default"));
        Assert.Equal(h.CredentialsPath, ServedIdentity.DefaultProfileThatWins(h.Environment));

        h.WriteCredentials(string.Empty);
        h.WriteConfig($"[default]\nrole_arn = {RoleA}\ncredential_source = Environment\n");
        Assert.Equal(h.ConfigPath, ServedIdentity.DefaultProfileThatWins(h.Environment));
    }
}
