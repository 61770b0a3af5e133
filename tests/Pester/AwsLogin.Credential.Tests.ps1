#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Credentials without a network: long-term keys with no STS step are returned as they are, so every test here
# starts from -AccessKey/-SecretKey (or a profile with static keys). The environment points STS at a closed
# loopback port, so a test that reached for AWS would fail instead of calling it.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # The child-process tests find the module through PSModulePath, which needs the AwsLogin/<version>/ layout.
    $notLaidOutAsInstalled = (Split-Path (Split-Path (Get-AwsLoginManifestPath) -Parent) -Parent | Split-Path -Leaf) -ne 'AwsLogin'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $manifestPath = Get-AwsLoginManifestPath
    Import-Module -Name $manifestPath -Force -ErrorAction Stop

    $savedEnvironment = Save-AwsEnvironment
    $isolatedRoot = Join-Path $TestDrive 'aws'
    Initialize-IsolatedAwsEnvironment -Root $isolatedRoot

    $accessKey = 'AKIA' + (New-FakeSecret -Length 16).ToUpperInvariant().Replace('+', 'X').Replace('/', 'Y')
    $secretKey = New-FakeSecret
    $sessionToken = 'FwoGZXIvYXdzE' + (New-FakeSecret -Length 120)
    $credential = Get-AwsRoleCredential -AccessKey $accessKey -SecretKey $secretKey -SessionToken $sessionToken -Region eu-west-1 -ErrorAction Stop
}

AfterAll {
    Restore-AwsEnvironment -Saved $savedEnvironment
    Remove-Module -Name AwsLogin -Force -ErrorAction SilentlyContinue
}

Describe 'Get-AwsRoleCredential without an STS step' {
    It 'returns the keys as they are, as an AwsLogin.AwsCredential' {
        $credential | Should -BeOfType 'AwsLogin.AwsCredential'
        $credential.AccessKeyId | Should -BeExactly $accessKey
        $credential.SecretAccessKey | Should -BeExactly $secretKey
        $credential.SessionToken | Should -BeExactly $sessionToken
        $credential.Region | Should -Be 'eu-west-1'
    }

    It 'offers AccessKey and SecretKey for AWS Tools for PowerShell' {
        $credential.AccessKey | Should -BeExactly $accessKey
        $credential.SecretKey | Should -BeExactly $secretKey
    }

    It 'reads static keys from a profile' {
        Set-Content -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE -Value "[static]`naws_access_key_id = $accessKey`naws_secret_access_key = $secretKey`n"
        try {
            $fromProfile = Get-AwsRoleCredential -ProfileName static -ErrorAction Stop
            $fromProfile.AccessKeyId | Should -BeExactly $accessKey
            $fromProfile.SecretAccessKey | Should -BeExactly $secretKey
            $fromProfile.SessionToken | Should -BeNullOrEmpty
            $fromProfile.Origin | Should -Be 'LongTermKeys'
        }
        finally {
            Set-Content -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE -Value '' -NoNewline
        }
    }
}

Describe 'Format views' {
    It 'masks the secret key, the session token and the access key id in the <Name> view' -ForEach @(
        @{ Name = 'default'; Render = { param($o) $o | Out-String -Width 400 } }
        @{ Name = 'table'; Render = { param($o) $o | Format-Table | Out-String -Width 400 } }
        @{ Name = 'list'; Render = { param($o) $o | Format-List | Out-String -Width 400 } }
    ) {
        $text = & $Render $credential
        $text | Should -Not -BeNullOrEmpty
        $text | Should -Not -BeLike "*$secretKey*"
        $text | Should -Not -BeLike "*$sessionToken*"
        $text | Should -Not -BeLike "*$accessKey*"
    }

    It 'shows no secret in a wide view or a collection' {
        foreach ($text in @(($credential | Format-Wide | Out-String -Width 400), (@($credential, $credential) | Out-String -Width 400))) {
            $text | Should -Not -BeLike "*$secretKey*"
            $text | Should -Not -BeLike "*$sessionToken*"
        }
    }

    It 'shows the ends of the access key id' {
        $masked = $accessKey.Substring(0, 4) + ('*' * ($accessKey.Length - 8)) + $accessKey.Substring($accessKey.Length - 4)
        ($credential | Format-Table | Out-String -Width 400) | Should -BeLike "*$([WildcardPattern]::Escape($masked))*"
    }

    It 'keeps secrets out of ToString()' {
        $credential.ToString() | Should -Not -BeLike "*$secretKey*"
        $credential.ToString() | Should -Not -BeLike "*$accessKey*"
    }
}

