using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AwsLogin.Engine.Sts;
using AwsLogin.Engine.Tests.Cache;
using AwsLogin.Engine.Tests.Sts;
using Xunit;
using static AwsLogin.Engine.Tests.Sts.BrokerHarness;

namespace AwsLogin.Engine.Tests.Sources;

/// <summary>
/// credential_process profiles: a small sh script prints the Version 1 JSON (or fails), and appends a line to a
/// counter file each time it runs, so the tests can tell a cache hit from a miss.
/// </summary>
public sealed class CredentialProcessSourceTests
{
    private const string StderrMessage = "token expired: run 'corp-login' first";

    [UnixFact]
    public async Task The_process_output_signs_the_role_and_the_process_runs_only_on_a_cache_miss()
    {
        await using var h = await StartAsync();
        var (command, counter) = Script(h, $"printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"{h.User.AccessKeyId}\", \"SecretAccessKey\": \"{h.User.SecretAccessKey}\"}}'");
        h.WriteConfig($"[profile corp]\ncredential_process = {command}\n[profile admin]\nrole_arn = {RoleA}\nsource_profile = corp\n");

        var first = await h.GetAsync(new IdentityRequest { ProfileName = "admin" });
        var second = await h.GetAsync(new IdentityRequest { ProfileName = "admin" });

        Assert.Equal(1, Runs(counter));
        var call = Assert.Single(h.Fake.Calls);
        Assert.Equal(h.User.AccessKeyId, call.SigningAccessKeyId);
        Assert.Equal(CredentialOrigin.AssumedRole, first.Origin);
        Assert.Equal(first.AccessKeyId, second.AccessKeyId);

        await h.GetAsync(new IdentityRequest { ProfileName = "admin", ForceRefresh = true });
        Assert.Equal(2, Runs(counter));
    }

    [UnixFact]
    public async Task A_process_profile_without_a_role_runs_the_process_every_time_and_returns_its_credentials()
    {
        await using var h = await StartAsync();
        var seeded = h.Fake.SeedTemporaryKey(RoleC);
        var expiration = seeded.Expiration.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var (command, counter) = Script(h,
            $"printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"{seeded.AccessKeyId}\", \"SecretAccessKey\": \"{seeded.SecretAccessKey}\", \"SessionToken\": \"{seeded.SessionToken}\", \"Expiration\": \"{expiration}\"}}'");
        h.WriteConfig($"[profile corp]\ncredential_process = {command}\nregion = eu-west-1\n");

        var result = await h.GetAsync(new IdentityRequest { ProfileName = "corp" });
        await h.GetAsync(new IdentityRequest { ProfileName = "corp" });

        Assert.Equal(2, Runs(counter));
        Assert.Empty(h.Fake.Calls);
        Assert.Equal(seeded.AccessKeyId, result.AccessKeyId);
        Assert.Equal(seeded.SessionToken, result.SessionToken);
        Assert.Equal(seeded.Expiration.UtcDateTime, result.Expiration);
        Assert.Equal(CredentialOrigin.Temporary, result.Origin);
        Assert.Equal("eu-west-1", result.Region);
    }

    [UnixFact]
    public async Task Static_keys_of_the_same_profile_win_over_its_credential_process()
    {
        await using var h = await StartAsync();
        var (command, counter) = Script(h, "echo should-not-run >&2; exit 1");
        h.WriteCredentials(h.UserKeySection("corp"));
        h.WriteConfig($"[profile corp]\ncredential_process = {command}\n");

        var result = await h.GetAsync(Hops(RoleA) with { ProfileName = "corp" });

        Assert.Equal(0, Runs(counter));
        Assert.Equal(h.User.AccessKeyId, Assert.Single(h.Fake.Calls).SigningAccessKeyId);
        Assert.Equal(CredentialOrigin.AssumedRole, result.Origin);
    }

