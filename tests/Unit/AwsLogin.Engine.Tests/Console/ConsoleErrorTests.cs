using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Console;
using AwsLogin.Engine.Sts;
using AwsLogin.TestServers;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Console;

/// <summary>Failures of the federation endpoint become specific codes, and no secret reaches an exception or the log.</summary>
public sealed class ConsoleErrorTests
{
    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    public async Task A_refusal_of_getSigninToken_is_SigninTokenRejected(int status)
    {
        await using var h = await ConsoleHarness.StartAsync();
        h.SignIn.InjectResponse("getSigninToken", status, "<html>Invalid credentials parameter</html>");

        var exception = await h.FailAsync(() => h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }));

        Assert.Equal(("SigninTokenRejected", FailureKind.AccessDenied), (exception.Code, exception.Kind));
        Assert.StartsWith("arn:aws:sts::222222222222:assumed-role/Admin/", exception.Target, StringComparison.Ordinal);
        h.AssertLogClean();
    }

    [Fact]
    public async Task Expired_credentials_are_rejected_by_the_endpoint()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var role = await h.Sts.GetAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys });
        h.Fake.ExpireCredential(role.AccessKeyId);

        var exception = await h.FailAsync(() => h.Console().CreateAsync(role, new ConsoleOptions(), CancellationToken.None));

        Assert.Equal("SigninTokenRejected", exception.Code);
        Assert.Equal(400, h.SignIn.Calls.Single().HttpStatus);
    }

    [Fact]
    public async Task Credentials_the_fake_sts_never_issued_are_rejected()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var forged = new CredentialSet("ASIAFORGEDFORGED1234", "forged-secret", "forged-token") { Arn = "arn:aws:sts::222222222222:assumed-role/RoleA/x", Origin = CredentialOrigin.AssumedRole };

        var exception = await h.FailAsync(() => h.Console().CreateAsync(forged, new ConsoleOptions(), CancellationToken.None));

        Assert.Equal("SigninTokenRejected", exception.Code);
        Assert.DoesNotContain("forged-secret", exception.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, "")]
    [InlineData(503, "busy")]
    [InlineData(200, "<html>not json</html>")]
    [InlineData(200, "{\"Token\":\"x\"}")]
    [InlineData(200, "{\"SigninToken\":\"\"}")]
    [InlineData(302, "")]
    public async Task A_failure_or_a_strange_answer_is_SignInServiceError(int status, string body)
    {
        await using var h = await ConsoleHarness.StartAsync();
        h.SignIn.InjectResponse("getSigninToken", status, body);

        var exception = await h.FailAsync(() => h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }));

        Assert.Equal(("SignInServiceError", FailureKind.ServiceError), (exception.Code, exception.Kind));
    }

    [Fact]
    public async Task A_stopped_endpoint_is_EndpointUnreachable()
    {
        await using var h = await ConsoleHarness.StartAsync();
        await h.SignIn.StopAsync();

        var exception = await h.FailAsync(() => h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }));

        Assert.Equal(("EndpointUnreachable", FailureKind.EndpointUnreachable), (exception.Code, exception.Kind));
        Assert.Contains(h.SignIn.Endpoint.Authority, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slow_endpoint_times_out_as_EndpointUnreachable()
    {
        await using var h = await ConsoleHarness.StartAsync();
        h.SignIn.Latency = TimeSpan.FromSeconds(5);

        var exception = await h.FailAsync(() => h.CreateAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions { Timeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal("EndpointUnreachable", exception.Code);
    }

    [Fact]
    public async Task Cancellation_stops_the_call()
    {
        await using var h = await ConsoleHarness.StartAsync();
        h.SignIn.Latency = TimeSpan.FromSeconds(10);
        var console = h.Console();
        var plan = console.Plan(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys }, new ConsoleOptions());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => console.CreateAsync(plan, cancel.Token));
    }

    [Fact]
    public async Task The_http_handler_is_injectable_and_gets_the_session_as_url_encoded_json()
    {
        await using var h = await ConsoleHarness.StartAsync();
        var role = await h.Sts.GetAsync(Hops(RoleA) with { StartingCredentials = h.Sts.UserKeys });
        var handler = new RecordingHandler();

        await h.Console(handler).CreateAsync(role, new ConsoleOptions { SessionDurationSeconds = 1800 }, CancellationToken.None);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal(h.SignIn.Endpoint + "federation", request.RequestUri!.GetLeftPart(UriPartial.Path));
        var query = ConsoleHarness.QueryOf(request.RequestUri.AbsoluteUri);
        Assert.Equal(("getSigninToken", "1800"), (query["Action"], query["SessionDuration"]));
        using var session = System.Text.Json.JsonDocument.Parse(query["Session"]);
        Assert.Equal(role.AccessKeyId, session.RootElement.GetProperty("sessionId").GetString());
        Assert.Equal(role.SecretAccessKey, session.RootElement.GetProperty("sessionKey").GetString());
        Assert.Equal(role.SessionToken, session.RootElement.GetProperty("sessionToken").GetString());
        Assert.DoesNotContain("\\u002B", query["Session"], StringComparison.Ordinal);
        Assert.DoesNotContain("+", request.RequestUri.Query, StringComparison.Ordinal);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public System.Collections.Generic.List<HttpRequestMessage> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("{\"SigninToken\":\"recorded-token\"}") });
        }
    }
}
