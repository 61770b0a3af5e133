using System;
using AwsLogin.Commands.Run;

namespace AwsLogin;

/// <summary>
/// A credential server started by Start-AwsCredentialServer: an endpoint on 127.0.0.1 that serves an identity's
/// credentials, refreshed before they expire, to processes that have AWS_CONTAINER_CREDENTIALS_FULL_URI and
/// AWS_CONTAINER_AUTHORIZATION_TOKEN set. The properties show its state as it is when read. The default views
/// and ToString never show the authorization token.
/// </summary>
public sealed class AwsCredentialServer
{
    internal AwsCredentialServer(ServerHandle handle)
    {
        Handle = handle;
    }

    /// <summary>A number that identifies the server in this process.</summary>
    public int Id => Handle.Id;

    /// <summary>The endpoint, http://127.0.0.1:PORT/credentials: the value for AWS_CONTAINER_CREDENTIALS_FULL_URI.</summary>
    public Uri Uri => Handle.Uri;

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port => Handle.Port;

    /// <summary>The value for AWS_CONTAINER_AUTHORIZATION_TOKEN, which every request must carry. A secret: masked in every default view.</summary>
    public string AuthorizationToken => Handle.AuthorizationToken;

    /// <summary>Where the credentials come from: the profile, keys or role they are resolved from.</summary>
    public string Source => Handle.Source;

    /// <summary>The region of the credentials, when known.</summary>
    public string? Region => Handle.Region;

    /// <summary>The process that runs the server (this PowerShell process); it stops when the process ends.</summary>
    public int ProcessId => Handle.ProcessId;

    /// <summary>When the server started (UTC).</summary>
    public DateTime StartTime => Handle.StartTime;

    /// <summary>False once the server has stopped.</summary>
    public bool IsRunning => Handle.IsRunning;

    /// <summary>True when Start-AwsCredentialServer -SetEnvironment pointed this process's environment at the server.</summary>
    public bool EnvironmentSet => Handle.EnvironmentSet;

    /// <summary>The access key id being served, masked.</summary>
    public string MaskedAccessKeyId => Handle.MaskedAccessKeyId;

    /// <summary>When the credentials being served expire (UTC); null for long-term keys.</summary>
    public DateTime? Expiration => Handle.Expiration;

    /// <summary>When the next refresh is due (UTC); null for long-term keys.</summary>
    public DateTime? NextRefresh => Handle.NextRefresh;

    /// <summary>How many times the credentials were replaced.</summary>
    public int RefreshCount => Handle.RefreshCount;

    /// <summary>When the credentials were last replaced (UTC), if ever.</summary>
    public DateTime? LastRefresh => Handle.LastRefresh;

    /// <summary>Why the last refresh failed; null after a success.</summary>
    public string? LastError => Handle.LastError;

    /// <summary>Requests answered with credentials.</summary>
    public long RequestCount => Handle.RequestCount;

    /// <summary>Requests refused (no or wrong token, malformed, or no valid credentials to serve).</summary>
    public long RefusedCount => Handle.RefusedCount;

    internal ServerHandle Handle { get; }

    public override string ToString() => $"{Uri} ({Source})";
}
