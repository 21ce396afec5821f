BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'An ingest run: phases, per-file records, blocks and proofs' {
    BeforeAll {
        $store = New-TestStore
        $data = New-TestFolder 'data'
        New-Item -ItemType Directory (Join-Path $data 'mods') | Out-Null
        foreach ($i in 1..5) { Set-Content -Path (Join-Path $data "file$i.json") -Value ('{"n":' + $i + '}' + ('x' * $i * 100)) -NoNewline }
        Set-Content -Path (Join-Path $data 'mods/m.json') -Value 'mod' -NoNewline
        $run = Start-LogRun -Kind ingest
        $started = Start-IngestPhase -Phase vanilla_ingest
        $pathCount = Write-IngestLog -Phase vanilla_ingest -Path (Join-Path $data '*.json') -Root $data
        $phase = Complete-IngestPhase -Phase vanilla_ingest -RowsOut 5
        $objectCount = @(
            [pscustomobject]@{ RelPath = 'mods/m.json'; Status = 'Processed'; SizeRaw = 3; SizeStored = 2; ContentHash = (Get-B3sum (Join-Path $data 'mods/m.json')); FileId = 7 }
            [pscustomobject]@{ RelPath = 'mods/bad.json'; Status = 'Error'; ErrorType = 'ParseError'; ErrorMessage = 'unexpected }' }
        ) | Write-IngestLog -Phase mod_ingest
        $phaseEvents = @(Get-RunEvent -RunId $run.RunId -Type 'phase.*')
        $completed = Complete-LogRun
        $blocks = @(Get-IngestBlock -RunId $run.RunId)
    }

    It 'logs files given by -Path with their size and the BLAKE3 b3sum prints, relative to -Root' {
        $pathCount | Should -Be 5
        $records = @(Get-IngestLog -RunId $run.RunId -Phase vanilla_ingest)
        $records.RelPath | Should -Be @('file1.json', 'file2.json', 'file3.json', 'file4.json', 'file5.json')
        foreach ($r in $records) {
            $r.ContentHash | Should -Be (Get-B3sum (Join-Path $data $r.RelPath))
            $r.SizeRaw | Should -Be (Get-Item (Join-Path $data $r.RelPath)).Length
            $r.Status | Should -Be 'Processed'
        }
    }

    It 'binds pipeline objects by property name, and Get-IngestError gives the failed ones' {
        $objectCount | Should -Be 2
        $m = Get-IngestLog -RunId $run.RunId -RelPath 'mods/m*'
        ($m.FileId, $m.SizeStored, $m.Phase) | Should -Be @(7, 2, 'mod_ingest')
        $errors = @(Get-IngestError -RunId $run.RunId)
        $errors.RelPath | Should -Be 'mods/bad.json'
        ($errors[0].ErrorType, $errors[0].ErrorMessage) | Should -Be @('ParseError', 'unexpected }')
    }

    It 'writes phase.started and phase.completed run events with the phase duration and counts' {
        $started.StartedAt | Should -Not -BeNullOrEmpty
        ($phase.Files, $phase.Processed, $phase.RowsOut) | Should -Be @(5, 5, 5)
        $phase.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
        $phaseEvents.Type | Should -Be @('phase.started', 'phase.completed')
        $phaseEvents[1].Payload.phase | Should -Be 'vanilla_ingest'
        $phaseEvents[1].Payload.files | Should -Be 5
        $phaseEvents[1].Payload.rows_out | Should -Be 5
        $phaseEvents[1].Payload.duration_sec | Should -BeGreaterThan 0
    }

    It 'builds the blocks itself when the run completes, and building again changes nothing' {
        $completed.Status | Should -Be 'Succeeded'
        $blocks.Phase | Should -Be @('mod_ingest', 'vanilla_ingest')
        $blocks.FilesCount | Should -Be @(2, 5)
        $blocks[0].FilesError | Should -Be 1
        $before = Get-IngestBlock -RunId $run.RunId | ConvertTo-Json
        $again = @(Build-IngestBlock -RunId $run.RunId)
        $again.MerkleRoot | Should -HaveCount 2
        Get-IngestBlock -RunId $run.RunId | ConvertTo-Json | Should -Be $before
        $small = @(Build-IngestBlock -RunId $run.RunId -BlockSize 2 -Force | Where-Object Phase -eq vanilla_ingest)
        $small.BlockCount | Should -Be 3
        (Get-IngestBlock -RunId $run.RunId -Phase vanilla_ingest -BlockNumber 2).FilesCount | Should -Be 1
    }

    It 'gives a proof that Test-IngestProof verifies as an object, as a JSON file in a process with no store, and refuses when changed' {
        $proof = Get-IngestProof -RunId $run.RunId -RelPath file3.json
        $proof.ContentHash | Should -Be (Get-B3sum (Join-Path $data 'file3.json'))
        ($proof | Test-IngestProof).Valid | Should -BeTrue
        $file = Join-Path (New-TestFolder 'proof') 'proof.json'
        $proof | ConvertTo-Json | Set-Content $file
        $nowhere = Join-Path (New-TestFolder 'nostore') 'store'
        $result = Invoke-Pwsh -Environment @{ LOGTOOLS_STORE = $nowhere } -Script @"
Import-Module `$LogToolsModule
`$c = Test-IngestProof -Path '$file' -RunRoot '$($proof.RunRoot)'
"`$(`$c.Valid)|`$(`$c.Reason)"
(Get-Content '$file' -Raw | ConvertFrom-Json | Test-IngestProof).Valid
"@
        $result.Stderr | Should -BeNullOrEmpty
        ($result.Stdout.Trim() -split "`n")[0] | Should -BeLike 'True|Record *'
        ($result.Stdout.Trim() -split "`n")[1].Trim() | Should -Be 'True'
        Test-Path $nowhere | Should -BeFalse
        $changed = Get-Content $file -Raw | ConvertFrom-Json
        $changed.Status = 'skipped'
        $verdict = $changed | Test-IngestProof
        $verdict.Valid | Should -BeFalse
        $verdict.Reason | Should -BeLike '*field*changed*'
        (Test-IngestProof $proof -RunRoot ('0' * 64)).Valid | Should -BeFalse
    }

    It 'Test-IngestBlock reports every block Ok, then a tampered row as a Mismatch, and -Content changed or missing files' {
        @(Test-IngestBlock -RunId $run.RunId | Where-Object Status -ne Ok) | Should -BeNullOrEmpty
        Invoke-TestStoreSql $store "UPDATE ingest_log SET size_raw = 1 WHERE relpath = 'file4.json'"
        Set-Content -Path (Join-Path $data 'file1.json') -Value 'changed' -NoNewline
        Remove-Item (Join-Path $data 'file2.json')
        $checks = @(Test-IngestBlock -RunId $run.RunId -Content -Root $data)
        $bad = @($checks | Where-Object Status -eq Mismatch)
        $bad | Should -HaveCount 1
        $bad[0].BlockNumber | Should -Be 1
        $bad[0].Fields | Should -Contain 'merkle_hash'
        $bad[0].Fields | Should -Contain 'bytes_raw'
        ($checks | Where-Object Status -eq ContentChanged).RelPath | Should -Be 'file1.json'
        ($checks | Where-Object Status -eq ContentMissing).RelPath | Should -Be 'file2.json'
    }

    It 'renders its tables within 80 and 120 columns' {
        $outputs = @(
            , @(Get-IngestLog -RunId $run.RunId)
            , @(Get-IngestBlock -RunId $run.RunId)
            , @(Build-IngestBlock -RunId $run.RunId -Force)
            , @(Test-IngestBlock -RunId $run.RunId)
            , @(Get-IngestProof -RunId $run.RunId -RelPath file3.json)
            , @(Get-IngestProof -RunId $run.RunId -RelPath file3.json | Test-IngestProof)
        )
        foreach ($objects in $outputs) {
            foreach ($width in 80, 120) {
                $text = Get-Rendered $objects -Width $width
                $lines = $text -split "`n" | Where-Object { $_.Trim() }
                ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual $width
                $lines[0] | Should -Match '^\s*(LogId|Phase|Valid)'
            }
        }
        (Get-IngestLog -RunId $run.RunId -Status Error | Get-Rendered -Width 120) | Should -Match 'mods/bad.json  \[ParseError\] unexpected }'
    }
}

