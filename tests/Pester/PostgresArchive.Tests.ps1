BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Server = Start-TestPostgres

    # A PostgreSQL store with one API call of 200 days ago and one of today, as the session's store.
    function New-OldCallsStore {
        $store = New-TestPostgresStore $Server
        Set-LogStore -ConnectionString $store
        Add-ApiCall -Model model-x -InputTokens 100 -OutputTokens 10 -CostUsd 2 -Timestamp (Get-Date).AddDays(-200)
        Add-ApiCall -Model model-x -InputTokens 100 -OutputTokens 10 -CostUsd 1
        $store
    }

    # The monthly archive files of a store, oldest first.
    function Get-ArchiveFile([string] $Store) {
        @(Get-ChildItem (Join-Path (Get-TestContentRoot $Store) 'archive') -Filter 'logs-*.db' -ErrorAction SilentlyContinue | Sort-Object Name | ForEach-Object FullName)
    }

    # Rows and token sums of api_calls in the server's database (psql) and the archive files (sqlite3): the oracles, not LogTools.
    function Get-ServerCallTotals([string] $Store) {
        $sums = 'SELECT count(*), coalesce(sum(tokens_input), 0), coalesce(sum(tokens_output), 0) FROM api_calls'
        $lines = @(Invoke-TestPsql $Server $Store $sums) + @(Get-ArchiveFile $Store | ForEach-Object { & sqlite3 $_ $sums })
        $rows = 0L; $in = 0L; $out = 0L
        foreach ($line in $lines) {
            $parts = $line -split '\|'
            $rows += $parts[0]; $in += $parts[1]; $out += $parts[2]
        }
        "rows=$rows input=$in output=$out"
    }

    # A store of 6 x 1000 calls, one file a month apart from 100 to 250 days ago, imported.
    function New-MonthsStore {
        $store = New-TestPostgresStore $Server
        $folder = New-TestFolder 'history'
        foreach ($days in 100, 130, 160, 190, 220, 250) { New-HistoryFile (Join-Path $folder "worker-$days.jsonl") 1000 -Days $days -Tag "d$days" }
        Import-LogHistory -Path (Join-Path $folder '*.jsonl') -Store $store -Summary | Out-Null
        $store
    }
}

AfterAll {
    Stop-TestPostgres $Server
    Remove-Item Env:PGPASSWORD -ErrorAction SilentlyContinue
}

