using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine.Saml.Adfs;
using AwsLogin.Engine.Saml.Browser;
using AwsLogin.Engine.Saml.Ecp;
using AwsLogin.Engine.Saml.Okta;

namespace AwsLogin.Engine.Saml;

/// <summary>A user name and password for an identity provider. The password stays a SecureString until it is sent.</summary>
public sealed class IdpCredential
{
    public IdpCredential(string userName, SecureString password)
    {
        if (string.IsNullOrWhiteSpace(userName))
        {
            throw new ArgumentException("A user name is required.", nameof(userName));
        }

        UserName = userName;
        Password = password ?? throw new ArgumentNullException(nameof(password));
    }

    public string UserName { get; }

    public SecureString Password { get; }

    public override string ToString() => $"{UserName} ({Mask.Hidden})";

    /// <summary>A read-only SecureString of <paramref name="text"/> (a password read from a file or a vault as text).</summary>
    public static SecureString Protect(string text)
    {
        var secure = new SecureString();
        foreach (var c in text)
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>The characters of a SecureString, for the moment they go on the wire.</summary>
    internal static string Reveal(SecureString secret)
    {
        var pointer = IntPtr.Zero;
        try
        {
            pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
            return Marshal.PtrToStringUni(pointer) ?? string.Empty;
        }
        finally
        {
            if (pointer != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}

/// <summary>
/// Asks for a user name and password for <paramref name="endpoint"/>, suggesting <paramref name="userName"/>; returns
/// null when nobody can answer or the user cancelled.
/// </summary>
public delegate Task<IdpCredential?> IdpCredentialProvider(Uri endpoint, string? userName, CancellationToken cancellationToken);

/// <summary>Asks for a one-time passcode with <paramref name="message"/>; returns null when nobody can answer.</summary>
public delegate Task<SecureString?> PasscodeProvider(string message, CancellationToken cancellationToken);

/// <summary>
/// What every SAML provider needs: where the IdP is, who signs in, and the name its session is kept under. Each
/// provider has its own derived record (<see cref="EcpProviderOptions"/>, <see cref="AdfsProviderOptions"/>, <see cref="OktaProviderOptions"/>, <see cref="BrowserProviderOptions"/>).
/// </summary>
public abstract record SamlProviderOptions
{
    protected SamlProviderOptions(Uri endpointUrl)
    {
        EndpointUrl = endpointUrl ?? throw new ArgumentNullException(nameof(endpointUrl));
    }

    /// <summary>The IdP endpoint the provider talks to.</summary>
    public Uri EndpointUrl { get; }

    /// <summary>The name the IdP session (cookies) is kept under, so that a repeat sign-in needs no password.</summary>
    public string ProfileName { get; init; } = "default";

    /// <summary>The user name and password; when null, <see cref="CredentialProvider"/> is asked if a password is needed.</summary>
    public IdpCredential? Credential { get; init; }

    /// <summary>Asks for a user name and password; null where nobody can answer (then a needed password is an error).</summary>
    public IdpCredentialProvider? CredentialProvider { get; init; }

    /// <summary>The user who signs in (a login profile's user name), when <see cref="Credential"/> is not given.</summary>
    public string? UserName { get; init; }

    /// <summary>Where the password is kept: read before asking, saved after a sign-in with a typed or given password.</summary>
    public IIdpPasswordVault? PasswordVault { get; init; }

    /// <summary>A password kept in plain text in the config file: used with a warning, ignored when a vault is set.</summary>
    public SecureString? PlainPassword { get; init; }

    /// <summary>Ask for the password even when the vault or config file has one (-AskPassword).</summary>
    public bool AskPassword { get; init; }

    /// <summary>A one-time code for the second factor (ECP: a Duo passcode; ADFS: a verification code; Okta: a TOTP code).</summary>
    public SecureString? Passcode { get; init; }

    /// <summary>Asks for a one-time code when one is needed and <see cref="Passcode"/> has none; null where nobody can answer.</summary>
    public PasscodeProvider? PasscodeProvider { get; init; }

    /// <summary>Accept any TLS certificate from the IdP (testing only; logged as a warning on every use).</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>How long one request to the IdP may take (a Duo push waits for the user's answer).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The service provider the assertion is for: AWS's entity id (urn:amazon:webservices:govcloud in GovCloud).</summary>
    public string ServiceProviderEntityId { get; init; } = "urn:amazon:webservices";

    /// <summary>Where the assertion is to be delivered: AWS's SAML sign-in endpoint.</summary>
    public string AssertionConsumerServiceUrl { get; init; } = "https://signin.aws.amazon.com/saml";
}

/// <summary>Creates the provider for a set of options.</summary>
public static class SamlProviders
{
    public static ISamlAssertionProvider Create(SamlProviderOptions options, EngineContext context) => options switch
    {
        EcpProviderOptions ecp => new EcpSamlProvider(ecp, context),
        OktaProviderOptions okta => new OktaSamlProvider(okta, context),
        AdfsProviderOptions adfs => new AdfsSamlProvider(adfs, context),
        BrowserProviderOptions browser => new BrowserSamlProvider(browser, context),
        _ => throw new ArgumentException($"No SAML provider for {options.GetType().Name}.", nameof(options)),
    };
}
