using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace AwsLogin.Cmdlets.Tests;

/// <summary>A PowerShell host that records everything written to it (Out-Host, Out-Default) and answers prompts from a queue.</summary>
public sealed class CaptureHost : PSHost
{
    private readonly CaptureUserInterface _ui = new();

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "AwsLoginCaptureHost";

    public override PSHostUserInterface UI => _ui;

    public override Version Version => new(1, 0);

    /// <summary>Everything written to the host.</summary>
    public string Text => _ui.Buffer.ToString();

    /// <summary>Answers for Prompt calls, in order.</summary>
    public Queue<string> PromptAnswers => _ui.Answers;

    /// <summary>Answers for PromptForCredential calls, in order; with none left the host cannot prompt and throws, as a non-interactive host does.</summary>
    public Queue<PSCredential> CredentialAnswers => _ui.CredentialAnswers;

    /// <summary>The captions of the prompts shown.</summary>
    public List<string> Prompts => _ui.Prompts;

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class CaptureUserInterface : PSHostUserInterface
    {
        public StringBuilder Buffer { get; } = new();

        public Queue<string> Answers { get; } = new();

        public List<string> Prompts { get; } = new();

        public Queue<PSCredential> CredentialAnswers { get; } = new();

        public override PSHostRawUserInterface RawUI { get; } = new CaptureRawUserInterface();

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            Prompts.Add(caption + ": " + message);
            var answers = new Dictionary<string, PSObject>();
            foreach (var field in descriptions)
            {
                answers[field.Name] = PSObject.AsPSObject(Answers.Count > 0 ? Answers.Dequeue() : string.Empty);
            }

            return answers;
        }

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts.Add(caption + ": " + message);
            return Answers.Count > 0 ? int.Parse(Answers.Dequeue(), CultureInfo.InvariantCulture) : defaultChoice;
        }

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
        {
            Prompts.Add(caption + ": " + message + (string.IsNullOrEmpty(userName) ? string.Empty : " [" + userName + "]"));
            return CredentialAnswers.Count > 0 ? CredentialAnswers.Dequeue() : throw new NotSupportedException("This host cannot prompt for credentials.");
        }

        public override string ReadLine() => Answers.Count > 0 ? Answers.Dequeue() : string.Empty;

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();

        public override void Write(string value) => Buffer.Append(value);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Buffer.Append(value);

        public override void WriteLine(string value) => Buffer.AppendLine(value);

        public override void WriteErrorLine(string value) => Buffer.AppendLine(value);

        public override void WriteDebugLine(string message) => Buffer.AppendLine("DEBUG: " + message);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message) => Buffer.AppendLine("VERBOSE: " + message);

        public override void WriteWarningLine(string message) => Buffer.AppendLine("WARNING: " + message);
    }

    private sealed class CaptureRawUserInterface : PSHostRawUserInterface
    {
        public override ConsoleColor BackgroundColor { get; set; }

        public override Size BufferSize { get; set; } = new(200, 500);

        public override Coordinates CursorPosition { get; set; }

        public override int CursorSize { get; set; }

        public override ConsoleColor ForegroundColor { get; set; }

        public override bool KeyAvailable => false;

        public override Size MaxPhysicalWindowSize => new(200, 500);

        public override Size MaxWindowSize => new(200, 500);

        public override Coordinates WindowPosition { get; set; }

        public override Size WindowSize { get; set; } = new(200, 500);

        public override string WindowTitle { get; set; } = string.Empty;

        public override void FlushInputBuffer()
        {
        }

        public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();

        public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();

        public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();

        public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();

        public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
    }
}
