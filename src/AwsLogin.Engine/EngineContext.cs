using System;
using System.IO;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine;

/// <summary>
/// What every engine operation needs from its surroundings: environment variables, the log, the cache folder
/// and the clock. Cmdlets build one per call; tests build one with a dictionary environment.
/// </summary>
public sealed class EngineContext
{
    /// <summary>Overrides the module's own data folder (cache, IdP sessions).</summary>
    public const string HomeVariable = "AWSLOGIN_HOME";

    /// <summary>Overrides the refresh margin, in seconds.</summary>
    public const string RefreshMarginVariable = "AWSLOGIN_REFRESH_MARGIN_SECONDS";

    /// <summary>Cached credentials with less than this left are refreshed (botocore's advisory window).</summary>
    public static readonly TimeSpan DefaultRefreshMargin = TimeSpan.FromMinutes(15);

    public EngineContext(IEnvironmentReader environment, IEngineLog log)
    {
        Environment = environment;
        Log = log;
        HomeDirectory = ResolveHome(environment);
        RefreshMargin = ResolveMargin(environment);
    }

    public IEnvironmentReader Environment { get; }

    public IEngineLog Log { get; }

    /// <summary>The module's data folder: $AWSLOGIN_HOME, else ~/.aws/awslogin.</summary>
    public string HomeDirectory { get; }

    /// <summary>Where role credentials are cached.</summary>
    public string CacheDirectory => Path.Combine(HomeDirectory, "cache");

    /// <summary>How much lifetime cached credentials must have left to be reused.</summary>
    public TimeSpan RefreshMargin { get; init; }

    /// <summary>The current UTC time; replaceable in tests.</summary>
    public Func<DateTime> UtcNow { get; init; } = () => DateTime.UtcNow;

    /// <summary>How long to wait for another process that is filling the same cache entry.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>A context over the real process environment.</summary>
    public static EngineContext ForProcess(IEngineLog log) => new(ProcessEnvironment.Instance, log);

    private static string ResolveHome(IEnvironmentReader environment)
    {
        var configured = environment.Get(HomeVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return SharedConfigFiles.ExpandHome(configured!, environment);
        }

        return Path.Combine(SharedConfigFiles.HomeDirectory(environment), ".aws", "awslogin");
    }

    private static TimeSpan ResolveMargin(IEnvironmentReader environment)
    {
        var configured = environment.Get(RefreshMarginVariable);
        if (configured is not null && int.TryParse(configured, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DefaultRefreshMargin;
    }
}
