using System;
using System.IO;

namespace AwsLogin.Loading;

/// <summary>The module's Dependencies folder: the engine and the AWS SDK, never loaded from anywhere else.</summary>
internal static class DependencyFolder
{
    public const string EngineAssemblyName = "AwsLogin.Engine";

    public static readonly string Path = System.IO.Path.Combine(
        System.IO.Path.GetDirectoryName(typeof(DependencyFolder).Assembly.Location) ?? AppContext.BaseDirectory,
        "Dependencies");

    /// <summary>The path of a dependency by simple name, or null when the module does not ship it.</summary>
    public static string? Find(string? simpleName)
    {
        if (string.IsNullOrEmpty(simpleName) || simpleName!.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
        {
            return null;
        }

        var candidate = System.IO.Path.Combine(Path, simpleName + ".dll");
        return File.Exists(candidate) ? candidate : null;
    }
}
