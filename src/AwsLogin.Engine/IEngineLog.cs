namespace AwsLogin.Engine;

/// <summary>
/// Where the engine reports progress. It may be called from any thread; the cmdlets queue the messages and
/// write them on the pipeline thread. Never pass a secret.
/// </summary>
public interface IEngineLog
{
    void Verbose(string message);

    void Warning(string message);
}

/// <summary>A log that drops everything (credential_process use, tests).</summary>
public sealed class NullEngineLog : IEngineLog
{
    public static readonly NullEngineLog Instance = new();

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
