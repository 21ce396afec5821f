BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # The column labels of a rendered table: the line above the first line of dashes.
    function Get-Column([string] $Text) {
        $lines = $Text -split "`r?`n"
        for ($i = 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i] -match '^-+( +-+)*\s*$') { return @($lines[$i - 1].Trim() -split '\s+') }
        }
        throw "No table in:`n$Text"
    }

    # The rendered line of the row that shows $Key.
    function Get-Row([string] $Text, [string] $Key) {
        $row = @($Text -split "`r?`n" | Where-Object { $_.Contains($Key) })
        if ($row.Count -eq 0) { throw "No row shows '$Key' in:`n$Text" }
        $row[0]
    }

    $store = New-TestStore
    $sessionId = '20260114T031500Z-7f3a9c'
    Start-LogSession -SessionId $sessionId -Config @{ model = 'opus' } | Out-Null
    Set-LogTask gh-12345 -Status Active -IssueNumber 12345 -Title 'Retry the flaky integration tests of the payment service'
    Set-LogTask gh-12345 -Status Completed -PrNumber 12399
    Set-LogWorker w-gh-12345-3f9a -Status Spawned -TaskId gh-12345 -ProcessId 4194303
    Add-ApiCall -Model 'claude-sonnet-4-5-20250929' -InputTokens 123456789 -OutputTokens 2345678 -CacheReadTokens 987654321 -CacheWriteTokens 12345 -WorkerId w-gh-12345-3f9a
    Set-LogWorker w-gh-12345-3f9a -Status Completed -ExitCode 137
    Write-LogEvent worktree_op 'Created the worktree /srv/wt/gh-12345 and started the worker' -ContextType task -ContextId gh-12345 -Severity Warning
}

AfterAll { Stop-LogSession -SessionId '20260114T031500Z-7f3a9c' -ErrorAction SilentlyContinue }

Describe 'Get-ApiCost -GroupBy Model at 80 and 120 columns' {
    BeforeAll {
        # An unpriced model next to a priced one, as a redirected `pwsh -File` log renders it.
        Add-ApiCall -Model 'claude-opus-9-20270101-preview' -InputTokens 1500000 -OutputTokens 250000 3>$null
        $rows = Get-ApiCost -Today -GroupBy Model 3>$null
    }

    It 'keeps CostUsd at 80 columns, right after the key' {
        Get-Column ($rows | Get-Rendered -Width 80) | Should -Be @('Key', 'CostUsd', 'Calls', 'Input', 'Output', 'CacheRd', 'CacheWr')
        Get-Column ($rows | Get-Rendered -Width 120) | Should -Be @('Key', 'CostUsd', 'Calls', 'Input', 'Output', 'CacheRd', 'CacheWr', 'Wr1h', 'Unpriced', 'KnownUsd')
    }

    It 'shows the unpriced model as the key and says "unpriced" instead of a blank cost (<Width> columns)' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = $rows | Get-Rendered -Width $Width
        Get-Row $text 'claude-opus-9-20270101-preview' | Should -Match '^claude-opus-9-20270101-preview\s+unpriced\s+1\s+1\.50M\s+250k\s+0\s+0'
        Get-Row $text 'claude-sonnet-4-5-20250929' | Should -Match '^claude-sonnet-4-5-20250929\s+\d[\d,.]*\.\d\d\s+1\s+123M\s+2\.35M\s+988M\s+12,345'
        $text | Should -Not -Match '…'
    }

    It 'names the ungrouped total and marks a partly unpriced cost as a lower bound' {
        $total = Get-ApiCost -Today 3>$null | Get-Rendered -Width 80
        Get-Row $total '(all)' | Should -Match '^\(all\)\s+>=\d[\d,.]*\s+2\s'
    }

    It 'keeps the numbers in the properties' {
        $row = $rows | Where-Object Key -eq 'claude-sonnet-4-5-20250929'
        $row.InputTokens | Should -Be 123456789
        $row.CostUsd | Should -BeOfType [decimal]
    }
}

