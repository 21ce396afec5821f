BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

# The design card's "used by" lines, exactly as admins type them.
Describe 'Sync-LogSource -Config caspar.yml -WhatIf' {
    BeforeAll {
        # The session's store is chosen but does not exist yet (Set-LogStore creates it; remove it again).
        $store = New-TestStore
        Remove-TestStore $store
        $work = New-TestFolder 'caspar'
        $logs = New-Item -ItemType Directory -Path (Join-Path $work 'logs')
        Set-Content -Path (Join-Path $logs 'casparwater-2026-11-01.json') -Value '{"msg":"archived"}'
        Set-Content -Path (Join-Path $logs 'casparwater.json') -Value '{"msg":"active"}'
        Set-Content -Path (Join-Path $work 'caspar.yml') -Value @'
name: casparwater
archived_pattern: "logs/casparwater-*.json"
active_pattern: "logs/casparwater.json"
pond_path: "logs/casparwater"
'@
        function Get-Tree([string] $Path) {
            if (-not (Test-Path $Path)) { return @() }
            Get-ChildItem -Path $Path -Recurse -Force | ForEach-Object { '{0} {1}' -f $_.FullName.Substring($Path.Length), $(if ($_.PSIsContainer) { 'dir' } else { $_.Length }) } | Sort-Object
        }
    }

    It 'says what it would copy and writes nothing, not even the store' {
        Skip-OnPostgres 'a PostgreSQL database without the store''s tables: Sync-LogSource -WhatIf stops there with StoreNotFound naming the database (docs/postgresql.md, Limits)'
        $before = Get-Tree $work
        # In a pwsh of its own, run from the config's folder, so the What if: lines can be read on stdout.
        $run = Invoke-Pwsh -WorkingDirectory $work -Environment @{ LOGTOOLS_STORE = $store } -Script 'Import-Module $LogToolsModule; Sync-LogSource -Config caspar.yml -WhatIf'
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $lines = @($run.Stdout -split "`r?`n" | Where-Object { $_.Trim() })
        $lines.Count | Should -Be 2 -Because $run.Stdout
        $lines[0] | Should -Match '^What if: Would copy the new archive .*casparwater-2026-11-01\.json'
        $lines[1] | Should -Match '^What if: Would copy the new active file .*casparwater\.json'
        Test-TestStore $store | Should -BeFalse
        Get-Tree $work | Should -Be $before
    }

    It 'then mirrors for real, and a second -WhatIf still changes nothing in the store' {
        Skip-OnPostgres 'it goes on from the store the test before leaves'
        Push-Location $work
        try {
            Sync-LogSource -Config caspar.yml | Out-Null
            $after = Get-Tree (Get-TestContentRoot $store)
            Add-Content -Path logs/casparwater.json -Value '{"msg":"grown"}'
                $plan = Sync-LogSource -Config caspar.yml -WhatIf
        }
        finally { Pop-Location }
        $plan | Should -BeNullOrEmpty -Because '-WhatIf plans; it writes no result rows'
        Get-Tree (Get-TestContentRoot $store) | Should -Be $after
        Test-LogMirror -Source casparwater | Select-Object -ExpandProperty Status | Should -Be 'Ok', 'Ok'
    }
}

Describe 'Get-ApiCost -Today | Format-Table' {
    BeforeAll {
        New-TestStore | Out-Null
        $records = Add-TestRecords
    }

    It 'shows the day''s calls, tokens and cost' {
        $text = Get-ApiCost -Today | Format-Table | Out-String -Width 120
        $text | Should -Match ('\(all\)\s+4\.50*\s+{0}\s+{1:N0}\s+{2:N0}\s' -f $records.Calls, $records.InputTokens, $records.OutputTokens)
    }

    It 'by model, one line per model with its own totals' {
        $text = Get-ApiCost -Today -GroupBy Model | Format-Table | Out-String -Width 120
        $text | Should -Match ('model-x\s+3\.750*\s+2\s+{0:N0}\s+600\s' -f 4000)
        $text | Should -Match 'model-y\s+0\.750*\s+1\s+500\s+100\s'
    }

    It 'Test-ApiBudget says within and exceeded against the same total' {
        (Test-ApiBudget -Limit 5 -Period Day).Exceeded | Should -BeFalse
        Test-ApiBudget -Limit 4 -Period Day -Quiet | Should -BeFalse
        (Test-ApiBudget -Limit 4 -Period Day).Spent | Should -Be $records.CostUsd
    }
}

Describe 'Housekeeping a nightly job does' {
    It 'Import-LogHistory stores the calls of a worker log once, however often it runs' {
        New-TestStore | Out-Null
        $folder = New-TestFolder 'history'
        $line = '{"type":"api_call","timestamp":"2026-11-01T10:00:00.000Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1200,"output_tokens":350,"cache_read_input_tokens":0,"cache_creation_input_tokens":0},"message_id":"msg_1","request_id":"req_1","worker_id":"w1"}'
        Set-Content -Path (Join-Path $folder 'worker.jsonl') -Value $line
        Import-LogHistory -Path $folder | Out-Null
        Import-LogHistory -Path $folder | Out-Null
        $cost = Get-ApiCost -Since '2026-11-01' -Until '2026-11-02'
        $cost.Calls | Should -Be 1
        $cost.InputTokens | Should -Be 1200
    }

    It 'Move-LogRecord -WhatIf moves nothing; Move-LogRecord moves old calls to the archive and keeps the totals' {
        New-TestStore | Out-Null
        Add-ApiCall -Model model-x -InputTokens 100 -OutputTokens 10 -CostUsd 2 -Timestamp (Get-Date).AddDays(-200)
        Add-ApiCall -Model model-x -InputTokens 100 -OutputTokens 10 -CostUsd 1
        Move-LogRecord -OlderThan 90 -WhatIf
        (Get-ApiCost -Last 365d).Calls | Should -Be 2
        Move-LogRecord -OlderThan 90 -Confirm:$false | Out-Null
        (Get-ApiCost -Last 365d).Calls | Should -Be 1
        (Get-ApiCost -Last 365d -IncludeArchive).CostUsd | Should -Be 3
    }

    It 'Stop-LogSession ends the current session with its exit reason' {
        New-TestStore | Out-Null
        $session = Start-LogSession
        Stop-LogSession | Out-Null
        (Get-LogSession -SessionId $session.SessionId).EndedAt | Should -Not -BeNullOrEmpty
    }
}

Describe 'The Pester suite' {
    It 'uses every cmdlet the module exports' {
        $text = (Get-ChildItem -Path $PSScriptRoot -Filter *.Tests.ps1 | Get-Content -Raw) -join "`n"
        $exported = (Import-PowerShellDataFile (Join-Path $Repo 'LogTools.psd1')).CmdletsToExport
        $exported | Where-Object { $text -notmatch "\b$_\b" } | Should -BeNullOrEmpty
    }
}
