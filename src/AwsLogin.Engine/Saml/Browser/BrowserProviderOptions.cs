using System;

namespace AwsLogin.Engine.Saml.Browser;

/// <summary>
/// Sign-in in the user's own Chromium-family browser (Microsoft Edge, Google Chrome, Chromium): any IdP, any MFA the
/// IdP offers. The browser runs with a private profile folder and is watched over the Chrome DevTools Protocol for
/// the form the IdP posts to AWS's SAML endpoint. <see cref="SamlProviderOptions.Timeout"/> is how long the whole
/// sign-in in the browser may take; <see cref="SamlProviderOptions.Credential"/> is not used (the user signs in on the
/// IdP's page).
/// </summary>
public sealed record BrowserProviderOptions : SamlProviderOptions
{
    /// <param name="endpointUrl">The IdP's start page for AWS (its IdP-initiated sign-on URL for the AWS application).</param>
    public BrowserProviderOptions(Uri endpointUrl)
        : base(endpointUrl)
    {
    }

    /// <summary>
    /// The browser program (a path, or a program name on PATH); null looks for Edge, Chrome and Chromium where they are
    /// installed.
    /// </summary>
    public string? BrowserPath { get; init; }

    /// <summary>Runs the browser without a window: only for IdPs that need no interaction (a session is still valid).</summary>
    public bool Headless { get; init; }

    /// <summary>
    /// The browser's profile folder (its --user-data-dir); null uses a folder per profile name and IdP host under the
    /// AwsLogin home (saml/browser), created 0700 and kept, so the IdP session persists between sign-ins.
    /// </summary>
    public string? ProfileDirectory { get; init; }
}
