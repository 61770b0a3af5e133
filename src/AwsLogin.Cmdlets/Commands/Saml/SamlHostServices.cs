using System;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml;
using AwsLogin.Engine.Saml.LoginProfiles;

namespace AwsLogin.Commands.Saml;

/// <summary>
/// What a cmdlet offers a SAML sign-in: the host's credential and passcode prompts, and SecretManagement vaults.
/// Prompts run on the pipeline thread while the engine worker waits. A host that cannot prompt (a hosted runspace,
/// pwsh -NonInteractive) throws, which means "nobody to ask": the engine then names what is missing.
/// </summary>
internal sealed class SamlHostServices
{
    private readonly AwsLoginCmdlet _cmdlet;

    public SamlHostServices(AwsLoginCmdlet cmdlet)
    {
        _cmdlet = cmdlet;
    }

    /// <summary>The services for one sign-in; <paramref name="interactive"/> false gives no prompts.</summary>
    public SamlSignInServices Create(PSCredential? credential, SecureString? passcode, bool interactive, bool askPassword) => new()
    {
        Credential = credential is null || credential == PSCredential.Empty || string.IsNullOrEmpty(credential.UserName)
            ? null
            : new IdpCredential(credential.UserName, credential.Password),
        Passcode = passcode,
        CredentialProvider = interactive ? PromptForCredentialAsync : null,
        PasscodeProvider = interactive ? PromptForPasscodeAsync : null,
        VaultFactory = name => new SecretManagementVault(_cmdlet, name),
        AskPassword = askPassword,
    };

    private Task<IdpCredential?> PromptForCredentialAsync(Uri endpoint, string? userName, CancellationToken cancellationToken) =>
        _cmdlet.OnPipelineThread(() => PromptForCredential(endpoint, userName));

    private Task<SecureString?> PromptForPasscodeAsync(string message, CancellationToken cancellationToken) =>
        _cmdlet.OnPipelineThread(() => PromptForPasscode(message));

    private IdpCredential? PromptForCredential(Uri endpoint, string? userName)
    {
        if (_cmdlet.Host?.UI is not { } ui)
        {
            return null;
        }

        try
        {
            var answer = ui.PromptForCredential("AwsLogin SAML sign-in", $"Enter your user name and password for {endpoint.Host}.", userName ?? string.Empty, string.Empty);
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
        if (_cmdlet.Host?.UI is not { } ui)
        {
            return null;
        }

        try
        {
            var field = new FieldDescription("Passcode") { HelpMessage = "A one-time passcode: from Duo Mobile, Okta Verify, an authenticator app, a hardware token or a text message." };
            field.SetParameterType(typeof(SecureString));
            var answers = ui.Prompt("Passcode", message, new Collection<FieldDescription> { field });
            if (!answers.TryGetValue("Passcode", out var value) || value?.BaseObject is null)
            {
                return null;
            }

            return value.BaseObject switch
            {
                SecureString secure => secure,
                string text when text.Length > 0 => IdpCredential.Protect(text),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is not PipelineStoppedException and not OperationCanceledException)
        {
            return null;
        }
    }
}
