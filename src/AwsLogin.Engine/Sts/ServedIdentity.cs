using System;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Output;

namespace AwsLogin.Engine.Sts;

/// <summary>
/// Where a <see cref="CredentialServer"/> gets an identity's credentials: the <see cref="IdentityRequest"/>
/// resolved through <see cref="CredentialBroker"/>, first interactively, then in the background.
/// </summary>
public static class ServedIdentity
{
    /// <summary>
    /// A source whose first call resolves <paramref name="request"/> in <paramref name="firstContext"/> (which may
    /// prompt for an MFA code and logs to the caller), and whose later calls resolve it again with:
    /// <list type="bullet">
    /// <item>the environment as it was when the source was made (<paramref name="environment"/>), because the
    /// process environment is pointed at the server while it runs;</item>
    /// <item>no MFA code and no prompt (a code is single-use and nobody can answer from the background);</item>
    /// <item>a cache margin above the server's largest refresh margin, so the broker's cache never hands back a
    /// set the server is about to replace, while a longer-lived cached step of a chain is still reused.</item>
    /// </list>
    /// </summary>
    public static Func<CancellationToken, Task<CredentialSet>> Source(
        IdentityRequest request,
        EngineContext firstContext,
        IEnvironmentReader environment,
        IEngineLog backgroundLog,
        CredentialServerOptions options)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var first = 1;
        // Background refreshes ask nobody: no prompts, and no vault (it is reached through the host, which is busy).
        var background = request with { TokenCode = null, MfaCodeProvider = null, ForceRefresh = false, SamlServices = null };
        var configured = new EngineContext(environment, backgroundLog).RefreshMargin;
        var serverMargin = options.MaximumRefreshMargin + TimeSpan.FromMinutes(5);
        var margin = configured > serverMargin ? configured : serverMargin;
        return cancellationToken =>
        {
            if (Interlocked.Exchange(ref first, 0) == 1)
            {
                return new CredentialBroker(firstContext).GetCredentialsAsync(request, cancellationToken);
            }

            var context = new EngineContext(environment, backgroundLog) { RefreshMargin = margin };
            return new CredentialBroker(context).GetCredentialsAsync(background, cancellationToken);
        };
    }

    /// <summary>
    /// The file holding a [default] profile with credential settings, or null. The AWS CLI and SDKs read such a
    /// profile before container credentials, so programs would use it instead of a credential server.
    /// </summary>
    public static string? DefaultProfileThatWins(IEnvironmentReader environment)
    {
        ProfileStore store;
        try
        {
            store = ProfileStore.Load(environment);
        }
        catch (AwsLoginException)
        {
            // A broken config file is reported by the credential resolution itself.
            return null;
        }

        if (!store.TryGetProfile(ProfileStore.DefaultProfileName, out var profile) || !SourceCredentialResolver.HasCredentialSettings(profile!))
        {
            return null;
        }

        return profile!.InCredentialsFile && profile.AccessKeyId is not null ? store.CredentialsPath : store.ConfigPath;
    }
}
