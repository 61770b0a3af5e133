using System;

namespace AwsLogin.Engine.Saml.Okta;

/// <summary>The Okta second factor used when Okta's sign-in policy asks for one.</summary>
public enum OktaFactor
{
    /// <summary>A push to Okta Verify when the user has it enrolled, else a TOTP code (a given passcode picks TOTP).</summary>
    Auto,
    /// <summary>A push to Okta Verify, polled until the user answers it.</summary>
    Push,
    /// <summary>A TOTP code from Okta Verify or Google Authenticator.</summary>
    Totp,
}

/// <summary>
/// Sign-in to the AWS app of an Okta org through Okta's classic Authentication API (password, then push or TOTP),
/// taking the SAML response from the form the app's embed link serves.
/// </summary>
public sealed record OktaProviderOptions : SamlProviderOptions
{
    /// <summary>Overrides the push poll interval, in seconds (fractions allowed), when <see cref="PushPollInterval"/> is not set.</summary>
    public const string PushPollIntervalVariable = "AWSLOGIN_OKTA_PUSH_POLL_SECONDS";

    /// <summary>How often an unanswered push is polled by default.</summary>
    public static readonly TimeSpan DefaultPushPollInterval = TimeSpan.FromSeconds(2);

    /// <param name="endpointUrl">
    /// The AWS app's embed link, https://ORG.okta.com/home/amazon_aws/APP_ID/272 (Okta admin console: the app's
    /// General tab, App Embed Link). The org is its scheme and host.
    /// </param>
    public OktaProviderOptions(Uri endpointUrl)
        : base(endpointUrl)
    {
    }

    /// <summary>Which factor answers Okta's MFA challenge.</summary>
    public OktaFactor Factor { get; init; } = OktaFactor.Auto;

    /// <summary>How often an unanswered push is polled; null reads <see cref="PushPollIntervalVariable"/>, else 2 seconds.</summary>
    public TimeSpan? PushPollInterval { get; init; }

    /// <summary>How long to wait for the user to answer a push before giving up (Okta itself expires a push after 5 minutes).</summary>
    public TimeSpan PushTimeout { get; init; } = TimeSpan.FromMinutes(3);
}
