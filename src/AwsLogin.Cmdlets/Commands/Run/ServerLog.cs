using System.Collections.Concurrent;
using System.Collections.Generic;
using AwsLogin.Engine;

namespace AwsLogin.Commands.Run;

/// <summary>
/// Keeps a credential server's messages (from its background threads) until a cmdlet writes them on the
/// pipeline thread; only the most recent ones are kept, so a server that runs for days cannot grow it.
/// </summary>
internal sealed class ServerLog : IEngineLog
{
    private const int Capacity = 200;

    private readonly ConcurrentQueue<(bool IsWarning, string Text)> _messages = new();

    public void Verbose(string message) => Add(false, message);

    public void Warning(string message) => Add(true, message);

    public List<(bool IsWarning, string Text)> Drain()
    {
        var drained = new List<(bool IsWarning, string Text)>();
        while (_messages.TryDequeue(out var message))
        {
            drained.Add(message);
        }

        return drained;
    }

    private void Add(bool isWarning, string text)
    {
        _messages.Enqueue((isWarning, text));
        while (_messages.Count > Capacity && _messages.TryDequeue(out _))
        {
        }
    }
}