Describe 'Delta logging from the pipeline''s own SQLite database' {
    BeforeAll {
        $store = New-TestStore
        $folder = New-TestFolder 'pipeline'
        $db = Join-Path $folder 'app.db'
        & sqlite3 $db "CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT, ast TEXT, bytes INTEGER); INSERT INTO files (path, ast, bytes) VALUES ('a.c', 'x', 10), ('b.c', NULL, 20), ('c.c', 'y', 30), ('d.c', 'z', 40);"
        $query = 'SELECT id AS file_id, path AS relpath, bytes AS size_raw FROM files WHERE ast IS NOT NULL'
        $run = Start-LogRun -Kind ingest
    }

    It 'logs only the rows not yet logged for the run and phase, and never changes the database' {
        $before = Get-B3sum $db
        Write-IngestLog -Phase ast_generation -Database $db -Query $query | Should -Be 3
        Write-IngestLog -Phase ast_generation -Database $db -Query $query | Should -Be 0
        & sqlite3 $db "UPDATE files SET ast = 'w' WHERE path = 'b.c'; INSERT INTO files (path, ast, bytes) VALUES ('e.c', 'v', 50);"
        $after = Get-B3sum $db
        Write-IngestLog -Phase ast_generation -Database $db -Query $query | Should -Be 2
        Get-B3sum $db | Should -Be $after
        $before | Should -Not -Be $after
        (Get-IngestLog -Phase ast_generation).RelPath | Should -Be @('a.c', 'c.c', 'd.c', 'b.c', 'e.c')
        (Get-IngestLog -Phase ast_generation -RelPath e.c).SizeRaw | Should -Be 50
    }

    It 'reports <Case> as <Id> and logs nothing' -ForEach @(
        @{ Case = 'a file that is not SQLite'; Id = 'DatabaseNotSqlite'; Query = 'SELECT 1 AS relpath'; NotSqlite = $true }
        @{ Case = 'a query with a syntax error'; Id = 'DatabaseQueryInvalid'; Query = 'SELEC path AS relpath FROM files' }
        @{ Case = 'an unknown column'; Id = 'IngestQueryColumnUnknown'; Query = 'SELECT path AS relpath, ast FROM files' }
        @{ Case = 'no relpath column'; Id = 'IngestQueryRelPathMissing'; Query = 'SELECT id AS file_id FROM files' }
    ) {
        $target = if ($NotSqlite) { $p = Join-Path $folder 'notes.db'; Set-Content $p 'hello, not a database'; $p } else { $db }
        $count = @(Get-IngestLog -RunId $run.RunId).Count
        $err = { Write-IngestLog -Phase x -Database $target -Query $Query -ErrorAction Stop } | Should -Throw -ErrorId "$Id,LogTools.Commands.WriteIngestLogCommand" -PassThru
        if ($Id -eq 'DatabaseQueryInvalid') { $err.Exception.Message | Should -BeLike "*syntax error*$Query*" }
        @(Get-IngestLog -RunId $run.RunId).Count | Should -Be $count
    }

    It 'reports a database locked by the pipeline as DatabaseLocked, without waiting long' {
        $locked = Join-Path $folder 'locked.db'
        & sqlite3 $locked "CREATE TABLE files (path TEXT); INSERT INTO files VALUES ('a');"
        $info = [Diagnostics.ProcessStartInfo]::new('sqlite3', $locked)
        $info.RedirectStandardInput = $true; $info.RedirectStandardOutput = $true; $info.UseShellExecute = $false
        $holder = [Diagnostics.Process]::Start($info)
        try {
            $holder.StandardInput.WriteLine("BEGIN EXCLUSIVE; INSERT INTO files VALUES ('b'); SELECT 'held';")
            $holder.StandardInput.Flush()
            $holder.StandardOutput.ReadLine() | Should -Be 'held'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            { Write-IngestLog -Phase x -Database $locked -Query 'SELECT path AS relpath FROM files' -ErrorAction Stop } |
                Should -Throw -ErrorId 'DatabaseLocked,LogTools.Commands.WriteIngestLogCommand'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        }
        finally { $holder.StandardInput.Close(); $holder.WaitForExit(5000) | Out-Null }
    }
}