Describe 'Export-AwsCredential' {
    BeforeAll {
        # A value that breaks naive quoting in every shell: quotes, $( ), backticks, a backslash, spaces.
        $trickySecret = "ab'c`"d`$(echo pwned)``e\f g"
        $tricky = Get-AwsRoleCredential -AccessKey $accessKey -SecretKey $trickySecret -SessionToken $sessionToken -Region eu-west-1 -ErrorAction Stop
    }

    BeforeEach {
        $savedForExport = Save-AwsEnvironment
    }

    AfterEach {
        Restore-AwsEnvironment -Saved $savedForExport
    }

    It 'writes PowerShell that sets the variables exactly and clears AWS_PROFILE' {
        $env:AWS_PROFILE = 'stale-profile'
        $script = ($tricky | Export-AwsCredential -ErrorAction Stop) -join "`n"

        Invoke-Expression $script

        $env:AWS_ACCESS_KEY_ID | Should -BeExactly $accessKey
        $env:AWS_SECRET_ACCESS_KEY | Should -BeExactly $trickySecret
        $env:AWS_SESSION_TOKEN | Should -BeExactly $sessionToken
        $env:AWS_REGION | Should -Be 'eu-west-1'
        $env:AWS_DEFAULT_REGION | Should -Be 'eu-west-1'
        [Environment]::GetEnvironmentVariable('AWS_PROFILE') | Should -BeNullOrEmpty
    }

    It 'writes PowerShell by default' {
        $default = ($credential | Export-AwsCredential) -join "`n"
        $explicit = ($credential | Export-AwsCredential -Format PowerShell) -join "`n"
        $default | Should -BeExactly $explicit
        $default | Should -BeLike '*$Env:AWS_ACCESS_KEY_ID*'
    }

    It 'writes Bash that bash evaluates to the exact values' {
        $bash = Get-Command -Name bash -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $bash -or $IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') {
            Set-ItResult -Skipped -Because 'bash is not available'
            return
        }

        $env:AWS_PROFILE = 'stale-profile'
        $script = ($tricky | Export-AwsCredential -Format Bash -ErrorAction Stop) -join "`n"
        $probe = Join-Path $TestDrive 'probe.sh'
        Set-Content -LiteralPath $probe -Value @'
eval "$(cat)"
printf '%s\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "${AWS_PROFILE-unset}" "${AWS_REGION-unset}"
'@
        $lines = @($script | & $bash.Source $probe)

        $LASTEXITCODE | Should -Be 0
        $lines[0] | Should -BeExactly $accessKey
        $lines[1] | Should -BeExactly $trickySecret
        $lines[2] | Should -BeExactly $sessionToken
        $lines[3] | Should -BeExactly 'unset'
        $lines[4] | Should -BeExactly 'eu-west-1'
    }

    It 'writes fish that fish evaluates to the exact values' {
        $fish = Get-Command -Name fish -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $fish) {
            Set-ItResult -Skipped -Because 'fish is not installed'
            return
        }

        $env:AWS_PROFILE = 'stale-profile'
        $script = ($tricky | Export-AwsCredential -Format Fish -ErrorAction Stop) -join "`n"
        $probe = Join-Path $TestDrive 'probe.fish'
        Set-Content -LiteralPath $probe -Value @'
