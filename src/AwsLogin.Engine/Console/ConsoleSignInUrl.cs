using System;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Console;

/// <summary>
/// A console sign-in URL. <see cref="Url"/> holds a sign-in token that signs anyone who has it in as the
/// identity, so it is a secret: <see cref="ToString"/> never shows it.
/// </summary>
public sealed class ConsoleSignInUrl
{
    internal ConsoleSignInUrl(string url, Uri destination, AwsPartition partition, string region, bool signsOutFirst, DateTime expiration, CredentialSet credentials)
    {
        Url = url;
        Destination = destination;
        Partition = partition;
        Region = region;
        SignsOutFirst = signsOutFirst;
        Expiration = expiration;
        SessionExpiration = credentials.Expiration;
        Arn = credentials.Arn;
        AccountId = credentials.AccountId ?? StsService.AccountFromArn(credentials.Arn);
        Source = credentials.Source;
    }

    /// <summary>The URL to open: the console sign-out that redirects to the sign-in, or the sign-in itself. Secret.</summary>
    public string Url { get; }

    /// <summary>The console page the sign-in leads to.</summary>
    public Uri Destination { get; }

    public AwsPartition Partition { get; }

    /// <summary>The console region.</summary>
    public string Region { get; }

    /// <summary>True when <see cref="Url"/> signs the browser out of its current console session first.</summary>
    public bool SignsOutFirst { get; }

    /// <summary>When the sign-in token stops working (UTC): AWS accepts it for 15 minutes.</summary>
    public DateTime Expiration { get; }

    /// <summary>When the credentials behind the console session expire (UTC), when known.</summary>
    public DateTime? SessionExpiration { get; }

    /// <summary>The identity the console signs in as, when known.</summary>
    public string? Arn { get; }

    public string? AccountId { get; }

    /// <summary>Where the credentials came from.</summary>
    public string Source { get; }

    public override string ToString() => $"Console sign-in URL {Mask.Hidden} for {Arn ?? Source} to {Destination.GetLeftPart(UriPartial.Path)}";
}
