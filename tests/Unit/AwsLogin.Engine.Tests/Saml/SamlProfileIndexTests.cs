using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using Xunit;
using static AwsLogin.Engine.Tests.Saml.SamlHarness;

namespace AwsLogin.Engine.Tests.Saml;

/// <summary>
/// The per-profile index of cached SAML role credentials: what a sign-in records, what a sign-out deletes, and that a
/// damaged index deletes nothing outside the cache.
/// </summary>
public sealed class SamlProfileIndexTests
{
    [Fact]
    public async Task A_sign_in_records_its_cache_keys_once_and_sign_out_deletes_them_with_the_session()
    {
        await using var h = await StartAsync();
        var options = h.Options(Alice()) with { ProfileName = "work" };

        await h.GetAsync(options, r => r with { RoleArns = new[] { Admin, Deploy }, ProfileName = "work" });
        await h.GetAsync(h.Options() with { ProfileName = "work" }, r => r with { RoleArns = new[] { Admin }, ProfileName = "work", ForceRefresh = true });

        var indexFile = Assert.Single(Directory.GetFiles(IndexDirectory(h), "*.json"));
        var text = File.ReadAllText(indexFile);
        Assert.Contains("\"ProfileName\": \"work\"", text, StringComparison.Ordinal);
        Assert.Equal(2, CountKeys(text));
        // The last sign-in (user and roles, not secret) lets a login profile find its cached credentials later.
        Assert.Equal(new LastSignIn(UserName, new[] { Admin }), new SamlProfileIndex(h.World.Context()).Last("work", h.Idp.EcpEndpoint), new LastSignInComparer());
        Assert.All(h.Secrets(), secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(indexFile));
        }

        var result = await new SamlProfileIndex(h.World.Context()).SignOutAsync("work", CancellationToken.None);

        Assert.Equal((2, 1), (result.CredentialsRemoved, result.SessionsRemoved));
        Assert.Empty(Directory.GetFiles(IndexDirectory(h), "*.json"));
        Assert.Empty(Directory.GetFiles(h.World.CacheDirectory, "*.json"));
        Assert.Empty(Directory.GetFiles(Path.Combine(h.World.HomePath, "saml", "sessions"), "*.json"));
    }

    [Fact]
    public async Task An_unknown_profile_deletes_nothing_and_another_profiles_session_stays()
    {
        await using var h = await StartAsync();
        await h.GetAsync(h.Options(Alice()) with { ProfileName = "other" }, r => r with { RoleArns = new[] { Reader }, ProfileName = "other" });

        var result = await new SamlProfileIndex(h.World.Context()).SignOutAsync("work", CancellationToken.None);

        Assert.Equal((0, 0), (result.CredentialsRemoved, result.SessionsRemoved));
        Assert.Single(Directory.GetFiles(h.World.CacheDirectory, "*.json"));
        Assert.Single(Directory.GetFiles(Path.Combine(h.World.HomePath, "saml", "sessions"), "*.json"));
    }

    [Fact]
    public async Task A_damaged_index_cannot_name_a_file_outside_the_cache()
    {
        await using var h = await StartAsync();
        await h.GetAsync(h.Options(Alice()) with { ProfileName = "work" }, r => r with { RoleArns = new[] { Admin }, ProfileName = "work" });
        var indexFile = Assert.Single(Directory.GetFiles(IndexDirectory(h), "*.json"));
        var victim = Path.Combine(h.World.HomePath, "victim.json");
        File.WriteAllText(victim, "{}");
        File.WriteAllText(indexFile, "{\"Version\":1,\"ProfileName\":\"work\",\"CredentialKeys\":[\"../victim\",\"" + new string('A', 64) + "\"]}");

        var result = await new SamlProfileIndex(h.World.Context()).SignOutAsync("work", CancellationToken.None);

        Assert.Equal(0, result.CredentialsRemoved);
        Assert.True(File.Exists(victim));
        Assert.Single(Directory.GetFiles(h.World.CacheDirectory, "*.json"));
    }

    private static string IndexDirectory(SamlHarness h) => Path.Combine(h.World.HomePath, "saml", "profiles");

    private static int CountKeys(string text) => text.Split('"').Count(part => part.Length == 64 && part.All(Uri.IsHexDigit));

    [Fact]
    public async Task Sign_out_deletes_the_browser_profile_folders_of_the_endpoints_the_profile_signed_in_at()
    {
        await using var h = await StartAsync();
        var index = new SamlProfileIndex(h.World.Context());
        var idp = new Uri("https://login.example.com/app/aws");
        await index.RecordAsync("work", Array.Empty<string>(), idp, UserName, new[] { Admin }, CancellationToken.None);
        var mine = AwsLogin.Engine.Saml.Browser.BrowserSamlProvider.DefaultProfileDirectory(h.World.HomePath, "work", idp);
        var others = AwsLogin.Engine.Saml.Browser.BrowserSamlProvider.DefaultProfileDirectory(h.World.HomePath, "home", idp);
        Directory.CreateDirectory(Path.Combine(mine, "Default"));
        File.WriteAllText(Path.Combine(mine, "Default", "Cookies"), "session");
        Directory.CreateDirectory(others);

        var result = await index.SignOutAsync("work", CancellationToken.None);

        Assert.Equal(1, result.SessionsRemoved);
        Assert.False(Directory.Exists(mine));
        Assert.True(Directory.Exists(others));
        Assert.Equal(1, (await index.SignOutAllAsync(CancellationToken.None)).SessionsRemoved);
        Assert.False(Directory.Exists(others));
    }

    private sealed class LastSignInComparer : System.Collections.Generic.IEqualityComparer<LastSignIn?>
    {
        public bool Equals(LastSignIn? x, LastSignIn? y) => x is not null && y is not null && x.UserName == y.UserName && x.RoleArns.SequenceEqual(y.RoleArns);

        public int GetHashCode(LastSignIn? obj) => 0;
    }
}
