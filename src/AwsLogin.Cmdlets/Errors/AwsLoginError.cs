using System;

namespace AwsLogin;

/// <summary>
/// The exception inside every AwsLogin ErrorRecord. Its message never contains a secret. The engine's own
/// exception is kept only as a non-public detail, so no public type names an engine type.
/// </summary>
public sealed class AwsLoginError : Exception
{
    internal AwsLoginError(string message, Exception? detail)
        : base(message)
    {
        Detail = detail;
    }

    internal Exception? Detail { get; }
}
