using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml.Adfs;
using AwsLogin.Engine.Saml.Browser;
using AwsLogin.Engine.Saml.Ecp;
using AwsLogin.Engine.Saml.Okta;

namespace AwsLogin.Engine.Saml.LoginProfiles;

/// <summary>
/// What a sign-in may use besides its settings: a credential and passcode given outright, the host's prompts (null
/// where nobody can answer, as in credential_process), and the password vault.
/// </summary>
public sealed record SamlSignInServices
{
    /// <summary>Nothing given and nobody to ask: a silent sign-in.</summary>
    public static readonly SamlSignInServices Silent = new();

    public IdpCredential? Credential { get; init; }

    public SecureString? Passcode { get; init; }

    public IdpCredentialProvider? CredentialProvider { get; init; }

    public PasscodeProvider? PasscodeProvider { get; init; }

    /// <summary>Opens the SecretManagement vault of that name; null where vaults cannot be used.</summary>
    public Func<string, IIdpPasswordVault>? VaultFactory { get; init; }

    /// <summary>Ask for the password even when the vault or config file has one.</summary>
    public bool AskPassword { get; init; }

    /// <summary>Whether someone can answer (a prompt exists); a silent sign-in shows no browser window either.</summary>
    public bool CanAsk => CredentialProvider is not null;
}

/// <summary>Turns sign-in settings (a login profile, or the command line) into a provider.</summary>
public static class SamlSignIn
{
    /// <summary>How long a silent browser sign-in may take before it counts as needing the user.</summary>
    public static readonly TimeSpan SilentBrowserTimeout = TimeSpan.FromSeconds(45);

    /// <summary>The provider options for <paramref name="settings"/>, with <paramref name="services"/> as its callbacks.</summary>
    public static SamlProviderOptions CreateOptions(SamlLoginProfile settings, SamlSignInServices services)
    {
        settings.Validate();
        // Without a vault factory the vault is reported only when a password is needed: cached credentials and an
        // IdP session still work.
        var vault = settings.Vault is { } vaultName
            ? services.VaultFactory?.Invoke(vaultName) ?? new UnavailableVault(settings.ProfileName, vaultName)
            : null;
        SamlProviderOptions options = settings.Provider switch
        {
            SamlProviderKind.Ecp => new EcpProviderOptions(settings.EndpointUrl)
            {
                Factor = settings.Factor is { } factor ? ParseDuoFactor(factor) : null,
                DuoFactorHeader = settings.DuoFactorHeader ?? EcpProviderOptions.DefaultDuoFactorHeader,
                DuoPasscodeHeader = settings.DuoPasscodeHeader ?? EcpProviderOptions.DefaultDuoPasscodeHeader,
            },
            SamlProviderKind.Adfs => new AdfsProviderOptions(settings.EndpointUrl)
            {
                UseDefaultCredentials = settings.UseDefaultCredentials,
            },
            SamlProviderKind.Okta => new OktaProviderOptions(settings.EndpointUrl)
            {
                Factor = settings.Factor switch
                {
                    "push" => OktaFactor.Push,
                    "totp" => OktaFactor.Totp,
                    _ => OktaFactor.Auto,
                },
            },
            // Silently, the browser runs headless for a short while: enough when the IdP session in its kept profile
            // is still valid, and never a window nobody is waiting for.
            SamlProviderKind.Browser => new BrowserProviderOptions(settings.EndpointUrl)
            {
                BrowserPath = settings.BrowserPath,
                Headless = settings.Headless || !services.CanAsk,
            },
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Provider, "Unknown SAML provider."),
        };

