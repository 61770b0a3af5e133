using System;
using System.IO;
using System.Reflection;

[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

namespace AwsLogin.Cmdlets.Tests;

/// <summary>Where the build laid out the module and the pwsh stand-in; stamped in by the csproj.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class ModulePathsAttribute : Attribute
{
    public ModulePathsAttribute(string moduleDirectory, string testHostPath)
    {
        ModuleDirectory = moduleDirectory;
        TestHostPath = testHostPath;
    }

    public string ModuleDirectory { get; }

    public string TestHostPath { get; }

    public static ModulePathsAttribute Current => typeof(ModulePathsAttribute).Assembly.GetCustomAttribute<ModulePathsAttribute>()!;

    /// <summary>The module manifest that tests import.</summary>
    public static string Manifest => Path.Combine(Current.ModuleDirectory, "AwsLogin.psd1");
}
