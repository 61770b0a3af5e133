using System;
using System.Text.Json;
using AwsLogin.Engine.Output;
using Xunit;

namespace AwsLogin.Engine.Tests.Output;

public sealed class CredentialProcessJsonTests
{
    private const string Marker = "SECRETMARKER";

    [Fact]
    public void Serialize_writes_one_line_in_the_contract_order()
    {
        var credentials = new CredentialSet("ASIAIOSFODNN7EXAMPLE", "wJalr/K7+MDENG==", "Fwo//token+=")
        {
            Expiration = new DateTime(2026, 11, 23, 12, 0, 0, 500, DateTimeKind.Utc),
            AccountId = "123456789012",
        };

        Assert.Equal(
            "{\"Version\":1,\"AccessKeyId\":\"ASIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":\"wJalr/K7+MDENG==\",\"SessionToken\":\"Fwo//token+=\",\"Expiration\":\"2026-11-23T12:00:00Z\",\"AccountId\":\"123456789012\"}",
            CredentialProcessJson.Serialize(credentials));
    }

    [Fact]
    public void Serialize_leaves_out_what_is_unknown()
    {
        Assert.Equal(
            "{\"Version\":1,\"AccessKeyId\":\"AKIAIOSFODNN7EXAMPLE\",\"SecretAccessKey\":\"s\"}",
            CredentialProcessJson.Serialize(new CredentialSet("AKIAIOSFODNN7EXAMPLE", "s", null)));
    }

    [Fact]
    public void Serialize_then_Parse_round_trips_any_text()
    {
        var original = new CredentialSet("ASIA\"key\\", "s\"e\\c<r>e&t'\u2028é\n\t", "tok\u0001en") { Expiration = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), AccountId = "123456789012" };

        var json = CredentialProcessJson.Serialize(original);
        var parsed = CredentialProcessJson.Parse(json);

