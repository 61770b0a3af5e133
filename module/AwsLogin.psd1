@{
    RootModule           = 'AwsLogin.Cmdlets.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0b5a54-3c2e-4d8e-9a51-2d7b0e1c9a47'
    Author               = 'AwsLogin contributors'
    CompanyName          = 'AwsLogin'
    Copyright            = '(c) AwsLogin contributors. Apache-2.0.'
    Description          = 'Temporary AWS credentials the way people sign in: SAML identity providers, IAM Identity Center, and STS role chains, as typed objects, credential_process JSON, environment variables, or a script block run under that identity.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('AwsLogin.Format.ps1xml')
    CmdletsToExport      = @(
        'Get-AwsRoleCredential'
        'Get-AwsCallerIdentity'
        'Invoke-AwsAs'
        'Export-AwsCredential'
        'Connect-AwsSso'
        'Get-AwsSsoAccount'
        'Get-AwsSsoRole'
        'Import-AwsSsoToken'
        'Export-AwsSsoConfig'
        'Open-AwsConsole'
        'Start-AwsCredentialServer'
        'Stop-AwsCredentialServer'
        'Connect-AwsSaml'
        'Get-AwsSamlRole'
        'Disconnect-AwsSaml'
        'Set-AwsLoginProfile'
        'Get-AwsLoginProfile'
        'Remove-AwsLoginProfile'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('AWS', 'STS', 'SAML', 'SSO', 'IdentityCenter', 'Credentials', 'AssumeRole', 'credential_process', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ProjectUri   = 'https://github.com/awslogin/AwsLogin.PowerShell'
            ReleaseNotes = 'See README.md.'
        }
    }
}
