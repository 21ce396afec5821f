BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'The size cap of a run''s log' {
    BeforeAll { $store = New-TestStore }

    It 'keeps the head and the last events behind one log.truncated marker that the summary, Get-RunEvent and Test-LogRun agree with' {
        $run = Start-LogRun -MaxLogSize 64KB
        $run.MaxLogBytes | Should -Be 65536
        1..3000 | ForEach-Object { "build output line $_" } | Write-RunEvent -Type console.line
        $open = Get-RunEvent $run.RunId
        $open.Type | Should -Not -Contain 'log.truncated'
        $open[-1].Message | Should -Be 'build output line 3000'
        $open.Sequence | Should -Be ($open.Sequence | Sort-Object -Unique)

        $done = Complete-LogRun
        $events = Get-Content -LiteralPath $run.EventsPath | ForEach-Object { $_ | ConvertFrom-Json }
        $markers = @($events | Where-Object type -eq 'log.truncated')
        $markers.Count | Should -Be 1
        $marker = $markers[0]
        $at = [array]::IndexOf($events, $marker)
        $events[$at - 1].sequence | Should -Be ($marker.payload.first_sequence - 1)
        $marker.sequence | Should -Be $marker.payload.last_sequence
        $events[$at + 1].sequence | Should -Be ($marker.sequence + 1)
        $marker.payload.dropped_events | Should -Be ($marker.payload.last_sequence - $marker.payload.first_sequence + 1)
        $marker.payload.dropped_bytes | Should -BeGreaterThan (16KB)
        $events[1].payload.message | Should -Be 'build output line 1'
        $events[-2].payload.message | Should -Be 'build output line 3000'
        (Get-Item -LiteralPath $run.EventsPath).Length | Should -BeLessOrEqual (64KB + 2KB)
        Get-ChildItem -LiteralPath (Split-Path $run.EventsPath) -Filter 'tail*' | Should -BeNullOrEmpty

        $done.EventsCount | Should -Be 3002
        $done.Summary.dropped_events | Should -Be $marker.payload.dropped_events
        $done.Summary.dropped_bytes | Should -Be $marker.payload.dropped_bytes
        (Test-LogRun $run.RunId).Status | Should -Be 'Ok'
        $shown = Get-RunEvent $run.RunId -Type log.truncated
        $shown.Severity | Should -Be 'Warning'
        $shown.Message | Should -Match "^$($marker.payload.dropped_events) event\(s\) \($($marker.payload.dropped_bytes) bytes\)"
        Get-RunEvent $run.RunId -Raw | Should -Be (Get-Content -LiteralPath $run.EventsPath)
        (Get-RunEvent $run.RunId -Tail 2).Sequence | Should -Be @(3001, 3002)
        (Get-RunEvent $run.RunId -FromSequence 2995).Sequence | Should -Be (2995..3002)
    }

    It 'leaves a run within its cap without a marker, and refuses a cap below 64 KB with RunMaxLogSizeInvalid, starting nothing' {
        $run = Start-LogRun
        $run.MaxLogBytes | Should -Be 256MB
        1..10 | Write-RunEvent -Type console.line
        (Complete-LogRun).Summary.dropped_events | Should -Be 0
        $before = @(Get-LogRun).Count
        { Start-LogRun -MaxLogSize 1000 -ErrorAction Stop } | Should -Throw -ErrorId 'RunMaxLogSizeInvalid,LogTools.Commands.StartLogRunCommand'
        @(Get-LogRun).Count | Should -Be $before
    }

    It 'shares the cap between three writer processes: one sequence per event, whole lines, one marker, Test-LogRun Ok' {
        $run = Start-LogRun -MaxLogSize 64KB
        $writers = 1..3 | ForEach-Object {
            Start-Pwsh -Script "Import-Module `$LogToolsModule; 1..2000 | ForEach-Object { 'w$_ ' + `$_ } | Write-RunEvent -Type console.line -RunId $($run.RunId)" -Environment @{ LOGTOOLS_STORE = $store }
        }
        foreach ($w in $writers) { $w.WaitForExit(180000) | Should -BeTrue; $w.ExitCode | Should -Be 0 -Because $w.StandardError.ReadToEnd() }
        $done = Complete-LogRun -RunId $run.RunId
        $events = Get-Content -LiteralPath $run.EventsPath | ForEach-Object { $_ | ConvertFrom-Json }
        @($events | Where-Object type -eq 'log.truncated').Count | Should -Be 1
        $events.sequence | Should -Be ($events.sequence | Sort-Object -Unique)
        $events[-1].sequence | Should -Be 6002
        $done.EventsCount | Should -Be 6002
        (Test-LogRun $run.RunId).Status | Should -Be 'Ok'
    }
}
