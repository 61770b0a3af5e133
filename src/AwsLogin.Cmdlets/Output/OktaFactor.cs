namespace AwsLogin;

/// <summary>The Okta second factor used at an Okta sign-in.</summary>
public enum OktaFactor
{
    /// <summary>An Okta Verify push when enrolled, else a TOTP code; -Passcode picks the code.</summary>
    Auto,
    /// <summary>A push to Okta Verify.</summary>
    Push,
    /// <summary>A TOTP code from Okta Verify or Google Authenticator, from -Passcode or asked for.</summary>
    Totp,
}
