# Shared by the *.Tests.ps1 files: dot-source it in BeforeAll (and in BeforeDiscovery where discovery needs it).

function Get-AwsLoginManifestPath {
    # build.ps1 -Task Test sets AWSLOGIN_MODULE_PATH to the built manifest; it may also name the module folder.
    if ($env:AWSLOGIN_MODULE_PATH) {
        $path = $env:AWSLOGIN_MODULE_PATH
        if (Test-Path -LiteralPath $path -PathType Container) {
            $path = Join-Path $path 'AwsLogin.psd1'
        }

        if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
            throw "AWSLOGIN_MODULE_PATH names '$env:AWSLOGIN_MODULE_PATH', where there is no AwsLogin.psd1."
        }

        return (Resolve-Path -LiteralPath $path).ProviderPath
    }

    # Else the newest module that `dotnet build` laid out in out/AwsLogin/<version>/.
    $repositoryRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $candidates = @(Get-ChildItem -Path (Join-Path (Join-Path $repositoryRoot 'out') 'AwsLogin') -Directory -ErrorAction SilentlyContinue |
        Where-Object { Test-Path -LiteralPath (Join-Path $_.FullName 'AwsLogin.psd1') } |
        Sort-Object { $version = $null; if ([version]::TryParse($_.Name, [ref]$version)) { $version } else { [version]'0.0' } } -Descending)
    if ($candidates.Count -eq 0) {
        throw 'The built module was not found in out/AwsLogin/<version>/: run ./build.ps1 (or dotnet build) first, or set AWSLOGIN_MODULE_PATH.'
    }

    Join-Path $candidates[0].FullName 'AwsLogin.psd1'
}

function Get-PowerShellExecutable {
    # The same edition as the one running the tests.
    if ($PSVersionTable.PSEdition -eq 'Core') {
        $name = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    }
    else {
        $name = 'powershell.exe'
    }

    Join-Path $PSHOME $name
}

function Invoke-ChildPowerShell {
    <#
        Runs PowerShell in a child process with the given arguments (one string, split on spaces as a shell
        would for simple words) and returns its exit code, stdout and stderr. The child inherits this process's
        environment.
    #>
    param(
        [Parameter(Mandatory)] [string] $Arguments,
        [int] $TimeoutSeconds = 120
    )

    $startInfo = New-Object System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = Get-PowerShellExecutable
    $startInfo.Arguments = $Arguments
    $startInfo.UseShellExecute = $false
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $startInfo.RedirectStandardInput = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill()
            throw "The child PowerShell did not finish within $TimeoutSeconds seconds."
        }

        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            StdOut   = $stdout.Result
            StdErr   = $stderr.Result
        }
    }
    finally {
        $process.Dispose()
    }
}

function ConvertTo-EncodedCommand {
    param([Parameter(Mandatory)] [string] $Script)

    # Progress records would reach stderr as CLIXML; the tests read stderr.
    [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes("`$ProgressPreference = 'SilentlyContinue'`n" + $Script))
}

function Get-AwsVariableName {
    # Every variable AwsLogin reads or writes; saved before a test file changes them and restored after.
    @(
        'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWSLOGIN_HOME', 'AWSLOGIN_REFRESH_MARGIN_SECONDS',
        'AWS_EC2_METADATA_DISABLED', 'AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
        'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION',
        'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION',
        'AWS_SECURITY_TOKEN', 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY',
        'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
        'AWS_CONTAINER_AUTHORIZATION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
        'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME'
    )
}

function Save-AwsEnvironment {
    $saved = @{}
    foreach ($name in Get-AwsVariableName) {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
    }

    $saved
}

function Restore-AwsEnvironment {
    param([Parameter(Mandatory)] [hashtable] $Saved)

    foreach ($name in $Saved.Keys) {
        [Environment]::SetEnvironmentVariable($name, $Saved[$name])
    }
}

function Initialize-IsolatedAwsEnvironment {
    <#
        Points AwsLogin at empty config and credentials files and a private cache under $Root, turns off instance
        metadata, and sends any STS call to a closed loopback port, so that no test can reach AWS or read the
        user's own profiles.
    #>
    param([Parameter(Mandatory)] [string] $Root)

    foreach ($name in Get-AwsVariableName) {
        [Environment]::SetEnvironmentVariable($name, $null)
    }

    $null = New-Item -ItemType Directory -Path $Root -Force
    $config = Join-Path $Root 'config'
    $credentials = Join-Path $Root 'credentials'
    Set-Content -LiteralPath $config -Value '' -NoNewline
    Set-Content -LiteralPath $credentials -Value '' -NoNewline

    $env:AWS_CONFIG_FILE = $config
    $env:AWS_SHARED_CREDENTIALS_FILE = $credentials
    $env:AWSLOGIN_HOME = Join-Path $Root 'awslogin'
    $env:AWS_EC2_METADATA_DISABLED = 'true'
    $env:AWS_ENDPOINT_URL_STS = 'http://127.0.0.1:9/'
    $env:AWS_REGION = 'us-east-1'
}

function New-FakeSecret {
    # Looks like an AWS secret (40 characters of base64) and is unique to the run, so a leak is unmistakable.
    param([int] $Length = 40)

    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    -join (1..$Length | ForEach-Object { $alphabet[(Get-Random -Maximum $alphabet.Length)] })
}
