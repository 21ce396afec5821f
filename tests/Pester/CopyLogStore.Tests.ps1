BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Server = Start-TestPostgres

    function Invoke-Psql([string] $Store, [string] $Query) { Invoke-TestPsql $Server $Store $Query }

    function Get-Failure([scriptblock] $Script) {
        try { & $Script; 'no error' } catch { $_.FullyQualifiedErrorId }
    }

    # What a user sees of a store, as text: costs, runs and run events (paths under the content root left out).
    function Get-StoreView([string] $Store, [string[]] $RunId) {
        $cost = Get-ApiCost -Store $Store -GroupBy Model
        $day = Get-ApiCost -Store $Store -GroupBy Day -After '2026-01-01'
        $runs = Get-LogRun -Store $Store | Select-Object * -ExcludeProperty EventsPath, OutputPaths
        $events = $RunId | ForEach-Object { Get-RunEvent -Store $Store -RunId $_ }
        [pscustomobject]@{ Cost = $cost; Day = $day; Runs = $runs; Events = $events } | ConvertTo-Json -Depth 5
    }

    # A store with every area's records: sessions, tasks, a worker and its conversation, events, API calls, a
    # mirrored source (Add-TestRecords), a run with events, an ingest run with Merkle blocks, and a port build.
    $script:Source = New-TestStore
    $script:Records = Add-TestRecords
    $run = Start-LogRun -Kind ci
    Write-RunEvent -RunId $run.RunId -Type step -Message 'compile'
    Write-RunEvent -RunId $run.RunId -Type step -Message 'test' -Severity Warning
    Complete-LogRun -RunId $run.RunId | Out-Null
    $files = New-TestFolder 'copy-ingest'
    foreach ($i in 1..3) { Set-Content -Path (Join-Path $files "f$i.json") -Value "{`"n`":$i}" }
    $ingest = Start-LogRun -Kind ingest
    Start-IngestPhase -RunId $ingest.RunId -Phase vanilla_ingest | Out-Null
    Write-IngestLog -RunId $ingest.RunId -Phase vanilla_ingest -Path (Join-Path $files '*.json') -Root $files | Out-Null
    Complete-IngestPhase -RunId $ingest.RunId -Phase vanilla_ingest -RowsOut 3 | Out-Null
    Complete-LogRun -RunId $ingest.RunId | Out-Null
    $ports = New-TestFolder 'copy-ports'
    $folder = New-Item -ItemType Directory -Path (Join-Path $ports 'demo/a') -Force
    Set-Content -Path (Join-Path $folder 'port.yml') -Value 'name: demo/a', 'version: "1.0"', 'phases:', '  build: "true"'
    Invoke-PortBuild -PortsPath $ports | Out-Null
    $script:Ports = $ports
    $script:RunIds = @($run.RunId, $ingest.RunId)
    $script:EventsFile = $run.EventsPath
}

AfterAll {
    Stop-TestPostgres $Server
    Remove-Item Env:PGPASSWORD -ErrorAction SilentlyContinue
}

Describe 'Copy-LogStore between SQLite and PostgreSQL' {
    It 'copies a store SQLite -> PostgreSQL -> SQLite: the same costs, runs and events, equal digests, ids kept, files verified' {
        $pg = New-TestPostgresStore $Server
        $back = Join-Path (New-TestFolder 'copy-back') 'store'
        $before = Get-StoreView $Source $RunIds

        $toPg = Copy-LogStore -Store $Source -Destination $pg
        $toPg.Verified | Should -BeTrue
        $toPg.DestinationBackend | Should -Be 'PostgreSQL'
        $toPg.Destination | Should -Not -Match $Server.Password
        $toPg.Tables | Should -Be (Get-LogStore -Store $Source).Tables.Count
        $toPg.Rows | Should -Be ((Get-LogStore -Store $Source).Tables | Measure-Object Rows -Sum).Sum
        # Every table vacuumed and analysed once copied, so reports need not wait for autovacuum.
        Invoke-Psql $pg "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = 'main' AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL" |
            Should -Be $toPg.Tables
        $toPg.ContentFiles | Should -BeGreaterThan 3
        $toPg.SchemaVersion | Should -Be (Get-LogStore -Store $pg).SchemaVersion

        $toSqlite = Copy-LogStore -Store $pg -Destination $back
        $toSqlite.DestinationBackend | Should -Be 'SQLite'
        $toSqlite.Verified | Should -BeTrue

        # Equal digests in both directions, table by table, and for the aggregate tables too.
        ($toSqlite.Details | ForEach-Object { "$($_.Table) $($_.Rows) $($_.Digest)" }) | Should -Be ($toPg.Details | ForEach-Object { "$($_.Table) $($_.Rows) $($_.Digest)" })
        ($toPg.Details | Where-Object Table -EQ api_call_quarters).Rows | Should -BeGreaterThan 0
        Get-StoreView $pg $RunIds | Should -Be $before
        Get-StoreView $back $RunIds | Should -Be $before
        (Get-LogStore -Store $back).SchemaVersion | Should -Be (Get-LogStore -Store $Source).SchemaVersion

        # Ids are the source's, and the server numbers the next event after them (its identity sequence was advanced).
        $events = Invoke-Psql $pg 'SELECT max(event_id) FROM events'
        $events | Should -Be ((sqlite3 (Join-Path $Source 'logtools.db') 'SELECT max(event_id) FROM events'))
        Write-LogEvent -Store $pg -Type note -Message 'after the copy'
        Invoke-Psql $pg "SELECT event_id FROM events WHERE message = 'after the copy'" | Should -Be ([int]$events + 1)

        # Content files: the run's event log byte for byte under each content root; the mirror checks out there.
        $relative = [IO.Path]::GetRelativePath($Source, $EventsFile)
        Get-B3sum (Join-Path $back $relative) | Should -Be (Get-B3sum $EventsFile)
        Get-B3sum (Join-Path $toPg.ContentRoot $relative) | Should -Be (Get-B3sum $EventsFile)
        Test-LogMirror -Store $back -Source web | Select-Object -ExpandProperty Status | Should -Be 'Ok', 'Ok'
        (Invoke-PortBuild -Store $back -PortsPath $Ports | Where-Object Origin -EQ demo/a).Status | Should -Be 'Skipped'
    }

    It 'leaves the content files in place when asked: the server store uses the source folder as its content root' {
        $pg = New-TestPostgresStore $Server
        $inPlace = $pg -replace 'content=[^&]+', "content=$Source"
        $copy = Copy-LogStore -Store $Source -Destination $inPlace -Content InPlace
        $copy.ContentFiles | Should -Be 0
        $copy.ContentRoot | Should -Be $Source
        (Get-RunEvent -Store $inPlace -RunId $RunIds[0] | Where-Object Type -EQ step).Message | Should -Be 'compile', 'test'
        Get-Failure { Copy-LogStore -Store $Source -Destination (New-TestPostgresStore $Server) -Content InPlace -ErrorAction Stop } | Should -BeLike 'ContentRootDiffers,*'
        Get-Failure { Copy-LogStore -Store $Source -Destination ((New-TestPostgresStore $Server) -replace 'content=[^&]+', "content=$Source") -ErrorAction Stop } | Should -BeLike 'ContentRootIsSource,*'
    }

    It 'logs in to the destination with -DestinationCredential, and reports a wrong one as StoreAccessDenied' {
        $pg = New-TestPostgresStore $Server
        Remove-Item Env:PGPASSWORD
        try {
            $wrong = [pscredential]::new('logtools', (ConvertTo-SecureString 'not-the-secret-9' -AsPlainText -Force))
            $failure = try { Copy-LogStore -Store $Source -Destination $pg -DestinationCredential $wrong -ErrorAction Stop; 'no error' } catch { $_ }
            "$($failure.FullyQualifiedErrorId)" | Should -BeLike 'StoreAccessDenied,*'
            "$failure" | Should -Not -Match 'not-the-secret-9'
            $right = [pscredential]::new('logtools', (ConvertTo-SecureString $Server.Password -AsPlainText -Force))
            $copy = Copy-LogStore -Store $Source -Destination $pg -DestinationCredential $right
            $copy.Verified | Should -BeTrue
        }
        finally { $env:PGPASSWORD = $Server.Password }
        Invoke-Psql $pg 'SELECT count(*) FROM runs' | Should -Be ($copy.Details | Where-Object Table -EQ runs).Rows
    }

    It 'changes nothing under -WhatIf: no folder, no tables' {
        $folder = Join-Path (New-TestFolder 'copy-whatif') 'store'
        $pg = New-TestPostgresStore $Server
        Copy-LogStore -Store $Source -Destination $folder -WhatIf | Should -BeNullOrEmpty
        Copy-LogStore -Store $Source -Destination $pg -WhatIf | Should -BeNullOrEmpty
        Test-Path $folder | Should -BeFalse
        Invoke-Psql $pg "SELECT to_regclass('main.sessions') IS NULL" | Should -Be 't'
        Test-Path ($pg -split 'content=')[1] | Should -BeTrue
        @(Get-ChildItem ($pg -split 'content=')[1]).Count | Should -Be 0
    }

    It 'says under -WhatIf that it would copy the records (with the database size) and the content folders' {
        $folder = Join-Path (New-TestFolder 'copy-whatif') 'store'
        $run = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Copy-LogStore -Store '$Source' -Destination '$folder' -WhatIf"
        $run.Stderr | Should -BeNullOrEmpty
        $database = [regex]::Escape("What if: Performing the operation `"Copy the records of '$(Join-Path $Source 'logtools.db')' (") + '\d[\d.]* (KiB|MiB)\)'
        ($run.Stdout -replace '\s+', ' ') | Should -Match ($database + ' and the content folders (\w+/, )*pond/, (\w+/, )*runs/" ' + [regex]::Escape("on target `"$folder`"."))
        Test-Path $folder | Should -BeFalse
    }

    It 'refuses under -WhatIf, with the same error, a destination the copy refuses: <Id>' -ForEach @(
        @{ Id = 'DestinationIsSource'; Content = 'Copy'; Destination = { $Source } }
        @{ Id = 'ContentRootDiffers'; Content = 'InPlace'; Destination = { Join-Path (New-TestFolder 'copy-whatif') 'store' } }
        @{ Id = 'DestinationNotEmpty'; Content = 'Copy'; Destination = { $d = New-TestFolder 'copy-whatif'; Set-Content -Path (Join-Path (New-Item -ItemType Directory "$d/runs") 'left.ndjson') -Value '{}'; $d } }
    ) {
        $destination = & $Destination
        # Names only: a reader of a store may leave SQLite's -wal and -shm files beside its database.
        $listing = { if (Test-Path $destination) { @(Get-ChildItem -LiteralPath $destination -Recurse -Force -Name | Where-Object { $_ -notmatch '-(wal|shm)$' }) } else { 'none' } }
        $before = & $listing
        Get-Failure { Copy-LogStore -Store $Source -Destination $destination -Content $Content -WhatIf -ErrorAction Stop } | Should -Be "$Id,LogTools.Commands.CopyLogStoreCommand"
        & $listing | Should -Be $before
    }

    It 'refuses a destination that holds records or content files, and changes nothing there' {
        $pg = New-TestPostgresStore $Server
        Start-LogSession -Store $pg -SessionId already-here | Out-Null
        Get-Failure { Copy-LogStore -Store $Source -Destination $pg -ErrorAction Stop } | Should -BeLike 'DestinationNotEmpty,*'
        Invoke-Psql $pg 'SELECT session_id FROM sessions' | Should -Be 'already-here'
        Invoke-Psql $pg 'SELECT count(*) FROM api_calls' | Should -Be 0

        $folder = Join-Path (New-TestFolder 'copy-full') 'store'
        New-Item -ItemType Directory -Path (Join-Path $folder 'runs') | Out-Null
        Set-Content -Path (Join-Path $folder 'runs/left.ndjson') -Value '{}'
        Get-Failure { Copy-LogStore -Store $Source -Destination $folder -ErrorAction Stop } | Should -BeLike 'DestinationNotEmpty,*'
        Test-Path (Join-Path $folder 'logtools.db') | Should -BeFalse

        Get-Failure { Copy-LogStore -Store $Source -Destination $Source -ErrorAction Stop } | Should -BeLike 'DestinationIsSource,*'
    }

    It 'reports a missing source and an unreachable server with their ids' {
        Get-Failure { Copy-LogStore -Store (Join-Path (New-TestFolder 'none') 'store') -Destination (New-TestFolder 'x') -ErrorAction Stop } | Should -BeLike 'StoreNotFound,*'
        $unreachable = (New-TestPostgresStore $Server) -replace 'host=[^&]+', 'host=/nonexistent-socket-dir'
        Get-Failure { Copy-LogStore -Store $Source -Destination $unreachable -ErrorAction Stop } | Should -BeLike 'StoreServerUnreachable,*'
    }

    It 'reports each table as progress and renders at 80 columns' {
        $folder = Join-Path (New-TestFolder 'copy-progress') 'store'
        $ps = [powershell]::Create()
        try {
            $copy = $ps.AddScript("Import-Module '$script:ModuleManifest'; Copy-LogStore -Store '$Source' -Destination '$folder'").Invoke()
            $progress = @($ps.Streams.Progress | Where-Object { $_.Activity -eq 'Copy-LogStore' -and $_.CurrentOperation -match '^\w+ \(\d+ of \d+\)$' })
        }
        finally { $ps.Dispose() }
        $progress.Count | Should -Be $copy[0].Tables
        $progress[-1].CurrentOperation | Should -Be "port_packages ($($copy[0].Tables) of $($copy[0].Tables))"
        $text = Get-Rendered $copy[0] -Width 80
        $text | Should -Match "True .*$([regex]::Escape($folder.Substring(0, 10)))"
        ($text -split "`n" | Where-Object { $_.TrimEnd().Length -gt 80 }) | Should -BeNullOrEmpty
    }
}

