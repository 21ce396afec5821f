BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # A log source "app" (app-*.log archives, app.log active) under $Root/host, as a YAML config; returns the config path.
    function New-TestSource([string] $Root) {
        New-Item -ItemType Directory -Path (Join-Path $Root 'host') | Out-Null
        $config = Join-Path $Root 'app.yml'
        Set-Content -Path $config -Value "name: app`narchived_pattern: host/app-*.log`nactive_pattern: host/app.log`npond_path: logs/app"
        $config
    }

    # A link out of the source's folder (host/app-2.log) is refused: one file of the sync fails, the others are mirrored.
    function Add-OutsideLink([string] $Root) {
        Set-Content -Path (Join-Path $Root 'secret.log') -Value 'not part of the source'
        New-Item -ItemType SymbolicLink -Path (Join-Path $Root 'host/app-2.log') -Target (Join-Path $Root 'secret.log') | Out-Null
    }
}

Describe 'Sync-LogSource is a run of kind sync' {
    BeforeAll {
        $root = New-TestFolder 'ownruns-sync'
        $store = Join-Path $root 'store'
        $config = New-TestSource $root
        Set-Content -Path (Join-Path $root 'host/app-1.log') -Value 'archived line'
        Set-Content -Path (Join-Path $root 'host/app.log') -Value 'active line'
        Add-OutsideLink $root

        $results = @(Sync-LogSource -Config $config -Store $store -ErrorVariable syncErrors -ErrorAction SilentlyContinue)
        $failed = @(Get-LogRun -Store $store -Kind sync -Status Failed)
        $events = @(Get-RunEvent -Store $store -RunId $failed[0].RunId)
    }

    It 'is found by Get-LogRun -Kind sync -Status Failed when a file failed, with the counts in its summary' {
        @($syncErrors).FullyQualifiedErrorId | Should -Be 'MirrorSymlinkOutside,LogTools.Commands.SyncLogSourceCommand'
        $failed.Count | Should -Be 1
        $failed[0].Kind | Should -Be 'sync'
        $failed[0].MaxSeverity | Should -Be 'Error'
        $failed[0].InputFileCount | Should -Be 2
        $failed[0].Summary.copied | Should -Be 2
        $failed[0].Summary.errors | Should -Be 1
        $failed[0].Summary.bytes_copied | Should -Be (($results | Measure-Object BytesCopied -Sum).Sum)
    }

    It 'stamps every output object with the run id' {
        $results.Count | Should -Be 2
        $results.RunId | Should -Be @($failed[0].RunId, $failed[0].RunId)
    }

    It 'lists each file action as a mirror.file event, and the failing file as an error event' {
        $files = @($events | Where-Object Type -eq 'mirror.file')
        $files.Payload.name | Sort-Object | Should -Be @('app-1.log', 'app.log')
        $files.Payload.action | Should -Be @('Copied', 'Copied')
        ($files | Where-Object { $_.Payload.name -eq 'app-1.log' }).Payload.blake3 | Should -Be (Get-B3sum (Join-Path $root 'host/app-1.log'))
        ($files | Where-Object { $_.Payload.name -eq 'app-1.log' }).Payload.path | Should -Be (Join-Path $root 'host/app-1.log')
        $errorEvent = @($events | Where-Object Type -eq 'error')
        $errorEvent.Count | Should -Be 1
        $errorEvent[0].Severity | Should -Be 'Error'
        $errorEvent[0].Payload.error_id | Should -Be 'MirrorSymlinkOutside'
        $events[0].Type | Should -Be 'run.started'
        $events[-1].Type | Should -Be 'run.completed'
    }

    It 'records the next clean sync as a new run that succeeded' {
        Remove-Item -LiteralPath (Join-Path $root 'host/app-2.log')
        $again = @(Sync-LogSource -Config $config -Store $store)
        $run = @(Get-LogRun -Store $store -Kind sync -First 1)[0]
        $run.RunId | Should -Not -Be $failed[0].RunId
        $run.Status | Should -Be 'Succeeded'
        $again.RunId | Select-Object -Unique | Should -Be $run.RunId
        $run.Summary.unchanged | Should -Be 2
        $run.Summary.errors | Should -Be 0
    }
}