# The monthly archives of a PostgreSQL store are the same SQLite files as an SQLite store's, under its content root: the
# rows are read from the server, copied into the month's file, and deleted from the server once that copy is on disk.
Describe 'Move-LogRecord on a PostgreSQL store' {
    It 'moves the old call into the month''s SQLite archive under the content root, and the totals with the archive stay' {
        $store = New-OldCallsStore
        $content = Get-TestContentRoot $store
        $month = (Get-Date).AddDays(-200).ToUniversalTime().ToString('yyyy-MM')
        $range = @{ Since = (Get-Date).Date.AddDays(-365); Until = (Get-Date).Date.AddDays(1) }
        $before = Get-ApiCost @range -GroupBy Day -IncludeArchive | ConvertTo-Json

        $moved = @(Move-LogRecord -OlderThan 90 -Confirm:$false)

        $moved.Count | Should -Be 1
        $moved[0].Month | Should -Be $month
        $moved[0].Table | Should -Be 'api_calls'
        $moved[0].Rows | Should -Be 1
        $moved[0].Path | Should -Be (Join-Path $content "archive/logs-$month.db")
        & sqlite3 $moved[0].Path 'SELECT model, tokens_input, tokens_output, estimated_cost_usd FROM api_calls' | Should -Be 'model-x|100|10|2.0'
        & sqlite3 $moved[0].Path 'PRAGMA journal_mode' | Should -Be 'delete'
        Invoke-TestPsql $Server $store 'SELECT count(*), sum(estimated_cost_usd) FROM api_calls' | Should -Be '1|1'
        Invoke-TestPsql $Server $store 'SELECT count(*) FROM archive_pending' | Should -Be 0
        (Get-ApiCost -Last 365d).CostUsd | Should -Be 1
        Get-ApiCost @range -GroupBy Day -IncludeArchive | ConvertTo-Json | Should -Be $before
        (Get-ApiCost -Last 365d -IncludeArchive).CostUsd | Should -Be 3
        Test-LogStore -Quiet | Should -BeTrue
        @(Move-LogRecord -OlderThan 90 -Confirm:$false).Count | Should -Be 0
    }

    It '-WhatIf says what would move and changes nothing: no row, no journal entry, no archive folder' {
        $store = New-OldCallsStore
        $month = (Get-Date).AddDays(-200).ToUniversalTime().ToString('yyyy-MM')

        $plan = @(Move-LogRecord -OlderThan 90 -WhatIf)

        $plan.Count | Should -Be 1
        "$($plan[0].Month) $($plan[0].Table) $($plan[0].Rows)" | Should -Be "$month api_calls 1"
        Invoke-TestPsql $Server $store 'SELECT count(*) FROM api_calls' | Should -Be 2
        Invoke-TestPsql $Server $store 'SELECT count(*) FROM archive_pending' | Should -Be 0
        Test-Path (Join-Path (Get-TestContentRoot $store) 'archive') | Should -BeFalse
        (Get-ApiCost -Last 365d).CostUsd | Should -Be 3
    }

    It 'finishes a move a crash left journaled, from the journal' {
        $store = New-OldCallsStore
        # What a run killed right after its journal step leaves: the rows listed in archive_pending, nothing copied yet.
        Invoke-TestPsql $Server $store "INSERT INTO archive_pending (batch_id, archive, tbl, pk) SELECT 'crashed', substr(timestamp, 1, 7), 'api_calls', call_id FROM api_calls WHERE estimated_cost_usd = 2" | Out-Null

        # A cutoff before every row: only the journaled batch moves.
        $moved = @(Move-LogRecord -OlderThan 36500 -Confirm:$false)

        "$($moved.Table) $($moved.Rows)" | Should -Be 'api_calls 1'
        & sqlite3 $moved[0].Path 'SELECT estimated_cost_usd FROM api_calls' | Should -Be '2.0'
        Invoke-TestPsql $Server $store 'SELECT count(*), sum(estimated_cost_usd) FROM api_calls' | Should -Be '1|1'
        Invoke-TestPsql $Server $store 'SELECT count(*) FROM archive_pending' | Should -Be 0
        (Get-ApiCost -Last 365d -IncludeArchive).CostUsd | Should -Be 3
    }

    It 'gives exactly the uninterrupted result when re-run after SIGKILLs at random points' {
        $store = New-MonthsStore
        $expected = Get-ServerCallTotals $store
        $cost = Get-ApiCost -Store $store -Since '2000-01-01' -Until '2100-01-01' -GroupBy Month -IncludeArchive | ConvertTo-Json
        $random = [Random]::new(15)
        $interrupted = 0
        foreach ($round in 1..4) {
            $process = Start-Pwsh -Script "Import-Module `$LogToolsModule; 'loaded'; Move-LogRecord -Store '$store' -OlderThan 30 -Confirm:`$false | Out-Null; 'finished'"
            $process.StandardOutput.ReadLine() | Should -Be 'loaded'
            Start-Sleep -Milliseconds $random.Next(50, 1500)
            $process.Kill()   # SIGKILL on Linux
            if ($process.StandardOutput.ReadToEnd() -notmatch 'finished') { $interrupted++ }
            $process.WaitForExit()
        }
        $interrupted | Should -BeGreaterThan 0 -Because 'at least one kill must land during the move'

        Move-LogRecord -Store $store -OlderThan 30 -Confirm:$false | Out-Null

        Get-ServerCallTotals $store | Should -Be $expected
        Invoke-TestPsql $Server $store 'SELECT count(*) FROM api_calls' | Should -Be 0
        Invoke-TestPsql $Server $store 'SELECT count(*) FROM archive_pending' | Should -Be 0
        (Get-ArchiveFile $store).Count | Should -BeGreaterOrEqual 6
        Get-ApiCost -Store $store -Since '2000-01-01' -Until '2100-01-01' -GroupBy Month -IncludeArchive | ConvertTo-Json | Should -Be $cost
        Test-LogStore -Store $store -Quiet | Should -BeTrue
    }

    It 'two hosts moving at once: one move at a time, every call archived once, no error' {
        $store = New-MonthsStore
        $expected = Get-ServerCallTotals $store
        $script = "Import-Module `$LogToolsModule; (Move-LogRecord -Store '$store' -OlderThan 30 -Confirm:`$false | Where-Object Table -eq api_calls | Measure-Object Rows -Sum).Sum"
        $hosts = 'host-a', 'host-b' | ForEach-Object { Start-Pwsh -Script $script -Environment @{ LOGTOOLS_MACHINE_NAME = $_ } }
        $results = foreach ($process in $hosts) {
            [pscustomobject]@{ Out = $process.StandardOutput.ReadToEnd(); Err = $process.StandardError.ReadToEnd() }
            $process.WaitForExit()
        }

        $results.Err | Where-Object { $_.Trim() } | Should -BeNullOrEmpty
        ($results.Out | ForEach-Object { [long]("0$($_.Trim())") } | Measure-Object -Sum).Sum | Should -Be 6000
        Get-ServerCallTotals $store | Should -Be $expected
        Invoke-TestPsql $Server $store 'SELECT count(*) FROM api_calls' | Should -Be 0
    }
}

