#requires -Version 7.4
<#
.SYNOPSIS
    The LogTools demonstration: the main job (a coordinator session with its tasks, workers, events and API
    costs, and a mirrored rotating log) recorded into a DEMO store of its own.
.DESCRIPTION
    The demo store is out/demo/store in this repository, never your real default store: it is deleted and
    created anew on every run, with the demo's log files beside it in out/demo. It imports the module built
    at out/LogTools (`dotnet pwsh ./build.ps1 Demo` builds it first, then runs this script in a child pwsh).
#>
$ErrorActionPreference = 'Stop'
$repo = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
Import-Module (Join-Path $repo 'out/LogTools/LogTools.psd1') -Force

function Show([string] $Title) { Write-Host "`n== $Title" }

$demo = Join-Path $repo 'out/demo'
Remove-Item -Path $demo -Recurse -Force -ErrorAction Ignore
$store = Join-Path $demo 'store'
Set-LogStore -Path $store
# The first command that writes creates the store; reading commands never do.
$session = Start-LogSession -Config @{ demo = $true; workers = 1 }

Show "The demo store: $store (deleted and created anew on each run; your default store is untouched)"
Get-LogStore | Format-List Path, Source, SchemaVersion, SqliteVersion | Out-Host

Show 'A coordinator session: a task detected, a worker spawned, events written, API calls recorded'
$task = 'demo-{0:HHmmss}' -f (Get-Date)
Set-LogTask -TaskId $task -Status Detected -IssueNumber 450 -Title 'Demonstrate LogTools'
Write-LogEvent -Type trigger -Message 'issue 450 detected' -ContextType task -ContextId $task
Set-LogTask -TaskId $task -Status Active
$conversation = Join-Path $demo "$task.jsonl"
Set-Content -Path $conversation -Value '{"role":"user","content":"Fix issue 450"}', '{"role":"assistant","content":"Done: see PR 451"}'
Set-LogWorker -WorkerId "$task-w1" -Status Spawned -TaskId $task -ProcessId $PID -LogFile $conversation
Add-ApiCall -WorkerId "$task-w1" -Model claude-sonnet-4-5 -InputTokens 12000 -OutputTokens 1800 -CacheReadTokens 40000 -DurationMs 5200
Add-ApiCall -WorkerId "$task-w1" -Model claude-sonnet-4-5 -InputTokens 3000 -OutputTokens 900 -CacheReadTokens 52000 -DurationMs 3100
Write-LogEvent -Type decision -Message 'worker finished, opening PR' -ContextType task -ContextId $task -Details @{ pr = 451 }
Set-LogWorker -WorkerId "$task-w1" -Status Completed -ExitCode 0
Set-LogTask -TaskId $task -Status Completed -PrNumber 451
Stop-LogSession | Out-Null

Show 'What happened to the task'
Get-LogTask -TaskId $task | Format-Table | Out-Host
Get-LogEvent -ContextId $task | Format-Table | Out-Host
Get-LogWorker -TaskId $task | Format-Table | Out-Host

Show "The worker's conversation, streamed from its JSONL file"
Get-LogWorker -TaskId $task | Get-LogContent | Format-Table | Out-Host

Show 'BLAKE3 of the conversation (b3sum prints the same digest)'
Get-FileBlake3 -LiteralPath $conversation | Select-Object Hash, Path | Format-List | Out-Host

Show 'What today cost (priced from the shipped table), and a budget check a scheduled task can act on'
Get-ApiCost -Today -GroupBy Model | Format-Table | Out-Host
Test-ApiBudget -Limit 20 -Period Day | Format-Table | Out-Host

