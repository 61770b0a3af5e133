using System;
using System.IO;
using System.Linq;
using System.Text;
using AwsLogin.Engine.Cache;
using Xunit;

namespace AwsLogin.Engine.Tests.Cache;

public sealed class CredentialCacheTests
{
    private const string Secret = "cacheTestSecretKeyValue/with+chars000000";
    private const string Token = "cacheTestSessionToken//+==";

    private static readonly DateTime s_now = new(2030, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    private static CredentialSet Credentials(TimeSpan? lifetime = null) =>
        new("ASIACACHETEST0000001", Secret, Token)
        {
            Expiration = s_now + (lifetime ?? TimeSpan.FromHours(1)),
            AccountId = "222222222222",
            Arn = "arn:aws:sts::222222222222:assumed-role/Admin/s",
            Region = "eu-west-1",
            Source = "role arn:aws:iam::222222222222:role/Admin",
            Origin = CredentialOrigin.ChainedRole,
        };

    private static CredentialCache Cache(CacheFolder folder, TimeSpan? margin = null, DateTime? now = null) =>
        new(folder.Combine("home", "cache"), margin ?? TimeSpan.FromMinutes(15), () => now ?? s_now);

    private static readonly string s_key = CredentialCache.Key(new[] { "v1", "source", "role" });

    [Fact]
    public void Stored_credentials_come_back_with_every_field()
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);
        var stored = Credentials();

        cache.Store(s_key, stored);
        var read = cache.TryGet(s_key);

