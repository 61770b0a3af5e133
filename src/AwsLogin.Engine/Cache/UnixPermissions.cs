using System;
using System.IO;
using System.Reflection;

namespace AwsLogin.Engine.Cache;

/// <summary>
/// Unix file modes and atomic rename. The engine targets netstandard2.0, but on Unix it only ever runs on
/// PowerShell 7 (.NET 8+), so the .NET APIs for these are looked up once by reflection.
/// </summary>
internal static class UnixPermissions
{
    public const int OwnerOnlyFile = 0x180;      // 0600
    public const int OwnerOnlyDirectory = 0x1C0; // 0700

    private static readonly MethodInfo? s_setMode = typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), Type.GetType("System.IO.UnixFileMode") ?? typeof(void) });
    private static readonly MethodInfo? s_getMode = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
    private static readonly MethodInfo? s_moveOverwrite = typeof(File).GetMethod("Move", new[] { typeof(string), typeof(string), typeof(bool) });
    private static readonly Type? s_modeType = Type.GetType("System.IO.UnixFileMode");

    /// <summary>Sets the mode of a file or folder.</summary>
    public static void Set(string path, int mode)
    {
        if (s_setMode is null || s_modeType is null)
        {
            throw new PlatformNotSupportedException("This .NET runtime cannot set Unix file modes.");
        }

        Invoke(s_setMode, path, Enum.ToObject(s_modeType, mode));
    }

    /// <summary>The mode of an existing file, or null.</summary>
    public static int? TryGet(string path)
    {
        if (s_getMode is null || !File.Exists(path))
        {
            return null;
        }

        return Convert.ToInt32(Invoke(s_getMode, path), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>rename(2): replaces <paramref name="destination"/> atomically.</summary>
    public static void Rename(string source, string destination)
    {
        if (s_moveOverwrite is null)
        {
            throw new PlatformNotSupportedException("This .NET runtime cannot replace a file atomically.");
        }

        Invoke(s_moveOverwrite, source, destination, true);
    }

    private static object? Invoke(MethodInfo method, params object[] arguments)
    {
        try
        {
            return method.Invoke(null, arguments);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
