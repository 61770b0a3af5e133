namespace AwsLogin;

/// <summary>The shells and file formats Export-AwsCredential writes. Values match the engine's ExportFormat.</summary>
public enum CredentialExportFormat
{
    /// <summary>POSIX shells: export NAME='value'.</summary>
    Bash,
    /// <summary>fish: set -gx NAME 'value'.</summary>
    Fish,
    /// <summary>PowerShell: $Env:NAME = 'value'.</summary>
    PowerShell,
    /// <summary>Windows cmd.exe: set "NAME=value".</summary>
    Cmd,
    /// <summary>A .env file: NAME="value".</summary>
    DotEnv,
    /// <summary>The credential_process Version 1 JSON.</summary>
    ProcessJson,
}
