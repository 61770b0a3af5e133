using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Xunit;

namespace AwsLogin.Engine.Tests.Cache;

/// <summary>A fact about Unix behaviour (file modes, flock, sh); skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Skip = "Unix only.";
        }
    }
}

/// <summary>A theory about Unix behaviour; skipped on Windows.</summary>
public sealed class UnixTheoryAttribute : TheoryAttribute
{
    public UnixTheoryAttribute()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Skip = "Unix only.";
        }
    }
}

/// <summary>A Unix fact that drives another program; skipped on Windows or when the program is not on PATH.</summary>
public sealed class UnixFactWithProgramAttribute : FactAttribute
{
    public UnixFactWithProgramAttribute(string program)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            Skip = "Unix only.";
        }
        else if (FindOnPath(program) is null)
        {
            Skip = $"'{program}' is not on PATH.";
        }
    }

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>File modes for the Unix-only tests (the analyzer wants the platform check spelled out).</summary>
internal static class UnixMode
{
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static UnixFileMode Of(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes do not exist on Windows.");
        }

        return File.GetUnixFileMode(path);
    }

    public static void Set(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Unix file modes do not exist on Windows.");
        }

        File.SetUnixFileMode(path, mode);
    }
}