        Assert.NotNull(read);
        Assert.Equal(stored.AccessKeyId, read.AccessKeyId);
        Assert.Equal(stored.SecretAccessKey, read.SecretAccessKey);
        Assert.Equal(stored.SessionToken, read.SessionToken);
        Assert.Equal(stored.Expiration, read.Expiration);
        Assert.Equal(DateTimeKind.Utc, read.Expiration!.Value.Kind);
        Assert.Equal(stored.AccountId, read.AccountId);
        Assert.Equal(stored.Arn, read.Arn);
        Assert.Equal(stored.Region, read.Region);
        Assert.Equal(stored.Source, read.Source);
        Assert.Equal(stored.Origin, read.Origin);
    }

    [Fact]
    public void A_key_that_was_never_stored_is_a_miss_even_without_the_folder()
    {
        using var folder = new CacheFolder();

        Assert.Null(Cache(folder).TryGet(s_key));
        Assert.False(Directory.Exists(folder.Combine("home")));
    }

    [Fact]
    public void Another_key_is_a_miss()
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);
        cache.Store(s_key, Credentials());

        Assert.Null(cache.TryGet(CredentialCache.Key(new[] { "v1", "source", "other" })));
    }

    [Theory]
    [InlineData(16, 15, true)]
    [InlineData(15, 15, false)]
    [InlineData(14, 15, false)]
    [InlineData(6, 5, true)]
    [InlineData(1, 0, true)]
    [InlineData(0, 0, false)]
    [InlineData(-10, 0, false)]
    public void An_entry_is_reused_only_while_more_than_the_margin_is_left(int minutesLeft, int marginMinutes, bool reused)
    {
        using var folder = new CacheFolder();
        var writer = Cache(folder);
        writer.Store(s_key, Credentials(TimeSpan.FromMinutes(minutesLeft)));

        var read = Cache(folder, TimeSpan.FromMinutes(marginMinutes)).TryGet(s_key);

        Assert.Equal(reused, read is not null);
    }

    [Fact]
    public void The_clock_is_read_on_every_lookup()
    {
        using var folder = new CacheFolder();
        var now = s_now;
        var cache = new CredentialCache(folder.Combine("cache"), TimeSpan.FromMinutes(15), () => now);
        cache.Store(s_key, Credentials(TimeSpan.FromMinutes(30)));

        Assert.NotNull(cache.TryGet(s_key));
        now = s_now.AddMinutes(16);
        Assert.Null(cache.TryGet(s_key));
    }

    [Fact]
    public void Credentials_that_do_not_expire_are_never_stored()
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);

        cache.Store(s_key, new CredentialSet("AKIALONGTERMKEY00001", Secret, null));

        Assert.Null(cache.TryGet(s_key));
        Assert.False(Directory.Exists(cache.Directory) && Directory.EnumerateFileSystemEntries(cache.Directory).Any());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json at all")]
    [InlineData("{\"Version\": 1, \"AccessKeyId\": \"ASIA")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"Version\": \"1\", \"AccessKeyId\": \"ASIAX\", \"SecretAccessKey\": \"s\", \"Expiration\": \"2030-06-01T13:00:00Z\"}")]
    [InlineData("{\"Version\": 1, \"SecretAccessKey\": \"s\", \"Expiration\": \"2030-06-01T13:00:00Z\"}")]
    [InlineData("{\"Version\": 1, \"AccessKeyId\": \"ASIAX\", \"Expiration\": \"2030-06-01T13:00:00Z\"}")]
    [InlineData("{\"Version\": 1, \"AccessKeyId\": \"ASIAX\", \"SecretAccessKey\": \"s\"}")]
    [InlineData("{\"Version\": 1, \"AccessKeyId\": \"ASIAX\", \"SecretAccessKey\": \"s\", \"Expiration\": \"tomorrow\"}")]
    [InlineData("{\"Version\": 1.5, \"AccessKeyId\": \"ASIAX\", \"SecretAccessKey\": \"s\", \"Expiration\": \"2030-06-01T13:00:00Z\"}")]
    [InlineData("{\"Version\": 99999999999, \"AccessKeyId\": \"ASIAX\", \"SecretAccessKey\": \"s\", \"Expiration\": \"2030-06-01T13:00:00Z\"}")]
    [InlineData("\u00ff\u00fe garbage")]
    public void A_damaged_entry_is_a_miss_not_an_error(string content)
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);
        cache.Store(s_key, Credentials());
        var file = Assert.Single(Directory.GetFiles(cache.Directory, "*.json"));

        File.WriteAllText(file, content, new UTF8Encoding(false));

        Assert.Null(cache.TryGet(s_key));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void An_entry_of_another_format_version_is_a_miss(int version)
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);
        cache.Store(s_key, Credentials());
        var file = Assert.Single(Directory.GetFiles(cache.Directory, "*.json"));
        var text = File.ReadAllText(file);
        Assert.Contains("\"Version\": 1,", text, StringComparison.Ordinal);

        File.WriteAllText(file, text.Replace("\"Version\": 1,", $"\"Version\": {version},"));

        Assert.Null(cache.TryGet(s_key));
    }

    [Fact]
    public void An_entry_without_an_origin_reads_as_temporary()
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);
        cache.Store(s_key, Credentials());
        var file = Assert.Single(Directory.GetFiles(cache.Directory, "*.json"));

        File.WriteAllText(file, File.ReadAllText(file).Replace("\"ChainedRole\"", "\"SomethingNew\""));

        Assert.Equal(CredentialOrigin.Temporary, cache.TryGet(s_key)!.Origin);
    }

    [Fact]
    public void Storing_again_replaces_the_entry()
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);
        cache.Store(s_key, Credentials());

        cache.Store(s_key, new CredentialSet("ASIAREPLACEMENT00001", "other-secret", "other-token") { Expiration = s_now.AddHours(2) });

        Assert.Equal("ASIAREPLACEMENT00001", cache.TryGet(s_key)!.AccessKeyId);
        Assert.Single(Directory.GetFiles(cache.Directory));
    }

    [Fact]
    public void Remove_and_Clear_delete_entries_and_count_them()
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);
        var keys = Enumerable.Range(0, 3).Select(i => CredentialCache.Key(new[] { "entry", i.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToArray();
        foreach (var key in keys)
        {
            cache.Store(key, Credentials());
        }

        Assert.True(cache.Remove(keys[0]));
        Assert.False(cache.Remove(keys[0]));
        Assert.Null(cache.TryGet(keys[0]));
        Assert.NotNull(cache.TryGet(keys[1]));

        Assert.Equal(2, cache.Clear());
        Assert.Null(cache.TryGet(keys[1]));
        Assert.Null(cache.TryGet(keys[2]));
        Assert.Equal(0, cache.Clear());
    }

    [Fact]
    public void Clear_on_a_missing_folder_is_zero()
    {
        using var folder = new CacheFolder();

        Assert.Equal(0, Cache(folder).Clear());
    }

    [Fact]
    public void File_names_are_the_key_and_hold_no_secret()
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);
        var key = CredentialCache.Key(new[] { "v1", "keys", "ASIACACHETEST0000001", CredentialCache.Fingerprint(Secret) });

        cache.Store(key, Credentials());

        var name = Path.GetFileName(Assert.Single(Directory.GetFiles(cache.Directory)));
        Assert.Equal(key + ".json", name);
        Assert.Matches("^[0-9a-f]{64}\\.json$", name);
        Assert.DoesNotContain("ASIACACHETEST", name, StringComparison.Ordinal);
    }

    [UnixFact]
    public void Entries_are_0600_in_a_0700_folder_and_folders_created_for_the_cache_are_0700()
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);

        cache.Store(s_key, Credentials());

        var file = Assert.Single(Directory.GetFiles(cache.Directory));
        Assert.Equal(UnixMode.OwnerOnlyFile, UnixMode.Of(file));
        Assert.Equal(UnixMode.OwnerOnlyFolder, UnixMode.Of(cache.Directory));
        Assert.Equal(UnixMode.OwnerOnlyFolder, UnixMode.Of(folder.Combine("home")));
    }

    [UnixFact]
    public void An_entry_is_0600_even_when_a_0644_file_was_there_before()
    {
        using var folder = new CacheFolder();
        var cache = Cache(folder);
        cache.Store(s_key, Credentials());
        var file = Assert.Single(Directory.GetFiles(cache.Directory));
        UnixMode.Set(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        cache.Store(s_key, Credentials());

        Assert.Equal(UnixMode.OwnerOnlyFile, UnixMode.Of(file));
    }

    [Fact]
    public void Key_is_a_stable_sha256_hex_of_length_prefixed_parts()
    {
        var key = CredentialCache.Key(new[] { "ab", "c" });

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, CredentialCache.Key(new[] { "ab", "c" }));
        Assert.NotEqual(key, CredentialCache.Key(new[] { "a", "bc" }));
        Assert.NotEqual(key, CredentialCache.Key(new[] { "abc" }));
        Assert.NotEqual(key, CredentialCache.Key(new[] { "ab", "c", string.Empty }));
        Assert.NotEqual(CredentialCache.Key(new[] { "a\n1:b" }), CredentialCache.Key(new[] { "a", "b" }));
    }

    [Fact]
    public void Fingerprint_changes_with_the_secret_and_does_not_contain_it()
    {
        var fingerprint = CredentialCache.Fingerprint(Secret);

        Assert.Matches("^[0-9a-f]{32}$", fingerprint);
        Assert.Equal(fingerprint, CredentialCache.Fingerprint(Secret));
        Assert.NotEqual(fingerprint, CredentialCache.Fingerprint(Secret + "x"));
        Assert.DoesNotContain(Secret, fingerprint, StringComparison.Ordinal);
    }
}