Describe 'Default views at 80 and 120 columns' {
    It 'Get-LogSession: id, status, start, duration, exit and host at 80; pid, commit, user at 120' {
        $session = Get-LogSession $sessionId
        $narrow = $session | Get-Rendered -Width 80
        Get-Column $narrow | Should -Be @('SessionId', 'Status', 'Started', 'Duration', 'Exit', 'Host')
        Get-Row $narrow $sessionId | Should -Match "^$sessionId\s+Active\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\S+( \S+)?\s+$([regex]::Escape([Environment]::MachineName))"
        $wide = $session | Get-Rendered -Width 120
        Get-Column $wide | Should -Be @('SessionId', 'Status', 'Started', 'Duration', 'Exit', 'Host', 'Pid', 'Commit', 'User')
        Get-Row $wide $sessionId | Should -Match "\s$PID\s"
    }

    It 'Get-LogTask: id, status, start, duration and issue at 80 before the title, which takes the rest' {
        $task = Get-LogTask gh-12345
        $narrow = $task | Get-Rendered -Width 80
        Get-Column $narrow | Should -Be @('TaskId', 'Status', 'Started', 'Duration', 'Issue', 'Title')
        Get-Row $narrow 'gh-12345' | Should -Match '^gh-12345\s+Completed\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\S+( \S+)?\s+12345 Retry the flaky'
        Get-Row ($task | Get-Rendered -Width 120) 'gh-12345' | Should -Match 'Retry the flaky integration tests of the payment service\s*$'
    }

    It 'Get-LogWorker: tokens and calls readable, exit code and pid at 80; spawn time at 120' {
        $worker = Get-LogWorker w-gh-12345-3f9a
        $narrow = $worker | Get-Rendered -Width 80
        Get-Column $narrow | Should -Be @('WorkerId', 'Status', 'TaskId', 'Duration', 'Calls', 'Tokens', 'Pid', 'Exit')
        Get-Row $narrow 'w-gh-12345-3f9a' | Should -Match '^w-gh-12345-3f9a\s+Completed\s+gh-12345\s+\S+( \S+)?\s+1\s+1\.11G\s+4194303\s+137\s*$'
        Get-Column ($worker | Get-Rendered -Width 120) | Should -Be @('WorkerId', 'Status', 'TaskId', 'Duration', 'Calls', 'Tokens', 'Pid', 'Exit', 'Spawned')
        $worker.TokensTotal | Should -Be 1113469133
    }

    It 'Get-LogEvent: time to the second, severity, type and context before the message' {
        $text = Get-LogEvent | Get-Rendered -Width 120
        Get-Column $text | Should -Be @('Time', 'Severity', 'Type', 'Context', 'Message')
        Get-Row $text 'worktree_op' | Should -Match '^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+Warning\s+worktree_op\s+task:gh-12345\s+Created the worktree /srv/wt/gh-12345 and started the worker\s*$'
        Get-Row (Get-LogEvent | Get-Rendered -Width 80) 'worktree_op' | Should -Match 'task:gh-12345\s+Created the'
    }

    It 'Add-ApiCall -PassThru: model, tokens and cost at 80; cache writes, worker and machine at 120' {
        $call = Add-ApiCall -Model 'claude-sonnet-4-5-20250929' -InputTokens 45000 -OutputTokens 1200 -CacheReadTokens 250000 -CacheWriteTokens 30000 -WorkerId w-gh-12345-3f9a -PassThru
        $narrow = $call | Get-Rendered -Width 80
        Get-Column $narrow | Should -Be @('Time', 'Model', 'Input', 'Output', 'CacheRd', 'CostUsd')
        Get-Row $narrow 'claude-sonnet' | Should -Match 'claude-sonnet-4-5-20250929\s+45,000\s+1,200\s+250k\s+~\d\.\d{4}$'
        $wide = $call | Get-Rendered -Width 120
        Get-Column $wide | Should -Be @('Time', 'Model', 'Input', 'Output', 'CacheRd', 'CostUsd', 'CacheWr', 'Wr1h', 'WorkerId', 'Machine')
        Get-Row $wide 'claude-sonnet' | Should -Match '30,000\s+0\s+w-gh-12345-3f9a'
    }

    It 'Get-ApiPrice: model, dates and the four prices at 80; the source at 120' {
        $prices = Get-ApiPrice
        Get-Column ($prices | Get-Rendered -Width 80) | Should -Be @('Model', 'ValidFrom', 'Input', 'Output', 'CacheRead', 'CacheWrite')
        Get-Column ($prices | Get-Rendered -Width 120) | Should -Be @('Model', 'ValidFrom', 'Input', 'Output', 'CacheRead', 'CacheWrite', 'CacheWrite1h', 'Source')
    }

    It 'Test-ApiBudget: spent, limit and remaining fit 80, an unpriced share is marked' {
        $text = Test-ApiBudget -Limit 1000 3>$null | Get-Rendered -Width 80
        Get-Column $text | Should -Be @('Period', 'Spent', 'Limit', 'Remaining', 'Exceeded', 'Calls', 'Unpriced')
        $text | Should -Match '>=\d[\d,.]*\s+1,000\.00\s+\d[\d,.]*\s+False\s+3\s+1'
    }

    It 'Get-FileBlake3: the whole digest and the whole path, wrapped rather than cut (<Width> columns)' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $folder = Join-Path (New-TestFolder 'views') 'mirror/pond/buildhost-eu-west-1/var/log/nginx/archive'
        New-Item -ItemType Directory -Path $folder | Out-Null
        $file = Join-Path $folder 'access.log-2026-01-14T03-15-00Z.gz'
        Set-Content -Path $file -Value 'GET / 200'
        $text = Get-FileBlake3 $file | Get-Rendered -Width $Width
        Get-Column $text | Should -Be @('Hash', 'Path')
        $text | Should -Match (Get-B3sum $file)
        ($text -replace '\s', '') | Should -Match ([regex]::Escape($file))
        $text | Should -Not -Match '…'
    }

    It 'Get-LogStore: one table a line, names whole, at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Get-LogStore | Get-Rendered -Width $Width
        foreach ($table in (Get-LogStore).Tables | Where-Object Rows -gt 0) {
            $text | Should -Match "(?m)^(Tables\s+:\s+|\s+)$($table.Name)\s+[\d,.kMG]+\s*$"
        }
    }

    It 'Get-LogStore | Format-List * shows tables and files as name=value, not record dumps' {
        Skip-OnPostgres 'the store file logtools.db among the files'
        $text = Get-LogStore | Format-List * | Out-String -Width 120
        $text | Should -Not -Match 'StoreTableInfo|StoreFileInfo'
        $text | Should -Match 'api_call_quarters=\d+'
        $text | Should -Match 'logtools\.db=\d+'
        "$((Get-LogStore).Tables | Where-Object Name -eq 'tasks')" | Should -Be 'tasks=1'
    }

    It 'Get-LogStore tables and files render as tables with readable sizes' {
        Skip-OnPostgres 'the store file logtools.db among the files'
        $info = Get-LogStore
        $tables = $info.Tables | Get-Rendered -Width 80
        Get-Column $tables | Should -Be @('Name', 'Area', 'Rows')
        $tables | Should -Match '(?m)^api_call_quarters\s+Cost\s+\d+$'
        # Each area's schema version on one line, in migration order.
        $info | Get-Rendered -Width 80 | Should -Match '(?m)^Schema\s+: Store=2, Telemetry=2, Mirror=1, Cost=5, History=1\b'
        $files = $info.Files | Get-Rendered -Width 80
        Get-Column $files | Should -Be @('Name', 'Size')
        $files | Should -Match '(?m)^logtools\.db\s+\d[\d.]* (B|KiB|MiB)$'
    }

    It 'Move-LogRecord -WhatIf: month, table and rows before the archive path' {
        Add-ApiCall -Model 'claude-sonnet-4-5-20250929' -InputTokens 10 -OutputTokens 10 -Timestamp ([datetime]::UtcNow.AddDays(-200))
        $text = Move-LogRecord -OlderThan 90 -WhatIf | Get-Rendered -Width 120
        Get-Column $text | Should -Be @('Month', 'Table', 'Rows', 'Path')
        $text | Should -Match '(?m)^\d{4}-\d\d\s+api_calls\s+1\s+\S+logs-\d{4}-\d\d\.db$'
    }

    It 'Import-LogHistory: status and counts at 80 before the path; malformed lines and bytes read at 120' {
        $folder = New-TestFolder 'history'
        $line = '{"message":{"id":"msg_01","model":"claude-sonnet-4","content":[],"usage":{"input_tokens":1200,"output_tokens":300,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}},"requestId":"req_01","type":"assistant","timestamp":"2025-06-01T10:00:00.000Z"}'
        Set-Content -Path (Join-Path $folder 'session-0b7e.jsonl') -Value $line
        $files = Import-LogHistory -Path (Join-Path $folder '*.jsonl')
        $narrow = $files | Get-Rendered -Width 80
        Get-Column $narrow | Should -Be @('Status', 'Imported', 'Duplicates', 'Path')
        $narrow | Should -Match '(?m)^Read\s+1\s+0\s+\S*/session-0b7e\.jsonl\s*$'
        $wide = $files | Get-Rendered -Width 120
        Get-Column $wide | Should -Be @('Status', 'Imported', 'Duplicates', 'Path', 'Malformed', 'Read')
        $wide | Should -Match '(?m)/session-0b7e\.jsonl\s+0\s+\d+ B\s*$'
    }
}

