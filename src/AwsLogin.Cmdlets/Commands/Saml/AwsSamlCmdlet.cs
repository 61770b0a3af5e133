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
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.Browser;
using AwsLogin.Engine.Saml.Ecp;

namespace AwsLogin.Commands.Saml;

/// <summary>The sign-in parameters shared by the SAML cmdlets, and the host prompts the engine asks for.</summary>
public abstract class AwsSamlCmdlet : AwsLoginCmdlet
{
    internal const string HeaderNamePattern = @"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

    private string? _browserPath;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public SamlProvider Provider { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNull]
    public Uri? EndpointUrl { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public DuoFactor? Factor { get; set; }

    [Parameter]
    public SecureString? Passcode { get; set; }

    [Parameter]
    [ValidatePattern(HeaderNamePattern)]
    public string DuoFactorHeader { get; set; } = EcpProviderOptions.DefaultDuoFactorHeader;

    [Parameter]
    [ValidatePattern(HeaderNamePattern)]
    public string DuoPasscodeHeader { get; set; } = EcpProviderOptions.DefaultDuoPasscodeHeader;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BrowserPath { get; set; }

    [Parameter]
    public SwitchParameter Headless { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidatePattern(@"^[A-Za-z0-9_.@+=-]{1,64}$")]
    public string ProfileName { get; set; } = "default";

    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>The sign-in settings of the current record (pipeline-bound values change per record).</summary>
    internal SignIn CurrentSignIn()
    {
        _browserPath ??= ResolveBrowserPath();
        return new(Provider, EndpointUrl!, ProfileName);
    }

    /// <summary>The provider options for a sign-in, with this cmdlet's host prompts as callbacks.</summary>
    internal SamlProviderOptions BuildOptions(SignIn signIn) => signIn.Provider switch
    {
        SamlProvider.Ecp => new EcpProviderOptions(signIn.EndpointUrl)
        {
            ProfileName = signIn.ProfileName,
            Credential = Credential is null || Credential == PSCredential.Empty || string.IsNullOrEmpty(Credential.UserName)
                ? null
                : new IdpCredential(Credential.UserName, Credential.Password),
            CredentialProvider = PromptForCredentialAsync,
            Factor = Factor is { } factor ? ToEngine(factor) : null,
            Passcode = Passcode,
            PasscodeProvider = PromptForPasscodeAsync,
            DuoFactorHeader = DuoFactorHeader,
            DuoPasscodeHeader = DuoPasscodeHeader,
            SkipCertificateCheck = SkipCertificateCheck,
        },
        SamlProvider.Browser => new BrowserProviderOptions(signIn.EndpointUrl)
        {
            ProfileName = signIn.ProfileName,
            BrowserPath = _browserPath,
            Headless = Headless,
            SkipCertificateCheck = SkipCertificateCheck,
        },
        _ => throw new PSArgumentOutOfRangeException(nameof(Provider)),
    };

    /// <summary>The public form of a granted role.</summary>
    internal static AwsSamlRole ToOutput(SamlRole role, SignIn signIn) =>
        new(role.RoleArn.Value, role.PrincipalArn, role.AccountId, role.RoleName, signIn.Provider, signIn.EndpointUrl, signIn.ProfileName);

    // A path is relative to the current PowerShell location (resolved on the pipeline thread); a bare program name is
    // looked up on PATH by the engine.
    private string? ResolveBrowserPath()
    {
        if (BrowserPath is null || (BrowserPath.IndexOf('/') < 0 && BrowserPath.IndexOf('\\') < 0 && !System.IO.Path.IsPathRooted(BrowserPath)))
        {
            return BrowserPath;
        }

        return SessionState.Path.GetUnresolvedProviderPathFromPSPath(BrowserPath);
    }

    // Prompts run on the pipeline thread; the engine worker waits for the answer. A host that cannot prompt (a
    // hosted runspace, pwsh -NonInteractive) throws, which means "nobody to ask": the engine then names what is missing.
    private Task<IdpCredential?> PromptForCredentialAsync(Uri endpoint, string? userName, CancellationToken cancellationToken) =>
        OnPipelineThread(() => PromptForCredential(endpoint, userName));

    private Task<SecureString?> PromptForPasscodeAsync(string message, CancellationToken cancellationToken) =>
        OnPipelineThread(() => PromptForPasscode(message));

    internal Task<SamlRole?> ChooseRoleAsync(IReadOnlyList<SamlRole> roles, CancellationToken cancellationToken) =>
        OnPipelineThread(() => ChooseRole(roles));

    private IdpCredential? PromptForCredential(Uri endpoint, string? userName)
    {
        if (Host?.UI is null)
        {
            return null;
        }

        try
        {
            var answer = Host.UI.PromptForCredential("AwsLogin SAML sign-in", $"Enter your user name and password for {endpoint.Host}.", userName ?? string.Empty, string.Empty);
            if (answer is null || string.IsNullOrEmpty(answer.UserName) || answer.Password is null)
            {
                return null;
            }

            // The Windows credential dialog puts a backslash before a user name typed without a domain.
            return new IdpCredential(answer.UserName.TrimStart('\\'), answer.Password);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException and not OperationCanceledException)
        {
            return null;
        }
    }

    private SecureString? PromptForPasscode(string message)
    {
        if (Host?.UI is null)
        {
            return null;
        }

        try
        {
            var field = new FieldDescription("Passcode") { HelpMessage = "A Duo passcode: from Duo Mobile, a hardware token, a text message or your help desk." };
            field.SetParameterType(typeof(SecureString));
            var answers = Host.UI.Prompt("Duo passcode", message, new Collection<FieldDescription> { field });
            if (!answers.TryGetValue("Passcode", out var value) || value?.BaseObject is null)
            {
                return null;
            }

            return value.BaseObject switch
            {
                SecureString secure => secure,
                string text when text.Length > 0 => ToSecureString(text),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is not PipelineStoppedException and not OperationCanceledException)
        {
            return null;
        }
    }

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

    private static Engine.Saml.Ecp.DuoFactor ToEngine(DuoFactor factor) => factor switch
    {
        DuoFactor.Auto => Engine.Saml.Ecp.DuoFactor.Auto,
        DuoFactor.Push => Engine.Saml.Ecp.DuoFactor.Push,
        DuoFactor.Passcode => Engine.Saml.Ecp.DuoFactor.Passcode,
        DuoFactor.Sms => Engine.Saml.Ecp.DuoFactor.Sms,
        DuoFactor.Phone => Engine.Saml.Ecp.DuoFactor.Phone,
        _ => throw new PSArgumentOutOfRangeException(nameof(Factor)),
    };

    private static SecureString ToSecureString(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>Where one sign-in goes: the values that can come from the pipeline.</summary>
    internal sealed class SignIn : IEquatable<SignIn>
    {
        public SignIn(SamlProvider provider, Uri endpointUrl, string profileName)
        {
            Provider = provider;
            EndpointUrl = endpointUrl;
            ProfileName = profileName;
        }

        public SamlProvider Provider { get; }

        public Uri EndpointUrl { get; }

        public string ProfileName { get; }

        public bool Equals(SignIn? other) =>
            other is not null && other.Provider == Provider && other.EndpointUrl.Equals(EndpointUrl) && other.ProfileName == ProfileName;

        public override bool Equals(object? obj) => Equals(obj as SignIn);

        public override int GetHashCode() => EndpointUrl.GetHashCode() ^ ProfileName.GetHashCode() ^ (int)Provider;
    }
}
