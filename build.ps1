#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents and packages the AwsLogin module.

.DESCRIPTION
    A thin wrapper around the .NET SDK; `dotnet build` alone also lays out the module. Tasks run in this order,
    whatever order they are given in:

      Help     Regenerates docs/en-US/AwsLogin.Cmdlets.dll-Help.xml from docs/en-US/<Cmdlet>.md (tools/HelpGen).
      Build    dotnet build AwsLogin.PowerShell.sln; the module is laid out in out/AwsLogin/<version>/.
      Test     dotnet test AwsLogin.PowerShell.sln, then the Pester tests in tests/Pester against the built module
               when Pester 5 is installed (in a child PowerShell process, so this session keeps no module loaded).
      Package  A Release build, checked with Test-ModuleManifest, zipped as out/AwsLogin.<version>.zip with the
               folders AwsLogin/<version>/ inside, ready to extract into a folder of $env:PSModulePath.

.PARAMETER Task
    The tasks to run.

.PARAMETER Configuration
    The build configuration for Build and Test. Package always builds Release.

.PARAMETER InstallPester
    Installs Pester 5 for the current user from the PowerShell Gallery when it is missing, before Test.

.EXAMPLE
    ./build.ps1

    Builds the solution in Debug; the module is in out/AwsLogin/<version>/.

.EXAMPLE
    ./build.ps1 -Task Help, Build, Test -Configuration Release -InstallPester

    Regenerates the help, builds and runs every test, installing Pester first if needed.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Help')]
    [string[]] $Task = 'Build',

    [string] $Configuration = 'Debug',

    [switch] $InstallPester
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = $PSScriptRoot
$solution = Join-Path $root 'AwsLogin.PowerShell.sln'
$minimumPester = [version]'5.0.0'

function Invoke-Dotnet {
    param([Parameter(Mandatory)] [string[]] $Arguments)

    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE."
    }
}

function Get-ModuleVersion {
    [xml] $props = Get-Content -LiteralPath (Join-Path $root 'Directory.Build.props') -Raw
    $node = $props.SelectSingleNode('//AwsLoginVersion')
    if (-not $node -or -not $node.InnerText) {
        throw 'Directory.Build.props has no AwsLoginVersion.'
    }

    $node.InnerText.Trim()
}

function Get-ModuleDirectory {
    Join-Path (Join-Path (Join-Path $root 'out') 'AwsLogin') (Get-ModuleVersion)
}

function Get-PesterModule {
    Get-Module -ListAvailable -Name Pester |
        Where-Object Version -ge $minimumPester |
        Sort-Object Version -Descending |
        Select-Object -First 1
}

function Invoke-PesterTests {
    $pester = Get-PesterModule
    if (-not $pester -and $InstallPester) {
        Write-Host 'Installing Pester 5 for the current user from the PowerShell Gallery.' -ForegroundColor Cyan
        Install-Module -Name Pester -Scope CurrentUser -MinimumVersion 5.5 -Force -SkipPublisherCheck
        $pester = Get-PesterModule
    }

    if (-not $pester) {
        Write-Warning ("Pester $minimumPester or later is not installed, so the tests in tests/Pester did not run. " +
            'Run ./build.ps1 -Task Test -InstallPester, or Install-Module Pester -Scope CurrentUser -MinimumVersion 5.5.')
        return
    }

    $manifest = Join-Path (Get-ModuleDirectory) 'AwsLogin.psd1'
    if (-not (Test-Path -LiteralPath $manifest)) {
        throw "The built module is missing: $manifest."
    }

    $results = Join-Path (Join-Path $root 'out') 'TestResults'
    $null = New-Item -ItemType Directory -Path $results -Force

    # A child process: the tests import the module, which would otherwise stay loaded (and its files locked on
    # Windows) in this session. The child is the same edition as this one.
    $exe = if ($PSVersionTable.PSEdition -eq 'Core') { Join-Path $PSHOME 'pwsh' } else { Join-Path $PSHOME 'powershell.exe' }
    if ($PSVersionTable.PSEdition -eq 'Core' -and $IsWindows) {
        $exe += '.exe'
    }

    $script = @'
$ErrorActionPreference = 'Stop'
Import-Module -Name '{0}'
$config = New-PesterConfiguration
$config.Run.Path = '{1}'
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = '{2}'
$result = Invoke-Pester -Configuration $config
if ($result.Result -ne 'Passed') {{ exit 1 }}
exit 0
'@ -f $pester.Path.Replace("'", "''"), (Join-Path (Join-Path $root 'tests') 'Pester').Replace("'", "''"), (Join-Path $results 'Pester.xml').Replace("'", "''")

    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
    $previous = $env:AWSLOGIN_MODULE_PATH
    $env:AWSLOGIN_MODULE_PATH = $manifest
    try {
        Write-Host "Invoke-Pester tests/Pester (Pester $($pester.Version), module $manifest)" -ForegroundColor Cyan
        & $exe -NoProfile -NonInteractive -EncodedCommand $encoded
        if ($LASTEXITCODE -ne 0) {
            throw "The Pester tests failed (exit code $LASTEXITCODE); see out/TestResults/Pester.xml."
        }
    }
    finally {
        $env:AWSLOGIN_MODULE_PATH = $previous
    }
}

function New-ModulePackage {
    Invoke-Dotnet @('build', $solution, '-c', 'Release')

    $version = Get-ModuleVersion
    $moduleDirectory = Get-ModuleDirectory
    $manifest = Test-ModuleManifest -Path (Join-Path $moduleDirectory 'AwsLogin.psd1')
    if ($manifest.Version -ne [version]$version) {
        throw "The laid-out manifest says version $($manifest.Version), Directory.Build.props says $version."
    }

    $out = Join-Path $root 'out'
    $staging = Join-Path (Join-Path $out 'package') 'AwsLogin'
    if (Test-Path -LiteralPath (Split-Path $staging)) {
        Remove-Item -LiteralPath (Split-Path $staging) -Recurse -Force
    }

    $null = New-Item -ItemType Directory -Path $staging -Force
    Copy-Item -LiteralPath $moduleDirectory -Destination (Join-Path $staging $version) -Recurse

    $zip = Join-Path $out "AwsLogin.$version.zip"
    Compress-Archive -Path $staging -DestinationPath $zip -Force
    Remove-Item -LiteralPath (Split-Path $staging) -Recurse -Force
    Write-Host "Packaged $zip" -ForegroundColor Green
}

Push-Location $root
try {
    foreach ($step in 'Help', 'Build', 'Test', 'Package') {
        if ($Task -notcontains $step) {
            continue
        }

        switch ($step) {
            'Help' {
                Invoke-Dotnet @('run', '--project', (Join-Path (Join-Path $root 'tools') 'HelpGen'), '--', (Join-Path (Join-Path $root 'docs') 'en-US'))
            }
            'Build' {
                Invoke-Dotnet @('build', $solution, '-c', $Configuration)
            }
            'Test' {
                Invoke-Dotnet @('test', $solution, '-c', $Configuration)
                Invoke-PesterTests
            }
            'Package' {
                New-ModulePackage
            }
        }
    }
}
finally {
    Pop-Location
}
