using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace AwsLogin.Engine.Config;

/// <summary>
/// Where the shared config and credentials files are, found as botocore finds them: AWS_CONFIG_FILE and
/// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials, with environment variables and a
/// leading ~ expanded.
/// </summary>
public sealed class SharedConfigFiles
{
    /// <summary>Overrides the config file path.</summary>
    public const string ConfigFileVariable = "AWS_CONFIG_FILE";

    /// <summary>Overrides the credentials file path.</summary>
    public const string CredentialsFileVariable = "AWS_SHARED_CREDENTIALS_FILE";

    public SharedConfigFiles(string configPath, string credentialsPath)
    {
        ConfigPath = configPath ?? throw new ArgumentNullException(nameof(configPath));
        CredentialsPath = credentialsPath ?? throw new ArgumentNullException(nameof(credentialsPath));
    }

    /// <summary>The config file path (it may not exist).</summary>
    public string ConfigPath { get; }

    /// <summary>The credentials file path (it may not exist).</summary>
    public string CredentialsPath { get; }

    private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>Both paths, from <paramref name="environment"/>.</summary>
    public static SharedConfigFiles Resolve(IEnvironmentReader environment) => Resolve(environment, IsWindows);

    /// <summary>AWS_CONFIG_FILE, else ~/.aws/config.</summary>
    public static string ConfigFilePath(IEnvironmentReader environment) => ConfigFilePath(environment, IsWindows);

    /// <summary>AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.</summary>
    public static string CredentialsFilePath(IEnvironmentReader environment) => CredentialsFilePath(environment, IsWindows);

    /// <summary>
    /// The home folder as the AWS CLI and SDKs find it: on Windows USERPROFILE, then HOMEDRIVE+HOMEPATH, then HOME
    /// (Python's expanduser and .NET's UserProfile ignore a HOME that Git Bash or Cygwin set); elsewhere HOME.
    /// Throws an <see cref="AwsLoginException"/> (HomeDirectoryNotFound) when none is set.
    /// </summary>
    public static string HomeDirectory(IEnvironmentReader environment) => HomeDirectory(environment, IsWindows);

    /// <summary>Expands environment variables ($NAME, ${NAME}, and %NAME% on Windows) and then a leading ~, as botocore does.</summary>
    public static string ExpandHome(string path, IEnvironmentReader environment) => ExpandHome(path, environment, IsWindows);

    internal static SharedConfigFiles Resolve(IEnvironmentReader environment, bool isWindows) =>
        new(ConfigFilePath(environment, isWindows), CredentialsFilePath(environment, isWindows));

    internal static string ConfigFilePath(IEnvironmentReader environment, bool isWindows) =>
        FromVariableOrDefault(environment, ConfigFileVariable, "config", isWindows);

    internal static string CredentialsFilePath(IEnvironmentReader environment, bool isWindows) =>
        FromVariableOrDefault(environment, CredentialsFileVariable, "credentials", isWindows);

    internal static string HomeDirectory(IEnvironmentReader environment, bool isWindows)
    {
        if (isWindows)
        {
            // The same folder as the AWS CLI v2 on Windows, so the SSO token cache is shared.
            if (NonEmpty(environment.Get("USERPROFILE")) is { } profile)
            {
                return profile;
            }

            if (NonEmpty(environment.Get("HOMEDRIVE")) is { } drive && NonEmpty(environment.Get("HOMEPATH")) is { } homePath)
            {
                return drive + homePath;
            }
        }

        if (NonEmpty(environment.Get("HOME")) is { } home)
        {
            return home;
        }

        // Python falls back to the password database; .NET's UserProfile does the same on Unix.
        if (ReferenceEquals(environment, ProcessEnvironment.Instance)
            && NonEmpty(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)) is { } fromSystem)
        {
            return fromSystem;
        }

        throw new AwsLoginException(
            FailureKind.InvalidConfiguration,
            "HomeDirectoryNotFound",
            isWindows
                ? "The home folder is unknown: HOME, USERPROFILE and HOMEDRIVE/HOMEPATH are not set."
                : "The home folder is unknown: HOME is not set.",
            "HOME",
            $"Set HOME (or {ConfigFileVariable} and {CredentialsFileVariable}).");
    }

    internal static string ExpandHome(string path, IEnvironmentReader environment, bool isWindows)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        var expanded = ExpandVariables(path, environment, isWindows);
        if (expanded == "~")
        {
            return HomeDirectory(environment, isWindows);
        }

        // Only "~" followed by a separator means home; "~user" is left alone.
        if (expanded.Length >= 2 && expanded[0] == '~' && (expanded[1] == '/' || (isWindows && expanded[1] == '\\')))
        {
            var home = HomeDirectory(environment, isWindows).TrimEnd('/', '\\');
            return home + expanded.Substring(1);
        }

        return expanded;
    }

    private static string FromVariableOrDefault(IEnvironmentReader environment, string variable, string fileName, bool isWindows)
    {
        // botocore would read an empty AWS_CONFIG_FILE as a path that does not exist; the other SDKs, and we, treat it as unset.
        if (NonEmpty(environment.Get(variable)) is { } configured)
        {
            return ExpandHome(configured, environment, isWindows);
        }

        var home = HomeDirectory(environment, isWindows);
        var separator = isWindows ? "\\" : "/";
        return home.TrimEnd('/', '\\') + separator + ".aws" + separator + fileName;
    }

    // os.path.expandvars: $NAME and ${NAME} everywhere, %NAME% on Windows; unknown variables stay as written.
    private static string ExpandVariables(string path, IEnvironmentReader environment, bool isWindows)
    {
        if (path.IndexOf('$') < 0 && (!isWindows || path.IndexOf('%') < 0))
        {
            return path;
        }

        var builder = new StringBuilder(path.Length);
        var i = 0;
        while (i < path.Length)
        {
            var c = path[i];
            if (c == '$' && i + 1 < path.Length)
            {
                if (path[i + 1] == '{')
                {
                    var close = path.IndexOf('}', i + 2);
                    if (close > i + 2 && environment.Get(path.Substring(i + 2, close - i - 2)) is { } braced)
                    {
                        builder.Append(braced);
                        i = close + 1;
                        continue;
                    }
                }
                else
                {
                    var end = i + 1;
                    while (end < path.Length && (char.IsLetterOrDigit(path[end]) || path[end] == '_'))
                    {
                        end++;
                    }

                    if (end > i + 1 && environment.Get(path.Substring(i + 1, end - i - 1)) is { } plain)
                    {
                        builder.Append(plain);
                        i = end;
                        continue;
                    }
                }
            }
            else if (c == '%' && isWindows)
            {
                var close = path.IndexOf('%', i + 1);
                if (close > i + 1 && environment.Get(path.Substring(i + 1, close - i - 1)) is { } percent)
                {
                    builder.Append(percent);
                    i = close + 1;
                    continue;
                }
            }

            builder.Append(c);
            i++;
        }

        return builder.ToString();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
