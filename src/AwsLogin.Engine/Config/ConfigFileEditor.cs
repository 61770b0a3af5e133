using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;

namespace AwsLogin.Engine.Config;

/// <summary>
/// Plans and applies edits of the shared config and credentials files: read, edit an <see cref="IniDocument"/>,
/// show the <see cref="FileChange"/>, then write it atomically under a cross-process lock, only if the file is
/// still what the plan was made from.
/// </summary>
public static class ConfigFileEditor
{
    /// <summary>How long Apply waits for another AwsLogin process editing the same file.</summary>
    public static readonly TimeSpan DefaultLockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reads <paramref name="path"/> (a missing file is empty), runs <paramref name="edit"/> on it and returns the
    /// change without writing anything. New files use the platform's line break.
    /// </summary>
    public static FileChange Plan(string path, bool secret, Action<IniDocument> edit)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new ArgumentException("A path is required.", nameof(path));
        }

        if (edit is null)
        {
            throw new ArgumentNullException(nameof(edit));
        }

        var oldText = ConfigFileText.ReadOrNull(ConfigFileText.ResolveWriteTarget(path));
        var document = IniDocument.Parse(oldText ?? string.Empty, Environment.NewLine);
        edit(document);
        return new FileChange(path, oldText, document.ToString(), secret);
    }

    /// <summary>
    /// Writes the change: takes the lock <c>path + ".lock"</c>, re-reads the file and throws an
    /// <see cref="AwsLoginException"/> (FileError, FileChangedConcurrently) when it is no longer the planned
    /// <see cref="FileChange.OldText"/>; otherwise replaces it atomically (0600 for secret files). False when there
    /// was nothing to write.
    /// </summary>
    public static async Task<bool> ApplyAsync(FileChange change, TimeSpan lockTimeout, CancellationToken cancellationToken) =>
        (await ApplyCoreAsync(change, lockTimeout, backupTimeUtc: null, cancellationToken).ConfigureAwait(false)).Written;

    /// <summary>
    /// As <see cref="ApplyAsync"/>, and before writing keeps the file's text (when it exists) in a backup next to it,
    /// <c>PATH.awslogin-backup-yyyyMMddTHHmmssZ</c> (<paramref name="backupTimeUtc"/>; <c>-2</c>, <c>-3</c>... when that
    /// name is taken), written atomically and owner-only (0600: a config file can hold keys), after the concurrency
    /// check and under the same lock. Returns the backup's path, or null when nothing was written or there was no
    /// file to back up.
    /// </summary>
    public static async Task<string?> ApplyWithBackupAsync(FileChange change, DateTime backupTimeUtc, TimeSpan lockTimeout, CancellationToken cancellationToken) =>
        (await ApplyCoreAsync(change, lockTimeout, backupTimeUtc, cancellationToken).ConfigureAwait(false)).BackupPath;

    private static async Task<(bool Written, string? BackupPath)> ApplyCoreAsync(FileChange change, TimeSpan lockTimeout, DateTime? backupTimeUtc, CancellationToken cancellationToken)
    {
        if (change is null)
        {
            throw new ArgumentNullException(nameof(change));
        }

        if (!change.HasChanges)
        {
            return (false, null);
        }

        string? backupPath = null;
        using (await FileLock.AcquireAsync(change.Path + ".lock", lockTimeout, cancellationToken).ConfigureAwait(false))
        {
            var target = ConfigFileText.ResolveWriteTarget(change.Path);
            var current = ConfigFileText.ReadOrNull(target);
            if (!string.Equals(current, change.OldText, StringComparison.Ordinal))
            {
                throw new AwsLoginException(
                    FailureKind.FileError,
                    "FileChangedConcurrently",
                    $"The file '{change.Path}' changed after this change was planned; nothing was written.",
                    change.Path,
                    "Run the command again so that it starts from the file as it is now.");
            }

            try
            {
                if (backupTimeUtc is { } time && current is not null)
                {
                    backupPath = FreeBackupPath(change.Path, time);
                    SecureFile.WriteAllTextAtomic(backupPath, current, secret: true);
                }

                SecureFile.WriteAllTextAtomic(target, change.NewText, change.IsSecret);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new AwsLoginException(
                    FailureKind.FileError,
                    "ConfigFileWriteFailed",
                    $"The file '{change.Path}' could not be written: {ex.GetType().Name}.",
                    change.Path,
                    "Check that you can write to the file and its folder.",
                    ex);
            }
        }

        return (true, backupPath);
    }

    private static string FreeBackupPath(string path, DateTime timeUtc)
    {
        var stem = path + ".awslogin-backup-" + timeUtc.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var candidate = stem;
        for (var n = 2; File.Exists(candidate); n++)
        {
            candidate = stem + "-" + n.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    /// <summary><see cref="ApplyAsync"/> with the default lock timeout, blocking (for the cmdlet boundary).</summary>
    public static bool Apply(FileChange change, CancellationToken cancellationToken = default) =>
        ApplyAsync(change, DefaultLockTimeout, cancellationToken).ConfigureAwait(false).GetAwaiter().GetResult();
}
