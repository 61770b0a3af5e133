using System;
using System.Collections.Generic;
using System.IO;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Sso;
using AwsLogin.Engine.Tests.Cache;
using AwsLogin.Engine.Tests.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Sso;

/// <summary>
/// The ~/.aws/sso/cache format, checked against what the AWS CLI v2 (botocore) writes: the expected keys and
/// texts below were produced with Python's json.dumps and hashlib.sha1, exactly as the CLI calls them.
/// </summary>
public sealed class SsoTokenCacheTests
{
    private const string StartUrl = "https://d-1234567890.awsapps.com/start";

    [Fact]
    public void Token_key_is_the_sha1_of_the_session_name_or_else_of_the_start_url()
    {
        Assert.Equal("ee0bfd2552fbd840c02cc48b6e823320543c450f", SsoTokenCache.TokenKey("corp", StartUrl));
        Assert.Equal("7487b5b67d5fa1132cf33fa93ae51ef38cc37752", SsoTokenCache.TokenKey(null, StartUrl));
    }

    [Theory]
    [InlineData(StartUrl, "us-east-1", null, "corp", "cfaf7ef4a0ec868a86f526a3143dcbf741b147ba")]
    [InlineData(StartUrl, "eu-west-1", "sso:account:access,codewhisperer:completions", "my-sso", "a9f53015e45781580d1a6e8fd623d10516877082")]
    [InlineData(StartUrl, "us-east-1", null, null, "365414a68be7c9bfc776c660981dbdbd942acea4")]
    [InlineData("https://x.awsapps.com/start", "us-east-1", "", "é\"\\", "347ac386c9f846e1a0a38dba67d768fba1de0ceb")]
    public void Registration_key_is_the_sha1_of_the_sorted_json_botocore_hashes(string startUrl, string region, string? scopes, string? session, string expected)
    {
        IReadOnlyList<string>? scopeList = scopes is null ? null : scopes.Split(',', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(expected, SsoTokenCache.RegistrationKey(startUrl, region, scopeList, session));
    }

    [Fact]
    public void A_token_is_written_exactly_as_the_aws_cli_writes_it()
    {
        var token = new SsoToken("aoaTOKEN", new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc))
        {
            StartUrl = StartUrl,
            Region = "us-east-1",
            ClientId = "cid",
            ClientSecret = "csecret",
            RegistrationExpiresAt = new DateTime(2027, 2, 21, 12, 0, 0, DateTimeKind.Utc),
            RefreshToken = "aorREFRESH",
        };

        Assert.Equal(
            "{\"startUrl\": \"https://d-1234567890.awsapps.com/start\", \"region\": \"us-east-1\", \"accessToken\": \"aoaTOKEN\", \"expiresAt\": \"2026-11-23T12:00:00Z\", " +
            "\"clientId\": \"cid\", \"clientSecret\": \"csecret\", \"registrationExpiresAt\": \"2027-02-21T12:00:00Z\", \"refreshToken\": \"aorREFRESH\"}",
            SsoTokenCache.SerializeToken(token));
    }

    [Fact]
    public void Registrations_are_written_as_the_aws_cli_writes_them_for_each_flow()
    {
        var expires = new DateTime(2027, 2, 21, 12, 0, 0, DateTimeKind.Utc);
        var authorizationCode = new SsoClientRegistration("cid", "csecret", expires) { Scopes = new[] { "sso:account:access" }, GrantTypes = new[] { "authorization_code", "refresh_token" } };
        var deviceWithoutScopes = new SsoClientRegistration("cid", "csecret", expires);
        var deviceWithScopes = new SsoClientRegistration("cid", "csecret", expires) { Scopes = new[] { "sso:account:access" } };

        Assert.Equal(
            "{\"clientId\": \"cid\", \"clientSecret\": \"csecret\", \"expiresAt\": \"2027-02-21T12:00:00Z\", \"scopes\": [\"sso:account:access\"], \"grantTypes\": [\"authorization_code\", \"refresh_token\"]}",
            SsoTokenCache.SerializeRegistration(authorizationCode));
        Assert.Equal("{\"clientId\": \"cid\", \"clientSecret\": \"csecret\", \"expiresAt\": \"2027-02-21T12:00:00Z\"}", SsoTokenCache.SerializeRegistration(deviceWithoutScopes));
        Assert.Equal("{\"clientId\": \"cid\", \"clientSecret\": \"csecret\", \"expiresAt\": \"2027-02-21T12:00:00Z\", \"scopes\": [\"sso:account:access\"]}", SsoTokenCache.SerializeRegistration(deviceWithScopes));
        Assert.True(SsoTokenCache.ParseRegistration(SsoTokenCache.SerializeRegistration(authorizationCode)).IsForAuthorizationCode);
        Assert.False(SsoTokenCache.ParseRegistration(SsoTokenCache.SerializeRegistration(deviceWithScopes)).IsForAuthorizationCode);
    }

