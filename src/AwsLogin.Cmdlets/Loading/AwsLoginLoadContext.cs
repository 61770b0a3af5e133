using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AwsLogin.Loading;

/// <summary>
/// PowerShell 7 only: the private load context for the engine and the AWS SDK, so that another AWSSDK.Core
/// already loaded by AWS.Tools (every v4 build says AssemblyVersion 4.0.0.0) never replaces ours.
/// Load serves only files from Dependencies/, and leaves framework assemblies to the default context so that
/// BCL types are shared across the boundary.
/// </summary>
internal sealed class AwsLoginLoadContext : AssemblyLoadContext
{
    private static readonly object s_gate = new();
    private static AwsLoginLoadContext? s_instance;
    private static bool s_registered;

    private readonly HashSet<string> _frameworkAssemblies;

    private AwsLoginLoadContext()
    {
        _frameworkAssemblies = ReadTrustedPlatformAssemblies();
    }

    /// <summary>Hooks the default context's Resolving event for the engine assembly; safe to call again.</summary>
    public static void Register()
    {
        lock (s_gate)
        {
            s_instance ??= new AwsLoginLoadContext();
            if (!s_registered)
            {
                Default.Resolving += ResolveEngine;
                s_registered = true;
            }
        }
    }

    /// <summary>Unhooks the handler (Remove-Module). The context itself stays: loaded code cannot be unloaded.</summary>
    public static void Unregister()
    {
        lock (s_gate)
        {
            if (s_registered)
            {
                Default.Resolving -= ResolveEngine;
                s_registered = false;
            }
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Never call LoadFromAssemblyName here: that re-enters this method and overflows the stack.
        if (assemblyName.Name is null || _frameworkAssemblies.Contains(assemblyName.Name))
        {
            return null;
        }

        var path = DependencyFolder.Find(assemblyName.Name);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName assemblyName)
    {
        if (!string.Equals(assemblyName.Name, DependencyFolder.EngineAssemblyName, StringComparison.Ordinal))
        {
            return null;
        }

        var path = DependencyFolder.Find(DependencyFolder.EngineAssemblyName);
        return path is null ? null : s_instance!.LoadFromAssemblyPath(path);
    }

    private static HashSet<string> ReadTrustedPlatformAssemblies()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var file in list.Split(System.IO.Path.PathSeparator))
            {
                if (file.Length > 0)
                {
                    names.Add(System.IO.Path.GetFileNameWithoutExtension(file));
                }
            }
        }

        return names;
    }
}
