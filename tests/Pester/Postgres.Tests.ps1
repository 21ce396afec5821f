BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Server = Start-TestPostgres

    # The FullyQualifiedErrorId and message of the one error a script block stops with.
    function Get-Failure([scriptblock] $Script) {
        try { & $Script; [pscustomobject]@{ Id = 'no error'; Message = '' } }
        catch { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message; Category = $_.CategoryInfo.Category } }
    }

    # One value from the store's database, read with psql (the oracle: not through LogTools).
    function Invoke-Psql([string] $Store, [string] $Query) {
        $database = ($Store -split '[/?]')[3]
        $env:PGOPTIONS = '-c search_path=main'
        try { & psql -h $Server.Socket -U logtools -d $database -tAc $Query }
        finally { Remove-Item Env:PGOPTIONS }
    }
}

AfterAll {
    Stop-TestPostgres $Server
    Remove-Item Env:PGPASSWORD -ErrorAction SilentlyContinue
}

Describe 'A store on PostgreSQL' {
    It 'records sessions, tasks, events, API calls and runs; Get-LogStore names the backend and server, never the password' {
        $store = New-TestPostgresStore $Server
        $session = Start-LogSession -Store $store -SessionId pg-one
        Set-LogTask -Store $store -TaskId task-a -Status Detected -Title 'First task' | Out-Null
        Write-LogEvent -Store $store -Type trigger -Message 'issue detected' -Severity Warning
        Add-ApiCall -Store $store -Model model-x -InputTokens 1000 -OutputTokens 200 -CostUsd 1.25
        Add-ApiCall -Store $store -Model model-x -InputTokens 3000 -OutputTokens 400 -CostUsd 2.50
        $run = Start-LogRun -Store $store
        Write-RunEvent -Store $store -RunId $run.RunId -Type step -Message 'one'
        Complete-LogRun -Store $store -RunId $run.RunId | Out-Null

        $session.SessionId | Should -Be 'pg-one'
        (Get-LogTask -Store $store).Title | Should -Be 'First task'
        (Get-LogEvent -Store $store).Message | Should -Be 'issue detected'
        $cost = Get-ApiCost -Store $store
        $cost.Calls | Should -Be 2
        $cost.CostUsd | Should -Be 3.75
        (Get-LogRun -Store $store -RunId $run.RunId).Status | Should -Be 'Succeeded'
        (Get-RunEvent -Store $store -RunId $run.RunId | Where-Object Type -EQ step).Message | Should -Be 'one'
        # The rows are on the server, the run's events under the content root.
        Invoke-Psql $store 'SELECT count(*) FROM api_calls' | Should -Be 2
        Invoke-Psql $store "SELECT session_id FROM sessions" | Should -Be 'pg-one'
        $content = ($store -split 'content=')[1]
        $run.EventsPath | Should -BeLike "$content/runs/*"
        Test-Path $run.EventsPath | Should -BeTrue

        $info = Get-LogStore -Store $store
        $info.Backend | Should -Be 'PostgreSQL'
        $info.BackendVersion | Should -Match '^1[0-9]'
        $info.SqliteVersion | Should -BeNullOrEmpty
        $info.SchemaVersion | Should -Be $info.LatestSchemaVersion
        $info.DatabaseBytes | Should -BeGreaterThan 0
        $info.Path | Should -Be $content
        ($info | Format-List * | Out-String) | Should -Not -Match $Server.Password
    }

    It 'audits an ingest run with Merkle blocks and a proof, mirrors a log and builds ports incrementally on the same store' {
        $store = New-TestPostgresStore $Server
        $files = New-TestFolder 'pg-ingest'
        foreach ($i in 1..3) { Set-Content -Path (Join-Path $files "f$i.json") -Value "{`"n`":$i}" }
        $ingest = Start-LogRun -Store $store -Kind ingest
        Start-IngestPhase -Store $store -RunId $ingest.RunId -Phase vanilla_ingest | Out-Null
        Write-IngestLog -Store $store -RunId $ingest.RunId -Phase vanilla_ingest -Path (Join-Path $files '*.json') -Root $files | Out-Null
        $phase = Complete-IngestPhase -Store $store -RunId $ingest.RunId -Phase vanilla_ingest -RowsOut 3
        Complete-LogRun -Store $store -RunId $ingest.RunId | Out-Null
        $phase.Files | Should -Be 3
        $phase.Processed | Should -Be 3
        (Get-IngestBlock -Store $store -RunId $ingest.RunId).FilesCount | Should -Be 3
        $checks = @(Test-IngestBlock -Store $store -RunId $ingest.RunId)
        $checks.Count | Should -BeGreaterThan 0
        $checks | Where-Object Status -NE 'Ok' | Should -BeNullOrEmpty
        (Get-IngestProof -Store $store -RunId $ingest.RunId -RelPath f2.json | Test-IngestProof).Valid | Should -BeTrue

        $logs = New-TestFolder 'pg-mirror'
        Set-Content -Path (Join-Path $logs 'app-2026-11-01T00-00-00.000.json') -Value '{"msg":"archived"}'
        Set-Content -Path (Join-Path $logs 'app.json') -Value '{"msg":"active"}'
        $sync = Sync-LogSource -Store $store -Name app -ArchivedPattern (Join-Path $logs 'app-*.json') -ActivePattern (Join-Path $logs 'app.json') -PondPath app
        @($sync).Count | Should -BeGreaterThan 0
        Test-LogMirror -Store $store -Source app | Select-Object -ExpandProperty Status | Should -Be 'Ok', 'Ok'

        $ports = New-TestFolder 'pg-ports'
        $folder = New-Item -ItemType Directory -Path (Join-Path $ports 'demo/a') -Force
        Set-Content -Path (Join-Path $folder 'port.yml') -Value 'name: demo/a', 'version: "1.0"', 'phases:', '  build: "true"'
        (Invoke-PortBuild -Store $store -PortsPath $ports | Where-Object Origin -EQ demo/a).Status | Should -Be 'Success'
        (Invoke-PortBuild -Store $store -PortsPath $ports | Where-Object Origin -EQ demo/a).Status | Should -Be 'Skipped'
        Invoke-Psql $store "SELECT count(*) FROM port_builds WHERE status = 'success'" | Should -Be 1
    }

    It 'refuses a store migrated by a newer LogTools, and leaves it unchanged' {
        $store = New-TestPostgresStore $Server
        Start-LogSession -Store $store | Out-Null
        Invoke-Psql $store "INSERT INTO schema_migrations VALUES ('Telemetry', 99, 'from the future', '2030-01-01T00:00:00.000Z', 'LogTools 9')" | Out-Null
        $before = Invoke-Psql $store 'SELECT count(*) FROM sessions'
        # A new process, as the next scheduled task would be (this one knows the store is up to date).
        $run = Invoke-Pwsh -File -Script 'Import-Module $LogToolsModule; try { Start-LogSession -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }' -Environment @{ LOGTOOLS_STORE = $store }
        $run.Stdout.Trim() | Should -BeLike 'StoreSchemaTooNew,*'
        Invoke-Psql $store 'SELECT count(*) FROM sessions' | Should -Be $before
    }
}

Describe 'Faults of a server store' {
    It 'reports <Case> as <Id>, naming the server and never the password' -ForEach @(
        @{ Case = 'a wrong password'; Id = 'StoreAccessDenied'; Password = 'wrong-secret-1'; Location = { param($s) $s } }
        @{ Case = 'a missing database'; Id = 'StoreDatabaseMissing'; Password = $null; Location = { param($s) $s -replace '@/t[0-9a-f]+\?', '@/nosuchdb?' } }
        @{ Case = 'an unreachable server'; Id = 'StoreServerUnreachable'; Password = $null; Location = { param($s) $s -replace 'host=[^&]+', 'host=/nonexistent-socket-dir' } }
        @{ Case = 'a password in the location that is wrong'; Id = 'StoreAccessDenied'; Password = $null; Location = { param($s) $s -replace 'logtools@', 'logtools:wrong-secret-2@' } }
    ) {
        $store = & $Location (New-TestPostgresStore $Server)
        if ($Password) { $env:PGPASSWORD = $Password }
        try { $failure = Get-Failure { Start-LogSession -Store $store -ErrorAction Stop } }
        finally { $env:PGPASSWORD = $Server.Password }
        $failure.Id | Should -BeLike "$Id,*"
        $failure.Message | Should -Match 'postgres://logtools@'
        $failure.Message | Should -Not -Match 'wrong-secret'
        $failure.Message | Should -Not -Match $Server.Password
    }

    It 'refuses a location without a content root' {
        $failure = Get-Failure { Start-LogSession -Store 'postgres://logtools:secret-3@localhost/logtools' -ErrorAction Stop }
        $failure.Id | Should -BeLike 'StoreLocationInvalid,*'
        $failure.Message | Should -Not -Match 'secret-3'
    }
}

Describe 'Many hosts writing one PostgreSQL store' {
    It '8 processes, each a different machine, lose and duplicate nothing and keep the aggregates exact' {
        $store = New-TestPostgresStore $Server
        Start-LogSession -Store $store -SessionId warm-up | Out-Null # the schema exists before the writers start
        $script = @'
Import-Module $LogToolsModule
$ErrorActionPreference = 'Stop'
$session = Start-LogSession -SessionId "s-$env:LOGTOOLS_MACHINE_NAME"
$run = Start-LogRun
foreach ($i in 1..20) {
    Write-LogEvent -Type work -Message "$env:LOGTOOLS_MACHINE_NAME $i"
    Add-ApiCall -Model model-x -InputTokens (100 + $i) -OutputTokens $i -CostUsd 0.01
    Write-RunEvent -RunId $run.RunId -Type step -Message "$i"
}
Complete-LogRun -RunId $run.RunId | Out-Null
'ok'
'@
        $processes = foreach ($n in 1..8) {
            Start-Pwsh -File -Script $script -Environment @{ LOGTOOLS_STORE = $store; LOGTOOLS_MACHINE_NAME = "host-$n"; PGPASSWORD = $Server.Password }
        }
        $results = foreach ($p in $processes) {
            $out = $p.StandardOutput.ReadToEndAsync(); $err = $p.StandardError.ReadToEndAsync()
            $p.WaitForExit(300000) | Should -BeTrue
            [pscustomobject]@{ Code = $p.ExitCode; Out = $out.Result.Trim(); Err = $err.Result }
        }
        $results.Err -join '' | Should -BeNullOrEmpty
        $results.Code | Should -Be (@(0) * 8)
        $results.Out | Should -Be (@('ok') * 8)

        Invoke-Psql $store "SELECT count(*), count(DISTINCT host) FROM sessions WHERE session_id LIKE 's-host-%'" | Should -Be '8|8'
        Invoke-Psql $store "SELECT count(*), count(DISTINCT message) FROM events WHERE event_type = 'work'" | Should -Be '160|160'
        Invoke-Psql $store 'SELECT count(*), count(DISTINCT call_id), sum(tokens_input), sum(tokens_output) FROM api_calls' | Should -Be "160|160|$(8 * (2000 + 210))|$(8 * 210)"
        Invoke-Psql $store "SELECT count(*) FROM runs WHERE status = 'succeeded'" | Should -Be 8
        $byMachine = Get-ApiCost -Store $store -GroupBy Machine
        $byMachine.Key | Sort-Object | Should -Be (1..8 | ForEach-Object { "host-$_" })
        $byMachine.Calls | Should -Be (@(20) * 8)
        $byMachine | ForEach-Object { $_.InputTokens | Should -Be 2210 }
        (Get-ApiCost -Store $store -GroupBy Day).Calls | Should -Be 160
        foreach ($run in Get-LogRun -Store $store) {
            @(Get-RunEvent -Store $store -RunId $run.RunId | Where-Object Type -EQ step).Count | Should -Be 20
        }
    }
}
