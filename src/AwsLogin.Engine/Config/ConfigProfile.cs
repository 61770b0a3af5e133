using System;
using System.Collections.Generic;
using System.Globalization;

namespace AwsLogin.Engine.Config;

/// <summary>
/// One profile: its keys from the config file, overlaid by its keys from the credentials file (as botocore
/// merges them). Key names are lower-case, as botocore reads them. <see cref="ToString"/> shows only the name.
/// </summary>
public sealed class ConfigProfile
{
    private readonly Dictionary<string, string> _values;

    internal ConfigProfile(string name, Dictionary<string, string> values, bool inConfigFile, bool inCredentialsFile)
    {
        Name = name;
        _values = values;
        InConfigFile = inConfigFile;
        InCredentialsFile = inCredentialsFile;
    }

    /// <summary>The profile name ("default" for [default] or [profile default]).</summary>
    public string Name { get; }

    /// <summary>Every key (lower-case) and value; nested blocks (<c>s3 =</c>) have their raw value starting with "\n".</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>True when the config file has a section for this profile.</summary>
    public bool InConfigFile { get; }

    /// <summary>True when the credentials file has a section for this profile.</summary>
    public bool InCredentialsFile { get; }

    public string? Region => Get("region");

    public string? AccessKeyId => Get("aws_access_key_id");

    public string? SecretAccessKey => Get("aws_secret_access_key");

    /// <summary>aws_session_token, or the legacy aws_security_token, which botocore reads first.</summary>
    public string? SessionToken => Get("aws_security_token") ?? Get("aws_session_token");

    public string? RoleArn => Get("role_arn");

    public string? SourceProfile => Get("source_profile");

    /// <summary>Environment, EcsContainer or Ec2InstanceMetadata.</summary>
    public string? CredentialSource => Get("credential_source");

    public string? ExternalId => Get("external_id");

    public string? RoleSessionName => Get("role_session_name");

    public string? MfaSerial => Get("mfa_serial");

    /// <summary>duration_seconds; an <see cref="AwsLoginException"/> (InvalidConfiguration) when it is not a whole number.</summary>
    public int? DurationSeconds
    {
        get
        {
            if (Get("duration_seconds") is not { } text)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            {
                return seconds;
            }

            throw new AwsLoginException(
                FailureKind.InvalidConfiguration,
                "InvalidDurationSeconds",
                $"The duration_seconds of profile '{Name}' is not a whole number of seconds.",
                Name,
                "Set duration_seconds to a number of seconds such as 3600, or remove it.");
        }
    }

    public string? CredentialProcess => Get("credential_process");

    public string? SsoSession => Get("sso_session");

    public string? SsoStartUrl => Get("sso_start_url");

    public string? SsoRegion => Get("sso_region");

    public string? SsoAccountId => Get("sso_account_id");

    public string? SsoRoleName => Get("sso_role_name");

    public string? EndpointUrl => Get("endpoint_url");

    /// <summary>The name of the [services NAME] section this profile uses.</summary>
    public string? Services => Get("services");

    /// <summary>aws_account_id (botocore reads it for account-based endpoints).</summary>
    public string? AccountId => Get("aws_account_id");

    /// <summary>True when the profile holds aws_access_key_id and aws_secret_access_key.</summary>
    public bool HasStaticCredentials => !string.IsNullOrEmpty(AccessKeyId) && !string.IsNullOrEmpty(SecretAccessKey);

    /// <summary>A value by key (matched ignoring case), or null. Empty values count as absent, as the SDKs treat them.</summary>
    public string? Get(string key) =>
        _values.TryGetValue(IniDocument.Normalize(key), out var value) && value.Length > 0 ? value : null;

    /// <summary>The pairs of a nested block (<c>s3 =</c> followed by indented lines), or null.</summary>
    public IReadOnlyDictionary<string, string>? GetNested(string key) =>
        _values.TryGetValue(IniDocument.Normalize(key), out var value) ? IniDocument.ParseNested(value) : null;

    public override string ToString() => Name;
}

/// <summary>An <c>[sso-session NAME]</c> section of the config file.</summary>
public sealed class SsoSessionSection
{
    private readonly Dictionary<string, string> _values;

    internal SsoSessionSection(string name, Dictionary<string, string> values)
    {
        Name = name;
        _values = values;
    }

    public string Name { get; }

    /// <summary>Every key (lower-case) and value.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    public string? StartUrl => Get("sso_start_url");

    public string? Region => Get("sso_region");

    /// <summary>sso_registration_scopes split at commas, trimmed; empty when not set.</summary>
    public IReadOnlyList<string> RegistrationScopes
    {
        get
        {
            var scopes = new List<string>();
            foreach (var part in (Get("sso_registration_scopes") ?? string.Empty).Split(','))
            {
                if (part.Trim() is { Length: > 0 } scope)
                {
                    scopes.Add(scope);
                }
            }

            return scopes;
        }
    }

    /// <summary>A value by key (matched ignoring case), or null when absent or empty.</summary>
    public string? Get(string key) =>
        _values.TryGetValue(IniDocument.Normalize(key), out var value) && value.Length > 0 ? value : null;

    public override string ToString() => Name;
}
