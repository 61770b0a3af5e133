using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Completers;
using AwsLogin.Engine;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.LoginProfiles;

namespace AwsLogin.Commands.Saml;

/// <summary>
/// The sign-in parameters shared by the SAML cmdlets. They change the settings of the login profile -ProfileName (when
/// there is one) for this sign-in only; without a login profile, -Provider and -EndpointUrl are needed.
/// </summary>
public abstract class AwsSamlCmdlet : AwsLoginCmdlet
{
    internal const string HeaderNamePattern = @"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SamlProvider? Provider { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Uri? EndpointUrl { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public DuoFactor? Factor { get; set; }

    [Parameter]
    public OktaFactor? OktaFactor { get; set; }

    [Parameter]
    public SecureString? Passcode { get; set; }

    [Parameter]
    [ValidatePattern(HeaderNamePattern)]
    public string? DuoFactorHeader { get; set; }

    [Parameter]
    [ValidatePattern(HeaderNamePattern)]
    public string? DuoPasscodeHeader { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BrowserPath { get; set; }

    [Parameter]
    public SwitchParameter Headless { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(LoginProfileNameCompleter))]
    [ValidatePattern(@"^[A-Za-z0-9_.@+=-]{1,64}$")]
    public string ProfileName { get; set; } = "default";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Vault { get; set; }

    [Parameter]
    public SwitchParameter AskPassword { get; set; }

    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter]
    public SwitchParameter UseDefaultCredentials { get; set; }

    /// <summary>
    /// The sign-in settings of the current record (pipeline-bound values change per record): the login profile's,
    /// changed by the parameters given. Raises an <see cref="AwsLoginException"/> when they are incomplete or invalid.
    /// </summary>
    internal SignIn CurrentSignIn()
    {
        // A switch given as -Switch:$false turns the profile's setting off for this sign-in.
        var patch = new SamlLoginProfilePatch
        {
            Provider = Provider is { } provider ? ToEngine(provider) : null,
            EndpointUrl = EndpointUrl,
            DuoFactorHeader = DuoFactorHeader,
            DuoPasscodeHeader = DuoPasscodeHeader,
            SkipCertificateCheck = SwitchIfGiven(nameof(SkipCertificateCheck), SkipCertificateCheck),
            UseDefaultCredentials = SwitchIfGiven(nameof(UseDefaultCredentials), UseDefaultCredentials),
            BrowserPath = ResolveBrowserPath(SessionState, BrowserPath),
            Headless = SwitchIfGiven(nameof(Headless), Headless),
            Vault = Vault,
        };
        var settings = SamlLoginProfileStore.Resolve(ProcessEnvironment.Instance, ProfileName, patch);

        // -Factor is Duo's (Ecp), -OktaFactor Okta's: each is taken only for its own provider.
        var okta = settings.Provider == SamlProviderKind.Okta;
        var wrong = Factor is not null && settings.Provider != SamlProviderKind.Ecp ? nameof(Factor) : OktaFactor is not null && !okta ? nameof(OktaFactor) : null;
        if (wrong is not null)
        {
            throw new AwsLoginException(FailureKind.InvalidArgument, "InvalidArgument",
                $"-{wrong} does not apply to a sign-in with the {SamlLoginProfile.Name(settings.Provider)} provider: -Factor is the Duo factor of Ecp, -OktaFactor the factor of Okta.",
                wrong,
                "Use -Factor (Auto, Push, Passcode, Sms or Phone) with Ecp and -OktaFactor (Auto, Push or Totp) with Okta; Adfs and Browser take no factor.");
        }

        var factor = okta ? OktaFactor?.ToString() : Factor?.ToString();
        if (factor is not null)
        {
            settings = new SamlLoginProfilePatch { Factor = factor }.ApplyTo(settings, ProfileName);
        }

        return new SignIn(settings);
    }

    /// <summary>The provider for a sign-in, with this cmdlet's host prompts and vaults as its services.</summary>
    internal ISamlAssertionProvider CreateProvider(SignIn signIn, EngineContext context) =>
        SamlSignIn.CreateProvider(signIn.Settings, new SamlHostServices(this).Create(Credential, Passcode, interactive: true, AskPassword), context);

    /// <summary>The public form of a granted role.</summary>
    internal static AwsSamlRole ToOutput(SamlRole role, SignIn signIn) =>
        new(role.RoleArn.Value, role.PrincipalArn, role.AccountId, role.RoleName, ToPublic(signIn.Settings.Provider), signIn.Settings.EndpointUrl, signIn.Settings.ProfileName);

    // A path is relative to the current PowerShell location; a bare program name is looked up on PATH by the engine.
    internal static string? ResolveBrowserPath(SessionState sessionState, string? browserPath)
    {
        if (string.IsNullOrEmpty(browserPath) || (browserPath!.IndexOf('/') < 0 && browserPath.IndexOf('\\') < 0 && !System.IO.Path.IsPathRooted(browserPath)))
        {
            return browserPath;
        }

        return sessionState.Path.GetUnresolvedProviderPathFromPSPath(browserPath);
    }

    internal Task<SamlRole?> ChooseRoleAsync(IReadOnlyList<SamlRole> roles, CancellationToken cancellationToken) =>
        OnPipelineThread(() => ChooseRole(roles));

    private SamlRole? ChooseRole(IReadOnlyList<SamlRole> roles)
    {
        if (Host?.UI is null)
        {
            return null;
        }

        // The roles arrive ordered by account; the message shows them grouped, the choices are their numbers.
        var message = new StringBuilder("The identity provider grants these roles:");
        var choices = new Collection<ChoiceDescription>();
        string? account = null;
        for (var i = 0; i < roles.Count; i++)
        {
            var role = roles[i];
            if (role.AccountId != account)
            {
                account = role.AccountId;
                message.AppendLine().Append("Account ").Append(account);
            }

            var number = (i + 1).ToString(CultureInfo.InvariantCulture);
            message.AppendLine().Append("  [").Append(number).Append("] ").Append(role.RoleName).Append("  ").Append(role.RoleArn.Value);
            choices.Add(new ChoiceDescription(number, role.RoleArn.Value));
        }

        try
        {
            var index = Host.UI.PromptForChoice("Choose an AWS role", message.ToString(), choices, -1);
            return index >= 0 && index < roles.Count ? roles[index] : null;
        }
        catch (Exception ex) when (ex is not PipelineStoppedException and not OperationCanceledException)
        {
            return null;
        }
    }

    internal static SamlProviderKind ToEngine(SamlProvider provider) => (SamlProviderKind)Enum.Parse(typeof(SamlProviderKind), provider.ToString());

    internal static SamlProvider ToPublic(SamlProviderKind provider) => (SamlProvider)Enum.Parse(typeof(SamlProvider), provider.ToString());

    /// <summary>Where one sign-in goes: the resolved settings (equal settings share one sign-in).</summary>
    internal sealed class SignIn : IEquatable<SignIn>
    {
        public SignIn(SamlLoginProfile settings)
        {
            Settings = settings;
        }

        public SamlLoginProfile Settings { get; }

        public bool Equals(SignIn? other) => other is not null && other.Settings.Equals(Settings);

        public override bool Equals(object? obj) => Equals(obj as SignIn);

        public override int GetHashCode() => Settings.GetHashCode();
    }
}
