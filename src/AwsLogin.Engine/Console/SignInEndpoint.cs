using System;
using System.Net;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Console;

/// <summary>
/// The AWS federation sign-in service: getSigninToken and login under /federation, the console sign-out under
/// /oauth. The partition decides the host; AWS_ENDPOINT_URL_SIGNIN or an explicit URL overrides it.
/// </summary>
public sealed class SignInEndpoint
{
    /// <summary>The environment variable that overrides the sign-in endpoint, in the style of AWS_ENDPOINT_URL_&lt;SERVICE&gt;.</summary>
    public const string EnvironmentVariable = "AWS_ENDPOINT_URL_SIGNIN";

    // AWS's sign-out honours redirect_uri only on the us-east-1 regional sign-in host (the global host and other
    // regions end on the aws.amazon.com page); aws-vault, Leapp and Janus sign out through it for that reason. It
    // serves getSigninToken and login too, so one host carries the whole flow.
    private const string AwsSignOutHost = "us-east-1.signin.aws.amazon.com";

    private SignInEndpoint(Uri baseUri, bool canSignOut, bool isOverride)
    {
        BaseUri = baseUri;
        CanSignOut = canSignOut;
        IsOverride = isOverride;
    }

    /// <summary>The root of the service, with a trailing slash.</summary>
    public Uri BaseUri { get; }

    /// <summary>getSigninToken and login.</summary>
    public Uri Federation => new(BaseUri, "federation");

    /// <summary>The console sign-out (Action=logout).</summary>
    public Uri OAuth => new(BaseUri, "oauth");

    /// <summary>
    /// True where the console sign-out can redirect to the new sign-in: the aws partition, and any overriding
    /// endpoint (which stands in for it). AWS documents no redirecting sign-out for aws-us-gov and aws-cn.
    /// </summary>
    public bool CanSignOut { get; }

    /// <summary>True when the URL came from a parameter or AWS_ENDPOINT_URL_SIGNIN.</summary>
    public bool IsOverride { get; }

    /// <summary>For messages (no secret is ever part of it).</summary>
    public string Description => Federation.GetLeftPart(UriPartial.Path);

    /// <summary>
    /// The endpoint for <paramref name="partition"/>: <paramref name="overrideUrl"/>, else AWS_ENDPOINT_URL_SIGNIN,
    /// else the partition's sign-in host (the us-east-1 host in aws when signing out first).
    /// </summary>
    public static SignInEndpoint Resolve(AwsPartition partition, bool signOutFirst, string? overrideUrl, IEnvironmentReader environment)
    {
        if (!string.IsNullOrWhiteSpace(overrideUrl))
        {
            return FromOverride(overrideUrl!, "-SignInEndpoint", FailureKind.InvalidArgument);
        }

        var configured = environment.Get(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return FromOverride(configured!, EnvironmentVariable, FailureKind.InvalidConfiguration);
        }

        if (partition == AwsPartition.Aws)
        {
            return new SignInEndpoint(new Uri("https://" + (signOutFirst ? AwsSignOutHost : partition.SignInHost) + "/"), canSignOut: true, isOverride: false);
        }

        return new SignInEndpoint(new Uri("https://" + partition.SignInHost + "/"), canSignOut: false, isOverride: false);
    }

    // The endpoint receives the session's secret key: plain http is allowed only to this machine (test fakes).
    private static SignInEndpoint FromOverride(string text, string source, FailureKind kind)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && IsLoopback(uri)))
            || uri.UserInfo.Length > 0
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0)
        {
            throw new AwsLoginException(
                kind,
                "InvalidSignInEndpoint",
                $"The sign-in endpoint from {source} is not usable: '{text}'. It must be an https URL (http only for localhost) without query or fragment.",
                source,
                $"Correct {source}, for example https://signin.aws.amazon.com.");
        }

        var root = uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
        return new SignInEndpoint(root, canSignOut: true, isOverride: true);
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
