using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine;
using AwsLogin.Engine.Saml;

namespace AwsLogin.Commands.Saml;

/// <summary>
/// IdP passwords in a PowerShell SecretManagement vault, through the module's own Get-Secret and Set-Secret (run on
/// the pipeline thread, in the caller's runspace). A password is kept as a SecureString secret named
/// <c>AwsLogin:HOST:USER</c>; a PSCredential or string secret of that name is read too.
/// </summary>
internal sealed class SecretManagementVault : IIdpPasswordVault
{
    private const string Module = "Microsoft.PowerShell.SecretManagement";

    private readonly AwsLoginCmdlet _cmdlet;

    public SecretManagementVault(AwsLoginCmdlet cmdlet, string name)
    {
        _cmdlet = cmdlet;
        Name = name;
    }

    public string Name { get; }

    /// <summary>The secret name of a user's password at an IdP.</summary>
    public static string SecretName(Uri endpoint, string userName) => $"AwsLogin:{endpoint.Host.ToLowerInvariant()}:{userName.Trim()}";

    public Task<SecureString?> GetAsync(Uri endpoint, string userName, CancellationToken cancellationToken) =>
        _cmdlet.OnPipelineThread(() =>
        {
            var result = Invoke("Get-Secret", SecretName(endpoint, userName), secret: null);
            return result switch
            {
                SecureString secure => secure,
                PSCredential credential => credential.Password,
                string text when text.Length > 0 => IdpCredential.Protect(text),
                _ => null,
            };
        });

    public Task SaveAsync(Uri endpoint, string userName, SecureString password, CancellationToken cancellationToken) =>
        _cmdlet.OnPipelineThread(() => Invoke("Set-Secret", SecretName(endpoint, userName), password));

    private object? Invoke(string command, string secretName, SecureString? secret)
    {
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddCommand(Module + "\\" + command).AddParameter("Name", secretName).AddParameter("Vault", Name);
        if (secret is not null)
        {
            shell.AddParameter("SecureStringSecret", secret);
        }

        System.Collections.ObjectModel.Collection<PSObject> output;
        try
        {
            output = shell.Invoke();
        }
        catch (CommandNotFoundException ex)
        {
            throw new AwsLoginException(FailureKind.InvalidConfiguration, "SamlVaultUnavailable",
                $"The password vault '{Name}' cannot be used: the {Module} module is not installed.", Name,
                $"Install it (Install-PSResource {Module}) and register a vault (Register-SecretVault), or remove the vault setting.", ex);
        }
        catch (RuntimeException ex)
        {
            throw VaultFailed(command, ex.ErrorRecord, ex);
        }

        var errors = shell.Streams.Error.ToArray();
        if (errors.Length > 0)
        {
            // Get-Secret reports a secret that is not there as ObjectNotFound: no saved password yet.
            if (command == "Get-Secret" && errors.All(e => e.CategoryInfo.Category == ErrorCategory.ObjectNotFound))
            {
                return null;
            }

            throw VaultFailed(command, errors[0], errors[0].Exception);
        }

        return output.FirstOrDefault(o => o is not null)?.BaseObject;
    }

    // A vault's message goes into ours only as one short line.
    private static string OneLine(string text)
    {
        var line = text.Split('\r', '\n')[0].Trim();
        return line.Length > 300 ? line.Substring(0, 300) + "..." : line;
    }

    private AwsLoginException VaultFailed(string command, ErrorRecord record, Exception? inner)
    {
        var reason = record.Exception?.Message ?? record.ToString();
        return new AwsLoginException(FailureKind.FileError, "SamlVaultFailed",
            $"{command} in password vault '{Name}' failed: {OneLine(reason)}", Name,
            "Check the vault (Test-SecretVault; a SecretStore vault may need Unlock-SecretStore), or sign in with -Credential.", inner);
    }
}