cat | source
printf '%s\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"
if set -q AWS_PROFILE; echo set; else; echo unset; end
'@
        $lines = @($script | & $fish.Source $probe)

        $LASTEXITCODE | Should -Be 0
        $lines[0] | Should -BeExactly $accessKey
        $lines[1] | Should -BeExactly $trickySecret
        $lines[2] | Should -BeExactly $sessionToken
        $lines[3] | Should -BeExactly 'unset'
    }

    It 'writes cmd.exe commands that cmd evaluates' {
        if (-not ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows)) {
            Set-ItResult -Skipped -Because 'cmd.exe exists only on Windows'
            return
        }

        $batch = Join-Path $TestDrive 'probe.cmd'
        $lines = @(($credential | Export-AwsCredential -Format Cmd -ErrorAction Stop) -split "`n")
        Set-Content -LiteralPath $batch -Value (@('@echo off') + $lines + @('echo %AWS_ACCESS_KEY_ID%', 'echo %AWS_SECRET_ACCESS_KEY%', 'if defined AWS_PROFILE (echo set) else (echo unset)'))
        $env:AWS_PROFILE = 'stale-profile'
        $output = @(& cmd.exe /d /c $batch)

        $output[0] | Should -BeExactly $accessKey
        $output[1] | Should -BeExactly $secretKey
        $output[2] | Should -BeExactly 'unset'
    }

    It 'refuses a value cmd.exe cannot carry' {
        { $tricky | Export-AwsCredential -Format Cmd -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnsafeExportValue,AwsLogin.Commands.Output.ExportAwsCredentialCommand'
    }

    It 'writes NAME=value lines for a .env file, without clearing anything' {
        $lines = @(($credential | Export-AwsCredential -Format DotEnv -ErrorAction Stop) -split "`n")
        $lines | Should -Not -BeNullOrEmpty
        foreach ($line in $lines) {
            $line | Should -Match '^[A-Z_]+=\S'
        }

        ($lines | Where-Object { $_ -like 'AWS_ACCESS_KEY_ID=*' }) | Should -Not -BeNullOrEmpty
        ($lines | Where-Object { $_ -like 'AWS_PROFILE*' }) | Should -BeNullOrEmpty
    }

    It 'writes credential_process JSON' {
        $json = ($credential | Export-AwsCredential -Format ProcessJson -ErrorAction Stop) | ConvertFrom-Json
        $json.Version | Should -Be 1
        $json.AccessKeyId | Should -BeExactly $accessKey
        $json.SecretAccessKey | Should -BeExactly $secretKey
        $json.SessionToken | Should -BeExactly $sessionToken
    }

    Context 'into the shared credentials file' {
        BeforeEach {
            $file = Join-Path $TestDrive 'credentials-export'
            $original = "# my keys`n[other]`naws_access_key_id = AKIAOTHEROTHEROTHER1`naws_secret_access_key = keep-me`n"
            Set-Content -LiteralPath $file -Value $original -NoNewline
        }

        It 'adds the profile and changes no other line' {
            $credential | Export-AwsCredential -ToCredentialsFile -ProfileName exported -Path $file -ErrorAction Stop

            $text = Get-Content -LiteralPath $file -Raw
            $text.Replace("`r`n", "`n") | Should -BeLike ($original.Replace('[', '`[').Replace(']', '`]') + '*')
            $text | Should -BeLike '*`[exported`]*'
            $text | Should -Match ('(?m)^aws_access_key_id\s*=\s*' + [regex]::Escape($accessKey) + '\s*$')
            $text | Should -Match ('(?m)^aws_secret_access_key\s*=\s*' + [regex]::Escape($secretKey) + '\s*$')
            $text | Should -Match ('(?m)^aws_session_token\s*=\s*' + [regex]::Escape($sessionToken) + '\s*$')
        }

        It 'uses AWS_SHARED_CREDENTIALS_FILE without -Path' {
            $env:AWS_SHARED_CREDENTIALS_FILE = $file
            $credential | Export-AwsCredential -ToCredentialsFile -ProfileName exported -ErrorAction Stop
            Get-Content -LiteralPath $file -Raw | Should -BeLike '*`[exported`]*'
        }

        It 'returns the file with -PassThru' {
            $result = $credential | Export-AwsCredential -ToCredentialsFile -ProfileName exported -Path $file -PassThru -ErrorAction Stop
            $result | Should -BeOfType 'System.IO.FileInfo'
            $result.FullName | Should -Be (Get-Item -LiteralPath $file).FullName
        }

        It 'writes nothing with -WhatIf' {
            $credential | Export-AwsCredential -ToCredentialsFile -ProfileName exported -Path $file -WhatIf
            Get-Content -LiteralPath $file -Raw | Should -BeExactly $original
        }
    }
}