        return options with
        {
            ProfileName = settings.ProfileName,
            Credential = services.Credential,
            CredentialProvider = services.CredentialProvider,
            Passcode = services.Passcode,
            PasscodeProvider = services.PasscodeProvider,
            UserName = settings.UserName,
            PasswordVault = vault,
            PlainPassword = settings.PlainPassword is { } plain ? IdpCredential.Protect(plain) : null,
            AskPassword = services.AskPassword,
            Timeout = options is BrowserProviderOptions && !services.CanAsk ? SilentBrowserTimeout : options.Timeout,
            SkipCertificateCheck = settings.SkipCertificateCheck,
        };
    }

    /// <summary>The request the settings make: their role, session length and region, cached under their profile name.</summary>
    public static SamlCredentialRequest CreateRequest(SamlLoginProfile settings, ISamlAssertionProvider provider) => new(provider)
    {
        RoleArns = settings.RoleArn is { } role ? new[] { role } : Array.Empty<string>(),
        DurationSeconds = settings.DurationSeconds,
        Region = settings.Region,
        ProfileName = settings.ProfileName,
    };

    /// <summary>The provider for <paramref name="settings"/>.</summary>
    public static ISamlAssertionProvider CreateProvider(SamlLoginProfile settings, SamlSignInServices services, EngineContext context) =>
        SamlProviders.Create(CreateOptions(settings, services), context);

    /// <summary>
    /// Role credentials for a login profile without anyone to ask: cached ones while valid, else a sign-in with the
    /// IdP session, the vault's password or a push factor. When that needs an answer nobody can give, the error names
    /// the command to run interactively (never a wait for input that credential_process cannot give).
    /// </summary>
    public static async Task<CredentialSet> GetProfileCredentialsAsync(SamlLoginProfile settings, SamlSignInServices services, bool forceRefresh, EngineContext context, CancellationToken cancellationToken, Config.ProfileStore? store = null)
    {
        var request = CreateRequest(settings, CreateProvider(settings, services, context)) with { ForceRefresh = forceRefresh, Store = store };
        try
        {
            var credentials = await new SamlCredentialBroker(context).GetCredentialsAsync(request, cancellationToken).ConfigureAwait(false);
            return credentials[0] with
            {
                Source = $"profile {settings.ProfileName} (SAML sign-in at {settings.EndpointUrl.Host})",
                Region = settings.Region ?? credentials[0].Region,
            };
        }
        catch (AwsLoginException ex) when (ex.Code is SamlErrors.CredentialRequired or SamlErrors.PasscodeRequired or SamlErrors.RoleChoiceRequired
            || (!services.CanAsk && ex.Code is SamlErrors.AuthenticationFailed or SamlErrors.BrowserTimedOut))
        {
            throw SignInRequired(settings.ProfileName, ex);
        }
    }

    private static DuoFactor ParseDuoFactor(string factor) => factor switch
    {
        "auto" => DuoFactor.Auto,
        "push" => DuoFactor.Push,
        "passcode" => DuoFactor.Passcode,
        "sms" => DuoFactor.Sms,
        "phone" => DuoFactor.Phone,
        _ => throw new ArgumentOutOfRangeException(nameof(factor)),
    };

    private static AwsLoginException SignInRequired(string profileName, AwsLoginException cause) => new(
        FailureKind.NoCredentials,
        "SamlSignInRequired",
        $"The login profile '{profileName}' has no valid cached credentials and cannot sign in without asking: {cause.Message}",
        profileName,
        cause.Code == SamlErrors.RoleChoiceRequired
            ? $"Choose the role once: Set-AwsLoginProfile -ProfileName '{profileName}' -RoleArn <role ARN> (Get-AwsSamlRole -ProfileName '{profileName}' lists them)."
            : cause.Code == SamlErrors.AuthenticationFailed
                ? $"Sign in interactively with the current password: Connect-AwsSaml -ProfileName '{profileName}' -AskPassword (it replaces the password kept in the vault)."
                : $"Sign in interactively once: Connect-AwsSaml -ProfileName '{profileName}'. To sign in without a prompt later, keep the password in a vault (Set-AwsLoginProfile -Vault) and use a push factor.",
        cause);

    private sealed class UnavailableVault : IIdpPasswordVault
    {
        private readonly string _profileName;

        public UnavailableVault(string profileName, string name)
        {
            _profileName = profileName;
            Name = name;
        }

        public string Name { get; }

        public Task<SecureString?> GetAsync(Uri endpoint, string userName, CancellationToken cancellationToken) => throw Unavailable();

        public Task SaveAsync(Uri endpoint, string userName, SecureString password, CancellationToken cancellationToken) => throw Unavailable();

        private AwsLoginException Unavailable() => new(
            FailureKind.InvalidConfiguration,
            "SamlVaultUnavailable",
            $"The login profile '{_profileName}' keeps its password in SecretManagement vault '{Name}', which cannot be used here (a background refresh has no PowerShell host).",
            _profileName,
            $"Sign in again in the foreground: Connect-AwsSaml -ProfileName '{_profileName}'.");
    }
}