Describe 'File names and sources that tell rows apart at 80 and 120 columns' {
    BeforeAll {
        # A store of its own, given by -Store: the file's session store stays what the other tests use. Two sources whose
        # logs have the same names.
        $root = New-TestFolder 'views-mirror'
        $mirrorStore = New-TestStore
        Use-TestStore $store
        foreach ($source in 'web-frontend', 'billing') {
            $logs = New-Item -ItemType Directory -Path (Join-Path $root $source)
            Set-Content -Path (Join-Path $logs 'app-1.json') -Value '{"n":1}'
            Set-Content -Path (Join-Path $logs 'app.json') -Value '{"n":2}'
            Sync-LogSource -Store $mirrorStore -Name $source -ArchivedPattern (Join-Path $logs 'app-*.json') -ActivePattern (Join-Path $logs 'app.json') -PondPath "logs/$source" | Out-Null
        }
    }

    It 'Import-LogHistory: the whole file name of each Claude Code log, its path cut from the start (<Width> columns)' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        # Claude Code's layout: one folder per project, one <session uuid>.jsonl per session, under a long home folder.
        $project = Join-Path (New-TestFolder 'views-home') '.claude/projects/-home-alice-src-webapp'
        New-Item -ItemType Directory -Path $project | Out-Null
        $names = foreach ($i in 1..2) {
            $name = "$([guid]::NewGuid()).jsonl"
            Set-Content -Path (Join-Path $project $name) -Value ('{"message":{"id":"msg_' + $name + '","model":"claude-sonnet-4","content":[],"usage":{"input_tokens":10,"output_tokens":5}},"requestId":"req_' + $name + '","type":"assistant","timestamp":"2025-06-01T10:00:00.000Z"}')
            $name
        }
        $text = Import-LogHistory -Store $mirrorStore -Path (Join-Path $project '*.jsonl') | Get-Rendered -Width $Width
        foreach ($name in $names) { Get-Row $text $name | Should -Match "^Read\s+1\s+0\s+\.\.\.\S*/$([regex]::Escape($name))\b" }
        $text -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual $Width }
    }

    It 'Get-LogMirror: the source of files of the same name at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Get-LogMirror -Store $mirrorStore | Get-Rendered -Width $Width
        (Get-Column $text)[0..3] | Should -Be @('Source', 'Name', 'Status', 'Length')
        foreach ($source in 'web-frontend', 'billing') {
            @($text -split "`n" | Where-Object { $_ -match "^$source\s+app-1\.json\s+Ok\s" }).Count | Should -Be 1
            @($text -split "`n" | Where-Object { $_ -match "^$source\s+app\.json\s+Ok\s" }).Count | Should -Be 1
        }
        $text -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual $Width }
    }

    It 'Test-LogStore: a long path cut from its start the same way, its file name whole' {
        $pond = (Get-LogMirror -Store $mirrorStore -Source billing -Name 'app-1.json').PondPath
        Remove-Item -LiteralPath $pond
        $text = Test-LogStore -Store $mirrorStore | Get-Rendered -Width 80
        Get-Row $text 'PondMissing' | Should -Match "^PondMissing\s+$([regex]::Escape('...' + $pond.Substring($pond.Length - 25)))\s"
        $pond | Should -Match '/billing/app-1\.json$'
    }
}
