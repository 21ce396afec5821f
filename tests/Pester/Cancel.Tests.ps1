BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # The checks every stop test makes: prompt, PowerShell's own stop, no error record.
    function Assert-StoppedCleanly($Stopped) {
        $Stopped.Seconds | Should -BeLessThan 2
        $Stopped.State | Should -Be 'Stopped'
        $Stopped.Errors | Should -BeNullOrEmpty
        if ($Stopped.Reason) { $Stopped.Reason | Should -BeOfType [System.Management.Automation.PipelineStoppedException] }
    }

    # Whether the command in Stop-Midway's runspace has reported progress whose current operation matches $Like.
    function Test-ProgressSeen($PowerShell, [string] $Like) { @($PowerShell.Streams.Progress | Where-Object { $_.CurrentOperation -like $Like }).Count -gt 0 }
}

Describe 'Sync-LogSource stopped in the middle of a copy' {
    BeforeAll {
        $root = New-TestFolder 'cancel-sync'
        $store = Join-Path $root 'store'
        $hostDir = Join-Path $root 'host'
        New-Item -ItemType Directory -Path $hostDir | Out-Null
        $config = Join-Path $root 'app.yml'
        Set-Content -Path $config -Value "name: app`narchived_pattern: host/app-*.log`nactive_pattern: host/app.log`npond_path: logs/app"
        $archive = Join-Path $hostDir 'app-1.log'
        $active = Join-Path $hostDir 'app.log'
        New-BigFile $archive (200MB + 7)
        New-BigFile $active (40MB + 3) -Seed 5
        $pond = Join-Path $store 'pond/logs/app'
    }

    It 'stops within two seconds, without an error, leaves no partial copy, and a re-run mirrors exactly' {
        # 64 KiB blocks with a pause each: the copy of the archive takes many seconds, so the stop lands in it.
        $env:LOGTOOLS_TEST_SYNC_DELAY_MS = '2'
        try {
            $stopped = Stop-Midway "Sync-LogSource -Config '$config' -Store '$store'" {
                @(Get-ChildItem -LiteralPath $pond -Force -Filter '.*' -ErrorAction SilentlyContinue | Where-Object Length -gt 1MB).Count -gt 0
            }
        }
        finally { Remove-Item Env:LOGTOOLS_TEST_SYNC_DELAY_MS }

        $stopped.Seconds | Should -BeLessThan 2
        $stopped.State | Should -Be 'Stopped'
        $stopped.Errors | Should -BeNullOrEmpty
        if ($stopped.Reason) { $stopped.Reason | Should -BeOfType [System.Management.Automation.PipelineStoppedException] }
        # The interrupted copy was undone: no temporary file, nothing recorded for the archive.
        @(Get-ChildItem -LiteralPath $pond -Force | Where-Object Name -like '.*') | Should -BeNullOrEmpty
        Test-Path (Join-Path $pond 'app-1.log') | Should -BeFalse

        $results = Sync-LogSource -Config $config -Store $store -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        ($results | Where-Object Name -eq 'app-1.log').Action | Should -Be 'Copied'
        Get-B3sum (Join-Path $pond 'app-1.log') | Should -Be (Get-B3sum $archive)
        Get-B3sum (Join-Path $pond 'app.log') | Should -Be (Get-B3sum $active)
        Test-LogMirror -Store $store -Quiet | Should -BeTrue
    }
}

