using System;
using System.Security;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Saml;

/// <summary>
/// A password store for IdP passwords (a PowerShell SecretManagement vault, through the cmdlets). Secrets are looked
/// up by the IdP endpoint and the user name.
/// </summary>
public interface IIdpPasswordVault
{
    /// <summary>The vault's name, for messages.</summary>
    string Name { get; }

    /// <summary>The saved password, or null when the vault has none for this user.</summary>
    Task<SecureString?> GetAsync(Uri endpoint, string userName, CancellationToken cancellationToken);

    /// <summary>Saves (or replaces) the password.</summary>
    Task SaveAsync(Uri endpoint, string userName, SecureString password, CancellationToken cancellationToken);
}

/// <summary>
/// Where a password sign-in's credential comes from, and what happens to it afterwards, the same for every provider
/// that sends a password (ECP, ADFS, Okta): the credential given outright; else, unless AskPassword, the vault's
/// password, else a plain password from the config file (with a warning; ignored when a vault is configured); else
/// the host's prompt. A vault or config password the IdP refuses is asked for again once (when someone can answer);
/// a typed or given password that worked is saved to the vault.
/// </summary>
internal sealed class IdpPasswordFlow
{
    private readonly SamlProviderOptions _options;
    private readonly EngineContext _context;
    private readonly string _target;

    public IdpPasswordFlow(SamlProviderOptions options, EngineContext context)
    {
        _options = options;
        _context = context;
        _target = options.EndpointUrl.ToString();
    }

    private enum Origin
    {
        Given,
        Vault,
        Config,
        Prompt,
    }

    /// <summary>
    /// Gets a credential and runs <paramref name="signIn"/> with it, retrying once with a typed password when a stored
    /// one is refused (<see cref="SamlErrors.AuthenticationFailed"/>).
    /// </summary>
    /// <param name="suggestedUser">A user name known from elsewhere (a saved IdP session), when the options name none.</param>
    /// <param name="sessionEnded">Whether a saved IdP session was tried and has ended (for the error when nobody can be asked).</param>
    /// <param name="signIn">The provider's sign-in with a user name and password.</param>
    /// <param name="cancellationToken">Cancels the sign-in.</param>
    public async Task<SamlSignInResult> SignInAsync(
        string? suggestedUser,
        bool sessionEnded,
        Func<IdpCredential, Task<SamlSignInResult>> signIn,
        CancellationToken cancellationToken)
    {
        var (credential, origin) = await GetAsync(suggestedUser, cancellationToken).ConfigureAwait(false)
            ?? throw SamlErrors.NoCredential(_target, sessionEnded);

        SamlSignInResult result;
        try
        {
            result = await signIn(credential).ConfigureAwait(false);
        }
        catch (AwsLoginException ex) when (ex.Code == SamlErrors.AuthenticationFailed && origin is Origin.Vault or Origin.Config && _options.CredentialProvider is not null)
        {
            var where = origin == Origin.Vault ? $"saved in vault '{_options.PasswordVault!.Name}'" : "in the config file";
            _context.Log.Warning($"The identity provider at '{_target}' refused the password {where} for {credential.UserName}; enter it again.");
            var typed = await _options.CredentialProvider(_options.EndpointUrl, credential.UserName, cancellationToken).ConfigureAwait(false);
            if (typed is null)
            {
                throw;
            }

            (credential, origin) = (typed, Origin.Prompt);
            result = await signIn(credential).ConfigureAwait(false);
        }

        if (_options.PasswordVault is { } vault && origin is Origin.Prompt or Origin.Given)
        {
            // The sign-in worked: a vault that cannot take the password costs a prompt next time, not this sign-in.
            try
            {
                await vault.SaveAsync(_options.EndpointUrl, credential.UserName, credential.Password, cancellationToken).ConfigureAwait(false);
                _context.Log.Verbose($"Saved the password of {credential.UserName} for {_options.EndpointUrl.Host} in vault '{vault.Name}'.");
            }
            catch (AwsLoginException ex)
            {
                _context.Log.Warning($"The password could not be saved in vault '{vault.Name}' ({ex.Code}): {ex.Message}");
            }
        }

        return result;
    }

    private async Task<(IdpCredential, Origin)?> GetAsync(string? suggestedUser, CancellationToken cancellationToken)
    {
        if (_options.Credential is { } given)
        {
            return (given, Origin.Given);
        }

        var userName = NonEmpty(_options.UserName) ?? NonEmpty(suggestedUser);
        if (!_options.AskPassword && userName is not null)
        {
            if (_options.PasswordVault is { } vault)
            {
                if (_options.PlainPassword is not null)
                {
                    _context.Log.Warning($"A password is stored in plain text in the config file for '{_target}'; it is ignored because vault '{vault.Name}' is configured. Remove the awslogin_saml_password line from the profile.");
                }

                if (await vault.GetAsync(_options.EndpointUrl, userName, cancellationToken).ConfigureAwait(false) is { Length: > 0 } saved)
                {
                    _context.Log.Verbose($"Using the password of {userName} saved in vault '{vault.Name}'.");
                    return (new IdpCredential(userName, saved), Origin.Vault);
                }
            }
            else if (_options.PlainPassword is { Length: > 0 } plain)
            {
                _context.Log.Warning($"Using a password stored in plain text in the config file for '{_target}'. Anyone who can read the file can read it: keep it in a SecretManagement vault instead (Set-AwsLoginProfile -Vault).");
                return (new IdpCredential(userName, plain), Origin.Config);
            }
        }

        if (_options.CredentialProvider is { } ask
            && await ask(_options.EndpointUrl, userName, cancellationToken).ConfigureAwait(false) is { } typed)
        {
            return (typed, Origin.Prompt);
        }

        return null;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
