using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AwsLogin.Commands.Run;

namespace AwsLogin.Completers;

/// <summary>Completes the ports of the credential servers running in this process.</summary>
internal sealed class CredentialServerPortCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionText.Matching(CredentialServerRegistry.All.Select(s => s.Port.ToString(CultureInfo.InvariantCulture)), wordToComplete);
}
