using System;

namespace AwsLogin.Engine.Saml.Adfs;

/// <summary>
/// Sign-in through ADFS's IdP-initiated sign-on page (/adfs/ls/IdpInitiatedSignOn.aspx?loginToRp=urn:amazon:webservices):
/// its HTML login form with the user's name and password, or the Windows identity (Kerberos/NTLM), then the form that
/// posts the SAML response to AWS.
/// </summary>
public sealed record AdfsProviderOptions : SamlProviderOptions
{
    /// <summary>The sign-on page's path, added when the endpoint URL names only the ADFS server.</summary>
    public const string SignOnPath = "/adfs/ls/IdpInitiatedSignOn.aspx";

    /// <param name="endpointUrl">
    /// The ADFS server, https://HOST, or its IdP-initiated sign-on page, https://HOST/adfs/ls/IdpInitiatedSignOn.aspx
    /// (optionally with its own ?loginToRp=...). A bare host gets the sign-on page's path.
    /// </param>
    public AdfsProviderOptions(Uri endpointUrl)
        : base(Normalize(endpointUrl))
    {
    }

    /// <summary>
    /// Sign in as the current Windows user (Kerberos or NTLM, HttpClientHandler.UseDefaultCredentials) before asking for a
    /// password: ADFS then needs none. Elsewhere than Windows this works where Kerberos is configured (a ticket from kinit).
    /// When ADFS does not accept the Windows identity, the password sign-in follows.
    /// </summary>
    public bool UseDefaultCredentials { get; init; }

    /// <summary>The sign-on page for AWS: the endpoint, with loginToRp naming the service provider unless it names one.</summary>
    public Uri SignOnUrl()
    {
        var url = EndpointUrl;
        if (HasParameter(url.Query, "loginToRp"))
        {
            return url;
        }

        var builder = new UriBuilder(url);
        var parameter = "loginToRp=" + Uri.EscapeDataString(ServiceProviderEntityId);
        var query = builder.Query.TrimStart('?');
        builder.Query = query.Length == 0 ? parameter : query + "&" + parameter;
        return builder.Uri;
    }

    private static Uri Normalize(Uri endpointUrl)
    {
        if (endpointUrl is null)
        {
            throw new ArgumentNullException(nameof(endpointUrl));
        }

        // https://HOST and https://HOST/ mean the server; any other path is taken as the sign-on page itself.
        if (!endpointUrl.IsAbsoluteUri || (endpointUrl.AbsolutePath.Length > 1))
        {
            return endpointUrl;
        }

        return new UriBuilder(endpointUrl) { Path = SignOnPath }.Uri;
    }

    private static bool HasParameter(string query, string name)
    {
        foreach (var pair in query.TrimStart('?').Split('&'))
        {
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair.Substring(0, equals);
            if (string.Equals(Uri.UnescapeDataString(key), name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
