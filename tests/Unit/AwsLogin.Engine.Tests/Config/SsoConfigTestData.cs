using System.Collections.Generic;
using AwsLogin.Engine.Config;

namespace AwsLogin.Engine.Tests.Config;

/// <summary>Sample sessions and assignments for the SSO config tests.</summary>
internal static class SsoConfigTestData
{
    public const string StartUrl = "https://d-1234567890.awsapps.com/start";

    public static SsoConfigSession Session => new("corp", StartUrl, "eu-central-1");

    public static SsoConfigAssignment[] Assignments => new[]
    {
        new SsoConfigAssignment("222222222222", "Prod", "AdministratorAccess", "prod@example.com"),
        new SsoConfigAssignment("111111111111", "Dev", "ReadOnly", "dev@example.com"),
        new SsoConfigAssignment("111111111111", "Dev", "AdministratorAccess", "dev@example.com"),
    };

    public static SsoConfigRequest Request(params SsoConfigAssignment[] assignments) =>
        new(Session, assignments.Length == 0 ? Assignments : assignments);
}

/// <summary>Keeps verbose and warning messages apart.</summary>
internal sealed class SplitLog : IEngineLog
{
    private readonly List<string> _verbose = new();
    private readonly List<string> _warnings = new();

    public IReadOnlyList<string> VerboseMessages
    {
        get
        {
            lock (_verbose)
            {
                return _verbose.ToArray();
            }
        }
    }

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_warnings)
            {
                return _warnings.ToArray();
            }
        }
    }

    public void Verbose(string message)
    {
        lock (_verbose)
        {
            _verbose.Add(message);
        }
    }

    public void Warning(string message)
    {
        lock (_warnings)
        {
            _warnings.Add(message);
        }
    }
}
