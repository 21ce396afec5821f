@{
    RootModule           = 'LogTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6d86e61a-d5ae-4a35-9f0a-b49150468c97'
    Author               = 'LogTools contributors'
    CompanyName          = 'LogTools'
    Copyright            = '(c) LogTools contributors. MIT License.'
    Description          = 'One local-first store for the logs and records of your automation: agent sessions and API costs, mirrored rotating log files, run event streams, ingest audits and incremental builds. SQLite is the index, append-only JSONL is the content.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('LogTools.Format.ps1xml')
    CmdletsToExport      = @(
        'Get-LogStore'
        'Set-LogStore'
        'Test-LogStore'
        'Backup-LogStore'
        'Get-FileBlake3'
        'Start-LogSession'
        'Stop-LogSession'
        'Get-LogSession'
        'Set-LogTask'
        'Get-LogTask'
        'Set-LogWorker'
        'Get-LogWorker'
        'Write-LogEvent'
        'Get-LogEvent'
        'Get-LogContent'
        'Sync-LogSource'
        'Test-LogMirror'
        'Get-LogMirror'
        'Add-ApiCall'
        'Get-ApiCost'
        'Get-ApiPrice'
        'Test-ApiBudget'
        'Move-LogRecord'
        'Import-LogHistory'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Logging', 'SQLite', 'JSONL', 'BLAKE3', 'Telemetry', 'Linux', 'Windows', 'macOS')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
