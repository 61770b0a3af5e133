using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Cache;

/// <summary>
/// A cross-process lock: an exclusively opened lock file (FileShare.None works on Windows and, in .NET,
/// through advisory locks on Unix). Held until disposed; a crashed holder's lock dies with its process.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;

    private FileLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the lock at <paramref name="lockPath"/>.</summary>
    public static async Task<FileLock> AcquireAsync(string lockPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            SecureFile.EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(lockPath))!, secret: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unusable(lockPath, ex);
        }

        var deadline = DateTime.UtcNow + timeout;
        var delay = 10;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                try
                {
                    if (SecureFile.IsUnix)
                    {
                        UnixPermissions.Set(lockPath, UnixPermissions.OwnerOnlyFile);
                    }
                }
                catch
                {
                    // Never leave the lock held by an abandoned stream.
                    stream.Dispose();
                    throw;
                }

                return new FileLock(stream);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Held by another process (or thread): back off a little, with jitter so waiters spread out.
                await Task.Delay(delay + ThreadSafeRandom.Next(delay), cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 200);
            }
            catch (UnauthorizedAccessException ex)
            {
                // Not held by anyone: the path is a folder, or not ours to open. Waiting would not help.
                throw Unusable(lockPath, ex);
            }
            catch (IOException ex)
            {
                throw new AwsLoginException(
                    FailureKind.LockTimeout,
                    "LockTimeout",
                    $"Another process held the lock '{lockPath}' for more than {timeout.TotalSeconds:0} seconds.",
                    lockPath,
                    "Wait for the other AwsLogin command to finish, or delete the lock file if no such command is running.",
                    ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    private static AwsLoginException Unusable(string lockPath, Exception ex) =>
        new(
            FailureKind.FileError,
            "LockFileError",
            $"The lock file '{lockPath}' could not be created or opened: {ex.GetType().Name}.",
            lockPath,
            "Check that the folder of the lock file is a folder you own and can write to.",
            ex);

    private static class ThreadSafeRandom
    {
        private static readonly object s_gate = new();
        private static readonly Random s_random = new();

        public static int Next(int max)
        {
            lock (s_gate)
            {
                return s_random.Next(Math.Max(1, max));
            }
        }
    }
}