Describe 'Import-LogHistory stopped in the middle of an import' {
    BeforeAll {
        $folder = New-TestFolder 'cancel-history'
        foreach ($tag in 'a', 'b', 'c', 'd') { New-HistoryFile (Join-Path $folder "worker-$tag.jsonl") 50000 -Days 3 -Tag $tag }
        $reference = Join-Path (New-TestFolder 'cancel-reference') 'store'
        Import-LogHistory -Path $folder -Store $reference -Summary | Out-Null
        $expected = Get-CallTotals $reference
    }

    It 'stops within two seconds, without an error, and a re-run gives exactly the uninterrupted totals' {
        $store = Join-Path (New-TestFolder 'cancel-import') 'store'
        $db = Join-Path $store 'logtools.db'
        $stopped = Stop-Midway "Import-LogHistory -Path '$folder' -Store '$store'" {
            (Test-Path $db) -and [long](& sqlite3 $db 'select count(*) from api_calls' 2>$null) -gt 0
        }

        $stopped.Seconds | Should -BeLessThan 2
        $stopped.State | Should -Be 'Stopped'
        $stopped.Errors | Should -BeNullOrEmpty
        if ($stopped.Reason) { $stopped.Reason | Should -BeOfType [System.Management.Automation.PipelineStoppedException] }
        $partial = [long](& sqlite3 $db 'select count(*) from api_calls')
        $partial | Should -BeLessThan 200000 -Because 'the stop must land before the import finished'
        # Whole batches only (their size follows the writer): every imported file's offset covers exactly the calls written.
        Get-ImportOffsetMismatch $store | Should -BeNullOrEmpty

        Import-LogHistory -Path $folder -Store $store -Summary -ErrorVariable errors | Out-Null
        $errors | Should -BeNullOrEmpty
        Get-CallTotals $store | Should -Be $expected
        & sqlite3 $db 'pragma integrity_check' | Should -Be 'ok'
    }
}

Describe 'Copy-LogStore stopped in the middle of a table' {
    BeforeAll {
        $folder = New-TestFolder 'cancel-copy'
        foreach ($tag in 'a', 'b', 'c', 'd', 'e', 'f') { New-HistoryFile (Join-Path $folder "worker-$tag.jsonl") 50000 -Days 3 -Tag $tag }
        $source = Join-Path $folder 'source'
        Import-LogHistory -Path (Join-Path $folder 'worker-*.jsonl') -Store $source -Summary | Out-Null
    }

    It 'stops within two seconds, without an error, leaves the destination without records, and a re-run copies everything' {
        $destination = Join-Path (New-TestFolder 'cancel-copy-dst') 'store'
        # The copy reports progress once a table; 300,000 calls keep it in api_calls for seconds.
        $stopped = Stop-Midway "Copy-LogStore -Store '$source' -Destination '$destination'" { param($ps) Test-ProgressSeen $ps 'api_calls*' }

        Assert-StoppedCleanly $stopped
        # Rolled back as a failed copy is: an empty store.
        & sqlite3 (Join-Path $destination 'logtools.db') 'select count(*) from api_calls' | Should -Be 0

        $copy = Copy-LogStore -Store $source -Destination $destination -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $copy.Verified | Should -BeTrue
        Get-CallTotals $destination | Should -Be (Get-CallTotals $source)
    }
}

Describe 'Backup-LogStore stopped in the middle of a content file' {
    BeforeAll {
        $folder = New-TestFolder 'cancel-backup'
        $store = Join-Path $folder 'store'
        New-HistoryFile (Join-Path $folder 'worker.jsonl') 100
        Import-LogHistory -Path (Join-Path $folder 'worker.jsonl') -Store $store -Summary | Out-Null
        # One big content file: the backup copies and verifies it in one go between two progress reports.
        $pondFolder = New-Item -ItemType Directory -Path (Join-Path $store 'pond/app')
        New-BigFile (Join-Path $pondFolder 'app-1.log') (768MB + 5)
        $target = Join-Path (New-TestFolder 'cancel-backup-dst') 'backup'
    }

    It 'stops within two seconds, without an error, leaves no backup or partial copy, and a re-run backs up everything' {
        $parent = Split-Path $target
        $stopped = Stop-Midway "Backup-LogStore -Store '$store' -Destination '$target'" {
            @(Get-ChildItem -LiteralPath $parent -Force -Recurse -File -Filter 'app-1.log' | Where-Object Length -gt 32MB).Count -gt 0
        }

        Assert-StoppedCleanly $stopped
        @(Get-ChildItem -LiteralPath $parent -Force) | Should -BeNullOrEmpty

        $backup = Backup-LogStore -Store $store -Destination $target -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $backup.Path | Should -Be $target
        Get-B3sum (Join-Path $target 'pond/app/app-1.log') | Should -Be (Get-B3sum (Join-Path $store 'pond/app/app-1.log'))
    }
}

