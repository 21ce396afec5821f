<#
.SYNOPSIS
Writes tests/testdata/store/release-0.1.0: a store folder as LogTools 0.1.0 (one global schema version, 1..9) left it,
with rows in every area, for the test that opens it with today's code (StoreUpgradeTests).

.DESCRIPTION
Run once with the release's module, never again: the file stands for stores already on users' disks.
  dotnet pwsh -NoProfile tests/testdata/store/New-StoreFixture.ps1 -Module <release>/out/LogTools
#>
param([Parameter(Mandatory)] [string] $Module)
$ErrorActionPreference = 'Stop'
Import-Module (Join-Path (Resolve-Path $Module) 'LogTools.psd1')

$work = Join-Path ([IO.Path]::GetTempPath()) "logtools-fixture-$PID"
$store = Join-Path $work 'store'
$hostLogs = Join-Path $work 'host'
New-Item -ItemType Directory $hostLogs | Out-Null
$at = [datetimeoffset]'2026-11-20T10:00:00Z'

Start-LogSession -SessionId s-fixture -Store $store | Out-Null
Set-LogTask -TaskId t-1 -Status Active -Title 'Fixture task' -IssueNumber 7 -SessionId s-fixture -Timestamp $at.UtcDateTime -Store $store
Set-LogWorker -WorkerId w-1 -Status Spawned -TaskId t-1 -SessionId s-fixture -Timestamp $at.UtcDateTime -Store $store
Write-LogEvent -Type fixture -Message 'a fixture event' -SessionId s-fixture -Timestamp $at.UtcDateTime -Store $store
Add-ApiCall -Model claude-sonnet-4-5-20250929 -InputTokens 1000 -OutputTokens 200 -CacheReadTokens 50 -CacheWriteTokens 30 -CacheWrite1hTokens 20 -WorkerId w-1 -Timestamp $at.UtcDateTime -Store $store
Add-ApiCall -Model model-x -InputTokens 100 -OutputTokens 10 -CostUsd 1.5 -Timestamp $at.AddDays(-40).UtcDateTime -Store $store

'{"type":"assistant","timestamp":"2026-11-19T08:00:00.000Z","requestId":"req_1","message":{"id":"msg_1","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":10,"output_tokens":20}}}' |
    Set-Content (Join-Path $work 'history.jsonl')
Import-LogHistory -LiteralPath (Join-Path $work 'history.jsonl') -Machine fixture-host -Store $store | Out-Null

Set-Content (Join-Path $hostLogs 'app.1.log') 'archived line'
Set-Content (Join-Path $hostLogs 'app.log') 'active line'
Sync-LogSource -Source app -ArchivedPattern (Join-Path $hostLogs 'app.*.log') -ActivePattern (Join-Path $hostLogs 'app.log') -PondPath logs/app -Store $store | Out-Null
Stop-LogSession -SessionId s-fixture -ExitReason Normal -Store $store

$target = Join-Path $PSScriptRoot 'release-0.1.0'
Remove-Item -Recurse $target -ErrorAction Ignore
Backup-LogStore -Store $store -Destination $target | Out-Null
Remove-Item -Recurse -Force $work
Get-Item $target
