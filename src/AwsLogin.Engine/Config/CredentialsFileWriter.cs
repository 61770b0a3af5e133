using System;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Output;

namespace AwsLogin.Engine.Config;

/// <summary>
/// Writes one profile's keys into the shared credentials file, keeping every other line as it is.
/// </summary>
/// <remarks>
/// Keys written: aws_access_key_id, aws_secret_access_key, aws_session_token (removed when the new set has
/// none), aws_account_id (botocore reads it for account-based endpoints; removed when unknown so it cannot point
/// at another account) and <see cref="ExpirationKey"/>. aws_security_token is always removed: botocore reads it
/// before aws_session_token, so a stale one would override the new token.
/// </remarks>
public static class CredentialsFileWriter
{
    /// <summary>
    /// The expiration key: AWS tools ignore unknown keys, and this one is the de facto convention (written by
    /// saml2aws and aws-google-auth, read by prompts such as Starship to show the time left). RFC 3339 UTC.
    /// </summary>
    public const string ExpirationKey = "x_security_token_expires";

    // configparser's defaults section: keys there apply to every profile, so it can never hold one profile's keys.
    private const string ParserDefaultSection = "DEFAULT";

    /// <summary>Plans writing <paramref name="credentials"/> to profile <paramref name="profileName"/> (a <c>[NAME]</c> section).</summary>
    public static FileChange PlanUpdate(string path, string profileName, CredentialSet credentials)
    {
        ValidateProfileName(profileName);
        if (credentials is null)
        {
            throw new ArgumentNullException(nameof(credentials));
        }

        return ConfigFileEditor.Plan(path, secret: true, document =>
        {
            document.SetValue(profileName, "aws_access_key_id", credentials.AccessKeyId);
            document.SetValue(profileName, "aws_secret_access_key", credentials.SecretAccessKey);
            SetOrRemove(document, profileName, "aws_session_token", credentials.SessionToken);
            document.RemoveKey(profileName, "aws_security_token");
            SetOrRemove(document, profileName, "aws_account_id", credentials.AccountId);
            SetOrRemove(document, profileName, ExpirationKey, credentials.Expiration is { } expiration ? Rfc3339.Format(expiration) : null);
        });
    }

    /// <summary>Plans removing the profile's section from the credentials file.</summary>
    public static FileChange PlanRemove(string path, string profileName)
    {
        ValidateProfileName(profileName);
        return ConfigFileEditor.Plan(path, secret: true, document => document.RemoveSection(profileName));
    }

    /// <summary>Applies a planned change; see <see cref="ConfigFileEditor.ApplyAsync"/>.</summary>
    public static Task<bool> ApplyAsync(FileChange change, CancellationToken cancellationToken) =>
        ConfigFileEditor.ApplyAsync(change, ConfigFileEditor.DefaultLockTimeout, cancellationToken);

    /// <summary>Applies a planned change, blocking; see <see cref="ConfigFileEditor.ApplyAsync"/>.</summary>
    public static bool Apply(FileChange change, CancellationToken cancellationToken = default) =>
        ConfigFileEditor.Apply(change, cancellationToken);

    private static void SetOrRemove(IniDocument document, string section, string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            document.RemoveKey(section, key);
        }
        else
        {
            document.SetValue(section, key, value!);
        }
    }

    private static void ValidateProfileName(string profileName)
    {
        if (profileName is null)
        {
            throw new ArgumentNullException(nameof(profileName));
        }

        if (profileName.Length == 0 || profileName.Trim().Length != profileName.Length || profileName.IndexOfAny(new[] { '\r', '\n', '[', ']' }) >= 0 || profileName == ParserDefaultSection)
        {
            throw new AwsLoginException(
                FailureKind.InvalidArgument,
                "InvalidProfileName",
                $"'{profileName}' cannot be a profile name in the credentials file: it must not be empty, be 'DEFAULT', begin or end with whitespace, or contain brackets or line breaks.",
                profileName,
                "Choose another profile name.");
        }
    }
}
