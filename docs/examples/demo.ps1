# The LogTools demonstration: runs against the default store (no configuration), through pwsh or
# the logtools host:  logtools -File docs/examples/demo.ps1
# It records a small but real coordinator session; everything it writes stays in the store.
# It uses only the engine's core cmdlets and .NET, which every PowerShell host has (logtools hosts
# the engine without pwsh's Utility and Management modules).

function Show([string] $Title) { $Host.UI.WriteLine("`n== $Title") }

Show 'The store (chosen with no configuration; the first command that writes creates it)'
$session = Start-LogSession -Config @{ demo = $true; workers = 1 }
Get-LogStore | Out-Default

Show 'A coordinator session: a task detected, a worker spawned, events written'
$task = "demo-$([DateTime]::UtcNow.ToString('HHmmss'))"
Set-LogTask -TaskId $task -Status Detected -IssueNumber 450 -Title 'Demonstrate LogTools'
Write-LogEvent -Type trigger -Message "issue 450 detected" -ContextType task -ContextId $task
Set-LogTask -TaskId $task -Status Active
$conversation = [IO.Path]::Combine([IO.Path]::GetTempPath(), "$task.jsonl")
[IO.File]::WriteAllLines($conversation, [string[]] @(
    '{"role":"user","content":"Fix issue 450"}',
    '{"role":"assistant","content":"Done: see PR 451"}'))
Set-LogWorker -WorkerId "$task-w1" -Status Spawned -TaskId $task -ProcessId $PID -LogFile $conversation
Add-ApiCall -WorkerId "$task-w1" -Model claude-sonnet-4-5 -InputTokens 12000 -OutputTokens 1800 -CacheReadTokens 40000 -DurationMs 5200
Add-ApiCall -WorkerId "$task-w1" -Model claude-sonnet-4-5 -InputTokens 3000 -OutputTokens 900 -CacheReadTokens 52000 -DurationMs 3100
Write-LogEvent -Type decision -Message 'worker finished, opening PR' -ContextType task -ContextId $task -Details @{ pr = 451 }
Set-LogWorker -WorkerId "$task-w1" -Status Completed -ExitCode 0
Set-LogTask -TaskId $task -Status Completed -PrNumber 451
Stop-LogSession -SessionId $session.SessionId

Show 'What happened to the task'
Get-LogTask -TaskId $task | Out-Default
Get-LogEvent -ContextId $task | Out-Default
Get-LogWorker -TaskId $task | Out-Default

Show "The worker's conversation, streamed from its JSONL file"
Get-LogWorker -TaskId $task | Get-LogContent | Out-Default

Show 'BLAKE3 of the conversation (b3sum prints the same digest)'
Get-FileBlake3 -LiteralPath $conversation | Out-Default

Show "What today cost (priced from the shipped table), and a budget check a scheduled task can act on"
Get-ApiCost -Today -GroupBy Model | Out-Default
Test-ApiBudget -Limit 20 -Period Day | Out-Default

Show 'Mirroring a rotating log: an archive and the active file, then growth, then a rotation'
$hostLogs = [IO.Path]::Combine([IO.Path]::GetTempPath(), "demo-logs-$task")
[void][IO.Directory]::CreateDirectory($hostLogs)
$active = [IO.Path]::Combine($hostLogs, 'demo.json')
[IO.File]::WriteAllText([IO.Path]::Combine($hostLogs, 'demo-2026-11-01T00-00-00.000.json'), "{`"msg`":`"archived`"}`n")
[IO.File]::WriteAllText($active, "{`"msg`":`"first`"}`n")
$source = @{
    Name            = $task
    ArchivedPattern = [IO.Path]::Combine($hostLogs, 'demo-*.json')
    ActivePattern   = $active
    PondPath        = "demo/$task"
}
Sync-LogSource @source | Out-Default
[IO.File]::AppendAllText($active, "{`"msg`":`"second`"}`n")
Sync-LogSource @source | Out-Default
[IO.File]::Move($active, [IO.Path]::Combine($hostLogs, 'demo-2026-11-02T00-00-00.000.json'))
[IO.File]::WriteAllText($active, "{`"msg`":`"after rotation`"}`n")
Sync-LogSource @source | Out-Default
Test-LogMirror -Source $task | Out-Default

Show 'The store now'
(Get-LogStore).Tables | Out-Default
