BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

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
