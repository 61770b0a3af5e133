using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AwsLogin.Loading;

/// <summary>Registers the engine resolver on Import-Module and removes it on Remove-Module.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <summary>True on PowerShell 7 (.NET), where a private load context isolates the AWS SDK.</summary>
    internal static bool IsCoreClr { get; } = !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", System.StringComparison.Ordinal);

    public void OnImport()
    {
        if (IsCoreClr)
        {
            RegisterCore();
        }
        else
        {
            FrameworkResolver.Register();
        }
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // Credential servers started in this runspace end with the module (their port and token go with them).
        Commands.Run.CredentialServerRegistry.StopAll(System.Management.Automation.Runspaces.Runspace.DefaultRunspace?.InstanceId);
        if (IsCoreClr)
        {
            UnregisterCore();
        }
        else
        {
            FrameworkResolver.Unregister();
        }
    }

    // Separate methods, so .NET Framework never compiles code that names AssemblyLoadContext.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterCore() => AwsLoginLoadContext.Register();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UnregisterCore() => AwsLoginLoadContext.Unregister();
}
