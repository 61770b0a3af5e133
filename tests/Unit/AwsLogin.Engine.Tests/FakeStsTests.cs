using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using AwsLogin.TestServers;
using Xunit;

namespace AwsLogin.Engine.Tests;

/// <summary>Drives <see cref="FakeSts"/> with the real AWS SDK client, so the fake is held to the real wire protocol.</summary>
public sealed class FakeStsTests
{
    private const string RoleA = "arn:aws:iam::222222222222:role/Admin";
    private const string RoleB = "arn:aws:iam::333333333333:role/path/ReadOnly";

    internal static AmazonSecurityTokenServiceClient Client(FakeSts fake, AWSCredentials credentials) =>
        new(credentials, new AmazonSecurityTokenServiceConfig
        {
            ServiceURL = fake.Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });

    private static AmazonSecurityTokenServiceClient Client(FakeSts fake, FakeIamUser user) =>
        Client(fake, new BasicAWSCredentials(user.AccessKeyId, user.SecretAccessKey));

    private static AmazonSecurityTokenServiceClient Client(FakeSts fake, Credentials credentials) =>
        Client(fake, new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, credentials.SessionToken));

    [Fact]
    public async Task AssumeRole_IssuesTemporaryCredentialsAndRecordsTheSigner()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        FakeIamUser user = fake.SeedUser("alice");
        using AmazonSecurityTokenServiceClient sts = Client(fake, user);
        DateTime before = DateTime.UtcNow;

        AssumeRoleResponse response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "alice-session" });

        Credentials issued = response.Credentials;
        Assert.Matches("^ASIA[A-Z2-7]{16}$", issued.AccessKeyId);
        Assert.Equal(40, issued.SecretAccessKey.Length);
        Assert.True(issued.SessionToken.Length > 100);
        Assert.InRange(issued.Expiration!.Value.ToUniversalTime(), before.AddSeconds(3599), DateTime.UtcNow.AddSeconds(3601));
        Assert.Equal("arn:aws:sts::222222222222:assumed-role/Admin/alice-session", response.AssumedRoleUser.Arn);
        Assert.Matches("^AROA[A-Z2-7]{16}:alice-session$", response.AssumedRoleUser.AssumedRoleId);

        StsCall call = Assert.Single(fake.Calls);
        Assert.Equal("AssumeRole", call.Action);
        Assert.Equal(user.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal("us-east-1", call.SigningRegion);
        Assert.Equal(RoleA, call.Parameters["RoleArn"]);
        Assert.Equal(issued.AccessKeyId, call.IssuedAccessKeyId);
        Assert.Null(call.ErrorCode);

        IssuedCredential? record = fake.FindIssued(issued.AccessKeyId);
        Assert.NotNull(record);
        Assert.Equal(user.AccessKeyId, record.SignedBy);
        Assert.Equal(RoleA, record.RoleArn);
        Assert.Equal("222222222222", record.AccountId);
        Assert.Equal(issued.SessionToken, record.SessionToken);
        Assert.Equal(issued.Expiration.Value.ToUniversalTime(), record.Expiration.UtcDateTime);
        Assert.False(record.IsRoleChain);
        Assert.True(fake.IsValidSession(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken));
        Assert.False(fake.IsValidSession(issued.AccessKeyId, issued.SecretAccessKey, null));
    }

    [Fact]
    public async Task AssumeRole_ChainedHop_IsSignedByTheFirstHopKey()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        FakeIamUser user = fake.SeedUser("alice");
        using AmazonSecurityTokenServiceClient userSts = Client(fake, user);
        Credentials first = (await userSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "hop1" })).Credentials;

        using AmazonSecurityTokenServiceClient hopSts = Client(fake, first);
        AssumeRoleResponse second = await hopSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleB, RoleSessionName = "hop2", DurationSeconds = 3600 });

        Assert.Equal("arn:aws:sts::333333333333:assumed-role/ReadOnly/hop2", second.AssumedRoleUser.Arn);
        Assert.Equal(first.AccessKeyId, fake.Calls[^1].SigningAccessKeyId);
        IssuedCredential record = fake.FindIssued(second.Credentials.AccessKeyId)!;
        Assert.Equal(first.AccessKeyId, record.SignedBy);
        Assert.True(record.IsRoleChain);
    }

    [Fact]
    public async Task AssumeRole_ChainedOverOneHour_IsValidationError()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        fake.ConfigureRole(RoleB, maxSessionDuration: 43200);
        using AmazonSecurityTokenServiceClient userSts = Client(fake, fake.SeedUser("alice"));
        Credentials first = (await userSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "hop1" })).Credentials;
        using AmazonSecurityTokenServiceClient hopSts = Client(fake, first);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            hopSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleB, RoleSessionName = "hop2", DurationSeconds = 7200 }));

        AssertError(error, "ValidationError", HttpStatusCode.BadRequest);
        Assert.Contains("role chaining", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(899, "ValidationError")]
    [InlineData(43201, "ValidationError")]
    [InlineData(7200, "ValidationError")]
    [InlineData(3600, null)]
    public async Task AssumeRole_DurationMustFitTheRole(int seconds, string? expectedError)
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        using AmazonSecurityTokenServiceClient sts = Client(fake, fake.SeedUser("alice"));
        var request = new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1", DurationSeconds = seconds };

        if (expectedError is null)
        {
            await sts.AssumeRoleAsync(request);
            return;
        }

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.AssumeRoleAsync(request));
        AssertError(error, expectedError, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AssumeRole_ConfiguredMaximum_AllowsLongerSessions()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        fake.ConfigureRole(RoleA, maxSessionDuration: 43200);
        using AmazonSecurityTokenServiceClient sts = Client(fake, fake.SeedUser("alice"));

        AssumeRoleResponse response = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1", DurationSeconds = 43200 });

        Assert.True(response.Credentials.Expiration!.Value.ToUniversalTime() > DateTime.UtcNow.AddHours(11.9));
    }

    [Fact]
    public async Task AssumeRole_ExternalIdAndMfa_AreEnforced()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        FakeIamUser user = fake.SeedUser("alice");
        const string Serial = "arn:aws:iam::111111111111:mfa/alice";
        fake.SeedMfaDevice("alice", Serial, "123456");
        fake.ConfigureRole(RoleA, externalId: "ext-123", requireMfa: true);
        using AmazonSecurityTokenServiceClient sts = Client(fake, user);

        var noExternalId = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1", SerialNumber = Serial, TokenCode = "123456" }));
        var noMfa = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1", ExternalId = "ext-123" }));
        var wrongCode = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1", ExternalId = "ext-123", SerialNumber = Serial, TokenCode = "654321" }));
        await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1", ExternalId = "ext-123", SerialNumber = Serial, TokenCode = "123456" });

        AssertError(noExternalId, "AccessDenied", HttpStatusCode.Forbidden);
        AssertError(noMfa, "AccessDenied", HttpStatusCode.Forbidden);
        AssertError(wrongCode, "AccessDenied", HttpStatusCode.Forbidden);
        Assert.Contains("MultiFactorAuthentication failed", wrongCode.Message, StringComparison.Ordinal);
        Assert.Equal("123456", fake.Calls[^1].Parameters["TokenCode"]);
    }

    [Fact]
    public async Task AssumeRole_UntrustedPrincipal_IsAccessDenied()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        FakeIamUser alice = fake.SeedUser("alice");
        FakeIamUser bob = fake.SeedUser("bob");
        fake.ConfigureRole(RoleA, trustedPrincipalArns: [alice.Arn]);
        using AmazonSecurityTokenServiceClient bobSts = Client(fake, bob);
        using AmazonSecurityTokenServiceClient aliceSts = Client(fake, alice);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            bobSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1" }));
        await aliceSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1" });

        AssertError(error, "AccessDenied", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task AssumeRole_InvalidParameters_AreValidationErrors()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        using AmazonSecurityTokenServiceClient sts = Client(fake, fake.SeedUser("alice"));
        string spacedName = "has space"; // a variable, past the SDK's compile-time pattern analyzer

        var badArn = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = "arn:aws:iam::12:role/Nope", RoleSessionName = "s1" }));
        var badName = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = spacedName }));
        var badPolicy = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1", Policy = "{not json" }));

        AssertError(badArn, "ValidationError", HttpStatusCode.BadRequest);
        AssertError(badName, "ValidationError", HttpStatusCode.BadRequest);
        AssertError(badPolicy, "MalformedPolicyDocument", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WrongSecret_IsSignatureDoesNotMatch()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        FakeIamUser user = fake.SeedUser("alice");
        using AmazonSecurityTokenServiceClient sts = Client(fake, new BasicAWSCredentials(user.AccessKeyId, new string('x', 40)));

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        AssertError(error, "SignatureDoesNotMatch", HttpStatusCode.Forbidden);
        Assert.Equal("SignatureDoesNotMatch", Assert.Single(fake.Calls).ErrorCode);
    }

    [Fact]
    public async Task UnknownKey_IsInvalidClientTokenId()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        using AmazonSecurityTokenServiceClient sts = Client(fake, new BasicAWSCredentials("AKIAAAAAAAAAAAAAAAAA", new string('x', 40)));

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        AssertError(error, "InvalidClientTokenId", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TemporaryKeyWithWrongToken_IsInvalidClientTokenId()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        IssuedCredential seeded = fake.SeedTemporaryKey(RoleA);
        using AmazonSecurityTokenServiceClient sts = Client(fake, new SessionAWSCredentials(seeded.AccessKeyId, seeded.SecretAccessKey, "bm90LXRoZS10b2tlbg=="));
        using AmazonSecurityTokenServiceClient noToken = Client(fake, new BasicAWSCredentials(seeded.AccessKeyId, seeded.SecretAccessKey));

        var wrongToken = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        var missingToken = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => noToken.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        AssertError(wrongToken, "InvalidClientTokenId", HttpStatusCode.Forbidden);
        AssertError(missingToken, "InvalidClientTokenId", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ExpiredIssuedKey_IsExpiredToken()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        using AmazonSecurityTokenServiceClient userSts = Client(fake, fake.SeedUser("alice"));
        Credentials issued = (await userSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1" })).Credentials;
        IssuedCredential seededExpired = fake.SeedTemporaryKey(RoleB, expiration: DateTimeOffset.UtcNow.AddMinutes(-5));
        fake.ExpireCredential(issued.AccessKeyId);
        using AmazonSecurityTokenServiceClient issuedSts = Client(fake, issued);
        using AmazonSecurityTokenServiceClient seededSts = Client(fake, new SessionAWSCredentials(seededExpired.AccessKeyId, seededExpired.SecretAccessKey, seededExpired.SessionToken));

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => issuedSts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        var seededError = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => seededSts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        AssertError(error, "ExpiredToken", HttpStatusCode.Forbidden);
        AssertError(seededError, "ExpiredToken", HttpStatusCode.Forbidden);
        Assert.False(fake.IsValidSession(issued.AccessKeyId, issued.SecretAccessKey, issued.SessionToken));
    }

    [Fact]
    public async Task IssuedLifetimeOverride_ShortensTheCredentialsAndTheReportedExpiration()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        fake.IssuedLifetimeOverride = TimeSpan.FromSeconds(2);
        using AmazonSecurityTokenServiceClient userSts = Client(fake, fake.SeedUser("alice"));

        Credentials issued = (await userSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1", DurationSeconds = 900 })).Credentials;

        Assert.True(issued.Expiration!.Value.ToUniversalTime() <= DateTime.UtcNow.AddSeconds(3));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using AmazonSecurityTokenServiceClient issuedSts = Client(fake, issued);
        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => issuedSts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        AssertError(error, "ExpiredToken", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task GetCallerIdentity_NamesTheSigner()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        FakeIamUser user = fake.SeedUser("alice", "444444444444");
        using AmazonSecurityTokenServiceClient userSts = Client(fake, user);

        GetCallerIdentityResponse asUser = await userSts.GetCallerIdentityAsync(new GetCallerIdentityRequest());
        AssumeRoleResponse assumed = await userSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1" });
        using AmazonSecurityTokenServiceClient roleSts = Client(fake, assumed.Credentials);
        GetCallerIdentityResponse asRole = await roleSts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal("arn:aws:iam::444444444444:user/alice", asUser.Arn);
        Assert.Equal("444444444444", asUser.Account);
        Assert.Equal(user.UserId, asUser.UserId);
        Assert.StartsWith("AIDA", asUser.UserId, StringComparison.Ordinal);
        Assert.Equal(assumed.AssumedRoleUser.Arn, asRole.Arn);
        Assert.Equal(assumed.AssumedRoleUser.AssumedRoleId, asRole.UserId);
        Assert.Equal("222222222222", asRole.Account);
    }

    [Fact]
    public async Task GetSessionToken_ChecksTheMfaCode()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        FakeIamUser user = fake.SeedUser("alice");
        const string Serial = "arn:aws:iam::111111111111:mfa/alice";
        fake.SeedMfaDevice("alice", Serial, "123456");
        using AmazonSecurityTokenServiceClient sts = Client(fake, user);

        var wrongCode = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = Serial, TokenCode = "000000" }));
        var unknownDevice = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = "arn:aws:iam::111111111111:mfa/other", TokenCode = "123456" }));
        GetSessionTokenResponse response = await sts.GetSessionTokenAsync(new GetSessionTokenRequest { SerialNumber = Serial, TokenCode = "123456", DurationSeconds = 3600 });

        AssertError(wrongCode, "AccessDenied", HttpStatusCode.Forbidden);
        Assert.Contains("MultiFactorAuthentication failed with invalid MFA one time pass code", wrongCode.Message, StringComparison.Ordinal);
        AssertError(unknownDevice, "AccessDenied", HttpStatusCode.Forbidden);
        IssuedCredential record = fake.FindIssued(response.Credentials.AccessKeyId)!;
        Assert.Equal(user.Arn, record.Arn);
        Assert.Equal("GetSessionToken", record.Action);

        // An MFA session satisfies a role that requires MFA without another code.
        fake.ConfigureRole(RoleA, requireMfa: true);
        using AmazonSecurityTokenServiceClient mfaSts = Client(fake, response.Credentials);
        await mfaSts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1" });
    }

    [Fact]
    public async Task GetSessionToken_DefaultsToTwelveHoursAndRefusesSessionCredentials()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        using AmazonSecurityTokenServiceClient sts = Client(fake, fake.SeedUser("alice"));

        Credentials session = (await sts.GetSessionTokenAsync(new GetSessionTokenRequest())).Credentials;
        using AmazonSecurityTokenServiceClient sessionSts = Client(fake, session);
        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sessionSts.GetSessionTokenAsync(new GetSessionTokenRequest()));

        Assert.InRange(session.Expiration!.Value.ToUniversalTime(), DateTime.UtcNow.AddHours(11.9), DateTime.UtcNow.AddHours(12.1));
        AssertError(error, "AccessDenied", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task GetFederationToken_WorksOnlyWithLongTermKeysAndItsSessionOnlyAsksWhoItIs()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        FakeIamUser user = fake.SeedUser("alice", "555555555555");
        using AmazonSecurityTokenServiceClient sts = Client(fake, user);

        GetFederationTokenResponse federated = await sts.GetFederationTokenAsync(new GetFederationTokenRequest
        {
            Name = "console",
            Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""",
        });
        using AmazonSecurityTokenServiceClient temporary = Client(fake, federated.Credentials);
        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            temporary.GetFederationTokenAsync(new GetFederationTokenRequest { Name = "again" }));
        var assumeError = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() =>
            temporary.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = RoleA, RoleSessionName = "s1" }));
        GetCallerIdentityResponse identity = await temporary.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.Equal("arn:aws:sts::555555555555:federated-user/console", federated.FederatedUser.Arn);
        Assert.Equal("555555555555:console", federated.FederatedUser.FederatedUserId);
        Assert.InRange(federated.Credentials.Expiration!.Value.ToUniversalTime(), DateTime.UtcNow.AddHours(11.9), DateTime.UtcNow.AddHours(12.1));
        AssertError(error, "AccessDenied", HttpStatusCode.Forbidden);
        AssertError(assumeError, "AccessDenied", HttpStatusCode.Forbidden);
        Assert.Equal(federated.FederatedUser.Arn, identity.Arn);
    }

    [Fact]
    public async Task InjectedError_IsReturnedTheGivenNumberOfTimes()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        using AmazonSecurityTokenServiceClient sts = Client(fake, fake.SeedUser("alice"));
        fake.InjectError("GetCallerIdentity", "Throttling", 400, times: 2, message: "Rate exceeded");

        var first = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        var second = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        AssertError(first, "Throttling", HttpStatusCode.BadRequest);
        Assert.Equal("Rate exceeded", first.Message);
        Assert.Equal(ErrorType.Sender, first.ErrorType);
        AssertError(second, "Throttling", HttpStatusCode.BadRequest);
        Assert.Equal(3, fake.CountCalls("GetCallerIdentity"));
        Assert.Equal(["Throttling", "Throttling", null], fake.Calls.Select(call => call.ErrorCode));
    }

    [Fact]
    public async Task InjectedServerError_IsAReceiverFault()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        using AmazonSecurityTokenServiceClient sts = Client(fake, fake.SeedUser("alice"));
        fake.InjectError("*", "InternalFailure", 500);

        var error = await Assert.ThrowsAnyAsync<AmazonSecurityTokenServiceException>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));

        AssertError(error, "InternalFailure", HttpStatusCode.InternalServerError);
        Assert.Equal(ErrorType.Receiver, error.ErrorType);
    }

    [Fact]
    public async Task Latency_DelaysEveryResponse()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        using AmazonSecurityTokenServiceClient sts = Client(fake, fake.SeedUser("alice"));
        fake.Latency = TimeSpan.FromMilliseconds(400);

        var watch = Stopwatch.StartNew();
        await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"Answered after {watch.Elapsed}.");
    }

    [Fact]
    public async Task StoppedFake_RefusesConnections()
    {
        FakeSts fake = await FakeSts.StartAsync();
        using AmazonSecurityTokenServiceClient sts = Client(fake, fake.SeedUser("alice"));
        await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest());

        fake.Stop();

        Exception error = await Assert.ThrowsAnyAsync<Exception>(() => sts.GetCallerIdentityAsync(new GetCallerIdentityRequest()));
        SocketException socket = Assert.IsType<SocketException>(Flatten(error).OfType<SocketException>().FirstOrDefault());
        Assert.Equal(SocketError.ConnectionRefused, socket.SocketErrorCode);
        await fake.DisposeAsync();
    }

    [Fact]
    public async Task WireFormat_IsTheStsQueryProtocol()
    {
        await using FakeSts fake = await FakeSts.StartAsync();
        using var http = new HttpClient();
        XNamespace ns = "https://sts.amazonaws.com/doc/2011-06-15/";

        using HttpResponseMessage unsigned = await http.PostAsync(fake.Endpoint, new FormUrlEncodedContent(
            [new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]));
        using HttpResponseMessage unknown = await http.PostAsync(fake.Endpoint, new FormUrlEncodedContent(
            [new("Action", "GetWhatever"), new("Version", "2011-06-15")]));

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal("text/xml", unsigned.Content.Headers.ContentType?.MediaType);
        Assert.True(unsigned.Headers.Contains("x-amzn-RequestId"));
        XElement error = XElement.Parse(await unsigned.Content.ReadAsStringAsync());
        Assert.Equal(ns + "ErrorResponse", error.Name);
        Assert.Equal("Sender", error.Element(ns + "Error")?.Element(ns + "Type")?.Value);
        Assert.Equal("MissingAuthenticationToken", error.Element(ns + "Error")?.Element(ns + "Code")?.Value);
        Assert.False(string.IsNullOrEmpty(error.Element(ns + "RequestId")?.Value));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("<Code>InvalidAction</Code>", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static void AssertError(AmazonServiceException error, string code, HttpStatusCode status)
    {
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(status, error.StatusCode);
    }

    private static System.Collections.Generic.IEnumerable<Exception> Flatten(Exception error)
    {
        for (Exception? current = error; current is not null; current = current.InnerException)
        {
            yield return current;
        }
    }
}
