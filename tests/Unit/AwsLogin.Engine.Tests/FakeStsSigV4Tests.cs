using System;
using AwsLogin.TestServers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Xunit;

namespace AwsLogin.Engine.Tests;

/// <summary><see cref="SigV4Verifier"/> against the worked example of the AWS SigV4 documentation (IAM ListUsers).</summary>
public sealed class FakeStsSigV4Tests
{
    private const string AccessKeyId = "AKIDEXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string Signature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
    private static readonly DateTimeOffset s_signedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Fact]
    public void DocumentedExample_IsValid()
    {
        SigV4Result result = Verifier().Verify(Request(), [], s_signedAt.AddMinutes(3));

        Assert.Equal(SigV4Outcome.Valid, result.Outcome);
        Assert.Equal(AccessKeyId, result.AccessKeyId);
        Assert.Equal("us-east-1", result.Region);
    }

    [Fact]
    public void ChangedQuery_IsSignatureMismatch()
    {
        Assert.Equal(SigV4Outcome.SignatureMismatch,
            Verifier().Verify(Request(target: "/?Action=ListUsers&Version=2010-05-09"), [], s_signedAt).Outcome);
    }

    [Fact]
    public void ChangedBody_IsSignatureMismatch()
    {
        Assert.Equal(SigV4Outcome.SignatureMismatch, Verifier().Verify(Request(), "Action=DeleteUser"u8, s_signedAt).Outcome);
    }

    [Fact]
    public void OtherRegion_IsSignatureMismatch()
    {
        var verifier = new SigV4Verifier("iam", FindSecret) { Region = "eu-west-1" };

        Assert.Equal(SigV4Outcome.SignatureMismatch, verifier.Verify(Request(), [], s_signedAt).Outcome);
    }

    [Fact]
    public void StaleRequest_IsSignatureMismatch()
    {
        Assert.Equal(SigV4Outcome.SignatureMismatch, Verifier().Verify(Request(), [], s_signedAt.AddMinutes(16)).Outcome);
    }

    [Fact]
    public void UnknownKeyAndMissingOrMalformedHeaders_AreTold()
    {
        var noKeys = new SigV4Verifier("iam", _ => null);
        HttpRequest unsigned = Request();
        unsigned.Headers.Authorization = string.Empty;
        HttpRequest malformed = Request();
        malformed.Headers.Authorization = $"AWS4-HMAC-SHA256 Credential={AccessKeyId}/20150830/us-east-1/iam/aws4_request, Signature={Signature}";

        Assert.Equal(SigV4Outcome.UnknownKey, noKeys.Verify(Request(), [], s_signedAt).Outcome);
        Assert.Equal(SigV4Outcome.Missing, Verifier().Verify(unsigned, [], s_signedAt).Outcome);
        Assert.Equal(SigV4Outcome.Malformed, Verifier().Verify(malformed, [], s_signedAt).Outcome);
        Assert.Equal((AccessKeyId, "us-east-1"), SigV4Verifier.ReadCredentialScope(Request()));
    }

    private static SigV4Verifier Verifier() => new("iam", FindSecret) { Region = "us-east-1" };

    private static string? FindSecret(string accessKeyId) => accessKeyId == AccessKeyId ? Secret : null;

    private static HttpRequest Request(string target = "/?Action=ListUsers&Version=2010-05-08")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        context.Request.Headers.Host = "iam.amazonaws.com";
        context.Request.Headers.ContentType = "application/x-www-form-urlencoded; charset=utf-8";
        context.Request.Headers["X-Amz-Date"] = "20150830T123600Z";
        context.Request.Headers.Authorization =
            $"AWS4-HMAC-SHA256 Credential={AccessKeyId}/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature={Signature}";
        return context.Request;
    }
}
