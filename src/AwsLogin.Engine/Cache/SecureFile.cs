using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace AwsLogin.Engine.Cache;

/// <summary>
/// Writes files atomically (temp file in the same folder, then rename) and, for secrets, with owner-only
/// permissions on Unix: 0600 files in 0700 folders, set before any content is written.
/// </summary>
public static class SecureFile
{
    private static readonly UTF8Encoding s_utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>True on Linux and macOS, where Unix permissions apply.</summary>
    public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>Creates <paramref name="directory"/> (and parents) if missing; a folder we create for secrets is 0700.</summary>
    public static void EnsureDirectory(string directory, bool secret)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        var parent = Path.GetDirectoryName(Path.GetFullPath(directory));
        if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent))
        {
            EnsureDirectory(parent!, secret);
        }

        Directory.CreateDirectory(directory);
        if (secret && IsUnix)
        {
            UnixPermissions.Set(directory, UnixPermissions.OwnerOnlyDirectory);
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="content"/> so that readers see the old or the new
    /// file, never half of one. Secret files are 0600 from their first byte; an existing non-secret file keeps
    /// its mode.
    /// </summary>
    public static void WriteAllTextAtomic(string path, string content, bool secret)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        EnsureDirectory(directory, secret);

        var tempPath = Path.Combine(directory, "." + Path.GetFileName(fullPath) + "." + Guid.NewGuid().ToString("N").Substring(0, 12) + ".tmp");
        try
        {
            int? keepMode = null;
            if (IsUnix)
            {
                keepMode = secret ? UnixPermissions.OwnerOnlyFile : UnixPermissions.TryGet(fullPath);
            }

            using (var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (keepMode is { } mode)
                {
                    UnixPermissions.Set(tempPath, mode);
                }

                var bytes = s_utf8NoBom.GetBytes(content);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(flushToDisk: true);
            }

            Replace(tempPath, fullPath);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>Reads a file, or null when it does not exist.</summary>
    public static string? ReadAllTextOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes a file if it exists; true when something was deleted.</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Replace(string tempPath, string destination)
    {
        if (IsUnix)
        {
            // rename(2) replaces atomically on Unix.
            UnixPermissions.Rename(tempPath, destination);
            return;
        }

        // On Windows, File.Replace needs an existing destination; Move covers the first write. A reader may
        // briefly hold the old file open, so retry a few times.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (File.Exists(destination))
                {
                    File.Replace(tempPath, destination, destinationBackupFileName: null, ignoreMetadataErrors: true);
                }
                else
                {
                    File.Move(tempPath, destination);
                }

                return;
            }
            catch (IOException) when (attempt < 20)
            {
                System.Threading.Thread.Sleep(25);
            }
            catch (UnauthorizedAccessException) when (attempt < 20)
            {
                System.Threading.Thread.Sleep(25);
            }
        }
    }
}
