using System.Diagnostics;
using System.IO;
using System.Linq;
using Amazon.Runtime;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Tests.Cache;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

/// <summary>
/// The credential_process line must reach pwsh as the intended argv through every runner: the AWS SDK for .NET
/// (sh -c on Unix), the AWS CLI (shlex.split) and a shell. pwsh itself is not needed: a stand-in prints its argv.
/// </summary>
public sealed class SsoConfigCredentialProcessTests
{
    private const string PowerShellCommand = "Get-AwsRoleCredential -SsoSession 'corp' -SsoAccountId '012345678901' -SsoRoleName 'Admin,Ops' -AsProcessJson";

    private static readonly string[] s_pwshArguments = { "-NoProfile", "-NonInteractive", "-Command", PowerShellCommand };

    private static string Line => SsoConfigNames.CredentialProcessCommand("corp", "012345678901", "Admin,Ops");

    [Fact]
    public void The_AWS_CLI_splits_the_line_into_pwsh_and_one_command_word()
    {
        // botocore splits credential_process with shlex.split on Unix; ShellWords is that split.
        Assert.Equal(new[] { "pwsh" }.Concat(s_pwshArguments), ShellWords.Split(Line));
    }

    [UnixFact]
    public void The_AWS_SDK_for_dotnet_runs_the_line_through_sh_and_pwsh_gets_the_intended_arguments()
    {
        using var folder = new TempFolder();
        var fake = FakePwsh(folder);

        // The same line with the executable replaced by the stand-in, which returns its arguments as the secret key.
        var credentials = new ProcessAWSCredentials(fake + Line.Substring(SsoConfigNames.DefaultPowerShell.Length)).GetCredentials();

        Assert.Equal("ASIAFAKEFAKEFAKEFAKE", credentials.AccessKey);
        Assert.Equal(string.Join("|", s_pwshArguments) + "|", credentials.SecretKey);
    }

    [UnixFact]
    public void A_shell_gives_pwsh_the_intended_arguments()
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("printf '%s\\n'" + Line.Substring(SsoConfigNames.DefaultPowerShell.Length));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(string.Join("\n", s_pwshArguments) + "\n", output);
    }

    [Fact]
    public void The_PowerShell_command_quotes_every_value_so_that_none_is_read_as_a_number_array_or_parameter()
    {
        // Unquoted, PowerShell would read 012345678901 as the number 12345678901 and Admin,Ops as an array.
        foreach (var value in new[] { "'corp'", "'012345678901'", "'Admin,Ops'" })
        {
            Assert.Contains(" " + value + " ", PowerShellCommand, System.StringComparison.Ordinal);
        }

        Assert.Equal(PowerShellCommand, ShellWords.Split(Line)![4]);
    }

    // A pwsh stand-in that answers with credential_process JSON carrying its arguments, joined by '|'.
    private static string FakePwsh(TempFolder folder)
    {
        var path = folder.File("fake-pwsh");
        File.WriteAllText(
            path,
            "#!/bin/sh\n" +
            "args=''\n" +
            "for a in \"$@\"; do args=\"$args$a|\"; done\n" +
            "printf '{\"Version\": 1, \"AccessKeyId\": \"ASIAFAKEFAKEFAKEFAKE\", \"SecretAccessKey\": \"%s\", \"SessionToken\": \"token\", \"Expiration\": \"2099-01-01T00:00:00Z\"}' \"$args\"\n");
        UnixMode.Set(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
