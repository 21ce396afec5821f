BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # A store made and closed by another process, as a scheduled task leaves it: checkpointed, no -wal.
    function New-ClosedStore([string] $Path, [int] $Calls = 3) {
        $run = Invoke-Pwsh -Script @"
Import-Module `$LogToolsModule
Start-LogSession -Store '$Path' -SessionId s1 | Out-Null
1..$Calls | ForEach-Object { Add-ApiCall -Store '$Path' -SessionId s1 -Model claude-sonnet-4 -InputTokens (100 * `$_) -OutputTokens 10 -Timestamp (Get-Date).AddMinutes(-`$_) }
"@
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
    }

    # BLAKE3 of every file under a folder, by relative path: "nothing altered" in bytes.
    function Get-FolderDigest([string] $Path) {
        Get-ChildItem -LiteralPath $Path -Recurse -File -Force | Sort-Object FullName | ForEach-Object {
            '{0} {1}' -f [IO.Path]::GetRelativePath($Path, $_.FullName), (Get-B3sum $_.FullName)
        }
    }

    # The error a command stops with (or writes first), or $null: terminating and non-terminating alike.
    function Get-Failure([scriptblock] $Command) {
        $ErrorActionPreference = 'Stop'
        try { $null = & $Command; $null } catch { $_ }
    }

    # Fills a file system, leaving about $LeaveKB free; removing the returned file frees the space again.
    function Set-DiskNearlyFull([string] $Mount, [int] $LeaveKB) {
        $filler = Join-Path $Mount 'filler.bin'
        & dd if=/dev/zero of=$filler bs=4k 2>$null
        $stream = [IO.File]::Open($filler, 'Open', 'ReadWrite')
        try { $stream.SetLength([Math]::Max(0, $stream.Length - $LeaveKB * 1KB)) } finally { $stream.Dispose() }
        $filler
    }
}

Describe 'A damaged store database' {
    BeforeAll {
        $root = New-TestFolder 'corrupt'
        $healthy = Join-Path $root 'healthy'
        New-ClosedStore $healthy
        $store = Join-Path $root 'damaged'
        New-Item -ItemType Directory $store | Out-Null
        Copy-Item (Join-Path $healthy 'logtools.db') $store
        $db = Join-Path $store 'logtools.db'
        # Page 2 (the first table's root) overwritten, as in the report.
        $stream = [IO.File]::Open($db, 'Open', 'ReadWrite')
        try { $stream.Position = 4096; $stream.Write([byte[]]::new(100), 0, 100) } finally { $stream.Dispose() }
        $before = Get-B3sum $db
    }

    It 'is what the report describes (sqlite3 finds page 2 damaged)' {
        (& sqlite3 $db 'pragma integrity_check') -join "`n" | Should -Match 'Page 2: btreeInitPage\(\) returns error code 11'
    }

    It 'refuses Add-ApiCall and Write-LogEvent with StoreCorrupt and leaves the database bytes alone' {
        $out = $null
        $addError = Get-Failure { $script:out = Add-ApiCall -Store $store -SessionId s1 -Model claude-sonnet-4 -InputTokens 1 -OutputTokens 1 -PassThru }
        $out | Should -BeNullOrEmpty
        $addError.FullyQualifiedErrorId | Should -Be 'StoreCorrupt,LogTools.Commands.AddApiCallCommand'
        $addError.CategoryInfo.Category | Should -Be 'InvalidData'
        $addError.TargetObject | Should -Be $db
        $addError.Exception.Message | Should -Match ([regex]::Escape($db))
        $addError.Exception.Message | Should -Match 'database disk image is malformed'
        $addError.Exception.Message | Should -Match 'Test-LogStore'

        $writeError = Get-Failure { $script:out = Write-LogEvent -Store $store -SessionId s1 -Type decision -Message m -PassThru }
        $out | Should -BeNullOrEmpty
        $writeError.FullyQualifiedErrorId | Should -Be 'StoreCorrupt,LogTools.Commands.WriteLogEventCommand'
        Get-B3sum $db | Should -Be $before
        Join-Path $store 'logtools.db.corrupt' | Should -Exist
    }

    It 'gives readers the same LogTools error, not a raw SqliteException' {
        (Get-Failure { Get-LogStore -Store $store }).FullyQualifiedErrorId | Should -Be 'StoreCorrupt,LogTools.Commands.GetLogStoreCommand'
    }

    It 'keeps refusing writes in another process until Test-LogStore passes, then takes writes again' {
        $refused = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Write-LogEvent -Store '$store' -SessionId s1 -Type decision -Message m -ErrorAction Stop"
        $refused.ExitCode | Should -Not -Be 0
        $refused.Stderr | Should -Match 'damaged'

        $problems = @(Test-LogStore -Store $store)
        $problems.Count | Should -BeGreaterThan 0
        $problems[0].Kind | Should -Be 'DatabaseDamaged'
        $problems[0].Path | Should -Be $db
        ($problems | Get-Rendered -Width 80) | Should -Match 'DatabaseDamaged'
        Test-LogStore -Store $store -Quiet | Should -BeFalse
        Join-Path $store 'logtools.db.corrupt' | Should -Exist
        Get-B3sum $db | Should -Be $before

        # Restored from the healthy copy, as docs/Backup-LogStore.md says (no process has the store open,
        # the damaged folder moved aside): the check passes and lifts the refusal kept with the store.
        Move-Item $store (Join-Path $root 'damaged-aside')
        New-Item -ItemType Directory $store | Out-Null
        Copy-Item (Join-Path $healthy 'logtools.db') $db
        Copy-Item (Join-Path $root 'damaged-aside/logtools.db.corrupt') "$db.corrupt"
        $check = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Test-LogStore -Store '$store' -Quiet"
        $check.Stdout.Trim() | Should -Be 'True' -Because $check.Stderr
        Join-Path $store 'logtools.db.corrupt' | Should -Not -Exist
        $run = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Write-LogEvent -Store '$store' -SessionId s1 -Type decision -Message m -PassThru -ErrorAction Stop | Out-Null; (Get-LogEvent -Store '$store' -SessionId s1 | Measure-Object).Count"
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $run.Stdout.Trim() | Should -Be '1'
    }

    It 'is reported, not refused, by Test-LogStore when no other command can open it: <Damage>' -ForEach @(
        @{ Damage = 'schema index page overwritten'; Reason = 'btreeInitPage\(\) returns error code 11'; Refusal = 'StoreCorrupt' }
        @{ Damage = 'random bytes'; Reason = 'file is not a database'; Refusal = 'StoreDatabaseInvalid' }
        @{ Damage = 'truncated to half'; Reason = 'database disk image is malformed'; Refusal = 'StoreCorrupt' }
    ) {
        $unopenable = Join-Path $root ('unopenable-' + [guid]::NewGuid().ToString('n').Substring(0, 8))
        New-Item -ItemType Directory $unopenable | Out-Null
        $copy = Join-Path $unopenable 'logtools.db'
        Copy-Item (Join-Path $healthy 'logtools.db') $copy
        $length = (Get-Item $copy).Length
        switch ($Damage) {
            'schema index page overwritten' {
                # As in the report: the page holding schema_migrations' key index (page 6), which opening the store reads.
                $page = [int](& sqlite3 $copy "select rootpage from sqlite_schema where name = 'sqlite_autoindex_schema_migrations_1'")
                $stream = [IO.File]::Open($copy, 'Open', 'ReadWrite')
                try { $stream.Position = ($page - 1) * 4096; $stream.Write([byte[]]::new(100), 0, 100) } finally { $stream.Dispose() }
                (& sqlite3 $copy 'pragma integrity_check' 2>&1) -join "`n" | Should -Match "page $($page): btreeInitPage\(\) returns error code 11"
            }
            'random bytes' {
                $bytes = [byte[]]::new($length)
                [Random]::new(6).NextBytes($bytes)
                [IO.File]::WriteAllBytes($copy, $bytes)
            }
            'truncated to half' {
                $stream = [IO.File]::Open($copy, 'Open', 'ReadWrite')
                try { $stream.SetLength($length / 2) } finally { $stream.Dispose() }
            }
        }
        $damaged = Get-B3sum $copy

        $problems = @(Test-LogStore -Store $unopenable -WhatIf)
        $problems.Count | Should -BeGreaterThan 0
        $problems.Kind | Sort-Object -Unique | Should -Be 'DatabaseDamaged'
        $problems.Path | Sort-Object -Unique | Should -Be $copy
        ($problems.Message -join "`n") | Should -Match $Reason
        "$copy.corrupt" | Should -Not -Exist

        # The help's example for a scheduled task alerts instead of stopping.
        $alert = if (-not (Test-LogStore -Store $unopenable -Quiet -ErrorVariable checkErrors)) { 'damaged' }
        $alert | Should -Be 'damaged'
        $checkErrors | Should -BeNullOrEmpty
        $quiet = Test-LogStore -Store $unopenable -Quiet -ErrorAction SilentlyContinue
        $quiet -is [bool] -and -not $quiet | Should -BeTrue
        "$copy.corrupt" | Should -Exist
        Get-B3sum $copy | Should -Be $damaged

        # Only Test-LogStore opens it: the other commands still refuse it.
        (Get-Failure { Get-LogStore -Store $unopenable }).FullyQualifiedErrorId | Should -Be "$Refusal,LogTools.Commands.GetLogStoreCommand"
        (Get-Failure { Write-LogEvent -Store $unopenable -SessionId s1 -Type decision -Message m }).FullyQualifiedErrorId | Should -Be "$Refusal,LogTools.Commands.WriteLogEventCommand"
        Get-B3sum $copy | Should -Be $damaged
    }

    It 'finds a mirrored or conversation file the store points to that is missing' {
        $content = Join-Path $root 'content'
        New-ClosedStore $content
        $conversation = Join-Path $content 'conversations/w-1.jsonl'
        New-Item -ItemType Directory (Split-Path $conversation) | Out-Null
        Set-Content $conversation '{"a":1}'
        Set-LogWorker -Store $content -SessionId s1 -WorkerId w-1 -Status Spawned -LogFile $conversation
        Test-LogStore -Store $content -Quiet | Should -BeTrue
        Remove-Item $conversation
        $problem = Test-LogStore -Store $content
        $problem.Kind | Should -Be 'ConversationMissing'
        $problem.Path | Should -Be $conversation
    }

    It 'finds a completed run whose event log was altered or removed' {
        $runs = Join-Path $root 'runs'
        $run = Start-LogRun -Store $runs -Kind user
        'one', 'two' | Write-RunEvent -Store $runs -RunId $run.RunId -Type console.line
        Complete-LogRun -Store $runs -RunId $run.RunId -Status succeeded | Out-Null
        Test-LogStore -Store $runs -Quiet | Should -BeTrue
        $log = (Get-LogRun -Store $runs -RunId $run.RunId).EventsPath
        (Get-Content $log -Raw).Replace('one', 'eno') | Set-Content $log -NoNewline
        $problem = Test-LogStore -Store $runs
        $problem.Kind | Should -Be 'RunLogMismatch'
        $problem.Path | Should -Be $log
        Remove-Item $log
        (Test-LogStore -Store $runs).Kind | Should -Be 'RunLogMissing'
    }
}