        Assert.DoesNotContain("\n", json);
        Assert.Equal(original.AccessKeyId, parsed.AccessKeyId);
        Assert.Equal(original.SecretAccessKey, parsed.SecretAccessKey);
        Assert.Equal(original.SessionToken, parsed.SessionToken);
        Assert.Equal(original.Expiration, parsed.Expiration);
        Assert.Equal(DateTimeKind.Utc, parsed.Expiration!.Value.Kind);
        Assert.Equal("123456789012", parsed.AccountId);
        Assert.Equal(CredentialOrigin.Temporary, parsed.Origin);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(1, document.RootElement.GetProperty("Version").GetInt32());
    }

    [Fact]
    public void Parse_reads_the_aws_cli_export_credentials_output()
    {
        var json = "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"ASIAIOSFODNN7EXAMPLE\",\n  \"SecretAccessKey\": \"secret\",\n  \"SessionToken\": \"token\",\n  \"Expiration\": \"2026-11-23T12:00:00+00:00\"\n}\n";

        var parsed = CredentialProcessJson.Parse(json);

        Assert.Equal(new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc), parsed.Expiration);
        Assert.Equal("credential_process", parsed.Source);
    }

    [Fact]
    public void Parse_of_keys_without_a_token_gives_long_term_keys()
    {
        var parsed = CredentialProcessJson.Parse("{\"Version\": 1.0, \"AccessKeyId\": \"AKIA\", \"SecretAccessKey\": \"s\", \"SessionToken\": null, \"Unknown\": [1]}");

        Assert.Null(parsed.SessionToken);
        Assert.Null(parsed.Expiration);
        Assert.Equal(CredentialOrigin.LongTermKeys, parsed.Origin);
    }

    [Fact]
    public void Parse_keeps_the_last_of_duplicate_keys_as_python_does()
    {
        var parsed = CredentialProcessJson.Parse("{\"Version\": 1, \"AccessKeyId\": \"first\", \"SecretAccessKey\": \"s\", \"AccessKeyId\": \"second\"}");

        Assert.Equal("second", parsed.AccessKeyId);
    }

    [Theory]
    [InlineData("2026-11-23T12:00:00Z", 0)]
    [InlineData("2026-11-23T12:00:00.5Z", 5_000_000)]
    [InlineData("2026-11-23T12:00:00.123456789Z", 1_234_567)]
    [InlineData("2026-11-23T14:00:00+02:00", 0)]
    [InlineData("2026-11-23T07:00:00-0500", 0)]
    [InlineData("2026-11-23t12:00:00z", 0)]
    [InlineData("2026-11-23 12:00:00Z", 0)]
    public void Parse_reads_rfc3339_expirations(string expiration, long extraTicks)
    {
        var parsed = CredentialProcessJson.Parse($"{{\"Version\": 1, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"s\", \"Expiration\": \"{expiration}\"}}");

        Assert.Equal(new DateTime(2026, 11, 23, 12, 0, 0, DateTimeKind.Utc).AddTicks(extraTicks), parsed.Expiration);
    }

    [Theory]
    [InlineData("Unsupported Version '2'", "{\"Version\": 2, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"SECRETMARKER\"}")]
    [InlineData("no Version", "{\"AccessKeyId\": \"a\", \"SecretAccessKey\": \"SECRETMARKER\"}")]
    [InlineData("Version that is a JSON string", "{\"Version\": \"1\", \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"SECRETMARKER\"}")]
    [InlineData("Version that is a JSON boolean", "{\"Version\": true, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"SECRETMARKER\"}")]
    [InlineData("'AccessKeyId'", "{\"Version\": 1, \"SecretAccessKey\": \"SECRETMARKER\"}")]
    [InlineData("'SecretAccessKey'", "{\"Version\": 1, \"AccessKeyId\": \"SECRETMARKER\"}")]
    [InlineData("'SecretAccessKey'", "{\"Version\": 1, \"AccessKeyId\": \"a\", \"SecretAccessKey\": null, \"SessionToken\": \"SECRETMARKER\"}")]
    [InlineData("empty AccessKeyId", "{\"Version\": 1, \"AccessKeyId\": \"\", \"SecretAccessKey\": \"SECRETMARKER\"}")]
    [InlineData("AccessKeyId that is a JSON number", "{\"Version\": 1, \"AccessKeyId\": 12, \"SecretAccessKey\": \"SECRETMARKER\"}")]
    [InlineData("SessionToken that is a JSON object", "{\"Version\": 1, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"SECRETMARKER\", \"SessionToken\": {}}")]
    [InlineData("not an RFC 3339 timestamp", "{\"Version\": 1, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"SECRETMARKER\", \"Expiration\": \"SECRETMARKER tomorrow\"}")]
    [InlineData("not an RFC 3339 timestamp", "{\"Version\": 1, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"SECRETMARKER\", \"Expiration\": \"2026-11-23T12:00:00\"}")]
    [InlineData("not an RFC 3339 timestamp", "{\"Version\": 1, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"SECRETMARKER\", \"Expiration\": \"2026-13-23T12:00:00Z\"}")]
    [InlineData("not valid JSON", "SECRETMARKER")]
    [InlineData("not valid JSON", "{\"Version\": 1, \"AccessKeyId\": \"a\", \"SecretAccessKey\": \"SECRETMARKER\",}")]
    [InlineData("not valid JSON", "Enter MFA code: {\"Version\": 1, \"SecretAccessKey\": \"SECRETMARKER\"}")]
    [InlineData("a JSON array", "[\"SECRETMARKER\"]")]
    [InlineData("printed nothing", " \n ")]
    public void Parse_names_the_problem_without_repeating_the_output(string expected, string output)
    {
        var error = Assert.Throws<AwsLoginException>(() => CredentialProcessJson.Parse(output));

        Assert.Equal(FailureKind.CredentialProcessFailed, error.Kind);
        Assert.Equal("CredentialProcessInvalidOutput", error.Code);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain(Marker, error.Message);
        Assert.DoesNotContain(Marker, error.RecommendedAction);
        Assert.Null(error.InnerException);
    }
}
