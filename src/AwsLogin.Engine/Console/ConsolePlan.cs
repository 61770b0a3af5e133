using System;
using AwsLogin.Engine.Sts;

namespace AwsLogin.Engine.Console;

/// <summary>
/// A console sign-in checked as far as it can be without the network: the identity, where the console will
/// open and how. Made by <see cref="ConsoleSignIn.Plan"/>, carried out by <see cref="ConsoleSignIn.CreateAsync(ConsolePlan, System.Threading.CancellationToken)"/>.
/// </summary>
public sealed class ConsolePlan
{
    internal ConsolePlan(IdentityRequest identity, ConsoleOptions options, IdentityPreview preview, Uri destination)
    {
        Identity = identity;
        Options = options;
        Preview = preview;
        Destination = destination;
    }

    public IdentityRequest Identity { get; }

    public ConsoleOptions Options { get; }

    /// <summary>What the identity request will produce, as far as is known before resolving it.</summary>
    public IdentityPreview Preview { get; }

    /// <summary>The console page expected to open (the final one follows the resolved credentials' partition and region).</summary>
    public Uri Destination { get; }

    /// <summary>For ShouldProcess and messages: the role ARN, federated user or source the console signs in as.</summary>
    public string Target => Preview.Target;
}
