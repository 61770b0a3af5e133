#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Login profiles without a network: what Set-/Get-/Remove-AwsLoginProfile write and read, -WhatIf, their error
# ids, and the silent-use contract (a login profile with nothing cached and nobody to ask fails at once, naming the
# command to run, also as a credential_process in a child process). The IdP endpoint is a closed loopback port, so
# nothing here can sign in; the sign-ins themselves are tested against the loopback fakes in tests/Unit.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $manifestPath = Get-AwsLoginManifestPath
    Import-Module -Name $manifestPath -Force -ErrorAction Stop

    $savedEnvironment = Save-AwsEnvironment
    Initialize-IsolatedAwsEnvironment -Root (Join-Path $TestDrive 'aws')
    $endpoint = 'http://127.0.0.1:9/idp/profile/SAML2/SOAP/ECP'
    $role = 'arn:aws:iam::111111111111:role/Admin'
}

AfterAll {
    Restore-AwsEnvironment -Saved $savedEnvironment
    Remove-Module -Name AwsLogin -Force -ErrorAction SilentlyContinue
}

Describe 'Set-AwsLoginProfile' {
    BeforeEach {
        Set-Content -LiteralPath $env:AWS_CONFIG_FILE -Value "# team settings`n[profile prod]`noutput = json`n" -NoNewline
    }

    It 'writes prefixed settings and a credential_process line beside the existing lines' {
        $saved = Set-AwsLoginProfile -ProfileName prod -Provider Ecp -EndpointUrl $endpoint -UserName alice -RoleArn $role -PassThru -ErrorAction Stop

        $text = Get-Content -LiteralPath $env:AWS_CONFIG_FILE -Raw
        $text | Should -BeLike "# team settings*[profile prod]*output = json*"
        $text | Should -Match 'awslogin_saml_provider = ecp'
        $text | Should -Match ([regex]::Escape("awslogin_saml_role_arn = $role"))
        $text | Should -Match ([regex]::Escape("Get-AwsRoleCredential -ProfileName 'prod' -AsProcessJson"))
        $saved | Should -BeOfType 'AwsLogin.AwsLoginProfile'
        $saved.UserName | Should -Be 'alice'
    }

    It 'changes nothing with -WhatIf' {
        $before = Get-Content -LiteralPath $env:AWS_CONFIG_FILE -Raw

        Set-AwsLoginProfile -ProfileName prod -Provider Ecp -EndpointUrl $endpoint -WhatIf

        Get-Content -LiteralPath $env:AWS_CONFIG_FILE -Raw | Should -BeExactly $before
    }

    It 'refuses a profile that already assumes a role' {
        Set-Content -LiteralPath $env:AWS_CONFIG_FILE -Value "[profile prod]`nrole_arn = $role`nsource_profile = base`n" -NoNewline

        { Set-AwsLoginProfile -ProfileName prod -Provider Ecp -EndpointUrl $endpoint -ErrorAction Stop } |
            Should -Throw -ErrorId 'LoginProfileConflict,AwsLogin.Commands.Saml.SetAwsLoginProfileCommand'
    }
}

Describe 'Get-AwsLoginProfile and Remove-AwsLoginProfile' {
    BeforeAll {
        Set-Content -LiteralPath $env:AWS_CONFIG_FILE -Value "[profile base]`nregion = us-east-1`n" -NoNewline
        Set-AwsLoginProfile -ProfileName prod -Provider Ecp -EndpointUrl $endpoint -UserName alice -RoleArn $role -ErrorAction Stop
    }

    It 'lists only login profiles' {
        $profiles = @(Get-AwsLoginProfile)

        $profiles.Count | Should -Be 1
        $profiles[0].ProfileName | Should -Be 'prod'
        $profiles[0].Provider | Should -Be 'Ecp'
    }

    It 'reports a missing profile as LoginProfileNotFound' {
        { Get-AwsLoginProfile -ProfileName nope -ErrorAction Stop } |
            Should -Throw -ErrorId 'LoginProfileNotFound,AwsLogin.Commands.Saml.GetAwsLoginProfileCommand'
    }

    It 'fails silently-used profiles at once with SamlSignInRequired' {
        { Get-AwsRoleCredential -ProfileName prod -ErrorAction Stop } |
            Should -Throw -ErrorId 'SamlSignInRequired,AwsLogin.Commands.Sts.GetAwsRoleCredentialCommand'
    }

    It 'fails as a credential_process with exit code 1 and the command to run on stderr' {
        $script = "Import-Module -Name '$($manifestPath.Replace("'", "''"))' -ErrorAction Stop; Get-AwsRoleCredential -ProfileName prod -AsProcessJson"
        $run = Invoke-ChildPowerShell -Arguments "-NoProfile -NonInteractive -EncodedCommand $(ConvertTo-EncodedCommand -Script $script)"

        $run.ExitCode | Should -Be 1
        $run.StdOut.Trim() | Should -BeNullOrEmpty
        $run.StdErr | Should -BeLike '*SamlSignInRequired*'
    }

    It 'removes the profile settings and keeps the rest of the file' {
        Get-AwsLoginProfile -ProfileName prod | Remove-AwsLoginProfile -Confirm:$false -ErrorAction Stop

        (Get-Content -LiteralPath $env:AWS_CONFIG_FILE -Raw).TrimEnd() | Should -BeExactly "[profile base]`nregion = us-east-1"
        @(Get-AwsLoginProfile).Count | Should -Be 0
    }
}

Describe 'Connect-AwsSaml without settings' {
    It 'needs a login profile or -Provider and -EndpointUrl' {
        { Connect-AwsSaml -ProfileName nothing -ErrorAction Stop } |
            Should -Throw -ErrorId 'SamlSettingsRequired,AwsLogin.Commands.Saml.ConnectAwsSamlCommand'
    }
}
