BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'A run from start to completion' {
    BeforeAll {
        $store = New-TestStore
        $run = Start-LogRun -Kind ci -Workspace web -Configuration release
        & bash -c 'echo one; echo two; echo three >&2; echo four' 2>&1 | Write-RunEvent -Type console.line
        Write-RunEvent -Type validation.issue -Severity Error -Message 'row 4: bad date' -Payload @{ row = 4; file = 'a.csv' }
        $lines = Get-Content -LiteralPath $run.EventsPath
        $completed = Complete-LogRun -ExitCode 3 -Status Failed -Summary @{ row_count = 42; input_file_count = 2 }
    }

    It 'writes one NDJSON envelope per event under runs/<yyyy>/<mm>/<run_id>/, sequences from 1 without gaps' {
        $run.EventsPath | Should -BeLike (Join-Path (Get-TestContentRoot $store) "runs/$($run.CreatedAt.UtcDateTime.ToString('yyyy/MM'))/$($run.RunId)/events.ndjson")
        $events = $lines | ConvertFrom-Json
        $events.sequence | Should -Be (1..6)
        $events[0].type | Should -Be 'run.started'
        $events.run_id | Select-Object -Unique | Should -Be $run.RunId
        @($events | Where-Object type -eq 'console.line').payload.message | Sort-Object | Should -Be @('four', 'one', 'three', 'two')
        ($events | Where-Object { $_.payload.message -eq 'three' }).payload.stream | Should -Be 'stderr'
        $events[5].payload.severity | Should -Be 'error'
        $events[5].payload.row | Should -Be 4
    }

    It 'completes with run.completed carrying the summary, the derived fields and the b3sum digest of the log' {
        $completed.Status | Should -Be 'Failed'
        $completed.ExitCode | Should -Be 3
        $completed.EventsCount | Should -Be 7
        $completed.EventsBlake3 | Should -Be (Get-B3sum $run.EventsPath)
        $completed.EventsBytes | Should -Be (Get-Item $run.EventsPath).Length
        $completed.MaxSeverity | Should -Be 'Error'
        $completed.RowCount | Should -Be 42
        $completed.InputFileCount | Should -Be 2
        $completed.LastConsoleSnippet | Should -BeIn @('four', 'three')
        $completed.Summary.console_lines | Should -Be 4
        $completed.Summary.validation_issues | Should -Be 1
        $completed.Summary.types.'console.line' | Should -Be 4
        $last = Get-Content -LiteralPath $run.EventsPath -Tail 1 | ConvertFrom-Json
        $last.type | Should -Be 'run.completed'
        $last.sequence | Should -Be 7
        $last.payload.status | Should -Be 'failed'
        $last.payload.summary.events | Should -Be 6
    }

    It 'refuses events to a completed run with RunCompleted and leaves the log as it was' {
        $before = Get-B3sum $run.EventsPath
        { Write-RunEvent -RunId $run.RunId -Type console.line -Message late -ErrorAction Stop } |
            Should -Throw -ErrorId 'RunCompleted,LogTools.Commands.WriteRunEventCommand'
        Get-B3sum $run.EventsPath | Should -Be $before
        { Complete-LogRun -RunId $run.RunId -ErrorAction Stop } | Should -Throw -ErrorId 'RunAlreadyCompleted,LogTools.Commands.CompleteLogRunCommand'
    }

    It 'replays the events as objects, raw lines, by type, from a sequence and the last N' {
        $all = Get-RunEvent $run.RunId
        $all.Sequence | Should -Be (1..7)
        $all[1..4].Message | Sort-Object | Should -Be @('four', 'one', 'three', 'two')
        $all[5].Severity | Should -Be 'Error'
        $all[5].Payload.file | Should -Be 'a.csv'
        Get-RunEvent $run.RunId -Raw | Should -Be (Get-Content -LiteralPath $run.EventsPath)
        (Get-RunEvent $run.RunId -Type 'validation.*').Sequence | Should -Be 6
        (Get-RunEvent $run.RunId -FromSequence 5).Sequence | Should -Be (5..7)
        (Get-RunEvent $run.RunId -Tail 2).Sequence | Should -Be (6, 7)
        @(Get-RunEvent $run.RunId -FromSequence 100).Count | Should -Be 0
    }

    It 'refuses -FromSequence below 1 with FromSequenceInvalid' {
        { Get-RunEvent $run.RunId -FromSequence 0 -ErrorAction Stop } | Should -Throw -ErrorId 'FromSequenceInvalid,LogTools.Commands.GetRunEventCommand'
    }

    It 'shows id, kind, status, events, worst severity and the last line at 120 and 80 columns' {
        $wide = Get-LogRun $run.RunId | Get-Rendered -Width 120
        $wide | Should -Match "$($run.RunId)\s+ci\s+Failed\s+\d\d-\d\d \d\d:\d\d\s+\S+( ms| s)?\s+7\s+error\s+(four|three)"
        $narrow = Get-LogRun $run.RunId | Get-Rendered -Width 80
        $narrow | Should -Match "$($run.RunId)\s+ci\s+Failed"
        ($narrow -split "`n" | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 80
        # The leading columns fill 80 exactly: the last line's column is left out whole, never squeezed into a wrapped header.
        ($narrow -split "`r?`n" | Where-Object { $_ -match '^RunId' }) | Should -Match 'Worst$'
        $events = Get-RunEvent $run.RunId | Get-Rendered -Width 80
        $events | Should -Match '6 \d\d:\d\d:\d\d\.\d{3} validation.issue Error\s+row 4: bad date'
    }
}

Describe 'Get-LogRun filters' {
    BeforeAll {
        $null = New-TestStore
        $a = Start-LogRun -Kind sync; Complete-LogRun -Status Failed | Out-Null
        $b = Start-LogRun -Kind sync; Write-RunEvent -Type x -Severity Warning -Message w; Complete-LogRun | Out-Null
        $c = Start-LogRun -Kind user -Workspace ws; Write-RunEvent -Type x -Severity Critical -Message c
    }

    It 'lists newest first and filters by kind, status, workspace, window, severity and count' {
        (Get-LogRun).RunId | Should -Be @($c.RunId, $b.RunId, $a.RunId)
        (Get-LogRun -Kind sync -Status Failed -Last 7d).RunId | Should -Be $a.RunId
        (Get-LogRun -Workspace ws).RunId | Should -Be $c.RunId
        (Get-LogRun -MinSeverity Warning).RunId | Should -Be @($c.RunId, $b.RunId)
        (Get-LogRun -First 1).RunId | Should -Be $c.RunId
        (Get-LogRun -Status Running).RunId | Should -Be $c.RunId
        @(Get-LogRun -Since (Get-Date).AddDays(1)).Count | Should -Be 0
    }

    It 'reports an unknown run id with RunNotFound' {
        { Get-LogRun -RunId nope -ErrorAction Stop } | Should -Throw -ErrorId 'RunNotFound,LogTools.Commands.GetLogRunCommand'
        { Get-RunEvent -RunId nope -ErrorAction Stop } | Should -Throw -ErrorId 'RunNotFound,LogTools.Commands.GetRunEventCommand'
        @(Get-LogRun -RunId 'nope*').Count | Should -Be 0
    }
}

Describe 'Crash safety and several writers' {
    BeforeAll { $store = New-TestStore }

    It 'repairs a torn last line before appending, keeping every earlier line' {
        $run = Start-LogRun
        Write-RunEvent -Type console.line -Message before
        [IO.File]::AppendAllText($run.EventsPath, '{"sequence":3,"time":"2026-')
        Write-RunEvent -Type console.line -Message after
        $events = Get-Content -LiteralPath $run.EventsPath | ConvertFrom-Json
        $events.sequence | Should -Be (1..3)
        $events.payload.message | Should -Be @($null, 'before', 'after')
        Get-Content -Raw -LiteralPath "$($run.EventsPath).torn" | Should -Match '\{"sequence":3,"time":"2026-'
        Complete-LogRun | Out-Null
    }

    It 'loses at most the unflushed batch when the writer is killed, and Complete-LogRun closes the run' {
        $run = Start-LogRun
        $writer = Start-Pwsh -Script "Import-Module `$LogToolsModule; 1..10000000 | Write-RunEvent -Type console.line -RunId $($run.RunId)" -Environment @{ LOGTOOLS_STORE = $store }
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((Get-Item $run.EventsPath).Length -lt 200KB -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        & kill -KILL $writer.Id
        $writer.WaitForExit()
        # The kill can land in the middle of a write and leave a torn last line (no newline): the next writer sets it aside.
        $text = [IO.File]::ReadAllText($run.EventsPath)
        $events = @($text.Substring(0, $text.LastIndexOf("`n") + 1).Split("`n") | Where-Object { $_ } | ForEach-Object { $_ | ConvertFrom-Json })
        $events.Count | Should -BeGreaterThan 1000
        $events.sequence | Should -Be (1..$events.Count)
        (Get-LogRun $run.RunId).Status | Should -Be 'Abandoned' -Because 'the last process that wrote to it is gone'
        $done = Complete-LogRun -RunId $run.RunId -Status Failed
        $done.EventsCount | Should -Be ($events.Count + 1)
        $done.EventsBlake3 | Should -Be (Get-B3sum $run.EventsPath)
    }

    It 'shows a run left running by a dead process as Abandoned, and Complete-LogRun -Status Failed closes it' {
        $out = Invoke-Pwsh -File -Script 'Import-Module $LogToolsModule; (Start-LogRun -Kind nightly).RunId' -Environment @{ LOGTOOLS_STORE = $store }
        $out.ExitCode | Should -Be 0 -Because $out.Stderr
        $id = $out.Stdout.Trim()
        (Get-LogRun $id).Status | Should -Be 'Abandoned'
        (Get-LogRun -Status Abandoned).RunId | Should -Be $id
        Get-LogRun $id | Get-Rendered -Width 80 | Should -Match "$id\s+nightly\s+Abandoned"
        (Get-LogRun -Status Abandoned | Complete-LogRun -Status Failed).Status | Should -Be 'Failed'
        (Get-LogRun $id).Status | Should -Be 'Failed'
    }

    It 'gives every event of three concurrent writer processes its own sequence, with whole lines' {
        $run = Start-LogRun
        $writers = 1..3 | ForEach-Object {
            Start-Pwsh -Script "Import-Module `$LogToolsModule; 1..3000 | ForEach-Object { 'w$_ ' + `$_ } | Write-RunEvent -Type console.line -RunId $($run.RunId)" -Environment @{ LOGTOOLS_STORE = $store }
        }
        foreach ($w in $writers) { $w.WaitForExit(120000) | Should -BeTrue; $w.ExitCode | Should -Be 0 -Because $w.StandardError.ReadToEnd() }
        $events = Get-Content -LiteralPath $run.EventsPath | ForEach-Object { $_ | ConvertFrom-Json }
        $events.Count | Should -Be 9001
        $events.sequence | Should -Be (1..9001)
        foreach ($w in 1..3) { @($events | Where-Object { $_.payload.message -like "w$w *" }).Count | Should -Be 3000 }
        (Get-LogRun $run.RunId).EventsCount | Should -Be 9001
    }
}

Describe 'Get-RunEvent -Follow' {
    BeforeAll { $store = New-TestStore }

    It 'streams events another process appends and ends by itself after run.completed' {
        $run = Start-LogRun
        $writer = Start-Pwsh -Script @"
Import-Module `$LogToolsModule
foreach (`$i in 1..5) { Start-Sleep -Milliseconds 200; Write-RunEvent -Type step -Message "step `$i" -RunId $($run.RunId) }
Complete-LogRun -RunId $($run.RunId) | Out-Null
"@ -Environment @{ LOGTOOLS_STORE = $store }
        $seen = Get-RunEvent $run.RunId -Follow
        $writer.WaitForExit(60000) | Should -BeTrue
        $seen.Type | Should -Be @('run.started', 'step', 'step', 'step', 'step', 'step', 'run.completed')
        $seen.Message[1..5] | Should -Be @('step 1', 'step 2', 'step 3', 'step 4', 'step 5')
    }

    It 'seeks through the index: -FromSequence near the end of a long run returns the tail in order' {
        $run = Start-LogRun
        1..5000 | Write-RunEvent -Type console.line
        (Get-Item (Join-Path (Split-Path $run.EventsPath) 'events.idx')).Length | Should -Be (5 * 16)
        $tail = Get-RunEvent $run.RunId -FromSequence 4990
        $tail.Sequence | Should -Be (4990..5001)
        $tail[0].Message | Should -Be '4989'
        (Get-RunEvent $run.RunId -FromSequence 3000 | Select-Object -First 1).Sequence | Should -Be 3000
    }
}

Describe 'Bad input' {
    BeforeAll { $store = New-TestStore }

    It 'reports a hand-edited broken line with its line number and still replays the rest' {
        $run = Start-LogRun
        'a', 'b', 'c' | Write-RunEvent -Type console.line
        Complete-LogRun | Out-Null
        $lines = Get-Content -LiteralPath $run.EventsPath
        $lines[2] = '{"sequence":3, broken'
        Set-Content -LiteralPath $run.EventsPath -Value $lines
        $events = Get-RunEvent $run.RunId -ErrorVariable problems -ErrorAction SilentlyContinue
        $events.Sequence | Should -Be @(1, 2, 4, 5)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'RunEventLineInvalid,LogTools.Commands.GetRunEventCommand'
        $problems[0].Exception.Message | Should -Match 'Line 3 '
        $problems[0].TargetObject | Should -Be "$($run.EventsPath):3"
    }

    It 'refuses a payload that cannot be stored as JSON, for that input only' {
        $run = Start-LogRun
        Write-RunEvent -Type x -Payload @{ code = { 1 } } -ErrorVariable bad -ErrorAction SilentlyContinue
        $bad[0].FullyQualifiedErrorId | Should -Be 'PayloadNotSerializable,LogTools.Commands.WriteRunEventCommand'
        @{ n = 1 }, @{ n = [scriptblock]::Create('2') }, @{ n = 3 } | Write-RunEvent -Type obj -ErrorAction SilentlyContinue
        (Get-RunEvent $run.RunId -Type obj).Payload.n | Should -Be @(1, 3)
        (Get-RunEvent $run.RunId -Type x) | Should -BeNullOrEmpty
    }

    It 'lists a run whose folder was deleted, says the log is missing, and refuses to replay it with RunLogMissing' {
        $run = Start-LogRun
        Write-RunEvent -Type x -Message m
        Complete-LogRun | Out-Null
        Remove-Item -Recurse -Force (Split-Path $run.EventsPath)
        $listed = Get-LogRun $run.RunId
        $listed.LogMissing | Should -BeTrue
        $listed | Get-Rendered -Width 120 | Should -Match '\(log missing\)'
        { Get-RunEvent $run.RunId -ErrorAction Stop } | Should -Throw -ErrorId 'RunLogMissing,LogTools.Commands.GetRunEventCommand'
    }

    It 'reads a .gz log transparently and reports a truncated one after the events before the damage' {
        $run = Start-LogRun
        1..20000 | Write-RunEvent -Type console.line
        Complete-LogRun | Out-Null
        & gzip -k $run.EventsPath
        Remove-Item -LiteralPath $run.EventsPath
        (Get-RunEvent $run.RunId -Raw | Measure-Object).Count | Should -Be 20002
        $gz = "$($run.EventsPath).gz"
        $bytes = [IO.File]::ReadAllBytes($gz)
        [IO.File]::WriteAllBytes($gz, $bytes[0..($bytes.Length / 2)])
        $count = (Get-RunEvent $run.RunId -Raw -ErrorVariable problems -ErrorAction SilentlyContinue | Measure-Object).Count
        $count | Should -BeGreaterThan 0
        $count | Should -BeLessThan 20002
        $problems.FullyQualifiedErrorId | Should -Contain 'RunLogTruncated,LogTools.Commands.GetRunEventCommand'
    }
}

Describe 'Logging never takes the run down' {
    BeforeAll { $null = New-TestStore }
    AfterAll { if ($mount) { Dismount-TestFileSystem $mount } }

    It 'records lost events when the log cannot be written, then writes a log.gap marker when it can again' {
        $run = Start-LogRun
        $script:mount = Split-Path $run.EventsPath
        Remove-Item -Recurse -Force $mount
        New-Item -ItemType Directory -Path $mount | Out-Null
        & mount -t tmpfs -o size=1m tmpfs $mount
        Set-TestFileSystem $mount -ReadOnly
        'lost1', 'lost2' | Write-RunEvent -Type console.line
        $degraded = Get-LogRun $run.RunId
        $degraded.LoggingDegraded | Should -BeTrue
        $degraded.EventsLost | Should -Be 2
        $degraded.LoggingError | Should -Match 'Read-only'
        $degraded | Get-Rendered -Width 120 | Should -Match 'logging degraded: 2 lost'
        Set-TestFileSystem $mount
        Write-RunEvent -Type console.line -Message back
        $events = Get-RunEvent $run.RunId
        $events.Type | Should -Be @('log.gap', 'console.line')
        $events[0].Payload.events_lost | Should -Be 2
        $events.Sequence | Should -Be (1, 2)
        (Complete-LogRun).EventsLost | Should -Be 2
    }
}

Describe 'Without a current run' {
    It 'stops Write-RunEvent and Complete-LogRun with NoCurrentRun in a fresh session' {
        $store = Join-Path (New-TestFolder 'norun') 'store'
        $out = Invoke-Pwsh -Script @'
Import-Module $LogToolsModule
foreach ($c in { Write-RunEvent -Type x -Message m -ErrorAction Stop }, { Complete-LogRun -ErrorAction Stop }) {
    try { & $c } catch { $_.FullyQualifiedErrorId }
}
'@ -Environment @{ LOGTOOLS_STORE = $store }
        $out.Stdout.Trim() -split '\r?\n' | Should -Be @('NoCurrentRun,LogTools.Commands.WriteRunEventCommand', 'NoCurrentRun,LogTools.Commands.CompleteLogRunCommand')
    }
}

Describe 'Test-LogRun, Compress-LogRun and Remove-LogRun' {
    BeforeAll {
        $store = New-TestStore
        $runs = 1..3 | ForEach-Object { $r = Start-LogRun; 1..1500 | Write-RunEvent -Type console.line; Complete-LogRun -Status ('Succeeded', 'Failed', 'Succeeded')[$_ - 1] | Out-Null; $r }
        Start-Sleep -Milliseconds 50
    }

    It 'reports an intact log as Ok and an edited one as Tampered' {
        $lines = Get-Content -LiteralPath $runs[2].EventsPath
        $lines[10] = $lines[10] -replace '"message":"10"', '"message":"1O"'
        Set-Content -LiteralPath $runs[2].EventsPath -Value $lines
        $checks = Test-LogRun
        ($checks | Where-Object RunId -eq $runs[0].RunId).Status | Should -Be 'Ok'
        ($checks | Where-Object RunId -eq $runs[2].RunId).Status | Should -Be 'Tampered'
        Test-LogRun $runs[2].RunId | Get-Rendered -Width 80 | Should -Match "$($runs[2].RunId)\s+Tampered\s+1502/1502"
    }

    It 'changes nothing under -WhatIf' {
        Compress-LogRun -OlderThan 1ms -WhatIf
        Remove-LogRun -OlderThan 1ms -WhatIf
        $runs | ForEach-Object { Test-Path -LiteralPath $_.EventsPath | Should -BeTrue }
        @(Get-LogRun).Count | Should -Be 3
    }

    It 'compresses completed logs to a verified .gz that Get-RunEvent and b3sum-checked Test-LogRun read the same' {
        $plain = Get-Content -LiteralPath $runs[0].EventsPath
        $compressed = Compress-LogRun -OlderThan 1ms -ErrorAction SilentlyContinue -ErrorVariable refused
        $refused.FullyQualifiedErrorId | Should -Be 'RunCompressMismatch,LogTools.Commands.CompressLogRunCommand'
        $compressed.RunId | Should -Contain $runs[0].RunId
        Test-Path -LiteralPath $runs[0].EventsPath | Should -BeFalse
        Get-RunEvent $runs[0].RunId -Raw | Should -Be $plain
        (Get-RunEvent $runs[0].RunId -FromSequence 1499).Sequence | Should -Be (1499..1502)
        (Test-LogRun $runs[0].RunId).Status | Should -Be 'Ok'
        (Get-LogRun $runs[0].RunId).EventsPath | Should -BeLike '*events.ndjson.gz'
    }

    It 'removes failed runs after exporting the log and the metadata, and leaves the others' {
        $export = New-TestFolder 'export'
        $log = (Get-LogRun $runs[1].RunId).EventsPath
        $log | Should -BeLike '*.gz' -Because 'the previous test compressed it'
        $digest = Get-B3sum $log
        $removed = Remove-LogRun -OlderThan 1ms -Status Failed -ExportPath $export -PassThru -Confirm:$false
        $removed.RunId | Should -Be $runs[1].RunId
        Get-B3sum (Join-Path $export "$($runs[1].RunId)/events.ndjson.gz") | Should -Be $digest
        (Get-Content -Raw (Join-Path $export "$($runs[1].RunId)/run.json") | ConvertFrom-Json).Status | Should -Be 'Failed'
        Test-Path (Split-Path $runs[1].EventsPath) | Should -BeFalse
        (Get-LogRun).RunId | Should -Not -Contain $runs[1].RunId
        @(Get-LogRun).Count | Should -Be 2
    }
}