# A backup is a copy of the store's SQLite file: on PostgreSQL it is refused before anything is written, with what to do instead.
Describe 'Backup-LogStore on a PostgreSQL store' {
    It 'stops with StoreBackendUnsupported that points to pg_dump, and writes no backup' {
        $null = New-OldCallsStore
        $destination = Join-Path (New-TestFolder 'pg-backup') 'backup'
        $failure = $null
        try { Backup-LogStore -Destination $destination -ErrorAction Stop | Out-Null }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'StoreBackendUnsupported,LogTools.Commands.BackupLogStoreCommand'
        $failure.Exception.Message | Should -BeLike '*use pg_dump for the database and copy the content root*'
        Test-Path $destination | Should -BeFalse
    }

    It 'says the same under -WhatIf, which checks what the backup would' {
        $null = New-OldCallsStore
        $destination = Join-Path (New-TestFolder 'pg-backup-whatif') 'backup'
        $failure = $null
        try { Backup-LogStore -Destination $destination -WhatIf -ErrorAction Stop | Out-Null }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'StoreBackendUnsupported,LogTools.Commands.BackupLogStoreCommand'
        Test-Path $destination | Should -BeFalse
    }
}

Describe 'A PostgreSQL store not written yet' {
    It 'Move-LogRecord -WhatIf stops with StoreNotFound naming the database (not a store folder), and creates nothing' {
        $store = New-TestPostgresStore $Server
        $failure = $null
        try { Move-LogRecord -Store $store -OlderThan 90 -WhatIf -ErrorAction Stop | Out-Null }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'StoreNotFound,LogTools.Commands.MoveLogRecordCommand'
        $failure.Exception.Message | Should -BeLike "There is no LogTools store in the database 'postgres://logtools@*' yet*A command that writes creates the store's tables there."
        $failure.Exception.Message | Should -Not -Match 'logtools\.db'
        Invoke-TestPsql $Server $store "SELECT to_regnamespace('main') IS NOT NULL" | Should -Be 'f'
        Test-Path (Join-Path (Get-TestContentRoot $store) 'archive') | Should -BeFalse
    }
}
