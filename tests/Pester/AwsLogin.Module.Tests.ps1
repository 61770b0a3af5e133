#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# The module as a user installs it: a valid manifest, exactly the declared exports, and help for every cmdlet.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $manifestPath = Get-AwsLoginManifestPath
    $cmdletNames = @((Import-PowerShellDataFile -Path $manifestPath).CmdletsToExport)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $manifestPath = Get-AwsLoginManifestPath
    $manifestData = Import-PowerShellDataFile -Path $manifestPath
    $module = Import-Module -Name $manifestPath -Force -PassThru -ErrorAction Stop
}

AfterAll {
    Remove-Module -Name AwsLogin -Force -ErrorAction SilentlyContinue
}

Describe 'The AwsLogin manifest' {
    It 'passes Test-ModuleManifest' {
        $tested = Test-ModuleManifest -Path $manifestPath -ErrorAction Stop
        $tested.Name | Should -Be 'AwsLogin'
        $tested.Version | Should -Be ([version]$manifestData.ModuleVersion)
    }

    It 'lives in a folder named after its version' {
        Split-Path (Split-Path $manifestPath -Parent) -Leaf | Should -Be $manifestData.ModuleVersion
    }

    It 'supports Windows PowerShell 5.1 and PowerShell 7 (Desktop and Core)' {
        $manifestData.PowerShellVersion | Should -Be '5.1'
        $manifestData.CompatiblePSEditions | Should -Contain 'Desktop'
        $manifestData.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'declares exports explicitly, with no wildcard' {
        $manifestData.CmdletsToExport | Should -Not -BeNullOrEmpty
        $manifestData.CmdletsToExport | Should -Not -Contain '*'
        @($manifestData.FunctionsToExport).Count | Should -Be 0
        @($manifestData.VariablesToExport).Count | Should -Be 0
        @($manifestData.AliasesToExport).Count | Should -Be 0
    }

    It 'ships every file the manifest names' {
        $base = Split-Path $manifestPath -Parent
        Join-Path $base $manifestData.RootModule | Should -Exist
        foreach ($format in $manifestData.FormatsToProcess) {
            Join-Path $base $format | Should -Exist
        }

        Join-Path (Join-Path $base 'en-US') 'AwsLogin.Cmdlets.dll-Help.xml' | Should -Exist
    }
}

Describe 'The imported module' {
    It 'exports exactly the cmdlets the manifest declares' {
        $exported = @($module.ExportedCmdlets.Keys | Sort-Object)
        $declared = @($manifestData.CmdletsToExport | Sort-Object)
        $exported | Should -Be $declared
    }

    It 'exports no function, alias or variable' {
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
    }

    It 'uses no command name of AWS Tools for PowerShell' {
        # Names are case-insensitive: Get-AwsCredential would shadow AWS.Tools' Get-AWSCredential.
        $awsToolsNames = @(
            'Get-AWSCredential', 'Set-AWSCredential', 'Clear-AWSCredential', 'Remove-AWSCredentialProfile',
            'Initialize-AWSDefaultConfiguration', 'Clear-AWSDefaultConfiguration', 'Get-AWSRegion', 'Set-DefaultAWSRegion',
            'Get-DefaultAWSRegion', 'Clear-DefaultAWSRegion', 'Invoke-AWSSSOLogin', 'Invoke-AWSLogin', 'Get-AWSService',
            'Get-AWSCmdletName', 'Get-AWSPowerShellVersion', 'Set-AWSProxy', 'Clear-AWSProxy', 'Set-AWSSamlEndpoint',
            'Set-AWSSamlRoleProfile', 'Get-AWSSamlRoleProfile', 'Use-STSRole', 'Get-STSCallerIdentity'
        )
        foreach ($name in $module.ExportedCmdlets.Keys) {
            $awsToolsNames | Should -Not -Contain $name -Because 'PowerShell compares command names without case'
        }
    }

    It 'imports again without error' {
        { Import-Module -Name $manifestPath -Force -ErrorAction Stop } | Should -Not -Throw
        (Get-Module -Name AwsLogin).Count | Should -Be 1
    }
}

Describe 'Help for <_>' -ForEach $cmdletNames {
    BeforeAll {
        $name = $_
        $help = Get-Help -Name $name -Full
        $command = Get-Command -Name $name -Module AwsLogin
    }

    It 'has a synopsis from the help file' {
        # Without a help file Get-Help makes up a synopsis from the syntax, which starts with the name.
        [string]$help.Synopsis | Should -Not -BeNullOrEmpty
        ([string]$help.Synopsis).Trim() | Should -Not -BeLike "$name*"
    }

    It 'has a description' {
        (@($help.description) | ForEach-Object Text) -join "`n" | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples, each with code and remarks' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            [string]$example.code | Should -Not -BeNullOrEmpty
            (@($example.remarks) | ForEach-Object Text) -join '' | Should -Not -BeNullOrEmpty
        }
    }

    It 'documents every parameter' {
        $documented = @($help.parameters.parameter | ForEach-Object { [string]$_.name })
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $common -notcontains $_ }) {
            $documented | Should -Contain $parameter
        }
    }

    It 'documents no parameter the cmdlet lacks' {
        foreach ($parameter in @($help.parameters.parameter | ForEach-Object { [string]$_.name })) {
            $command.Parameters.Keys | Should -Contain $parameter
        }
    }

    It 'has a syntax entry for each parameter set' {
        @($help.syntax.syntaxItem).Count | Should -Be @($command.ParameterSets).Count
    }
}

Describe 'about_AwsLogin' {
    It 'is shipped and shown by Get-Help' {
        $topic = Get-Help -Name about_AwsLogin -ErrorAction Stop
        ($topic | Out-String) | Should -BeLike '*about_AwsLogin*'
    }
}
