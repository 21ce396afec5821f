#requires -Version 7.4
<#
.SYNOPSIS
    Runs the Pester suite against the assembled out/LogTools, isolated from the user's machine, and
    writes the counts to -SummaryPath for build.ps1's closing line.
#>
param(
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string] $Path = '',  # comma-separated files or folders; empty: the whole suite
    # postgres: the files of the store-backed areas among those of -Path, each test store a new database on one
    # throwaway cluster started for the run; tests about SQLite itself skip there (Skip-OnPostgres).
    [ValidateSet('sqlite', 'postgres')] [string] $Backend = 'sqlite'
)

$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path "$PSScriptRoot/../..").Path

# Isolation: the tests (and every pwsh they start) get their own config and data homes, a working
# folder outside any git checkout, and no store from the environment.
$home_ = Join-Path ([IO.Path]::GetTempPath()) "logtools-pester-home-$PID"
New-Item -ItemType Directory -Force -Path "$home_/config", "$home_/data", "$home_/work" | Out-Null
# Every folder New-TestFolder makes (stores, sources, up to 240 MB each) is removed at the end: left in the temp
# folder, a few runs filled the disk. They stay where they are (not under $home_) since views at 80 columns show them.
$global:LogToolsTestFolders = [Collections.Generic.List[string]]::new()
$env:XDG_CONFIG_HOME = "$home_/config"
$env:XDG_DATA_HOME = "$home_/data"
$env:LOGTOOLS_TEST_REPO = $repo
$env:LOGTOOLS_TEST_WORK = "$home_/work"
Remove-Item Env:LOGTOOLS_STORE -ErrorAction SilentlyContinue

$packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
Import-Module (Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1') -Force

$config = New-PesterConfiguration
$config.Run.Path = if ($Path) { $Path -split ',' | ForEach-Object { (Resolve-Path $_).Path } } else { $PSScriptRoot }
$server = $null
if ($Backend -eq 'postgres') {
    # One file per capability that a store holds: sessions, costs and budgets, history import, mirror, runs,
    # ingest blocks, port builds, the live server, and the pipelines and views over them.
    $serverBacked = 'AbandonedSessions', 'ApiCallInput', 'Cost', 'Ingest', 'LiveServer', 'Mirror', 'MirrorPlan', 'Pipeline', 'Ports',
    'PortSpecCache', 'RunRemoval', 'Runs', 'RunsCap', 'StructuredFields', 'UsedBy', 'Views', 'Vocabulary' |
        ForEach-Object { Join-Path $PSScriptRoot "$_.Tests.ps1" }
    $config.Run.Path = @($config.Run.Path.Value | ForEach-Object { if (Test-Path $_ -PathType Container) { Get-ChildItem $_ -Filter *.Tests.ps1 | ForEach-Object FullName } else { $_ } } |
            Where-Object { $_ -in $serverBacked })
    if ($config.Run.Path.Value.Count -eq 0) {
        @{ Passed = 0; Failed = 0 } | ConvertTo-Json | Set-Content -Path $SummaryPath
        Remove-Item -Recurse -Force $home_ -ErrorAction SilentlyContinue
        return
    }
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $server = Start-TestPostgres
    $env:LOGTOOLS_TEST_BACKEND = 'postgres'
    $env:LOGTOOLS_TEST_PG_BIN = $server.Bin
    $env:LOGTOOLS_TEST_PG_SOCKET = $server.Socket
    $env:PGPASSWORD = $server.Password
}
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Normal'
if ([Console]::IsOutputRedirected) { $config.Output.RenderMode = 'Plaintext' }
$config.TestResult.Enabled = $true
$config.TestResult.OutputPath = Join-Path $repo "out/TestResults/$(if ($Backend -eq 'postgres') { 'pester-postgres' } else { 'pester' }).xml"
$MaximumErrorCount = 32768

Push-Location "$home_/work"
$result = $null
try { $result = Invoke-Pester -Configuration $config }
catch { Write-Host "[-] Pester stopped: $_" -ForegroundColor Red }
finally {
    Pop-Location
    if ($server) { Stop-TestPostgres $server }
}

# A raw .NET exception escaping a LogTools cmdlet is a defect wherever it happens, even inside a test
# that expected some error: each one fails the run. LogTools' own ids have no dot before the comma.
$raw = @($Error | Where-Object {
        $_ -is [Management.Automation.ErrorRecord] -and
        $_.InvocationInfo -and $_.InvocationInfo.MyCommand -and $_.InvocationInfo.MyCommand.ModuleName -eq 'LogTools' -and
        ($_.FullyQualifiedErrorId -split ',')[0] -match '\.'
    })
foreach ($record in $raw) {
    Write-Host "[-] A raw exception escaped $($record.InvocationInfo.MyCommand.Name): $($record.FullyQualifiedErrorId): $($record.Exception.Message)" -ForegroundColor Red
}

# A run that crashed (no result) or failed outside any test counts as one failure, never as a clean run.
$crashed = $null -eq $result -or ($result.Result -eq 'Failed' -and $result.FailedCount -eq 0)
$counts = @{ Passed = [int]$result.PassedCount; Failed = [int]$result.FailedCount + $raw.Count + $(if ($crashed) { 1 } else { 0 }) }
$counts | ConvertTo-Json | Set-Content -Path $SummaryPath
Remove-Item -Recurse -Force (@($home_) + $global:LogToolsTestFolders) -ErrorAction SilentlyContinue
