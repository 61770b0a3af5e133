using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;
using Xunit;

namespace AwsLogin.Engine.Tests.Cache;

/// <summary>
/// FileLock opens its lock file with FileShare.None, which .NET on Unix backs with flock(LOCK_EX | LOCK_NB)
/// (SafeFileHandle.Init; only EWOULDBLOCK is treated as "held"). flock belongs to the open file description, so
/// two opens in one process exclude each other just as two processes do, and a python fcntl.flock holder is seen.
/// </summary>
public sealed class FileLockTests
{
    private static readonly TimeSpan s_long = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_second_holder_in_the_same_process_waits_until_the_first_is_disposed()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("entry.lock");
        var first = await FileLock.AcquireAsync(path, s_long, CancellationToken.None);

        var second = FileLock.AcquireAsync(path, s_long, CancellationToken.None);
        await Task.Delay(300);
        Assert.False(second.IsCompleted);

        first.Dispose();
        var acquired = await second.WaitAsync(TimeSpan.FromSeconds(10));
        acquired.Dispose();
    }

    [Fact]
    public async Task Holders_of_different_lock_files_do_not_wait_for_each_other()
    {
        using var folder = new CacheFolder();
        using var first = await FileLock.AcquireAsync(folder.Combine("one.lock"), s_long, CancellationToken.None);

        using var second = await FileLock.AcquireAsync(folder.Combine("two.lock"), s_long, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_lock_can_be_taken_again_after_it_is_released()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("entry.lock");

        for (var i = 0; i < 3; i++)
        {
            using var held = await FileLock.AcquireAsync(path, TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    [Fact]
    public async Task Many_concurrent_holders_never_overlap()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("entry.lock");
        var inside = 0;
        var maxInside = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using (await FileLock.AcquireAsync(path, s_long, CancellationToken.None))
            {
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref maxInside, now);
                await Task.Delay(20);
                Interlocked.Decrement(ref inside);
            }
        })));

        Assert.Equal(1, maxInside);
    }

    [Fact]
    public async Task Waiting_longer_than_the_timeout_is_LockTimeout()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("entry.lock");
        using var held = await FileLock.AcquireAsync(path, s_long, CancellationToken.None);
        var stopwatch = Stopwatch.StartNew();

        var exception = await Assert.ThrowsAsync<AwsLoginException>(() => FileLock.AcquireAsync(path, TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.Equal("LockTimeout", exception.Code);
        Assert.Equal(FailureKind.LockTimeout, exception.Kind);
        Assert.Equal(path, exception.Target);
        Assert.IsAssignableFrom<IOException>(exception.InnerException);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(290), $"Gave up after {stopwatch.Elapsed}.");
    }

    [Fact]
    public async Task Cancellation_stops_the_wait()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("entry.lock");
        using var held = await FileLock.AcquireAsync(path, s_long, CancellationToken.None);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FileLock.AcquireAsync(path, s_long, cancellation.Token));
    }

    [Fact]
    public async Task An_already_cancelled_token_throws_even_when_the_lock_is_free()
    {
        using var folder = new CacheFolder();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FileLock.AcquireAsync(folder.Combine("entry.lock"), s_long, new CancellationToken(canceled: true)));
    }

    [UnixFact]
    public async Task The_lock_file_is_0600_in_a_0700_folder()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("cache", "entry.lock");

        using (await FileLock.AcquireAsync(path, s_long, CancellationToken.None))
        {
            Assert.Equal(UnixMode.OwnerOnlyFile, UnixMode.Of(path));
            Assert.Equal(UnixMode.OwnerOnlyFolder, UnixMode.Of(folder.Combine("cache")));
        }
    }

    [UnixFactWithProgram("python3")]
    public async Task A_flock_held_by_another_process_makes_AcquireAsync_wait_until_it_is_released()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("entry.lock");
        var released = folder.Combine("released");

        // The other process writes the marker just before it unlocks: finding the marker once the lock is ours proves
        // the order without relying on timing.
        using var holder = StartPython(
            "import fcntl, sys, time\n" +
            "f = open(sys.argv[1], 'a')\n" +
            "fcntl.flock(f, fcntl.LOCK_EX)\n" +
            "print('locked', flush=True)\n" +
            "time.sleep(1.0)\n" +
            "open(sys.argv[2], 'w').close()\n" +
            "fcntl.flock(f, fcntl.LOCK_UN)\n",
            path,
            released);
        Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.False(File.Exists(released));

        using (await FileLock.AcquireAsync(path, s_long, CancellationToken.None))
        {
            Assert.True(File.Exists(released), "The lock was acquired while the other process still held it.");
        }

        await holder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, holder.ExitCode);
    }

    [UnixFactWithProgram("python3")]
    public async Task A_held_FileLock_keeps_another_process_out_until_it_is_disposed()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("entry.lock");
        const string TryLock =
            "import fcntl, sys\n" +
            "f = open(sys.argv[1], 'a')\n" +
            "try:\n" +
            "    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n" +
            "except BlockingIOError:\n" +
            "    sys.exit(3)\n";

        using (await FileLock.AcquireAsync(path, s_long, CancellationToken.None))
        {
            Assert.Equal(3, await RunPythonAsync(TryLock, path));
        }

        Assert.Equal(0, await RunPythonAsync(TryLock, path));
    }

    private static Process StartPython(string script, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo) ?? throw new InvalidOperationException("python3 did not start.");
    }

    private static async Task<int> RunPythonAsync(string script, string argument)
    {
        using var process = StartPython(script, argument);
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return process.ExitCode;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