Describe 'Invoke-AwsAs' {
    BeforeEach {
        $savedForRun = Save-AwsEnvironment
        $env:AWS_PROFILE = 'outer-profile'
        $env:AWS_REGION = 'us-east-1'
        [Environment]::SetEnvironmentVariable('AWS_ACCESS_KEY_ID', $null)
        [Environment]::SetEnvironmentVariable('AWS_SESSION_TOKEN', $null)
    }

    AfterEach {
        Restore-AwsEnvironment -Saved $savedForRun
    }

    It 'sets the credential variables for the script block and clears AWS_PROFILE' {
        $inside = Invoke-AwsAs -AccessKey $accessKey -SecretKey $secretKey -SessionToken $sessionToken -Region eu-west-1 -ErrorAction Stop {
            [pscustomobject]@{
                AccessKeyId = $env:AWS_ACCESS_KEY_ID
                Secret      = $env:AWS_SECRET_ACCESS_KEY
                Token       = $env:AWS_SESSION_TOKEN
                Profile     = [Environment]::GetEnvironmentVariable('AWS_PROFILE')
                Region      = $env:AWS_REGION
            }
        }

        $inside.AccessKeyId | Should -BeExactly $accessKey
        $inside.Secret | Should -BeExactly $secretKey
        $inside.Token | Should -BeExactly $sessionToken
        $inside.Profile | Should -BeNullOrEmpty
        $inside.Region | Should -Be 'eu-west-1'
    }

    It 'restores the environment exactly afterwards' {
        $null = Invoke-AwsAs -AccessKey $accessKey -SecretKey $secretKey -Region eu-west-1 -ErrorAction Stop { 'done' }

        $env:AWS_PROFILE | Should -BeExactly 'outer-profile'
        $env:AWS_REGION | Should -BeExactly 'us-east-1'
        [Environment]::GetEnvironmentVariable('AWS_ACCESS_KEY_ID') | Should -BeNullOrEmpty
        [Environment]::GetEnvironmentVariable('AWS_SESSION_TOKEN') | Should -BeNullOrEmpty
    }

    It 'restores the environment when the script block throws' {
        { Invoke-AwsAs -AccessKey $accessKey -SecretKey $secretKey { throw 'failed inside' } } | Should -Throw '*failed inside*'

        $env:AWS_PROFILE | Should -BeExactly 'outer-profile'
        [Environment]::GetEnvironmentVariable('AWS_ACCESS_KEY_ID') | Should -BeNullOrEmpty
    }

    It 'passes -ArgumentList to the script block' {
        $result = Invoke-AwsAs -AccessKey $accessKey -SecretKey $secretKey -ScriptBlock { param($a, $b) "$a+$b" } -ArgumentList 'one', 'two' -ErrorAction Stop
        $result | Should -BeExactly 'one+two'
    }

    It 'runs a program with -FilePath, streams its output and sets $LASTEXITCODE' {
        $encoded = ConvertTo-EncodedCommand -Script "[Console]::Out.WriteLine([Environment]::GetEnvironmentVariable('AWS_ACCESS_KEY_ID')); exit 3"
        $output = Invoke-AwsAs -AccessKey $accessKey -SecretKey $secretKey -FilePath (Get-PowerShellExecutable) -ArgumentList '-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded

        $LASTEXITCODE | Should -Be 3
        @($output | Where-Object { $_ })[-1] | Should -BeExactly $accessKey
        [Environment]::GetEnvironmentVariable('AWS_ACCESS_KEY_ID') | Should -BeNullOrEmpty
    }

    It 'needs exactly one of -ScriptBlock and -FilePath' {
        { Invoke-AwsAs -AccessKey $accessKey -SecretKey $secretKey -ErrorAction Stop } |
            Should -Throw -ErrorId 'ScriptOrProgramRequired,AwsLogin.Commands.Run.InvokeAwsAsCommand'
    }
}

