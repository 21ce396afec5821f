BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Remove-LogRun on runs with ingest records' {
    BeforeAll {
        $store = New-TestStore
        $pipeline = Join-Path (New-TestFolder 'pipeline') 'app.db'
        & sqlite3 $pipeline "PRAGMA journal_mode = WAL; CREATE TABLE files (path TEXT); INSERT INTO files VALUES ('src/a.c'), ('src/b.c');" | Out-Null
        # Two runs, each with records of a delta of the pipeline (and its digest), a started and completed phase, and blocks.
        $runs = foreach ($status in 'Failed', 'Succeeded') {
            $run = Start-LogRun -Kind ingest
            Start-IngestPhase -Phase ast | Out-Null
            Write-IngestLog -Phase ast -Database $pipeline -Query 'SELECT path AS relpath FROM files' | Should -Be 2
            Complete-IngestPhase -Phase ast | Out-Null
            [pscustomobject]@{ RelPath = 'src/c.c'; Status = 'Error'; ErrorType = 'ParseError' } | Write-IngestLog -Phase mod | Out-Null
            Complete-LogRun -Status $status | Out-Null
            $run
        }

        Start-Sleep -Milliseconds 50
        # The rows of each Ingest table in the store, as Get-LogStore counts them.
        function Get-IngestRows {
            $tables = (Get-LogStore).Tables
            foreach ($table in 'ingest_log', 'ingest_blocks', 'ingest_phases', 'ingest_deltas') { "$table=$(($tables | Where-Object Name -eq $table).Rows)" }
        }

        # A delta digest a run: the SQLite store's fast path keeps one (it attaches the pipeline's database); on PostgreSQL the rows are read one by one.
        $digests = if ($env:LOGTOOLS_TEST_BACKEND -eq 'postgres') { 0 } else { 1 }
        $both = @('ingest_log=6', 'ingest_blocks=4', 'ingest_phases=4', "ingest_deltas=$(2 * $digests)")
    }

    It 'removes nothing under -WhatIf' {
        Get-IngestRows | Should -Be $both
        Remove-LogRun -OlderThan 1ms -WhatIf
        @(Get-LogRun).Count | Should -Be 2
        Get-IngestRows | Should -Be $both
        (Get-IngestLog).RunId | Sort-Object -Unique | Should -Be ($runs.RunId | Sort-Object)
    }

    It 'removes the run''s ingest records, blocks, phases and delta digest with it, and leaves the other run''s' {
        $removed = Remove-LogRun -OlderThan 1ms -Status Failed -PassThru -Confirm:$false
        $removed.RunId | Should -Be $runs[0].RunId
        Get-IngestRows | Should -Be @('ingest_log=3', 'ingest_blocks=2', 'ingest_phases=2', "ingest_deltas=$digests")
        (Get-IngestLog).RunId | Sort-Object -Unique | Should -Be $runs[1].RunId
        (Get-IngestBlock).RunId | Sort-Object -Unique | Should -Be $runs[1].RunId
        (Test-IngestBlock -RunId $runs[1].RunId).Status | Sort-Object -Unique | Should -Be 'Ok'
    }
}
