using System;

namespace AwsLogin.Engine.Saml.LoginProfiles;

/// <summary>
/// Changes to sign-in settings, as given on a command line: null leaves a setting as it is, an empty string clears it.
/// Set-AwsLoginProfile saves the result; Connect-AwsSaml and Get-AwsSamlRole use it for one sign-in only.
/// </summary>
public sealed record SamlLoginProfilePatch
{
    public SamlProviderKind? Provider { get; init; }

    public Uri? EndpointUrl { get; init; }

    public string? UserName { get; init; }

    public string? RoleArn { get; init; }

    /// <summary>A session length; 0 clears it.</summary>
    public int? DurationSeconds { get; init; }

    public string? Factor { get; init; }

    public string? DuoFactorHeader { get; init; }

    public string? DuoPasscodeHeader { get; init; }

    public bool? SkipCertificateCheck { get; init; }

    public string? Vault { get; init; }

    public string? BrowserPath { get; init; }

    public bool? Headless { get; init; }

    public bool? UseDefaultCredentials { get; init; }

    public string? Region { get; init; }

    /// <summary>
    /// The settings of <paramref name="profileName"/> after this patch: <paramref name="existing"/> changed, or new
    /// settings (which need a provider and an endpoint). Settings only another provider uses are dropped when the
    /// provider changes. Invalid results raise an <see cref="AwsLoginException"/>.
    /// </summary>
    public SamlLoginProfile ApplyTo(SamlLoginProfile? existing, string profileName)
    {
        SamlLoginProfile settings;
        if (existing is null)
        {
            if (Provider is not { } provider || EndpointUrl is not { } endpoint)
            {
                throw new AwsLoginException(FailureKind.InvalidArgument, "SamlSettingsRequired",
                    $"There is no login profile '{profileName}', and the sign-in settings are incomplete: a provider and an endpoint URL are needed.", profileName,
                    $"Pass -Provider and -EndpointUrl, or create the login profile first: Set-AwsLoginProfile -ProfileName '{profileName}' -Provider <provider> -EndpointUrl <url>.");
            }

            settings = new SamlLoginProfile(profileName, provider, endpoint);
        }
        else
        {
            settings = existing with { ProfileName = profileName };
            if (Provider is { } provider && provider != existing.Provider)
            {
                settings = settings with
                {
                    Provider = provider,
                    Factor = null,
                    DuoFactorHeader = null,
                    DuoPasscodeHeader = null,
                    BrowserPath = null,
                    Headless = false,
                    UseDefaultCredentials = false,
                };
            }

            if (EndpointUrl is { } endpoint)
            {
                settings = settings with { EndpointUrl = endpoint };
            }
        }

        settings = settings with
        {
            UserName = Change(settings.UserName, UserName),
            RoleArn = Change(settings.RoleArn, RoleArn),
            DurationSeconds = DurationSeconds switch { null => settings.DurationSeconds, 0 => null, { } seconds => seconds },
            Factor = Change(settings.Factor, Factor?.ToLowerInvariant()),
            DuoFactorHeader = Change(settings.DuoFactorHeader, DuoFactorHeader),
            DuoPasscodeHeader = Change(settings.DuoPasscodeHeader, DuoPasscodeHeader),
            SkipCertificateCheck = SkipCertificateCheck ?? settings.SkipCertificateCheck,
            Vault = Change(settings.Vault, Vault),
            BrowserPath = Change(settings.BrowserPath, BrowserPath),
            Headless = Headless ?? settings.Headless,
            UseDefaultCredentials = UseDefaultCredentials ?? settings.UseDefaultCredentials,
            Region = Change(settings.Region, Region),
        };
        settings.Validate();
        return settings;
    }

    private static string? Change(string? current, string? patch) => patch switch
    {
        null => current,
        "" => null,
        _ => patch.Trim(),
    };
}