Describe 'Commands that only read, and -WhatIf' {
    BeforeAll { $root = New-TestFolder 'readers' }

    It 'report StoreNotFound for a mistyped store and create nothing: <Command>' -ForEach @(
        @{ Command = 'Get-ApiCost -Today' }
        @{ Command = 'Test-ApiBudget -Limit 1' }
        @{ Command = 'Get-LogSession' }
        @{ Command = 'Get-LogTask' }
        @{ Command = 'Get-LogWorker' }
        @{ Command = 'Get-LogEvent' }
        @{ Command = 'Get-LogMirror' }
        @{ Command = 'Get-LogStore' }
        @{ Command = 'Test-LogStore' }
        @{ Command = 'Backup-LogStore -Destination (Join-Path $root backup)' }
        @{ Command = 'Add-ApiCall -Model claude-sonnet-4 -InputTokens 1 -OutputTokens 1 -WhatIf' }
        @{ Command = 'Move-LogRecord -WhatIf' }
        @{ Command = 'Import-LogHistory -Path $history -WhatIf' }
    ) {
        $history = Join-Path $root 'history.jsonl'
        New-HistoryFile $history 3
        $typo = Join-Path $root ('typo-' + [guid]::NewGuid().ToString('n').Substring(0, 6))
        $output = $null
        $failure = Get-Failure ([scriptblock]::Create("`$script:output = $Command -Store '$typo'"))
        $failure.FullyQualifiedErrorId | Should -BeLike 'StoreNotFound,*'
        $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failure.Exception.Message | Should -Match ([regex]::Escape($typo))
        $output | Should -BeNullOrEmpty
        $typo | Should -Not -Exist
        Join-Path $root backup | Should -Not -Exist
    }

    It 'create nothing for a writer run with -WhatIf: <Command>' -ForEach @(
        @{ Command = 'Write-LogEvent -SessionId s1 -Type decision -Message m -WhatIf' }
        @{ Command = 'Start-LogSession -WhatIf' }
        @{ Command = 'Set-LogWorker -SessionId s1 -WorkerId w -Status Spawned -WhatIf' }
    ) {
        $typo = Join-Path $root ('typo-' + [guid]::NewGuid().ToString('n').Substring(0, 6))
        & ([scriptblock]::Create("$Command -Store '$typo'")) 6>$null
        $typo | Should -Not -Exist
    }

    It 'lets a writer create the store' {
        $new = Join-Path $root 'new-store'
        Start-LogSession -Store $new -SessionId s-new | Out-Null
        Join-Path $new 'logtools.db' | Should -Exist
    }

    It 'does not migrate an older store; readers say what to run, Get-LogStore describes it' {
        $old = Join-Path $root 'old-store'
        New-ClosedStore $old
        $db = Join-Path $old 'logtools.db'
        $latest = [int](& sqlite3 $db 'pragma user_version')
        & sqlite3 $db "pragma user_version = $($latest - 1)"
        $before = Get-B3sum $db
        $failure = Get-Failure { Get-ApiCost -Today -Store $old }
        $failure.FullyQualifiedErrorId | Should -Be 'StoreSchemaOutdated,LogTools.Commands.GetApiCostCommand'
        $failure.Exception.Message | Should -Match 'Set-LogStore'
        (Get-Failure { Test-LogStore -Store $old }).FullyQualifiedErrorId | Should -Be 'StoreSchemaOutdated,LogTools.Commands.TestLogStoreCommand'
        (Get-LogStore -Store $old).SchemaVersion | Should -Be ($latest - 1)
        [int](& sqlite3 $db 'pragma user_version') | Should -Be ($latest - 1)
        Get-B3sum $db | Should -Be $before
    }
}

