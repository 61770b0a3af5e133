using System;
using System.Collections.Generic;

namespace AwsLogin.Engine.Config;

/// <summary>
/// The profiles, sso-sessions and services sections of the shared config and credentials files, read once and
/// mapped as botocore's build_profile_map and Session.full_config do.
/// </summary>
/// <remarks>
/// Config file: <c>[default]</c> and <c>[profile NAME]</c> are profiles (the name is split as shlex does, so
/// <c>[profile "my name"]</c> works; <c>[profile default]</c> is the default profile too, and whichever of the two
/// comes later replaces the other, as in botocore); <c>[sso-session NAME]</c> and <c>[services NAME]</c> are not
/// profiles; other sections are ignored. Credentials file: every <c>[NAME]</c> is a profile, and its keys override
/// the config file's keys of the same profile. A <c>[DEFAULT]</c> section in either file supplies keys to every
/// section of that file (configparser's defaults) and is not a profile. Missing files read as empty.
/// </remarks>
public sealed class ProfileStore
{
    /// <summary>The name of the default profile.</summary>
    public const string DefaultProfileName = "default";

    // configparser's default_section: its keys are inherited by every section and it is never listed.
    private const string ParserDefaultSection = "DEFAULT";

    private readonly Dictionary<string, ConfigProfile> _profiles = new(StringComparer.Ordinal);
    private readonly List<string> _profileNames = new();
    private readonly Dictionary<string, Dictionary<string, string>> _ssoSessions = new(StringComparer.Ordinal);
    private readonly List<string> _ssoSessionNames = new();
    private readonly Dictionary<string, Dictionary<string, string>> _services = new(StringComparer.Ordinal);

    private ProfileStore(string configPath, string credentialsPath, IniDocument config, IniDocument credentials)
    {
        ConfigPath = configPath;
        CredentialsPath = credentialsPath;
        Config = config;
        Credentials = credentials;
        Build();
    }

    /// <summary>The config file path (it may not exist).</summary>
    public string ConfigPath { get; }

    /// <summary>The credentials file path (it may not exist).</summary>
    public string CredentialsPath { get; }

    /// <summary>Profile names as <c>aws configure list-profiles</c> lists them: config profiles in file order, then credentials-only ones.</summary>
    public IReadOnlyList<string> ProfileNames => _profileNames.ToArray();

    /// <summary>The names of the <c>[sso-session NAME]</c> sections, in file order.</summary>
    public IReadOnlyList<string> SsoSessionNames => _ssoSessionNames.ToArray();

    internal IniDocument Config { get; }

    internal IniDocument Credentials { get; }

    /// <summary>Reads the files <paramref name="environment"/> points at (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, ~/.aws).</summary>
    public static ProfileStore Load(IEnvironmentReader environment) => Load(SharedConfigFiles.Resolve(environment));

    /// <summary>Reads both files; a missing file is empty. Unreadable or non-UTF-8 files raise an <see cref="AwsLoginException"/> (FileError).</summary>
    public static ProfileStore Load(SharedConfigFiles files)
    {
        var config = ConfigFileText.ReadOrNull(files.ConfigPath) ?? string.Empty;
        var credentials = ConfigFileText.ReadOrNull(files.CredentialsPath) ?? string.Empty;
        return new ProfileStore(files.ConfigPath, files.CredentialsPath, IniDocument.Parse(config), IniDocument.Parse(credentials));
    }

    /// <summary>A store over given text (null for a missing file); the paths are used only in messages.</summary>
    public static ProfileStore FromText(string? configText, string? credentialsText, string configPath = "config", string credentialsPath = "credentials") =>
        new(configPath, credentialsPath, IniDocument.Parse(configText ?? string.Empty), IniDocument.Parse(credentialsText ?? string.Empty));

    /// <summary>
    /// The config file section name for a profile: <c>default</c>, <c>profile NAME</c>, or <c>profile "NAME"</c>
    /// when the name holds whitespace or quotes (botocore splits section names as shlex does).
    /// </summary>
    public static string ConfigSectionName(string profileName)
    {
        if (string.IsNullOrEmpty(profileName))
        {
            throw new ArgumentException("A profile name is required.", nameof(profileName));
        }

        return profileName == DefaultProfileName ? DefaultProfileName : "profile " + ShellWords.Quote(profileName);
    }

    /// <summary>Finds a profile by its exact (case-sensitive) name.</summary>
    public bool TryGetProfile(string name, out ConfigProfile? profile) => _profiles.TryGetValue(name ?? string.Empty, out profile);

