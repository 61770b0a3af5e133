using System;
using System.Collections.Generic;

namespace AwsLogin.Commands.Run;

/// <summary>
/// Sets process environment variables and puts every one back exactly as it was (set, or absent) when
/// disposed: after success, an error or Ctrl+C.
/// </summary>
internal sealed class EnvironmentScope : IDisposable
{
    private readonly List<KeyValuePair<string, string?>> _previous = new();

    private EnvironmentScope()
    {
    }

    /// <summary>Applies name/value pairs; a null value removes the variable.</summary>
    public static EnvironmentScope Apply(IEnumerable<KeyValuePair<string, string?>> variables)
    {
        var scope = new EnvironmentScope();
        try
        {
            foreach (var variable in variables)
            {
                scope._previous.Add(new KeyValuePair<string, string?>(variable.Key, Environment.GetEnvironmentVariable(variable.Key)));
                Environment.SetEnvironmentVariable(variable.Key, variable.Value);
            }
        }
        catch
        {
            scope.Dispose();
            throw;
        }

        return scope;
    }

    public void Dispose()
    {
        for (var i = _previous.Count - 1; i >= 0; i--)
        {
            Environment.SetEnvironmentVariable(_previous[i].Key, _previous[i].Value);
        }

        _previous.Clear();
    }
}
