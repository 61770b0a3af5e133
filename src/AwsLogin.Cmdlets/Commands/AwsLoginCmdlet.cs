using System;
using System.Collections.Concurrent;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AwsLogin.Engine;
using AwsLogin.Engine.Config;
using AwsLogin.Errors;

namespace AwsLogin.Commands;

/// <summary>
/// The base of every AwsLogin cmdlet: runs one engine call at a time on a worker thread, cancels it on Ctrl+C
/// (StopProcessing), and writes the engine's messages on the pipeline thread while waiting.
/// </summary>
public abstract class AwsLoginCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private EngineMessageQueue? _activeQueue;

    /// <summary>When true, warnings go to stderr instead of the warning stream (which pwsh -c prints on stdout).</summary>
    internal bool WarningsToStandardError { get; set; }

    public void Dispose()
    {
        _cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing() => _cancellation.Cancel();

    internal CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Runs an engine operation and waits for it, pumping its messages; engine errors come out as <see cref="AwsLoginException"/>.</summary>
    internal T RunEngine<T>(Func<EngineContext, CancellationToken, Task<T>> operation)
    {
        var messages = new EngineMessageQueue();
        var context = new EngineContext(ProcessEnvironment.Instance, messages);
        _activeQueue = messages;
        var task = Task.Run(() => operation(context, _cancellation.Token));
        try
        {
            while (!task.IsCompleted)
            {
                messages.WaitForMessage(TimeSpan.FromMilliseconds(100));
                Drain(messages);
            }

            Drain(messages);
        }
        finally
        {
            _activeQueue = null;
        }

        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is MissingMethodException or TypeLoadException or MissingFieldException or FileLoadException)
        {
            ThrowTerminatingError(ErrorRecords.SdkVersionConflict(ex));
            throw;
        }
    }

    /// <summary>The PowerShell a credential_process line should run: the edition this module runs in (pwsh, or powershell for Windows PowerShell).</summary>
    internal string PowerShellExecutable() =>
        string.Equals(SessionState.PSVariable.GetValue("PSEdition") as string, "Desktop", StringComparison.OrdinalIgnoreCase) ? "powershell" : "pwsh";

    /// <summary>A switch's value when it was given (-Switch or -Switch:$false), else null: "leave the setting as it is".</summary>
    internal bool? SwitchIfGiven(string name, SwitchParameter value) => MyInvocation.BoundParameters.ContainsKey(name) ? value.IsPresent : null;

    /// <summary>Writes a non-terminating error for one failed input.</summary>
    internal void WriteEngineError(AwsLoginException exception) => WriteError(ErrorRecords.From(exception));

    /// <summary>Stops the command with an error built from an engine failure.</summary>
    internal void ThrowEngineError(AwsLoginException exception) => ThrowTerminatingError(ErrorRecords.From(exception));

    /// <summary>
    /// Runs <paramref name="work"/> on the pipeline thread (host prompts must) while an engine call waits for it.
    /// Only valid inside <see cref="RunEngine{T}"/>.
    /// </summary>
    internal Task<T> OnPipelineThread<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = _activeQueue ?? throw new InvalidOperationException("No engine call is running.");
        queue.Enqueue(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        });
        return completion.Task;
    }

    private void Drain(EngineMessageQueue messages)
    {
        while (messages.TryDequeue(out var message))
        {
            if (message.Work is not null)
            {
                message.Work();
            }
            else if (message.IsWarning)
            {
                if (WarningsToStandardError)
                {
                    System.Console.Error.WriteLine("WARNING: " + message.Text);
                }
                else
                {
                    WriteWarning(message.Text);
                }
            }
            else
            {
                WriteVerbose(message.Text);
            }
        }
    }

    /// <summary>Collects engine messages from any thread for the pipeline thread to write.</summary>
    private sealed class EngineMessageQueue : IEngineLog
    {
        private readonly ConcurrentQueue<(bool IsWarning, string Text, Action? Work)> _queue = new();
        private readonly AutoResetEvent _signal = new(false);

        public void Verbose(string message) => Enqueue((false, message, null));

        public void Warning(string message) => Enqueue((true, message, null));

        public void Enqueue(Action work) => Enqueue((false, string.Empty, work));

        public bool TryDequeue(out (bool IsWarning, string Text, Action? Work) message) => _queue.TryDequeue(out message);

        public void WaitForMessage(TimeSpan timeout) => _signal.WaitOne(timeout);

        private void Enqueue((bool IsWarning, string Text, Action? Work) item)
        {
            _queue.Enqueue(item);
            _signal.Set();
        }
    }
}