    /// <summary>The profile, or an <see cref="AwsLoginException"/> (NotFound, ProfileNotFound) naming both files.</summary>
    public ConfigProfile GetProfileOrThrow(string name)
    {
        if (TryGetProfile(name, out var profile))
        {
            return profile!;
        }

        throw new AwsLoginException(
            FailureKind.NotFound,
            "ProfileNotFound",
            $"The profile '{name}' was not found in {ConfigPath} or {CredentialsPath}.",
            name,
            "Run 'aws configure list-profiles' or Get-AwsProfile to see the profiles that exist, or pass another -ProfileName.");
    }

    /// <summary>Finds an <c>[sso-session NAME]</c> section.</summary>
    public bool TryGetSsoSession(string name, out SsoSessionSection? session)
    {
        session = _ssoSessions.TryGetValue(name ?? string.Empty, out var values) ? new SsoSessionSection(name!, values) : null;
        return session is not null;
    }

    /// <summary>
    /// A <c>[services NAME]</c> section: per service key (lower-case, e.g. <c>sts</c>), its nested settings
    /// (e.g. <c>endpoint_url</c>). Keys that are not nested blocks are left out.
    /// </summary>
    public bool TryGetServicesSection(string name, out IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? services)
    {
        services = null;
        if (!_services.TryGetValue(name ?? string.Empty, out var values))
        {
            return false;
        }

        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var pair in values)
        {
            if (IniDocument.ParseNested(pair.Value) is { } nested)
            {
                result[pair.Key] = nested;
            }
        }

        services = result;
        return true;
    }

    /// <summary>The endpoint_url that <c>[services NAME]</c> sets for <paramref name="serviceKey"/> (e.g. sts), or null.</summary>
    public string? GetServiceEndpointUrl(string servicesName, string serviceKey)
    {
        if (!TryGetServicesSection(servicesName, out var services)
            || !services!.TryGetValue(IniDocument.Normalize(serviceKey), out var settings)
            || !settings.TryGetValue("endpoint_url", out var url))
        {
            return null;
        }

        return url.Length > 0 ? url : null;
    }

    private void Build()
    {
        var values = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var configProfiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in Config.SectionNames)
        {
            if (section == ParserDefaultSection)
            {
                continue;
            }

            if (section.StartsWith("profile", StringComparison.Ordinal))
            {
                // botocore checks only the prefix, then takes the second shlex word: "[profilex dev]" is "dev" too.
                if (SecondWord(section) is { } profileName)
                {
                    SetProfile(values, profileName, WithDefaults(Config, section));
                    configProfiles.Add(profileName);
                }
            }
            else if (section.StartsWith("sso-session", StringComparison.Ordinal))
            {
                if (SecondWord(section) is { } sessionName)
                {
                    if (!_ssoSessions.ContainsKey(sessionName))
                    {
                        _ssoSessionNames.Add(sessionName);
                    }

                    _ssoSessions[sessionName] = WithDefaults(Config, section);
                }
            }
            else if (section.StartsWith("services", StringComparison.Ordinal))
            {
                if (SecondWord(section) is { } servicesName)
                {
                    _services[servicesName] = WithDefaults(Config, section);
                }
            }
            else if (section == DefaultProfileName)
            {
                SetProfile(values, DefaultProfileName, WithDefaults(Config, section));
                configProfiles.Add(DefaultProfileName);
            }
        }

        var credentialsProfiles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in Credentials.SectionNames)
        {
            if (section == ParserDefaultSection)
            {
                continue;
            }

            credentialsProfiles.Add(section);
            var fromCredentials = WithDefaults(Credentials, section);
            if (values.TryGetValue(section, out var existing))
            {
                // Session.full_config: dict.update, so credentials-file keys win key by key.
                foreach (var pair in fromCredentials)
                {
                    existing[pair.Key] = pair.Value;
                }
            }
            else
            {
                SetProfile(values, section, fromCredentials);
            }
        }

        foreach (var name in _profileNames)
        {
            _profiles[name] = new ConfigProfile(name, values[name], configProfiles.Contains(name), credentialsProfiles.Contains(name));
        }
    }

    private void SetProfile(Dictionary<string, Dictionary<string, string>> profiles, string name, Dictionary<string, string> values)
    {
        // A later section for the same profile replaces the earlier one's values but keeps its place in the list,
        // as a Python dict does.
        if (!profiles.ContainsKey(name))
        {
            _profileNames.Add(name);
        }

        profiles[name] = values;
    }

    private static Dictionary<string, string> WithDefaults(IniDocument document, string section)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in document.GetSection(ParserDefaultSection))
        {
            values[pair.Key] = pair.Value;
        }

        foreach (var pair in document.GetSection(section))
        {
            values[pair.Key] = pair.Value;
        }

        return values;
    }

    private static string? SecondWord(string section)
    {
        var words = ShellWords.Split(section);
        return words is { Count: 2 } ? words[1] : null;
    }
}
