@{
    RootModule           = 'LogTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6d86e61a-d5ae-4a35-9f0a-b49150468c97'
    Author               = 'LogTools contributors'
    CompanyName          = 'LogTools'
    Copyright            = '(c) LogTools contributors. MIT License.'
    Description          = 'One local-first store for the records of your automation: coordinator sessions, tasks, workers and events; API calls with their cost, prices and budgets (also imported from usage history files); rotating log files mirrored with BLAKE3 digests; runs with one append-only NDJSON event log each, replayed and followed live; BLAKE3 file hashes equal to b3sum''s. SQLite is the index, append-only JSONL is the content.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('LogTools.Format.ps1xml')
    TypesToProcess       = @('LogTools.Types.ps1xml')
    CmdletsToExport      = @(
        'Get-LogStore'
        'Set-LogStore'
        'Test-LogStore'
        'Backup-LogStore'
        'Copy-LogStore'
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
        'Start-LogRun'
        'Write-RunEvent'
        'Complete-LogRun'
        'Get-LogRun'
        'Get-RunEvent'
        'Test-LogRun'
        'Start-LogServer'
        'Stop-LogServer'
        'Get-LogServer'
        'Compress-LogRun'
        'Remove-LogRun'
        'Write-IngestLog'
        'Start-IngestPhase'
        'Complete-IngestPhase'
        'Build-IngestBlock'
        'Get-IngestBlock'
        'Get-IngestLog'
        'Get-IngestError'
        'Test-IngestBlock'
        'Get-IngestProof'
        'Test-IngestProof'
        'Invoke-PortBuild'
        'Get-PortBuild'
        'Get-PortPackage'
        'Get-PortStatus'
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
