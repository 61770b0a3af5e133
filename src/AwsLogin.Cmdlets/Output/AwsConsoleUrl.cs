using System;

namespace AwsLogin;

/// <summary>
/// An AWS console sign-in URL from Open-AwsConsole -PassThru. <see cref="Url"/> signs anyone who opens it in as
/// the identity until <see cref="Expiration"/>, so it is a secret: ToString and the default views never show it.
/// </summary>
public sealed class AwsConsoleUrl
{
    internal AwsConsoleUrl(string url, string destination, string region, string partition, bool signsOutFirst, DateTime expiration, DateTime? sessionExpiration, string? arn, string? accountId, string source)
    {
        Url = url;
        Destination = destination;
        Region = region;
        Partition = partition;
        SignsOutFirst = signsOutFirst;
        Expiration = expiration;
        SessionExpiration = sessionExpiration;
        Arn = arn;
        AccountId = accountId;
        Source = source;
    }

    /// <summary>The URL to open in a browser: the console sign-out that continues to the sign-in, or the sign-in itself. Secret.</summary>
    public string Url { get; }

    /// <summary>The console page the sign-in leads to.</summary>
    public string Destination { get; }

    /// <summary>The console region.</summary>
    public string Region { get; }

    /// <summary>The AWS partition: aws, aws-us-gov or aws-cn.</summary>
    public string Partition { get; }

    /// <summary>True when the URL first signs the browser out of its current console session.</summary>
    public bool SignsOutFirst { get; }

    /// <summary>When the URL stops working (UTC): AWS accepts its sign-in token for 15 minutes.</summary>
    public DateTime Expiration { get; }

    /// <summary>When the credentials behind the console session expire (UTC), when known.</summary>
    public DateTime? SessionExpiration { get; }

    /// <summary>The identity the console signs in as (an assumed-role or federated-user ARN), when known.</summary>
    public string? Arn { get; }

    /// <summary>The 12-digit account id, when known.</summary>
    public string? AccountId { get; }

    /// <summary>Where the credentials came from.</summary>
    public string Source { get; }

    public override string ToString() => $"Console sign-in URL ******** for {Arn ?? Source} to {Destination}";
}
