using System;
using System.IO;
using System.Reflection;
using System.Text;

namespace AwsLogin.Engine.Config;

/// <summary>Reads the shared files byte-exactly (a BOM is kept as U+FEFF so it is written back) and strictly as UTF-8.</summary>
internal static class ConfigFileText
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // FileSystemInfo.ResolveLinkTarget exists from .NET 6; on Windows PowerShell 5.1 links are left as they are.
    private static readonly MethodInfo? s_resolveLinkTarget = typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) });

    /// <summary>The text, or null when the file does not exist.</summary>
    public static string? ReadOrNull(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new AwsLoginException(
                FailureKind.FileError,
                "ConfigFileUnreadable",
                $"The file '{path}' could not be read: {ex.GetType().Name}.",
                path,
                "Check that the file exists, is a file, and that you can read it.",
                ex);
        }

        try
        {
            // GetString keeps the BOM as U+FEFF, which IniDocument keeps and SecureFile writes back.
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new AwsLoginException(
                FailureKind.FileError,
                "ConfigFileNotUtf8",
                $"The file '{path}' is not valid UTF-8.",
                path,
                "Save the file as UTF-8 (the AWS CLI cannot read it either).");
        }
    }

    /// <summary>
    /// The file an atomic replace must write: the final target of a symbolic link (dotfile managers link
    /// ~/.aws/config), so the link itself survives.
    /// </summary>
    public static string ResolveWriteTarget(string path)
    {
        if (s_resolveLinkTarget is null)
        {
            return path;
        }

        try
        {
            return s_resolveLinkTarget.Invoke(new FileInfo(path), new object[] { true }) is FileSystemInfo target ? target.FullName : path;
        }
        catch (TargetInvocationException)
        {
            return path;
        }
    }
}
