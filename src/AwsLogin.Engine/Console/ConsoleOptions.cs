using System;

namespace AwsLogin.Engine.Console;

/// <summary>Where the console opens and how the sign-in is made; everything is optional.</summary>
public sealed record ConsoleOptions
{
    /// <summary>AWS allows console sessions of 900 to 43200 seconds.</summary>
    public const int MinSessionDuration = 900;

    /// <summary>The longest console session AWS allows (12 hours).</summary>
    public const int MaxSessionDuration = 43200;

    /// <summary>The console of one service, as in its URL path: ec2, s3, cloudwatch, iam ... Null opens the console home.</summary>
    public string? Service { get; init; }

    /// <summary>The console region; else the credentials' region, else the partition's default region.</summary>
    public string? Region { get; init; }

    /// <summary>A full console URL to open instead of <see cref="Service"/>; it must be https on a console host of the partition.</summary>
    public string? Destination { get; init; }

    /// <summary>The console session length (SessionDuration of getSigninToken); AWS refuses it for role chains and federation tokens.</summary>
    public int? SessionDurationSeconds { get; init; }

    /// <summary>
    /// Sign the browser out of its console session first, where AWS's sign-out can redirect to the new sign-in. Off by
    /// default: with the console's multi-session support turned on, that sign-out answers 400 instead of redirecting.
    /// </summary>
    public bool SignOutFirst { get; init; }

    /// <summary>The federation sign-in endpoint to use instead of the partition's (and of AWS_ENDPOINT_URL_SIGNIN).</summary>
    public string? SignInEndpoint { get; init; }

    /// <summary>How long to wait for the sign-in endpoint.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}