Describe 'Import-LogHistory is a run of kind import' {
    BeforeAll {
        $folder = New-TestFolder 'ownruns-history'
        $store = Join-Path (New-TestFolder 'ownruns-import') 'store'
        New-HistoryFile (Join-Path $folder 'worker-a.jsonl') 30 -Tag a
        New-HistoryFile (Join-Path $folder 'worker-b.jsonl') 20 -Tag b
        Add-Content -Path (Join-Path $folder 'worker-b.jsonl') -Value '{"type":"api_call", broken'
        $results = @(Import-LogHistory -Path $folder -Store $store -WarningAction SilentlyContinue)
        $run = @(Get-LogRun -Store $store -Kind import)
        $events = @(Get-RunEvent -Store $store -RunId $run[0].RunId)
    }

    It 'completes one run with the calls added and the files read in its summary' {
        $run.Count | Should -Be 1
        $run[0].Status | Should -Be 'Succeeded'
        $run[0].InputFileCount | Should -Be 2
        $run[0].RowCount | Should -Be 50
        $run[0].Summary.malformed | Should -Be 1
        $run[0].Summary.warnings | Should -Be 1
        $results.RunId | Should -Be @($run[0].RunId, $run[0].RunId)
    }

    It 'lists each file as an import.file event with its lines and calls, and the malformed line as a warning' {
        $files = @($events | Where-Object Type -eq 'import.file')
        $files.Payload.path | Should -Be @((Join-Path $folder 'worker-a.jsonl'), (Join-Path $folder 'worker-b.jsonl'))
        $files.Payload.added | Should -Be @(30, 20)
        $files.Payload.duplicates | Should -Be @(0, 0)
        $files.Payload.lines | Should -Be @(30, 21)
        $warning = @($events | Where-Object Type -eq 'warning')
        $warning.Severity | Should -Be 'Warning'
        $warning.Message | Should -BeLike "1 malformed line(s) in '*worker-b.jsonl'*"
    }

    It 'gives the -Summary total the run id of its own run, and counts duplicates' {
        $summary = Import-LogHistory -Path $folder -Store $store -Summary -WarningAction SilentlyContinue
        $latest = @(Get-LogRun -Store $store -Kind import -First 1)[0]
        $summary.RunId | Should -Be $latest.RunId
        $latest.RunId | Should -Not -Be $run[0].RunId
        $latest.Summary.row_count | Should -Be 0
        $latest.Summary.input_file_count | Should -Be 2
    }
}

Describe '-WhatIf records no run' {
    It 'leaves no store behind a planned sync, and no run in an existing store' {
        $root = New-TestFolder 'ownruns-whatif'
        $config = New-TestSource $root
        Set-Content -Path (Join-Path $root 'host/app.log') -Value 'active line'
        $store = Join-Path $root 'store'

        Sync-LogSource -Config $config -Store $store -WhatIf 6>$null | Should -BeNullOrEmpty
        Test-Path $store | Should -BeFalse

        Sync-LogSource -Config $config -Store $store | Out-Null
        Set-Content -Path (Join-Path $root 'host/app-1.log') -Value 'archived line'
        $history = New-TestFolder 'ownruns-whatif-history'
        New-HistoryFile (Join-Path $history 'worker.jsonl') 5
        $before = Get-B3sum (Join-Path $store 'logtools.db')
        Sync-LogSource -Config $config -Store $store -WhatIf 6>$null | Out-Null
        Import-LogHistory -Path $history -Store $store -WhatIf 6>$null | ForEach-Object { $_.RunId | Should -BeNullOrEmpty }
        @(Get-LogRun -Store $store).Kind | Should -Be @('sync')
        Get-B3sum (Join-Path $store 'logtools.db') | Should -Be $before
    }
}

Describe 'A run stopped by Ctrl+C' {
    It 'is left cancelled, and a re-run completes as a new run' {
        $root = New-TestFolder 'ownruns-cancel'
        $store = Join-Path $root 'store'
        $config = New-TestSource $root
        New-BigFile (Join-Path $root 'host/app-1.log') (40MB + 1)
        Set-Content -Path (Join-Path $root 'host/app.log') -Value 'active line'
        $pond = Join-Path $store 'pond/logs/app'
        # A pause per 64 KiB block: the copy takes seconds, so the stop lands in it.
        $env:LOGTOOLS_TEST_SYNC_DELAY_MS = '2'
        try {
            $stopped = Stop-Midway "Sync-LogSource -Config '$config' -Store '$store'" {
                @(Get-ChildItem -LiteralPath $pond -Force -Filter '.*' -ErrorAction SilentlyContinue | Where-Object Length -gt 1MB).Count -gt 0
            }
        }
        finally { Remove-Item Env:LOGTOOLS_TEST_SYNC_DELAY_MS }

        $stopped.State | Should -Be 'Stopped'
        $stopped.Errors | Should -BeNullOrEmpty
        $cancelled = @(Get-LogRun -Store $store -Kind sync)
        $cancelled.Count | Should -Be 1
        $cancelled[0].Status | Should -Be 'Cancelled'
        (Get-RunEvent -Store $store -RunId $cancelled[0].RunId -Type 'run.completed').Payload.status | Should -Be 'cancelled'

        $results = @(Sync-LogSource -Config $config -Store $store)
        $rerun = @(Get-LogRun -Store $store -Kind sync -Status Succeeded)
        $rerun.Count | Should -Be 1
        ($results | Where-Object Name -eq 'app-1.log').Action | Should -Be 'Copied'
        $results.RunId | Select-Object -Unique | Should -Be $rerun[0].RunId
    }
}

