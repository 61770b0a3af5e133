using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace AwsLogin.Commands.Run;

/// <summary>
/// Every credential server this process runs. Remove-Module stops the servers of the runspace that removes the
/// module; the end of the process stops them all.
/// </summary>
internal static class CredentialServerRegistry
{
    private static readonly ConcurrentDictionary<int, ServerHandle> s_servers = new();
    private static int s_exitHooked;

    public static IReadOnlyList<ServerHandle> All => s_servers.Values.OrderBy(s => s.Id).ToArray();

    public static void Add(ServerHandle server)
    {
        if (Interlocked.Exchange(ref s_exitHooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll(null);
        }

        s_servers[server.Id] = server;
    }

    public static void Remove(ServerHandle server) => s_servers.TryRemove(server.Id, out _);

    public static bool Contains(ServerHandle server) => s_servers.ContainsKey(server.Id);

    /// <summary>Stops the servers started in <paramref name="runspaceId"/>, or every server when it is null.</summary>
    public static int StopAll(Guid? runspaceId)
    {
        var stopped = 0;
        foreach (var server in All)
        {
            if (runspaceId is null || server.RunspaceId == runspaceId)
            {
                server.Stop();
                stopped++;
            }
        }

        return stopped;
    }
}
