using AwsLogin.Engine.Config;
using Xunit;

namespace AwsLogin.Engine.Tests.Config;

public sealed class SharedConfigFilesTests
{
    [Fact]
    public void Defaults_to_the_aws_folder_under_HOME()
    {
        var environment = new DictionaryEnvironment { ["HOME"] = "/home/u" };

        var files = SharedConfigFiles.Resolve(environment, isWindows: false);

        Assert.Equal("/home/u/.aws/config", files.ConfigPath);
        Assert.Equal("/home/u/.aws/credentials", files.CredentialsPath);
    }

    [Fact]
    public void The_environment_variables_override_the_paths_with_tilde_and_variables_expanded()
    {
        var environment = new DictionaryEnvironment
        {
            ["HOME"] = "/home/u",
            ["XDG_CONFIG_HOME"] = "/home/u/.config",
            [SharedConfigFiles.ConfigFileVariable] = "${XDG_CONFIG_HOME}/aws/config",
            [SharedConfigFiles.CredentialsFileVariable] = "~/secrets/$NOT_SET/credentials",
        };

        var files = SharedConfigFiles.Resolve(environment, isWindows: false);

        Assert.Equal("/home/u/.config/aws/config", files.ConfigPath);
        Assert.Equal("/home/u/secrets/$NOT_SET/credentials", files.CredentialsPath);
    }

    [Fact]
    public void An_empty_variable_counts_as_unset()
    {
        var environment = new DictionaryEnvironment { ["HOME"] = "/h", [SharedConfigFiles.ConfigFileVariable] = string.Empty };

        Assert.Equal("/h/.aws/config", SharedConfigFiles.ConfigFilePath(environment, isWindows: false));
    }

    [Fact]
    public void On_windows_USERPROFILE_comes_first_then_HOMEDRIVE_and_HOMEPATH_then_HOME()
    {
        var all = new DictionaryEnvironment { ["HOME"] = @"D:\home", ["USERPROFILE"] = @"C:\Users\u", ["HOMEDRIVE"] = "E:", ["HOMEPATH"] = @"\Users\e" };
        var noProfile = new DictionaryEnvironment { ["HOME"] = @"D:\home", ["HOMEDRIVE"] = "E:", ["HOMEPATH"] = @"\Users\e" };
        var homeOnly = new DictionaryEnvironment { ["HOME"] = @"D:\home" };

        Assert.Equal(@"C:\Users\u\.aws\credentials", SharedConfigFiles.CredentialsFilePath(all, isWindows: true));
        Assert.Equal(@"E:\Users\e\.aws\config", SharedConfigFiles.ConfigFilePath(noProfile, isWindows: true));
        Assert.Equal(@"D:\home\.aws\config", SharedConfigFiles.ConfigFilePath(homeOnly, isWindows: true));
    }

    [Fact]
    public void USERPROFILE_is_not_used_outside_windows()
    {
        var environment = new DictionaryEnvironment { ["USERPROFILE"] = "/somewhere" };

        var error = Assert.Throws<AwsLoginException>(() => SharedConfigFiles.HomeDirectory(environment, isWindows: false));

        Assert.Equal("HomeDirectoryNotFound", error.Code);
        Assert.Equal(FailureKind.InvalidConfiguration, error.Kind);
    }

    [Fact]
    public void Windows_expands_percent_variables_and_a_tilde_with_a_backslash()
    {
        var environment = new DictionaryEnvironment { ["USERPROFILE"] = @"C:\Users\u", ["APPDATA"] = @"C:\Users\u\AppData\Roaming" };

        Assert.Equal(@"C:\Users\u\AppData\Roaming\aws\config", SharedConfigFiles.ExpandHome(@"%APPDATA%\aws\config", environment, isWindows: true));
        Assert.Equal(@"C:\Users\u\.aws\x", SharedConfigFiles.ExpandHome(@"~\.aws\x", environment, isWindows: true));
        Assert.Equal("%APPDATA%/x", SharedConfigFiles.ExpandHome("%APPDATA%/x", environment, isWindows: false));
    }

    [Theory]
    [InlineData("~", "/home/u")]
    [InlineData("~/a", "/home/u/a")]
    [InlineData("~user/a", "~user/a")]
    [InlineData("/abs/~/a", "/abs/~/a")]
    [InlineData("$HOME/b", "/home/u/b")]
    public void ExpandHome_expands_only_a_leading_tilde(string path, string expected)
    {
        var environment = new DictionaryEnvironment { ["HOME"] = "/home/u" };

        Assert.Equal(expected, SharedConfigFiles.ExpandHome(path, environment, isWindows: false));
    }
}