Describe 'Ingest bad input' {
    BeforeAll {
        $store = New-TestStore
        $run = Start-LogRun -Kind ingest
    }

    It 'reports a record without a relpath and logs the others' {
        $err = $null
        $n = @([pscustomobject]@{ RelPath = 'ok.txt' }, [pscustomobject]@{ Status = 'Skipped' }) |
            Write-IngestLog -Phase p -ErrorAction SilentlyContinue -ErrorVariable err
        $n | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'IngestRelPathMissing,LogTools.Commands.WriteIngestLogCommand'
        (Get-IngestLog -Phase p).RelPath | Should -Be 'ok.txt'
    }

    It 'refuses a run that does not exist, and blocks of a run in progress unless -Force' {
        { Write-IngestLog -Phase p -RunId nope -RelPath a -ErrorAction Stop } | Should -Throw -ErrorId 'RunNotFound,LogTools.Commands.WriteIngestLogCommand'
        { Get-IngestLog -RunId nope -ErrorAction Stop } | Should -Throw -ErrorId 'RunNotFound,LogTools.Commands.GetIngestLogCommand'
        { Build-IngestBlock -ErrorAction Stop } | Should -Throw -ErrorId 'IngestRunInProgress,LogTools.Commands.BuildIngestBlockCommand'
        @(Get-IngestBlock -RunId $run.RunId) | Should -BeNullOrEmpty
        { Build-IngestBlock -BlockSize 0 -Force -ErrorAction Stop } | Should -Throw -ErrorId 'IngestBlockSizeInvalid,LogTools.Commands.BuildIngestBlockCommand'
        { Get-IngestProof -RelPath ok.txt -ErrorAction Stop } | Should -Throw -ErrorId 'IngestBlocksNotBuilt,LogTools.Commands.GetIngestProofCommand'
        { Get-IngestProof -RelPath none.txt -ErrorAction Stop } | Should -Throw -ErrorId 'IngestRecordNotFound,LogTools.Commands.GetIngestProofCommand'
        { Complete-IngestPhase -Phase never -ErrorAction Stop } | Should -Throw -ErrorId 'IngestPhaseNotStarted,LogTools.Commands.CompleteIngestPhaseCommand'
    }

    It 'changes nothing under -WhatIf' {
        $before = @(Get-IngestLog -RunId $run.RunId).Count
        Write-IngestLog -Phase p -RelPath whatif.txt -WhatIf | Should -BeNullOrEmpty
        Start-IngestPhase -Phase w -WhatIf | Should -BeNullOrEmpty
        Build-IngestBlock -Force -WhatIf | Should -BeNullOrEmpty
        @(Get-IngestLog -RunId $run.RunId).Count | Should -Be $before
        @(Get-IngestBlock -RunId $run.RunId) | Should -BeNullOrEmpty
        { Complete-IngestPhase -Phase w -ErrorAction Stop } | Should -Throw -ErrorId 'IngestPhaseNotStarted,LogTools.Commands.CompleteIngestPhaseCommand'
    }

    It 'reports a proof file that is not a proof' {
        $file = Join-Path (New-TestFolder 'bad') 'proof.json'
        Set-Content $file '[1, 2'
        $err = $null
        Test-IngestProof -Path $file -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'IngestProofInvalid,LogTools.Commands.TestIngestProofCommand'
    }
}
