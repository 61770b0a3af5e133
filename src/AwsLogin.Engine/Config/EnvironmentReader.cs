using System;
using System.Collections.Generic;

namespace AwsLogin.Engine.Config;

/// <summary>Reads environment variables; lets tests supply their own instead of mutating the process.</summary>
public interface IEnvironmentReader
{
    /// <summary>The value of <paramref name="name"/>, or null when it is not set.</summary>
    string? Get(string name);
}

/// <summary>The environment of the current process.</summary>
public sealed class ProcessEnvironment : IEnvironmentReader
{
    /// <summary>The one instance.</summary>
    public static readonly ProcessEnvironment Instance = new();

    private ProcessEnvironment()
    {
    }

    public string? Get(string name) => Environment.GetEnvironmentVariable(name);

    /// <summary>A copy of the process environment as it is now, unaffected by later changes (names ignore case on Windows, as there).</summary>
    public static DictionaryEnvironment Snapshot()
    {
        var comparer = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows)
            ? StringComparer.OrdinalIgnoreCase
            : StringComparer.Ordinal;
        var variables = new List<KeyValuePair<string, string?>>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables.Add(new KeyValuePair<string, string?>((string)entry.Key, entry.Value as string));
        }

        return new DictionaryEnvironment(variables, comparer);
    }
}

/// <summary>A fixed set of variables (tests, or a child process's environment being prepared).</summary>
public sealed class DictionaryEnvironment : IEnvironmentReader
{
    private readonly Dictionary<string, string?> _variables;

    /// <summary>Variables are matched ordinally (as on Unix) unless another comparer is given.</summary>
    public DictionaryEnvironment(IEnumerable<KeyValuePair<string, string?>>? variables = null, IEqualityComparer<string>? comparer = null)
    {
        _variables = new Dictionary<string, string?>(comparer ?? StringComparer.Ordinal);
        if (variables is not null)
        {
            foreach (var pair in variables)
            {
                _variables[pair.Key] = pair.Value;
            }
        }
    }

    /// <summary>Sets (or, with null, unsets) a variable.</summary>
    public string? this[string name]
    {
        get => Get(name);
        set
        {
            if (value is null)
            {
                _variables.Remove(name);
            }
            else
            {
                _variables[name] = value;
            }
        }
    }

    public string? Get(string name) => _variables.TryGetValue(name, out var value) ? value : null;
}
