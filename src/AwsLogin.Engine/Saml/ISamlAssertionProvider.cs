using System;
using System.Threading;
using System.Threading.Tasks;

namespace AwsLogin.Engine.Saml;

/// <summary>
/// One way of getting a SAML assertion for AWS from an identity provider (ECP; later ADFS, Okta, a browser). A
/// provider signs the user in, asking for whatever it needs through the callbacks in its options, and returns the
/// assertion; choosing roles and calling STS is the same for every provider (<see cref="SamlCredentialBroker"/>).
/// </summary>
public interface ISamlAssertionProvider
{
    /// <summary>A short name for messages: "ECP".</summary>
    string Name { get; }

    /// <summary>The IdP endpoint signed in to; part of cache keys. It never carries credentials.</summary>
    Uri Endpoint { get; }

    /// <summary>
    /// The user the next sign-in is for, when known without signing in (from the given credential or a saved IdP
    /// session): with it, cached role credentials can be found before the IdP is contacted.
    /// </summary>
    string? KnownUserName { get; }

    /// <summary>Signs in and returns the assertion, with the user it was issued for.</summary>
    Task<SamlSignInResult> SignInAsync(CancellationToken cancellationToken);
}

/// <summary>What a sign-in produced.</summary>
public sealed class SamlSignInResult
{
    public SamlSignInResult(SamlAssertion assertion, string userName)
    {
        Assertion = assertion;
        UserName = userName;
    }

    public SamlAssertion Assertion { get; }

    /// <summary>The user name the IdP authenticated (as given to it).</summary>
    public string UserName { get; }

    public override string ToString() => $"{UserName}: {Assertion}";
}
