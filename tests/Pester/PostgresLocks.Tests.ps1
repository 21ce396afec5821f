BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Server = Start-TestPostgres

    function Invoke-Psql([string] $Store, [string] $Query) { Invoke-TestPsql $Server $Store $Query }

    # A command run by another host (its own process and machine name) on the store; returns the error id it stopped with, or 'ok'.
    function Invoke-OtherHost([string] $Machine, [string] $Command) {
        $run = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; try { $Command -ErrorAction Stop | Out-Null; 'ok' } catch { `$_.FullyQualifiedErrorId }" -Environment @{
            LOGTOOLS_MACHINE_NAME = $Machine; PGPASSWORD = $Server.Password
        }
        $run.Stdout.Trim()
    }

    # Waits until $Condition holds while $Process runs; fails the test when the process ends first.
    function Wait-Until([Diagnostics.Process] $Process, [scriptblock] $Condition) {
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (& $Condition)) {
            if ($Process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                # A stalled host is stopped first: reading the error output of a running process would wait for it forever.
                if (-not $Process.HasExited) { $Process.Kill($true); $Process.WaitForExit() }
                throw "The first host's command ended or stalled before it held its lock: $($Process.StandardError.ReadToEnd())"
            }
            Start-Sleep -Milliseconds 50
        }
    }
}

AfterAll {
    Stop-TestPostgres $Server
    Remove-Item Env:PGPASSWORD -ErrorAction SilentlyContinue
}

Describe 'Mirror syncs and port builds lock across hosts on a PostgreSQL store' {
    It 'refuses a second host''s sync of the same source with SyncInProgress while the first holds it, and lets it sync once the first is gone' {
        $store = New-TestPostgresStore $Server
        $content = ($store -split 'content=')[1]
        Start-LogRun -Store $store | Out-Null # the schema exists before the hosts start
        $logs = New-TestFolder 'lock-logs'
        New-BigFile (Join-Path $logs 'app.log') (24MB + 5)
        $sync = "Sync-LogSource -Store '$store' -Name app -ArchivedPattern '$logs/app-*.log' -ActivePattern '$logs/app.log' -PondPath app"

        # 64 KiB blocks with a pause each: the first host's copy takes most of a minute, holding the source's lock.
        $first = Start-Pwsh -Script "Import-Module `$LogToolsModule; $sync -ErrorAction Stop | Out-Null" -Environment @{
            LOGTOOLS_MACHINE_NAME = 'host-a'; PGPASSWORD = $Server.Password; LOGTOOLS_TEST_SYNC_DELAY_MS = '100'
        }
        Wait-Until $first { @(Get-ChildItem -LiteralPath "$content/pond/app" -Force -File -ErrorAction SilentlyContinue | Where-Object Length -gt 0).Count -gt 0 }
        [int](Invoke-Psql $store "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted") | Should -BeGreaterThan 0

        Invoke-OtherHost 'host-b' "$sync -LockTimeout 0" | Should -BeLike 'SyncInProgress,*'

        # The first host dies in the middle of its copy: the server ends its session, and its lock with it.
        $first.Kill($true); $first.WaitForExit()
        Invoke-OtherHost 'host-b' $sync | Should -Be 'ok'
        Get-B3sum "$content/pond/app/app.log" | Should -Be (Get-B3sum (Join-Path $logs 'app.log'))
        # The lock was the server's: no lock files in the shared content root.
        Test-Path "$content/locks" | Should -BeFalse
        Invoke-Psql $store "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'" | Should -Be 0
    }

    It 'refuses a second host''s build of the same port tree with PortBuildInProgress while the first builds, and lets it build after (<Backend>)' -ForEach @(
        @{ Backend = 'PostgreSQL' }
        @{ Backend = 'SQLite' }
    ) {
        $store = if ($Backend -eq 'PostgreSQL') { New-TestPostgresStore $Server } else { Join-Path (New-TestFolder 'lock-store') 'store' }
        $content = if ($Backend -eq 'PostgreSQL') { ($store -split 'content=')[1] } else { $store }
        Start-LogRun -Store $store | Out-Null
        $tree = New-TestFolder 'lock-ports'
        $folder = New-Item -ItemType Directory -Path (Join-Path $tree 'demo/slow') -Force
        # The first build holds the tree until the test lets it go (the file 'release').
        Set-Content -Path (Join-Path $folder 'port.yml') -Value 'name: demo/slow', 'version: "1.0"', 'phases:', "  build: 'touch ""$tree/started""; while [ ! -e ""$tree/release"" ]; do sleep 0.1; done'"
        $build = "Invoke-PortBuild -Store '$store' -PortsPath '$tree'"

        $first = Start-Pwsh -Script "Import-Module `$LogToolsModule; $build -ErrorAction Stop | Out-Null" -Environment @{ LOGTOOLS_MACHINE_NAME = 'host-a'; PGPASSWORD = $Server.Password }
        Wait-Until $first { Test-Path (Join-Path $tree 'started') }

        Invoke-OtherHost 'host-b' $build | Should -BeLike 'PortBuildInProgress,*'
        @(Get-PortBuild -Store $store).Count | Should -Be 1

        Set-Content -Path (Join-Path $tree 'release') -Value ''
        $first.WaitForExit(120000) | Should -BeTrue
        $first.ExitCode | Should -Be 0
        Remove-Item (Join-Path $tree 'started')
        Add-Content -Path (Join-Path $folder 'port.yml') -Value '# changed, so it builds again'
        Invoke-OtherHost 'host-b' $build | Should -Be 'ok'
        (Get-PortBuild -Store $store -Status Success | Sort-Object StartedAt).HostName | Should -Be 'host-a', 'host-b'
        # A server store locks on the server; a folder store with a file in its locks/ folder.
        Test-Path "$content/locks" | Should -Be ($Backend -eq 'SQLite')
    }
}
