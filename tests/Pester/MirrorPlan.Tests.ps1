BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # A store location nothing was written to (New-TestStore's Set-LogStore creates the store): a folder not made yet,
    # or on PostgreSQL a new empty database.
    function New-UnwrittenStore {
        if ($env:LOGTOOLS_TEST_BACKEND -eq 'postgres') { return New-TestPostgresStore (Get-TestRunServer) }
        Join-Path (New-TestFolder 'plan-store') 'store'
    }

    # A source 'caspar' (host/caspar-*.log archives, host/caspar.log active) with host files of the given lengths; its config path.
    function New-PlanSource([hashtable] $Lengths) {
        $root = New-TestFolder 'plan-src'
        New-Item -ItemType Directory -Path (Join-Path $root 'host') | Out-Null
        $config = Join-Path $root 'caspar.yml'
        Set-Content -Path $config -Value "name: caspar`narchived_pattern: host/caspar-*.log`nactive_pattern: host/caspar.log`npond_path: logs/caspar"
        foreach ($name in $Lengths.Keys) { Set-Content -Path (Join-Path $root "host/$name") -Value ('a' * $Lengths[$name]) -NoNewline }
        $config
    }

    # Everything in a store's database that is not the server's own: schemas, then tables, views and sequences (psql, not LogTools).
    function Get-ServerObjects([string] $Store) {
        Invoke-TestStoreSql $Store @'
SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\_%' AND nspname NOT IN ('public', 'information_schema')
UNION ALL
SELECT 'relation ' || n.nspname || '.' || c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
'@
    }
}

# A store never written: on SQLite a folder that does not exist yet, on PostgreSQL an empty database (the PostgreSQL round).
Describe 'Sync-LogSource -WhatIf on a store never written' {
    It 'plans each host file as new, and creates nothing: no schema or table on the server, no file in the content root' {
        $store = New-UnwrittenStore
        $config = New-PlanSource @{ 'caspar-1.log' = 299; 'caspar.log' = 41 }
        $content = Get-TestContentRoot $store
        $before = @(Get-ChildItem -LiteralPath $content -Recurse -Force -ErrorAction SilentlyContinue).Count

        $run = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Sync-LogSource -Config '$config' -Store '$store' -WhatIf"
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $run.Stderr | Should -BeNullOrEmpty
        $lines = @($run.Stdout -split "`r?`n" | Where-Object { $_.Trim() })
        $lines.Count | Should -Be 2 -Because $run.Stdout
        $lines -match 'caspar-1\.log' | Should -Match "^What if: Would copy the new archive .*\(299 bytes\)"
        $lines -match 'caspar\.log' | Should -Match "^What if: Would copy the new active file .*\(41 bytes\)"

        Test-TestStore $store | Should -BeFalse
        if ($store -match '^postgres') { Get-ServerObjects $store | Should -BeNullOrEmpty }
        @(Get-ChildItem -LiteralPath $content -Recurse -Force -ErrorAction SilentlyContinue).Count | Should -Be $before

        # The plan was the sync's: the same two files are copied when it runs, and then the store exists.
        $done = Sync-LogSource -Config $config -Store $store
        @($done | Sort-Object Length | ForEach-Object { "$($_.Action) $($_.Length)" }) | Should -Be @('Copied 41', 'Copied 299')
        Test-TestStore $store | Should -BeTrue
    }

    It 'plans without an error when -WhatIf comes from $WhatIfPreference, and creates nothing' {
        $store = New-UnwrittenStore
        $config = New-PlanSource @{ 'caspar.log' = 4 }

        $WhatIfPreference = $true
        try { $result = Sync-LogSource -Config $config -Store $store -ErrorVariable problems 6>$null }
        finally { $WhatIfPreference = $false }
        $problems | Should -BeNullOrEmpty
        $result | Should -BeNullOrEmpty
        Test-TestStore $store | Should -BeFalse
        if ($store -match '^postgres') { Get-ServerObjects $store | Should -BeNullOrEmpty }
    }
}

Describe 'Invoke-PortBuild -WhatIf and Get-PortStatus on a store never written' {
    It 'plans the port as new and reads it as never built, and creates nothing' {
        $store = New-UnwrittenStore
        $tree = New-TestFolder 'plan-ports'
        New-Item -ItemType Directory -Path (Join-Path $tree 'lib/a') | Out-Null
        Set-Content -LiteralPath (Join-Path $tree 'lib/a/port.yml') -Value @('name: lib/a', 'version: "1.0"', 'depends: []', 'phases:', '  build: ''true''')
        $content = Get-TestContentRoot $store
        $before = @(Get-ChildItem -LiteralPath $content -Recurse -Force -ErrorAction SilentlyContinue).Count

        $run = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Invoke-PortBuild -PortsPath '$tree' -Store '$store' -WhatIf"
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $run.Stderr | Should -BeNullOrEmpty
        @($run.Stdout -split "`r?`n" | Where-Object { $_.Trim() }) | Should -Be @("What if: Build port 'lib/a' 1.0: new.")

        $state = @(Get-PortStatus -PortsPath $tree -Store $store -ErrorVariable problems)
        $problems | Should -BeNullOrEmpty
        $state.Count | Should -Be 1
        $state[0].Origin | Should -Be 'lib/a'
        "$($state[0].ChecksumState)" | Should -Be 'New'

        Test-TestStore $store | Should -BeFalse
        if ($store -match '^postgres') { Get-ServerObjects $store | Should -BeNullOrEmpty }
        @(Get-ChildItem -LiteralPath $content -Recurse -Force -ErrorAction SilentlyContinue).Count | Should -Be $before
    }
}
