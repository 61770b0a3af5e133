using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation.Runspaces;
using System.Threading;
using AwsLogin.Engine;
using AwsLogin.Engine.Config;
using AwsLogin.Engine.Output;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Commands.Run;

/// <summary>One running credential server with what the module keeps about it: its log, the runspace that started it, and the environment it set.</summary>
internal sealed class ServerHandle
{
    private static int s_nextId;

    private readonly CredentialServer _server;
    private EnvironmentScope? _environment;

    private ServerHandle(CredentialServer server, ServerLog log, Guid? runspaceId)
    {
        _server = server;
        Log = log;
        RunspaceId = runspaceId;
        Id = Interlocked.Increment(ref s_nextId);
        StartTime = DateTime.UtcNow;
        using var process = Process.GetCurrentProcess();
        ProcessId = process.Id;
    }

    public int Id { get; }

    public ServerLog Log { get; }

    /// <summary>The runspace that started the server; Remove-Module there stops it.</summary>
    public Guid? RunspaceId { get; }

    public Uri Uri => _server.Uri;

    public int Port => _server.Port;

    public string AuthorizationToken => _server.AuthorizationToken;

    public string Source => _server.Source;

    public string? Region { get; private set; }

    public int ProcessId { get; }

    public DateTime StartTime { get; }

    public bool IsRunning => _server.IsRunning;

    public bool EnvironmentSet => Volatile.Read(ref _environment) is not null;

    public string MaskedAccessKeyId => _server.MaskedAccessKeyId;

    public DateTime? Expiration => _server.Expiration;

    public DateTime? NextRefresh => _server.NextRefresh;

    public int RefreshCount => _server.RefreshCount;

    public DateTime? LastRefresh => _server.LastRefresh;

    public string? LastError => _server.LastError;

    public long RequestCount => _server.RequestsServed;

    public long RefusedCount => _server.RequestsRefused;

    /// <summary>
    /// Resolves the cmdlet's identity (prompting for an MFA code if needed) and starts a server for it. Returns
    /// null after reporting an identity error the way the cmdlet reports them.
    /// </summary>
    public static ServerHandle? Start(AwsIdentityCmdlet cmdlet)
    {
        try
        {
            var request = cmdlet.BuildRequest();

            // The environment as it is now: while the server runs, this process's variables point at it.
            var environment = ProcessEnvironment.Snapshot();
            var log = new ServerLog();
            var options = new CredentialServerOptions { Description = Describe(request) };
            var server = cmdlet.RunEngine((context, cancellationToken) =>
                CredentialServer.StartAsync(ServedIdentity.Source(request, context, environment, log, options), log, options, cancellationToken));
            var handle = new ServerHandle(server, log, Runspace.DefaultRunspace?.InstanceId);
            handle.Region = request.Region ?? FirstRegion(server, environment);
            CredentialServerRegistry.Add(handle);
            return handle;
        }
        catch (AwsLoginException ex)
        {
            cmdlet.ReportIdentityError(ex);
            return null;
        }
    }

    /// <summary>The variables that point AWS tools at this server.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Variables(string? region) =>
        CredentialEnvironment.VariablesForServer(Uri, AuthorizationToken, region ?? Region);

    /// <summary>Points this process's environment at the server until it stops.</summary>
    public void SetEnvironment() => _environment = EnvironmentScope.Apply(Variables(null));

    /// <summary>
    /// Stops the server and, if it set the environment and the environment still points at it, puts the
    /// variables back. False when it had already stopped.
    /// </summary>
    public bool Stop()
    {
        var wasRunning = _server.IsRunning;
        _server.Stop();
        CredentialServerRegistry.Remove(this);
        var environment = Interlocked.Exchange(ref _environment, null);
        if (environment is not null)
        {
            // Another server (or the user) may have pointed the variables elsewhere since; leave those alone.
            if (string.Equals(Environment.GetEnvironmentVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI"), Uri.AbsoluteUri, StringComparison.Ordinal))
            {
                environment.Dispose();
            }
        }

        return wasRunning;
    }

    private static string Describe(IdentityRequest request)
    {
        if (request.RoleHops.Count > 0)
        {
            return "role " + request.RoleHops[request.RoleHops.Count - 1].RoleArn;
        }

        return request.ProfileName is { } profile ? "profile " + profile : request.StartingCredentials?.Source ?? "the default credentials";
    }

    private static string? FirstRegion(CredentialServer server, IEnvironmentReader environment) =>
        server.Region ?? environment.Get("AWS_REGION") ?? environment.Get("AWS_DEFAULT_REGION");
}
