using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Console;
using AwsLogin.Engine.Sts;
using AwsLogin.Engine.Tests.Sts;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests.Console;

/// <summary>A <see cref="BrokerHarness"/> (fake STS, private config) plus a fake sign-in endpoint that AWS_ENDPOINT_URL_SIGNIN points at.</summary>
internal sealed class ConsoleHarness : IAsyncDisposable
{
    private ConsoleHarness(BrokerHarness sts, FakeSignIn signIn)
    {
        Sts = sts;
        SignIn = signIn;
        sts.Environment[SignInEndpoint.EnvironmentVariable] = signIn.Endpoint.ToString();
    }

    public BrokerHarness Sts { get; }

    public FakeSignIn SignIn { get; }

    public FakeSts Fake => Sts.Fake;

    public static async Task<ConsoleHarness> StartAsync()
    {
        var sts = await BrokerHarness.StartAsync();
        var signIn = await FakeSignIn.StartAsync(sts.Fake);
        return new ConsoleHarness(sts, signIn);
    }

    public ConsoleSignIn Console(HttpMessageHandler? handler = null) => new(Sts.Context(), handler);

    /// <summary>Plans and creates the URL, as Open-AwsConsole does.</summary>
    public Task<ConsoleSignInUrl> CreateAsync(IdentityRequest identity, ConsoleOptions? options = null)
    {
        var console = Console();
        var plan = console.Plan(identity, options ?? new ConsoleOptions());
        return console.CreateAsync(plan, CancellationToken.None);
    }

    public async Task<AwsLoginException> FailAsync(Func<Task> action)
    {
        var exception = await Assert.ThrowsAsync<AwsLoginException>(action);
        Sts.AssertNoSecrets(exception);
        return exception;
    }

    /// <summary>Follows a sign-in URL as a browser would (sign-out, then login) and returns where the login redirected.</summary>
    public static async Task<Uri> FollowAsync(string url)
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var next = new Uri(url);
        for (var hop = 0; hop < 3; hop++)
        {
            using var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            var location = response.Headers.Location!;
            if (!location.IsLoopback)
            {
                return location;
            }

            next = location;
        }

        throw new Xunit.Sdk.XunitException("The sign-in URL redirected in a loop.");
    }

    /// <summary>The login URL inside a sign-out URL (redirect_uri), or the URL itself.</summary>
    public static string LoginUrlOf(string url)
    {
        return QueryOf(url).TryGetValue("redirect_uri", out var redirect) ? redirect : url;
    }

    public static Dictionary<string, string> QueryOf(string url)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query);
        return query.AllKeys.ToDictionary(key => key!, key => query[key]!, StringComparer.Ordinal);
    }

    /// <summary>Everything that must never show: the test world's secrets, and the sign-in URL and token.</summary>
    public IEnumerable<string> Secrets(ConsoleSignInUrl? url = null)
    {
        foreach (var secret in Sts.Secrets())
        {
            yield return secret;
        }

        if (url is not null)
        {
            yield return url.Url;
            yield return QueryOf(LoginUrlOf(url.Url))["SigninToken"];
        }
    }

    public void AssertLogClean(ConsoleSignInUrl? url = null)
    {
        foreach (var secret in Secrets(url))
        {
            Assert.All(Sts.Log.Messages, message => Assert.DoesNotContain(secret, message, StringComparison.Ordinal));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await SignIn.DisposeAsync();
        await Sts.DisposeAsync();
    }
}

/// <summary>The real clock moved by <see cref="Offset"/>.</summary>
internal sealed class ShiftedClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
