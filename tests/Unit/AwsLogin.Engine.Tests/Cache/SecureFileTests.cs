using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using AwsLogin.Engine.Cache;
using Xunit;

namespace AwsLogin.Engine.Tests.Cache;

public sealed class SecureFileTests
{
    private const UnixFileMode OwnerOnlyFile = UnixMode.OwnerOnlyFile;
    private const UnixFileMode OwnerOnlyFolder = UnixMode.OwnerOnlyFolder;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_new_file_gets_the_content_as_utf8_without_bom_and_no_temp_file_is_left(bool secret)
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("file.json");

        SecureFile.WriteAllTextAtomic(path, "héllo\nwörld", secret);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.GetBytes("héllo\nwörld"), bytes);
        Assert.Equal(new[] { "file.json" }, Directory.GetFiles(folder.Root).Select(Path.GetFileName));
    }

    [Fact]
    public void Replacing_a_file_leaves_only_the_new_content_and_no_temp_file()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("file.txt");
        File.WriteAllText(path, "a much longer old content that must not survive in part");

        SecureFile.WriteAllTextAtomic(path, "new", secret: true);

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Root));
    }

    [Fact]
    public void Missing_parent_folders_are_created()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("a", "b", "c", "file.txt");

        SecureFile.WriteAllTextAtomic(path, "x", secret: true);

        Assert.Equal("x", File.ReadAllText(path));
    }

    [UnixFact]
    public void A_secret_file_is_0600_and_the_folders_created_for_it_are_0700()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("a", "b", "secret.json");

        SecureFile.WriteAllTextAtomic(path, "{}", secret: true);

        Assert.Equal(OwnerOnlyFile, UnixMode.Of(path));
        Assert.Equal(OwnerOnlyFolder, UnixMode.Of(folder.Combine("a", "b")));
        Assert.Equal(OwnerOnlyFolder, UnixMode.Of(folder.Combine("a")));
    }

    [UnixFact]
    public void A_secret_write_over_a_world_readable_file_makes_it_0600()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("credentials");
        File.WriteAllText(path, "old");
        UnixMode.Set(path, OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        SecureFile.WriteAllTextAtomic(path, "new", secret: true);

        Assert.Equal(OwnerOnlyFile, UnixMode.Of(path));
    }

    [UnixFact]
    public void A_non_secret_write_keeps_the_mode_of_the_existing_file()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("config");
        File.WriteAllText(path, "old");
        var mode = OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead;
        UnixMode.Set(path, mode);

        SecureFile.WriteAllTextAtomic(path, "new", secret: false);

        Assert.Equal(mode, UnixMode.Of(path));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [UnixFact]
    public void A_non_secret_write_keeps_an_owner_only_mode_too()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("config");
        File.WriteAllText(path, "old");
        UnixMode.Set(path, OwnerOnlyFile);

        SecureFile.WriteAllTextAtomic(path, "new", secret: false);

        Assert.Equal(OwnerOnlyFile, UnixMode.Of(path));
    }

    [UnixFact]
    public void A_new_non_secret_file_is_not_restricted_to_the_owner()
    {
        using var folder = new CacheFolder();
        var reference = folder.Combine("reference");
        File.WriteAllText(reference, string.Empty);
        var path = folder.Combine("config");

        SecureFile.WriteAllTextAtomic(path, "new", secret: false);

        // The process umask decides, exactly as for any other new file.
        Assert.Equal(UnixMode.Of(reference), UnixMode.Of(path));
    }

    [UnixFact]
    public void EnsureDirectory_leaves_an_existing_folder_mode_alone()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("existing");
        Directory.CreateDirectory(path);
        var mode = OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
        UnixMode.Set(path, mode);

        SecureFile.EnsureDirectory(path, secret: true);

        Assert.Equal(mode, UnixMode.Of(path));
    }

    [Fact]
    public void A_failed_replace_deletes_its_temp_file_and_keeps_the_destination()
    {
        using var folder = new CacheFolder();
        var destination = folder.Combine("occupied");
        Directory.CreateDirectory(destination);
        File.WriteAllText(Path.Combine(destination, "inside"), "keep");

        Assert.ThrowsAny<IOException>(() => SecureFile.WriteAllTextAtomic(destination, "content", secret: true));

        Assert.Empty(Directory.GetFiles(folder.Root));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(destination, "inside")));
    }

    [Fact]
    public void Concurrent_writers_leave_one_complete_content_and_no_temp_files()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("contended.json");
        var contents = Enumerable.Range(0, 16).Select(i => new string((char)('a' + i), 20000)).ToArray();

        Parallel.ForEach(contents, content => SecureFile.WriteAllTextAtomic(path, content, secret: true));

        Assert.Contains(File.ReadAllText(path), contents);
        Assert.Single(Directory.GetFiles(folder.Root));
    }

    [Fact]
    public void ReadAllTextOrNull_is_null_for_a_missing_file_or_folder()
    {
        using var folder = new CacheFolder();

        Assert.Null(SecureFile.ReadAllTextOrNull(folder.Combine("missing")));
        Assert.Null(SecureFile.ReadAllTextOrNull(folder.Combine("missing", "file")));

        File.WriteAllText(folder.Combine("present"), "text");
        Assert.Equal("text", SecureFile.ReadAllTextOrNull(folder.Combine("present")));
    }

    [Fact]
    public void TryDelete_reports_whether_it_deleted_something()
    {
        using var folder = new CacheFolder();
        var path = folder.Combine("file");
        File.WriteAllText(path, "x");

        Assert.True(SecureFile.TryDelete(path));
        Assert.False(File.Exists(path));
        Assert.False(SecureFile.TryDelete(path));
        Assert.False(SecureFile.TryDelete(folder.Combine("no", "such", "file")));
    }
}