Describe 'Build-IngestBlock and Test-IngestBlock stopped in the middle of a phase' {
    BeforeAll {
        $folder = New-TestFolder 'cancel-ingest'
        $store = Join-Path $folder 'store'
        $pipeline = Join-Path $folder 'pipeline.db'
        & sqlite3 $pipeline "CREATE TABLE files(relpath TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 800000) INSERT INTO files SELECT 'data/file-' || i || '.json' FROM n;"
        $run = Start-LogRun -Kind ingest -Store $store
        Write-IngestLog -Phase parse -Database $pipeline -Query "SELECT relpath, 100 AS size_raw FROM files" -RunId $run.RunId -Store $store | Out-Null
        Complete-LogRun -RunId $run.RunId -Store $store | Out-Null
        $db = Join-Path $store 'logtools.db'
        $blocks = { & sqlite3 $db "SELECT count(*), max(block_number) FROM ingest_blocks WHERE phase = 'parse'" }
        $built = & $blocks
    }

    It 'Build-IngestBlock stops within two seconds, without an error, leaves the blocks as they were, and a re-run rebuilds them' {
        # The phase is one progress report; reading its 800,000 records takes seconds.
        $stopped = Stop-Midway "Build-IngestBlock -RunId '$($run.RunId)' -BlockSize 100 -Force -Store '$store'" { param($ps) Test-ProgressSeen $ps 'parse' }

        Assert-StoppedCleanly $stopped
        & $blocks | Should -Be $built

        $phase = Build-IngestBlock -RunId $run.RunId -BlockSize 100 -Force -Store $store -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $phase.BlockCount | Should -Be 8000
        & $blocks | Should -Be '8000|7999'
    }

    It 'Test-IngestBlock stops within two seconds, without an error, and a re-run verifies every block' {
        $stopped = Stop-Midway "Test-IngestBlock -RunId '$($run.RunId)' -Store '$store'" { param($ps) Test-ProgressSeen $ps '* parse' }

        Assert-StoppedCleanly $stopped

        $checks = Test-IngestBlock -RunId $run.RunId -Store $store -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        @($checks | Where-Object Status -ne 'Ok') | Should -BeNullOrEmpty
        # Every block the phase has now (whichever of the tests above built them).
        @($checks | Where-Object BlockNumber -ne $null).Count | Should -Be ([int](& $blocks).Split('|')[0])
    }
}

Describe 'Compress-LogRun stopped in the middle of a log' {
    BeforeAll {
        $store = Join-Path (New-TestFolder 'cancel-compress') 'store'
        $run = Start-LogRun -Kind ci -MaxLogSize 1GB -Store $store
        # Random text: gzip takes seconds over it (a repetitive log compresses too fast to be stopped midway).
        $random = [Random]::new(7)
        $bytes = [byte[]]::new(15KB)
        1..8000 | ForEach-Object { $random.NextBytes($bytes); [Convert]::ToBase64String($bytes) } | Write-RunEvent -Type console.line -RunId $run.RunId -Store $store
        $run = Complete-LogRun -RunId $run.RunId -Store $store
        # Compress-LogRun -OlderThan 1s takes it from a second after its completion.
        Start-Sleep -Milliseconds 1100
        $plain = $run.EventsPath
        $digest = Get-B3sum $plain
    }

    It 'stops within two seconds, without an error, leaves the plain log and no partial .gz, and a re-run compresses it' {
        $stopped = Stop-Midway "Compress-LogRun -OlderThan 1s -Store '$store'" {
            (Test-Path "$plain.gz.tmp") -and (Get-Item -LiteralPath "$plain.gz.tmp" -ErrorAction SilentlyContinue).Length -gt 1MB
        }

        Assert-StoppedCleanly $stopped
        @(Get-ChildItem -LiteralPath (Split-Path $plain) -Filter 'events.ndjson.gz*') | Should -BeNullOrEmpty
        Get-B3sum $plain | Should -Be $digest
        (Get-LogRun -RunId $run.RunId -Store $store).EventsPath | Should -Be $plain

        $compressed = Compress-LogRun -OlderThan 1s -Store $store -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $compressed.EventsPath | Should -Be "$plain.gz"
        Test-Path $plain | Should -BeFalse
        (Test-LogRun -RunId $run.RunId -Store $store).Status | Should -Be 'Ok'
    }
}