Show 'Mirroring a rotating log: an archive and the active file, then growth, then a rotation'
$logs = New-Item -ItemType Directory -Path (Join-Path $demo 'logs')
$active = Join-Path $logs 'demo.json'
Set-Content -Path (Join-Path $logs 'demo-2026-11-01T00-00-00.000.json') -Value '{"msg":"archived"}'
Set-Content -Path $active -Value '{"msg":"first"}'
$source = @{ Name = 'demo'; ArchivedPattern = Join-Path $logs 'demo-*.json'; ActivePattern = $active; PondPath = 'demo' }
Sync-LogSource @source | Format-Table | Out-Host
Add-Content -Path $active -Value '{"msg":"second"}'
Sync-LogSource @source | Format-Table | Out-Host
Move-Item -Path $active -Destination (Join-Path $logs 'demo-2026-11-02T00-00-00.000.json')
Set-Content -Path $active -Value '{"msg":"after rotation"}'
Sync-LogSource @source | Format-Table | Out-Host
Test-LogMirror -Source demo | Format-Table | Out-Host
Get-LogRun -Kind sync | Format-Table | Out-Host

Show 'A run: start, events from a native command, complete, list, replay'
$run = Start-LogRun -Kind ci -Workspace demo
& pwsh -NoProfile -Command 'foreach ($i in 1..3) { "compiling part $i" }; [Console]::Error.WriteLine("warning: part 2 is slow")' 2>&1 |
    Write-RunEvent -Type console.line
Write-RunEvent -Type validation.issue -Severity Warning -Message 'row 4: date in the future' -Payload @{ row = 4 }
Complete-LogRun -ExitCode 0 -Summary @{ row_count = 3 } | Out-Null
Get-LogRun -First 3 | Format-Table | Out-Host
Get-RunEvent $run.RunId | Format-Table | Out-Host

Show 'An ingest run: a phase logs its files, the run completes and builds Merkle blocks, a proof is verified offline'
$ingest = Start-LogRun -Kind ingest -Workspace demo
Start-IngestPhase -Phase vanilla_ingest | Out-Null
Write-IngestLog -Phase vanilla_ingest -Path (Join-Path $logs '*.json') -Root $logs | Out-Null
Complete-IngestPhase -Phase vanilla_ingest -RowsOut 3 | Format-Table | Out-Host
Complete-LogRun | Out-Null
Get-IngestBlock -RunId $ingest.RunId | Format-Table | Out-Host
$proof = Get-IngestLog -RunId $ingest.RunId | Select-Object -First 1 | Get-IngestProof
$proof | Test-IngestProof | Format-Table | Out-Host

Show 'Port builds: B depends on A; both built in order, then rebuilt as a no-op (checksum match)'
$ports = Join-Path $demo 'ports'
foreach ($port in @{ Name = 'demo/a'; Depends = '' }, @{ Name = 'demo/b'; Depends = 'demo/a' }) {
    $folder = New-Item -ItemType Directory -Path (Join-Path $ports $port.Name) -Force
    Set-Content -Path (Join-Path $folder 'port.yml') -Value @(
        "name: $($port.Name)", 'version: "1.0"', "depends: [$($port.Depends)]", 'phases:'
        '  build: echo "building $PORTNAME" > "$WRKDIR/out"'
        '  package: tar -cf "$PACKAGES/$(basename $PORTNAME)-$PORTVERSION.tar" -C "$WRKDIR" out')
}
Invoke-PortBuild -PortsPath $ports -Jobs 2 | Format-Table | Out-Host
Invoke-PortBuild -PortsPath $ports -Jobs 2 | Format-Table | Out-Host
Get-PortPackage | Format-Table | Out-Host

Show 'The live view: serve the store read-only over HTTP, ask the runs API once, stop'
$probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
Start-LogServer -Port $port | Format-Table | Out-Host
(Invoke-RestMethod "http://127.0.0.1:$port/api/runs?limit=3").runs | Format-Table run_id, kind, status, events_count | Out-Host
Stop-LogServer

Show 'The store now'
(Get-LogStore).Tables | Where-Object Rows -gt 0 | Sort-Object Name | Select-Object Name, Rows | Format-Table | Out-Host
Write-Host "Demo store: $store"