    [Fact]
    public void A_token_written_then_read_keeps_every_field()
    {
        using var folder = new TempFolder();
        var cache = new SsoTokenCache(folder.Path);
        var token = new SsoToken("access", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc))
        {
            StartUrl = StartUrl, Region = "eu-west-1", ClientId = "c", ClientSecret = "s",
            RegistrationExpiresAt = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc), RefreshToken = "r",
        };

        cache.WriteToken("k", token);
        var read = cache.ReadToken("k", out var problem);

        Assert.Null(problem);
        Assert.Equal(token, read);
        Assert.Equal(Path.Combine(folder.Path, "k.json"), cache.PathFor("k"));
    }

    [Theory]
    [InlineData("2019-11-14T04:35:28UTC")]
    [InlineData("2019-11-14T04:35:28Z")]
    [InlineData("2019-11-14T04:35:28+00:00")]
    [InlineData("2019-11-14T06:35:28+02:00")]
    [InlineData("2019-11-14T04:35:28.000000Z")]
    [InlineData("2019-11-14T04:35:28")]
    public void Expiry_times_are_read_in_every_form_the_aws_tools_have_written(string text)
    {
        var token = SsoTokenCache.ParseToken("{\"accessToken\": \"a\", \"expiresAt\": \"" + text + "\"}");

        Assert.Equal(new DateTime(2019, 11, 14, 4, 35, 28, DateTimeKind.Utc), token.ExpiresAt);
        Assert.Equal(DateTimeKind.Utc, token.ExpiresAt.Kind);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    [InlineData("{\"expiresAt\": \"2019-11-14T04:35:28Z\"}")]
    [InlineData("{\"accessToken\": \"a\"}")]
    [InlineData("{\"accessToken\": \"a\", \"expiresAt\": \"tomorrow\"}")]
    public void A_file_that_is_not_a_token_reads_as_no_token_with_the_reason(string text)
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "k.json"), text);

        var token = new SsoTokenCache(folder.Path).ReadToken("k", out var problem);

        Assert.Null(token);
        Assert.NotNull(problem);
        Assert.DoesNotContain("\"a\"", problem);
    }

    [Fact]
    public void A_token_file_given_by_path_must_exist_and_be_a_token()
    {
        using var folder = new TempFolder();
        var bad = folder.File("bad.json");
        File.WriteAllText(bad, "{\"accessToken\": \"secret-value\"}");

        var missing = Assert.Throws<AwsLoginException>(() => SsoTokenCache.ReadTokenFile(folder.File("none.json")));
        var invalid = Assert.Throws<AwsLoginException>(() => SsoTokenCache.ReadTokenFile(bad));

        Assert.Equal("SsoTokenFileNotFound", missing.Code);
        Assert.Equal("SsoTokenFileInvalid", invalid.Code);
        Assert.Equal(bad, invalid.Target);
        Assert.DoesNotContain("secret-value", invalid.Message);
    }

    [Fact]
    public void The_cache_folder_is_under_the_home_the_environment_names()
    {
        var environment = new DictionaryEnvironment { ["HOME"] = "/home/tester" };

        Assert.Equal(Path.Combine("/home/tester", ".aws", "sso", "cache"), SsoTokenCache.ForEnvironment(environment).Directory);
    }

    [UnixFact]
    public void Token_files_are_0600_in_a_0700_folder_that_awslogin_creates()
    {
        using var folder = new TempFolder();
        var cacheFolder = Path.Combine(folder.Path, ".aws", "sso", "cache");
        var cache = new SsoTokenCache(cacheFolder);

        cache.WriteToken("k", new SsoToken("a", DateTime.UtcNow));

        Assert.Equal(UnixMode.OwnerOnlyFile, UnixMode.Of(cache.PathFor("k")));
        Assert.Equal(UnixMode.OwnerOnlyFolder, UnixMode.Of(cacheFolder));
    }

    [Fact]
    public void Tokens_and_registrations_never_show_their_secrets()
    {
        var token = new SsoToken("aoa-the-secret-access-token-value-1234", DateTime.UtcNow) { RefreshToken = "aor-refresh-secret", ClientSecret = "client-secret-value", ClientId = "cid" };
        var registration = new SsoClientRegistration("cid", "client-secret-value", DateTime.UtcNow);

        foreach (var text in new[] { token.ToString(), registration.ToString(), new SsoSession("corp", StartUrl, "us-east-1", token, "f", SsoTokenOrigin.Cached).ToString() })
        {
            Assert.DoesNotContain("the-secret", text);
            Assert.DoesNotContain("refresh-secret", text);
            Assert.DoesNotContain("client-secret", text);
        }

        Assert.EndsWith("1234", token.MaskedAccessToken);
    }
}
