using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;
using AwsLogin.Engine.Tests.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Cache;

/// <summary>A cache folder that cannot be used surfaces as an AwsLoginException (FileError), never as a raw IOException.</summary>
public sealed class CacheFailureTests
{
    private static readonly DateTime s_now = new(2030, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static CredentialSet Credentials() => new("ASIACACHETEST0000001", "secret", "token") { Expiration = s_now.AddHours(1) };

    [Fact]
    public void An_entry_that_cannot_be_read_is_a_miss()
    {
        using var folder = new CacheFolder();
        var cache = new CredentialCache(folder.Combine("cache"), TimeSpan.FromMinutes(15), () => s_now);
        var key = CredentialCache.Key(new[] { "k" });
        Directory.CreateDirectory(Path.Combine(cache.Directory, key + ".json"));

        Assert.Null(cache.TryGet(key));
    }

    [Fact]
    public void An_entry_that_cannot_be_written_is_FileError()
    {
        using var folder = new CacheFolder();
        var cache = new CredentialCache(folder.Combine("cache"), TimeSpan.FromMinutes(15), () => s_now);
        var key = CredentialCache.Key(new[] { "k" });
        var blocked = Path.Combine(cache.Directory, key + ".json");
        Directory.CreateDirectory(Path.Combine(blocked, "child"));

        var exception = Assert.Throws<AwsLoginException>(() => cache.Store(key, Credentials()));

        Assert.Equal(FailureKind.FileError, exception.Kind);
        Assert.Equal("CacheFileError", exception.Code);
        Assert.Equal(blocked, exception.Target);
        Assert.DoesNotContain("secret", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lock_folder_that_cannot_be_created_is_FileError_at_once()
    {
        using var folder = new CacheFolder();
        var file = folder.Combine("not-a-folder");
        File.WriteAllText(file, string.Empty);

        var exception = await Assert.ThrowsAsync<AwsLoginException>(() => FileLock.AcquireAsync(Path.Combine(file, "cache", "x.lock"), TimeSpan.FromSeconds(30), CancellationToken.None));

        Assert.Equal(FailureKind.FileError, exception.Kind);
        Assert.Equal("LockFileError", exception.Code);
    }

    [Fact]
    public async Task A_lock_path_that_is_a_folder_is_FileError_not_a_wait_until_LockTimeout()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("x.lock");
        Directory.CreateDirectory(path);

        var exception = await Assert.ThrowsAsync<AwsLoginException>(() => FileLock.AcquireAsync(path, TimeSpan.FromSeconds(30), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(FailureKind.FileError, exception.Kind);
        Assert.Equal("LockFileError", exception.Code);
        Assert.Equal(path, exception.Target);
    }

    [Fact]
    public async Task A_broker_whose_AWSLOGIN_HOME_is_a_file_fails_with_FileError()
    {
        await using var h = await StartAsync();
        var file = System.IO.Path.Combine(h.Root, "home-file");
        File.WriteAllText(file, string.Empty);
        h.Environment[EngineContext.HomeVariable] = file;

        var exception = await h.FailAsync(Hops(RoleA) with { StartingCredentials = h.UserKeys });

        Assert.Equal(FailureKind.FileError, exception.Kind);
        Assert.Equal("LockFileError", exception.Code);
    }
}