    [UnixFact]
    public async Task A_non_zero_exit_is_CredentialProcessFailed_showing_stderr_but_not_stdout()
    {
        await using var h = await StartAsync();
        const string StdoutSecret = "stdoutSecretThatMustNotBeShown";
        var (command, _) = Script(h, $"echo '{StdoutSecret}'; echo \"{StderrMessage}\" >&2; exit 3");
        h.WriteConfig($"[profile corp]\ncredential_process = {command}\n[profile admin]\nrole_arn = {RoleA}\nsource_profile = corp\n");

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "admin" });

        Assert.Equal("CredentialProcessFailed", exception.Code);
        Assert.Equal(FailureKind.CredentialProcessFailed, exception.Kind);
        Assert.Equal("corp", exception.Target);
        Assert.Contains(StderrMessage, exception.Message, StringComparison.Ordinal);
        h.AssertNoSecrets(exception, StdoutSecret);
        Assert.Empty(h.Fake.Calls);
    }

    [UnixTheory]
    [InlineData("printf '%s' 'not json SECRETMARKER'")]
    [InlineData("printf '%s' '{\"Version\": 1, \"AccessKeyId\": \"AKIASECRETMARKER\", \"SecretAccessKey\": \"SECRETMARKER\"'")]
    [InlineData("printf '%s' '{\"Version\": 2, \"AccessKeyId\": \"AKIASECRETMARKER\", \"SecretAccessKey\": \"SECRETMARKER\"}'")]
    [InlineData("printf '%s' '{\"Version\": 1, \"AccessKeyId\": \"AKIASECRETMARKER\"}'")]
    [InlineData("printf '%s' '[\"SECRETMARKER\"]'")]
    [InlineData("true")]
    public async Task Bad_output_is_CredentialProcessInvalidOutput_without_echoing_stdout(string body)
    {
        await using var h = await StartAsync();
        var (command, _) = Script(h, body);
        h.WriteConfig($"[profile corp]\ncredential_process = {command}\n[profile admin]\nrole_arn = {RoleA}\nsource_profile = corp\n");

        var exception = await h.FailAsync(new IdentityRequest { ProfileName = "admin" });

        Assert.Equal("CredentialProcessInvalidOutput", exception.Code);
        Assert.Equal(FailureKind.CredentialProcessFailed, exception.Kind);
        h.AssertNoSecrets(exception, "SECRETMARKER");
        Assert.Empty(h.Fake.Calls);
    }

    [UnixFact]
    public async Task A_command_that_does_not_exist_is_CredentialProcessFailed()
    {
        await using var h = await StartAsync();
        h.WriteConfig($"[profile corp]\ncredential_process = {Path.Combine(h.Root, "no-such-command")} --flag\n");

        var exception = await h.FailAsync(Hops(RoleA) with { ProfileName = "corp" });

        Assert.Equal("CredentialProcessFailed", exception.Code);
        Assert.Equal(FailureKind.CredentialProcessFailed, exception.Kind);
    }

    [UnixFact]
    public async Task Arguments_with_quotes_and_spaces_reach_the_process_as_sh_splits_them()
    {
        await using var h = await StartAsync();
        var (command, counter) = Script(h,
            "[ \"$1\" = 'two words' ] && [ \"$2\" = 'a\"b' ] || { echo \"bad args: $*\" >&2; exit 9; }\n" +
            $"printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"{h.User.AccessKeyId}\", \"SecretAccessKey\": \"{h.User.SecretAccessKey}\"}}'");
        h.WriteConfig($"[profile corp]\ncredential_process = {command} \"two words\" 'a\"b'\n");

        await h.GetAsync(Hops(RoleA) with { ProfileName = "corp" });

        Assert.Equal(1, Runs(counter));
        Assert.Single(h.Fake.Calls);
    }

    [UnixFact]
    public async Task Backslashes_in_the_command_reach_sh_unchanged()
    {
        await using var h = await StartAsync();
        var folder = Path.Combine(h.Root, "my tools");
        Directory.CreateDirectory(folder);
        var (command, counter) = Script(h,
            "[ \"$1\" = 'a\\b' ] && [ \"$2\" = 'c\\\\' ] && [ \"$3\" = 'q\"' ] || { echo \"bad args: $*\" >&2; exit 9; }\n" +
            $"printf '%s' '{{\"Version\": 1, \"AccessKeyId\": \"{h.User.AccessKeyId}\", \"SecretAccessKey\": \"{h.User.SecretAccessKey}\"}}'");
        var script = command.Substring("sh ".Length);
        var moved = Path.Combine(folder, Path.GetFileName(script));
        File.Move(script, moved);

        // An escaped space in the path, a backslash inside quotes, two trailing backslashes, an escaped quote.
        h.WriteConfig($"[profile corp]\ncredential_process = sh {moved.Replace(" ", "\\ ")} 'a\\b' 'c\\\\' q\\\"\n");

        await h.GetAsync(Hops(RoleA) with { ProfileName = "corp" });

        Assert.Equal(1, Runs(counter));
        Assert.Single(h.Fake.Calls);
    }

    /// <summary>Writes an sh script that counts its runs then runs <paramref name="body"/>; returns the command line and counter path.</summary>
    private static (string Command, string Counter) Script(BrokerHarness h, string body)
    {
        var folder = Path.Combine(h.Root, "bin");
        Directory.CreateDirectory(folder);
        var counter = Path.Combine(folder, "runs-" + Guid.NewGuid().ToString("N"));
        var script = Path.Combine(folder, "credential-process-" + Guid.NewGuid().ToString("N") + ".sh");
        File.WriteAllText(script, $"#!/bin/sh\necho run >> '{counter}'\n{body}\n");
        return ($"sh {script}", counter);
    }

    private static int Runs(string counter) => File.Exists(counter) ? File.ReadAllLines(counter).Count(line => line == "run") : 0;
}
