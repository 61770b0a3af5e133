using System;

namespace AwsLogin.Engine.Sts;

/// <summary>Where STS calls go: the signing region and, when configured, an endpoint URL that overrides AWS's.</summary>
public sealed record StsEndpoint(string Region, Uri? EndpointUrl)
{
    /// <summary>For messages: the URL, or "STS in REGION".</summary>
    public string Description => EndpointUrl is null ? $"AWS STS in {Region}" : $"the STS endpoint {EndpointUrl}";
}