Describe 'Backup-LogStore' {
    BeforeAll {
        $root = New-TestFolder 'backup'
        $store = Join-Path $root 'store'
        New-ClosedStore $store
        $conversation = Join-Path $store 'conversations/w-1.jsonl'
        New-Item -ItemType Directory (Split-Path $conversation) | Out-Null
        Set-Content $conversation ('{"line":1}', '{"line":2}')
        Set-LogWorker -Store $store -SessionId s1 -WorkerId w-1 -Status Spawned -LogFile $conversation
    }

    It 'changes nothing with -WhatIf, and says it would copy the database (with its size) and the content folders' {
        $run = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Backup-LogStore -Store '$store' -Destination '$(Join-Path $root 'whatif')' -WhatIf"
        $run.Stderr | Should -BeNullOrEmpty
        $line = [regex]::Escape("What if: Performing the operation `"Back up '$(Join-Path $store 'logtools.db')' (") + '\d[\d.]* KiB\) and the content folders conversations/" ' +
            [regex]::Escape("on target `"$(Join-Path $root 'whatif')`".")
        ($run.Stdout -replace '\s+', ' ') | Should -Match $line
        Join-Path $root 'whatif' | Should -Not -Exist
        @(Get-ChildItem -Force $root -Filter '.whatif*') | Should -BeNullOrEmpty
    }

    It 'refuses under -WhatIf, with the same error, a destination the backup refuses: <Id>' -ForEach @(
        @{ Id = 'BackupDestinationExists'; Destination = { (New-Item -ItemType Directory -Path (Join-Path $root 'taken') -Force).FullName } }
        @{ Id = 'BackupParentNotFound'; Destination = { Join-Path $root 'no/such/backup' } }
        @{ Id = 'BackupInsideStore'; Destination = { Join-Path $store 'backup' } }
    ) {
        $destination = & $Destination
        # Names only: a reader of the store may leave SQLite's -wal and -shm files beside its database.
        $before = @(Get-ChildItem -LiteralPath $root -Recurse -Force -Name | Where-Object { $_ -notmatch '-(wal|shm)$' })
        $failure = Get-Failure { Backup-LogStore -Store $store -Destination $destination -WhatIf }
        "$($failure.FullyQualifiedErrorId)" | Should -Be "$Id,LogTools.Commands.BackupLogStoreCommand"
        @(Get-ChildItem -LiteralPath $root -Recurse -Force -Name | Where-Object { $_ -notmatch '-(wal|shm)$' }) | Should -Be $before
    }

    It 'copies a store consistently while another pwsh process writes to it, and verifies the copy' {
        $writer = Start-Job -ScriptBlock {
            param($module, $store)
            Import-Module $module
            $PID
            for ($i = 0; $i -lt 400; $i++) { Write-LogEvent -Store $store -SessionId s1 -Type decision -Message "event $i" }
        } -ArgumentList $ModuleManifest, $store
        # Start when the writer is writing.
        $deadline = (Get-Date).AddSeconds(60)
        while ([int](& sqlite3 (Join-Path $store 'logtools.db') 'select count(*) from events') -lt 20 -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $atStart = [int](& sqlite3 (Join-Path $store 'logtools.db') 'select count(*) from events')
        $destination = Join-Path $root 'copy'
        $result = Backup-LogStore -Store $store -Destination $destination
        $atEnd = [int](& sqlite3 (Join-Path $store 'logtools.db') 'select count(*) from events')
        $writer | Wait-Job -Timeout 120 | Receive-Job | Out-Null
        $writer | Remove-Job -Force

        $atEnd | Should -BeGreaterThan $atStart -Because 'the writer must have been writing during the backup'
        $result.Path | Should -Be $destination
        $result.ContentFiles | Should -Be 1
        & sqlite3 (Join-Path $destination 'logtools.db') 'pragma integrity_check' | Should -Be 'ok'
        $copied = & sqlite3 (Join-Path $destination 'logtools.db') 'select count(*) from events' 2>&1
        $copied = [int]"$copied"
        $copied | Should -BeGreaterOrEqual $atStart
        $copied | Should -BeLessOrEqual $atEnd
        Get-B3sum (Join-Path $destination 'conversations/w-1.jsonl') | Should -Be (Get-B3sum $conversation)
        Test-LogStore -Store $destination -Quiet | Should -BeTrue
        @(Get-ChildItem -Force $root -Filter '.copy*') | Should -BeNullOrEmpty
        ($result | Get-Rendered -Width 80) | Should -Match 'Duration'
    }

    It 'refuses an existing destination and leaves it alone' {
        $existing = New-TestFolder 'existing'
        Set-Content (Join-Path $existing 'keep.txt') 'keep'
        $failure = Get-Failure { Backup-LogStore -Store $store -Destination $existing }
        $failure.FullyQualifiedErrorId | Should -Be 'BackupDestinationExists,LogTools.Commands.BackupLogStoreCommand'
        @(Get-ChildItem $existing).Name | Should -Be @('keep.txt')
    }

    It 'fails cleanly on a full destination disk: a LogTools error, no backup, no partial folder' {
        $mount = Mount-TestFileSystem -SizeKB 256
        try {
            $big = Join-Path $store 'conversations/big.jsonl'
            [IO.File]::WriteAllBytes($big, [byte[]]::new(512KB))
            $failure = Get-Failure { Backup-LogStore -Store $store -Destination (Join-Path $mount 'copy') }
            $failure.FullyQualifiedErrorId | Should -Be 'BackupWriteFailed,LogTools.Commands.BackupLogStoreCommand'
            $failure.Exception.Message | Should -Match 'disk is full'
            @(Get-ChildItem -Force $mount) | Should -BeNullOrEmpty
        }
        finally {
            Remove-Item $big -ErrorAction SilentlyContinue
            Dismount-TestFileSystem $mount
        }
    }
}

Describe 'A full disk under Import-LogHistory and Move-LogRecord' {
    BeforeAll {
        $history = Join-Path (New-TestFolder 'history') 'worker.jsonl'
        New-HistoryFile $history 30000 -Days 200
        $reference = Join-Path (New-TestFolder 'reference') 'store'
        Import-LogHistory -Path $history -Store $reference -Summary | Out-Null
        $expected = Get-CallTotals $reference
    }

    It 'Import-LogHistory: a LogTools error, only whole batches recorded, and the next run completes' {
        $mount = Mount-TestFileSystem -SizeKB 65536
        try {
            $store = Join-Path $mount 'store'
            Start-LogSession -Store $store -SessionId s0 | Out-Null
            $filler = Set-DiskNearlyFull $mount 400
            $results = $null
            $failure = Get-Failure { $script:results = Import-LogHistory -Path $history -Store $store }
            $failure.FullyQualifiedErrorId | Should -Be 'StoreDiskFull,LogTools.Commands.ImportLogHistoryCommand'
            $failure.Exception.Message | Should -Match 'full'
            # The file's result is written only when all of it is stored: none here; what is stored are whole batches.
            $results | Should -BeNullOrEmpty
            $storedRows = [long](& sqlite3 (Join-Path $store 'logtools.db') 'select count(*) from api_calls')
            Get-ImportOffsetMismatch $store | Should -BeNullOrEmpty
            $storedRows | Should -BeLessThan 30000

            Remove-Item $filler
            $done = Import-LogHistory -Path $history -Store $store
            $done.Imported | Should -Be (30000 - $storedRows)
            Get-CallTotals $store | Should -Be $expected
            & sqlite3 (Join-Path $store 'logtools.db') 'pragma integrity_check' | Should -Be 'ok'
        }
        finally { Dismount-TestFileSystem $mount }
    }

    It 'Move-LogRecord: a LogTools error, no row lost or doubled, and the next run completes' {
        $mount = Mount-TestFileSystem -SizeKB 98304
        try {
            $store = Join-Path $mount 'store'
            Import-LogHistory -Path $history -Store $store -Summary | Out-Null
            $cost = (Get-ApiCost -Store $store -Since '2000-01-01' -IncludeArchive).KnownCostUsd
            $filler = Set-DiskNearlyFull $mount 150
            $moved = $null
            $failure = Get-Failure { $script:moved = Move-LogRecord -Store $store -OlderThan 30 -Confirm:$false }
            $failure.FullyQualifiedErrorId | Should -Be 'StoreDiskFull,LogTools.Commands.MoveLogRecordCommand'
            $moved | Should -BeNullOrEmpty
            Get-CallTotals $store | Should -Be $expected

            Remove-Item $filler
            $moved = Move-LogRecord -Store $store -OlderThan 30 -Confirm:$false
            ($moved | Where-Object Table -eq 'api_calls' | Measure-Object Rows -Sum).Sum | Should -BeGreaterThan 0
            Get-CallTotals $store | Should -Be $expected
            & sqlite3 (Join-Path $store 'logtools.db') 'select count(*) from api_calls' | Should -Be '0'
            (Get-ApiCost -Store $store -Since '2000-01-01' -IncludeArchive).KnownCostUsd | Should -Be $cost
            Test-LogStore -Store $store -Quiet | Should -BeTrue
        }
        finally { Dismount-TestFileSystem $mount }
    }
}

Describe 'A store on a read-only mount' {
    It 'gives clear errors to writers and changes no byte' {
        $mount = Mount-TestFileSystem -SizeKB 4096
        try {
            $store = Join-Path $mount 'store'
            New-ClosedStore $store
            $history = Join-Path (New-TestFolder 'history') 'worker.jsonl'
            New-HistoryFile $history 10
            Set-TestFileSystem $mount -ReadOnly
            $before = Get-FolderDigest $mount

            (Get-Failure { Write-LogEvent -Store $store -SessionId s1 -Type decision -Message m }).FullyQualifiedErrorId |
                Should -Be 'StoreNotWritable,LogTools.Commands.WriteLogEventCommand'
            $failure = Get-Failure { Import-LogHistory -Path $history -Store $store }
            $failure.FullyQualifiedErrorId | Should -Be 'StoreNotWritable,LogTools.Commands.ImportLogHistoryCommand'
            $failure.Exception.Message | Should -Match 'Read-only file system'
            (Get-Failure { Move-LogRecord -Store $store -Confirm:$false }).FullyQualifiedErrorId | Should -Be 'StoreNotWritable,LogTools.Commands.MoveLogRecordCommand'
            # Readers either read or say why not, with a LogTools id.
            $read = Get-Failure { Get-ApiCost -Today -Store $store }
            if ($read) { $read.FullyQualifiedErrorId | Should -BeLike 'Store*,LogTools.Commands.GetApiCostCommand' }
            Get-FolderDigest $mount | Should -Be $before
        }
        finally { Dismount-TestFileSystem $mount }
    }
}

Describe 'SIGKILL at random points' {
    BeforeAll {
        $history = Join-Path (New-TestFolder 'history') 'worker.jsonl'
        New-HistoryFile $history 40000 -Days 200
        $reference = Join-Path (New-TestFolder 'reference') 'store'
        Import-LogHistory -Path $history -Store $reference -Summary | Out-Null
        $expected = Get-CallTotals $reference

        # Runs $Command in another pwsh process and kills it (SIGKILL) $DelayMs after the module is loaded;
        # $true when the command finished before the kill.
        function Stop-Midway([string] $Command, [int] $DelayMs) {
            $process = Start-Pwsh -Script "Import-Module `$LogToolsModule; 'loaded'; $Command | Out-Null; 'finished'"
            if ($process.StandardOutput.ReadLine() -ne 'loaded') { throw "the pwsh process did not load the module: $($process.StandardError.ReadToEnd())" }
            Start-Sleep -Milliseconds $DelayMs
            $process.Kill()   # SIGKILL on Linux
            $rest = $process.StandardOutput.ReadToEnd()
            $process.WaitForExit()
            $rest -match 'finished'
        }
    }

    It 'Import-LogHistory re-run after kills gives exactly the uninterrupted result' {
        $store = Join-Path (New-TestFolder 'killed') 'store'
        Start-LogSession -Store $store -SessionId s0 | Out-Null
        $random = [Random]::new(8)
        $interrupted = 0
        # The kills come early: a finished import leaves the later rounds nothing to interrupt (known files are skipped).
        foreach ($round in 1..4) {
            if (-not (Stop-Midway "Import-LogHistory -Path '$history' -Store '$store'" ($random.Next(20, 400)))) { $interrupted++ }
        }
        $interrupted | Should -BeGreaterThan 0 -Because 'at least one kill must land during the import'
        Import-LogHistory -Path $history -Store $store | Out-Null
        Get-CallTotals $store | Should -Be $expected
        & sqlite3 (Join-Path $store 'logtools.db') 'pragma integrity_check' | Should -Be 'ok'
        (Get-ApiCost -Store $store -Since '2000-01-01').KnownCostUsd | Should -Be (Get-ApiCost -Store $reference -Since '2000-01-01').KnownCostUsd
    }

    It 'Move-LogRecord re-run after kills gives exactly the uninterrupted result' {
        $store = Join-Path (New-TestFolder 'killed') 'store'
        Import-LogHistory -Path $history -Store $store -Summary | Out-Null
        $cost = (Get-ApiCost -Store $store -Since '2000-01-01' -IncludeArchive).KnownCostUsd
        $random = [Random]::new(9)
        $interrupted = 0
        foreach ($round in 1..4) {
            if (-not (Stop-Midway "Move-LogRecord -Store '$store' -OlderThan 30 -Confirm:`$false" ($random.Next(50, 1200)))) { $interrupted++ }
        }
        $interrupted | Should -BeGreaterThan 0 -Because 'at least one kill must land during the move'
        Move-LogRecord -Store $store -OlderThan 30 -Confirm:$false | Out-Null
        Get-CallTotals $store | Should -Be $expected
        & sqlite3 (Join-Path $store 'logtools.db') 'select count(*) from api_calls' | Should -Be '0'
        (Get-ApiCost -Store $store -Since '2000-01-01' -IncludeArchive).KnownCostUsd | Should -Be $cost
        Test-LogStore -Store $store -Quiet | Should -BeTrue
    }
}

Describe 'A history file replaced while Import-LogHistory reads it' {
    It 'stores whole versions only, and the next run completes the new one' {
        $folder = New-TestFolder 'replaced'
        $path = Join-Path $folder 'worker.jsonl'
        New-HistoryFile $path 20000 -Tag a
        $replacement = Join-Path $folder 'replacement.tmp'
        New-HistoryFile $replacement 20000 -Days 2 -Tag b
        $store = Join-Path (New-TestFolder 'replaced-store') 'store'
        Start-LogSession -Store $store -SessionId s0 | Out-Null

        $process = Start-Pwsh -Script "Import-Module `$LogToolsModule; 'loaded'; Import-LogHistory -Path '$path' -Store '$store' -Summary | Out-Null; 'finished'"
        $process.StandardOutput.ReadLine() | Should -Be 'loaded'
        Start-Sleep -Milliseconds 300
        Move-Item $replacement $path -Force   # an atomic rename over the file being read
        $stderr = $process.StandardError.ReadToEndAsync()
        $process.StandardOutput.ReadToEnd() | Should -Match 'finished'
        $process.WaitForExit()
        $stderr.Result | Should -BeNullOrEmpty

        Import-LogHistory -Path $path -Store $store | Out-Null
        $db = Join-Path $store 'logtools.db'
        $versionA = [long](& sqlite3 $db "select count(*) from api_calls where message_id like 'msg_a%'")
        $versionA | Should -BeIn @(0, 20000) -Because 'a version is stored whole or not at all'
        & sqlite3 $db "select count(*) from api_calls where message_id like 'msg_b%'" | Should -Be '20000'
        # Tokens of version b: the sum over i of 1000 + i, as New-HistoryFile wrote them.
        & sqlite3 $db "select sum(tokens_input) from api_calls where message_id like 'msg_b%'" | Should -Be ([string](20000 * 1000 + 19999 * 20000 / 2))
        & sqlite3 $db 'pragma integrity_check' | Should -Be 'ok'
    }
}