Describe 'Copy-LogStore of a source whose rows do not fit the destination' {
    BeforeEach {
        $script:Broken = Join-Path (New-TestFolder 'copy-broken') 'store'
        Start-LogRun -Store $Broken | Out-Null
        $script:Target = Join-Path (New-TestFolder 'copy-target') 'store'
    }

    It 'refuses a row whose value reads back otherwise (<Case>) with <Id>, and keeps no record at the destination' -ForEach @(
        @{ Case = 'a fraction in an integer column'; Id = 'CopyVerificationFailed'; Sql = 'UPDATE runs SET exit_code = 1.5' }
        @{ Case = 'text in an integer column'; Id = 'CopyValueInvalid'; Sql = "UPDATE runs SET exit_code = 'abc'" }
        @{ Case = 'a column the schema does not have'; Id = 'CopySchemaDiffers'; Sql = 'ALTER TABLE runs ADD COLUMN extra TEXT' }
    ) {
        sqlite3 (Join-Path $Broken 'logtools.db') $Sql
        $failure = try { Copy-LogStore -Store $Broken -Destination $Target -ErrorAction Stop; 'no error' } catch { $_ }
        "$($failure.FullyQualifiedErrorId)" | Should -BeLike "$Id,*"
        $failure.Exception.Message | Should -Match "'runs'"
        sqlite3 (Join-Path $Target 'logtools.db') 'SELECT count(*) FROM runs' | Should -Be 0
        sqlite3 (Join-Path $Target 'logtools.db') 'SELECT count(*) FROM schema_migrations' | Should -BeGreaterThan 0
    }
}
