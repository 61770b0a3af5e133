using System;
using System.Reflection;

namespace AwsLogin.Loading;

/// <summary>
/// Windows PowerShell 5.1 has no load contexts: resolve our own Dependencies/ files when the runtime asks for
/// them, and nothing else. If AWS.Tools loaded another AWSSDK.Core first, the runtime hands us that one; the
/// cmdlets turn the resulting MissingMethodException/TypeLoadException into an AwsSdkVersionConflict error.
/// </summary>
internal static class FrameworkResolver
{
    private static readonly object s_gate = new();
    private static bool s_registered;

    public static void Register()
    {
        lock (s_gate)
        {
            if (!s_registered)
            {
                AppDomain.CurrentDomain.AssemblyResolve += Resolve;
                s_registered = true;
            }
        }
    }

    public static void Unregister()
    {
        lock (s_gate)
        {
            if (s_registered)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
                s_registered = false;
            }
        }
    }

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var path = DependencyFolder.Find(new AssemblyName(args.Name).Name);
        return path is null ? null : Assembly.LoadFrom(path);
    }
}