Describe 'Sync-LogSource writes one ingest record per file action (phase mirror)' {
    BeforeAll {
        $root = New-TestFolder 'ownruns-ingest'
        $store = Join-Path $root 'store'
        $config = New-TestSource $root
        Add-OutsideLink $root
        Set-Content -Path (Join-Path $root 'host/app-1.log') -Value 'first archive'
        Set-Content -Path (Join-Path $root 'host/app-3.log') -Value ('second archive ' * 100)
        Set-Content -Path (Join-Path $root 'host/app.log') -Value 'active line'

        $results = @(Sync-LogSource -Config $config -Store $store -ErrorAction SilentlyContinue)
        $runId = $results[0].RunId
        $records = @(Get-IngestLog -Store $store -RunId $runId -Phase mirror)
    }

    It 'logs each mirrored file by its pond path with the mirror''s BLAKE3 (b3sum-equal) and its sizes' {
        $ok = @($records | Where-Object Status -eq 'Processed')
        $ok.RelPath | Sort-Object | Should -Be @('logs/app/app-1.log', 'logs/app/app-3.log', 'logs/app/app.log')
        foreach ($name in 'app-1.log', 'app-3.log', 'app.log') {
            $record = $ok | Where-Object RelPath -eq "logs/app/$name"
            $record.ContentHash | Should -Be (Get-B3sum (Join-Path $root "host/$name"))
            $record.ContentHash | Should -Be (Get-B3sum (Join-Path $store "pond/logs/app/$name"))
            $record.SizeRaw | Should -Be (Get-Item (Join-Path $root "host/$name")).Length
            $record.SizeStored | Should -Be (Get-Item (Join-Path $store "pond/logs/app/$name")).Length
        }
    }

    It 'logs the file that failed as an error record with its error id and message' {
        $failed = @($records | Where-Object Status -eq 'Error')
        $failed.Count | Should -Be 1
        $failed[0].RelPath | Should -Be 'logs/app/app-2.log'
        $failed[0].ErrorType | Should -Be 'MirrorSymlinkOutside'
        $failed[0].ErrorMessage | Should -BeLike '*symbolic link*'
        $records.Count | Should -Be 4
    }

    It 'builds the run''s blocks when the run completes, and Test-IngestBlock finds them Ok (and the pond copies unchanged)' {
        $blocks = @(Get-IngestBlock -Store $store -RunId $runId -Phase mirror)
        $blocks.Count | Should -Be 1
        $blocks[0].FilesCount | Should -Be 4
        $blocks[0].FilesError | Should -Be 1
        $checks = @(Test-IngestBlock -Store $store -RunId $runId -Content -Root (Join-Path $store 'pond'))
        $checks.Status | Select-Object -Unique | Should -Be 'Ok'
    }

    It 'proves a mirrored file with a proof that verifies offline' {
        $proof = Get-IngestProof -Store $store -RunId $runId -RelPath 'logs/app/app-3.log'
        $proof.ContentHash | Should -Be (Get-B3sum (Join-Path $root 'host/app-3.log'))
        $file = Join-Path $root 'proof.json'
        $proof | ConvertTo-Json | Set-Content $file
        $result = Invoke-Pwsh -Environment @{ LOGTOOLS_STORE = (Join-Path $root 'nostore') } -Script @"
Import-Module `$LogToolsModule
(Test-IngestProof -Path '$file' -RunRoot '$($proof.RunRoot)').Valid
"@
        $result.Stderr | Should -BeNullOrEmpty
        $result.Stdout.Trim() | Should -Be 'True'
    }

    It 'logs a later sync''s nothing-to-do actions as skipped, in that run' {
        Remove-Item -LiteralPath (Join-Path $root 'host/app-2.log')
        $again = @(Sync-LogSource -Config $config -Store $store)
        $next = @(Get-IngestLog -Store $store -RunId $again[0].RunId -Phase mirror)
        $next.Count | Should -Be 3
        $next.Status | Select-Object -Unique | Should -Be 'Skipped'
        (Get-IngestBlock -Store $store -RunId $again[0].RunId).FilesCount | Should -Be 3
    }
}
