using System;

namespace AwsLogin.Engine.Output;

/// <summary>Limits and timing of a <see cref="CredentialServer"/>; the defaults suit the AWS SDKs and the AWS CLI.</summary>
public sealed class CredentialServerOptions
{
    /// <summary>
    /// The longest time before expiry at which served credentials are replaced. The margin used is the smaller of
    /// this and half the credentials' lifetime (see <see cref="CredentialServer.RefreshMarginFor"/>). 20 minutes
    /// keeps served credentials outside the 15-minute window in which the AWS SDKs and the AWS CLI ask again.
    /// </summary>
    public TimeSpan MaximumRefreshMargin { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>
    /// The Expiration shown for long-term keys, which never expire but which the container contract must give a
    /// time for; every response shows now + this.
    /// </summary>
    public TimeSpan LongTermKeyLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a client has to send its request head, and how long a request waits for a refresh.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest request head (request line and header fields) accepted, in bytes.</summary>
    public int MaxRequestHeadBytes { get; init; } = 8 * 1024;

    /// <summary>Connections handled at once; more are closed at once.</summary>
    public int MaxConnections { get; init; } = 32;

    /// <summary>The first wait after a failed refresh; it doubles with each failure up to <see cref="MaximumRetryDelay"/>.</summary>
    public TimeSpan MinimumRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between refresh attempts after failures.</summary>
    public TimeSpan MaximumRetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>What the credentials are, for log messages ("role arn:aws:iam::...").</summary>
    public string? Description { get; init; }

    /// <summary>The current UTC time; replaceable in tests.</summary>
    public Func<DateTime> UtcNow { get; init; } = () => DateTime.UtcNow;
}