Describe 'Errors' {
    It 'reports a malformed role ARN as InvalidRoleArn, with the ARN as target' {
        $badArn = 'arn:aws:iam::12345:role/TooShortAccount'
        $result = Get-AwsRoleCredential -AccessKey $accessKey -SecretKey $secretKey -RoleArn $badArn -ErrorAction SilentlyContinue -ErrorVariable failures

        $result | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidRoleArn,AwsLogin.Commands.Sts.GetAwsRoleCredentialCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failures[0].TargetObject | Should -Be $badArn
        ($failures[0] | Out-String) | Should -Not -BeLike "*$secretKey*"
    }

    It 'stops with InvalidRoleArn under -ErrorAction Stop' {
        { Get-AwsRoleCredential -AccessKey $accessKey -SecretKey $secretKey -RoleArn 'not-an-arn' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidRoleArn,AwsLogin.Commands.Sts.GetAwsRoleCredentialCommand'
    }

    It 'reports an unknown profile as ProfileNotFound' {
        { Get-AwsRoleCredential -ProfileName 'no-such-profile' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ProfileNotFound,AwsLogin.Commands.Sts.GetAwsRoleCredentialCommand'
    }
}

Describe 'Get-AwsRoleCredential -AsProcessJson in a child process' -Skip:$notLaidOutAsInstalled {
    BeforeAll {
        # The child finds the module as an installed one would be found: through PSModulePath, which here gets the
        # folder that holds AwsLogin/<version>/ in front. The command lines are then exactly the documented ones.
        $moduleRoot = Split-Path (Split-Path (Split-Path $manifestPath -Parent) -Parent) -Parent
        $savedModulePath = $env:PSModulePath
        $env:PSModulePath = $moduleRoot + [System.IO.Path]::PathSeparator + $env:PSModulePath
        $exe = Get-PowerShellExecutable
    }

    AfterAll {
        $env:PSModulePath = $savedModulePath
    }

    It 'writes one line of Version 1 JSON and nothing else on stdout' {
        $run = Invoke-ChildPowerShell -Arguments "-NoProfile -NonInteractive -Command Get-AwsRoleCredential -AccessKey $accessKey -SecretKey $secretKey -SessionToken $sessionToken -AsProcessJson"

        $run.ExitCode | Should -Be 0 -Because $run.StdErr
        $lines = @($run.StdOut -split "`r?`n" | Where-Object { $_ })
        $lines.Count | Should -Be 1
        $json = $lines[0] | ConvertFrom-Json
        $json.Version | Should -Be 1
        $json.AccessKeyId | Should -BeExactly $accessKey
        $json.SecretAccessKey | Should -BeExactly $secretKey
        $json.SessionToken | Should -BeExactly $sessionToken
    }

    It 'exits with code 1, writes the error on stderr and no JSON on stdout' {
        $run = Invoke-ChildPowerShell -Arguments "-NoProfile -NonInteractive -Command Get-AwsRoleCredential -AccessKey $accessKey -SecretKey $secretKey -RoleArn not-an-arn -AsProcessJson"

        $run.ExitCode | Should -Be 1
        $run.StdOut.Trim() | Should -BeNullOrEmpty
        $run.StdErr | Should -Not -BeNullOrEmpty
        $run.StdErr | Should -Not -BeLike "*$secretKey*"
    }

    It 'is read back by AwsLogin itself as a credential_process profile' {
        # The whole credential_process round trip without a network: AwsLogin runs the configured command line
        # (through sh -c, or cmd.exe /c on Windows), which is AwsLogin again, and parses its JSON.
        $quotedExe = if ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) { '"' + $exe + '"' } else { "'" + $exe + "'" }
        $line = "credential_process = $quotedExe -NoProfile -NonInteractive -Command Get-AwsRoleCredential -AccessKey $accessKey -SecretKey $secretKey -SessionToken $sessionToken -AsProcessJson"
        Set-Content -LiteralPath $env:AWS_CONFIG_FILE -Value "[profile via-process]`n$line`n"
        try {
            $result = Get-AwsRoleCredential -ProfileName via-process -ErrorAction Stop
            $result.AccessKeyId | Should -BeExactly $accessKey
            $result.SecretAccessKey | Should -BeExactly $secretKey
            $result.SessionToken | Should -BeExactly $sessionToken
            $result.Source | Should -BeLike '*credential_process*'
        }
        finally {
            Set-Content -LiteralPath $env:AWS_CONFIG_FILE -Value '' -NoNewline
        }
    }
}

Describe 'Credential server' {
    # Long-term keys need no STS call, so the server can be exercised without a network.
    AfterEach {
        Stop-AwsCredentialServer -All
    }

    It 'serves the keys only to requests that carry its token' {
        $server = Start-AwsCredentialServer -AccessKey $accessKey -SecretKey $secretKey -Region eu-west-1 -ErrorAction Stop

        $server | Should -BeOfType 'AwsLogin.AwsCredentialServer'
        $server.Uri.Host | Should -Be '127.0.0.1'
        $served = Invoke-RestMethod -Uri $server.Uri -Headers @{ Authorization = $server.AuthorizationToken }
        $served.AccessKeyId | Should -BeExactly $accessKey
        $served.SecretAccessKey | Should -BeExactly $secretKey
        $served.Expiration | Should -Not -BeNullOrEmpty
        { Invoke-RestMethod -Uri $server.Uri -ErrorAction Stop } | Should -Throw
        { Invoke-RestMethod -Uri $server.Uri -Headers @{ Authorization = 'wrong' } -ErrorAction Stop } | Should -Throw
    }

    It 'never shows the token or the secret in a view' {
        $server = Start-AwsCredentialServer -AccessKey $accessKey -SecretKey $secretKey -ErrorAction Stop

        foreach ($text in @(($server | Out-String -Width 400), ($server | Format-List | Out-String -Width 400), "$server")) {
            $text | Should -Not -BeLike "*$($server.AuthorizationToken)*"
            $text | Should -Not -BeLike "*$secretKey*"
            $text | Should -Not -BeLike "*$accessKey*"
        }
    }

    It 'sets the container variables with -SetEnvironment and puts them back when stopped' {
        $env:AWS_PROFILE = 'before'
        try {
            $server = Start-AwsCredentialServer -AccessKey $accessKey -SecretKey $secretKey -SetEnvironment -ErrorAction Stop
            $env:AWS_CONTAINER_CREDENTIALS_FULL_URI | Should -Be $server.Uri.AbsoluteUri
            $env:AWS_CONTAINER_AUTHORIZATION_TOKEN | Should -BeExactly $server.AuthorizationToken
            $env:AWS_PROFILE | Should -BeNullOrEmpty

            $server | Stop-AwsCredentialServer

            $server.IsRunning | Should -BeFalse
            $env:AWS_CONTAINER_CREDENTIALS_FULL_URI | Should -BeNullOrEmpty
            $env:AWS_PROFILE | Should -Be 'before'
        }
        finally {
            Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue
        }
    }

    It 'runs Invoke-AwsAs -AutoRefresh against a server that stops afterwards' {
        $uri = Invoke-AwsAs -AccessKey $accessKey -SecretKey $secretKey -AutoRefresh {
            $env:AWS_CONTAINER_CREDENTIALS_FULL_URI
            (Invoke-RestMethod -Uri $env:AWS_CONTAINER_CREDENTIALS_FULL_URI -Headers @{ Authorization = $env:AWS_CONTAINER_AUTHORIZATION_TOKEN }).AccessKeyId
        }

        $uri[1] | Should -BeExactly $accessKey
        $env:AWS_CONTAINER_CREDENTIALS_FULL_URI | Should -BeNullOrEmpty
        { Invoke-RestMethod -Uri $uri[0] -TimeoutSec 5 -ErrorAction Stop } | Should -Throw
    }

    It 'reports stopping a server that is not running' {
        $server = Start-AwsCredentialServer -AccessKey $accessKey -SecretKey $secretKey -ErrorAction Stop
        $server | Stop-AwsCredentialServer

        $server | Stop-AwsCredentialServer -ErrorVariable failures -ErrorAction SilentlyContinue

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'CredentialServerNotFound,AwsLogin.Commands.Run.StopAwsCredentialServerCommand'
    }
}
