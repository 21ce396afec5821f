# Numbers, prices and times of the cost cmdlets: what a user types or pipes in, what they see, what is stored.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # The FullyQualifiedErrorId of the one error a script block stops with (-ErrorAction Stop inside).
    function Get-ErrorId([scriptblock] $Script) {
        try { & $Script; 'no error' } catch { $_.FullyQualifiedErrorId }
    }

    $script:Yesterday = [datetime]::UtcNow.AddDays(-1)
}

Describe 'Token counts are numbers or errors, the same in Add-ApiCall and Import-LogHistory' {
    BeforeEach { $store = New-TestStore }

    It 'refuses text and thousands separators from a script object, naming the property and the value, and stores nothing for it' {
        $errors = @()
        $out = [pscustomobject]@{ model = 'claude-sonnet-4-5'; input_tokens = 'abc'; output_tokens = '1,234' } |
            Add-ApiCall -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidTokenCount,LogTools.Commands.AddApiCallCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $errors[0].TargetObject | Should -Be 'abc'
        $errors[0].Exception.Message | Should -Match "InputTokens 'abc' is not a token count"
        (Get-ApiCost).Calls | Should -Be 0
        Get-ErrorId { [pscustomobject]@{ model = 'gpt-4o'; input_tokens = '5'; output_tokens = '1,234' } | Add-ApiCall -ErrorAction Stop } |
            Should -Be 'InvalidTokenCount,LogTools.Commands.AddApiCallCommand'
    }

    It 'refuses fractions, negatives and values beyond 64 bits, and still stores the other pipeline objects' {
        $errors = @()
        $rows = @(
            [pscustomobject]@{ model = 'gpt-4o'; input_tokens = '1.5'; output_tokens = 1 }
            [pscustomobject]@{ model = 'gpt-4o'; input_tokens = 2.5; output_tokens = 1 }
            [pscustomobject]@{ model = 'gpt-4o'; input_tokens = -3; output_tokens = 1 }
            [pscustomobject]@{ model = 'gpt-4o'; input_tokens = '99999999999999999999'; output_tokens = 1 }
            [pscustomobject]@{ model = 'gpt-4o'; input_tokens = ' 7 '; output_tokens = 8.0 }
        )
        $out = $rows | Add-ApiCall -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Should -Be (@('InvalidTokenCount') * 4)
        @($errors | ForEach-Object TargetObject) | Should -Be @('1.5', 2.5, -3, '99999999999999999999')
        $out.InputTokens | Should -Be 7
        $out.OutputTokens | Should -Be 8
        (Get-ApiCost).Calls | Should -Be 1
    }

    It 'reads Import-Csv text by the same rule: good rows go in, bad rows are errors' {
        $csv = Join-Path (New-TestFolder) 'calls.csv'
        "model,input_tokens,output_tokens`ngpt-4o,100,20`ngpt-4o,abc,20`ngpt-4o,1 000,20`ngpt-4o,,5" | Set-Content $csv
        $errors = @()
        $out = Import-Csv $csv | Add-ApiCall -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors | ForEach-Object TargetObject) | Should -Be @('abc', '1 000')
        @($out | ForEach-Object InputTokens) | Should -Be @(100, 0)
    }

    It 'refuses a token sum that overflows instead of reporting it as a duplicate' {
        $verbose = Add-ApiCall -Model gpt-4o -InputTokens ([long]::MaxValue) -OutputTokens ([long]::MaxValue) -PassThru -Verbose -ErrorVariable errors -ErrorAction SilentlyContinue 4>&1
        @($verbose | Where-Object { "$_" -match 'duplicate|^Stored' }) | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidTokenCount,LogTools.Commands.AddApiCallCommand'
        $errors[0].Exception.Message | Should -Match '^TotalTokens'
        Get-ErrorId { Add-ApiCall -Model gpt-4o -InputTokens ([long]::MaxValue) -OutputTokens 1 -ErrorAction Stop } |
            Should -Be 'InvalidTokenCount,LogTools.Commands.AddApiCallCommand'
        (Get-ApiCost).Calls | Should -Be 0
    }

    It 'ignores as duplicates only calls with the same message and request id' {
        $call = @{ Model = 'gpt-4o'; InputTokens = 1; OutputTokens = 1; MessageId = 'm1'; RequestId = 'r1'; Timestamp = $Yesterday }
        $first = Add-ApiCall @call -Verbose 4>&1 | Where-Object { "$_" -match '^Stored' }
        $second = Add-ApiCall @call -Verbose 4>&1 | Where-Object { "$_" -match '^Stored' }
        "$first" | Should -Be 'Stored 1 API call(s); 0 duplicate(s) ignored.'
        "$second" | Should -Be 'Stored 0 API call(s); 1 duplicate(s) ignored.'
    }

    It 'counts the same bad values as malformed lines in Import-LogHistory, naming the rule' {
        $file = Join-Path (New-TestFolder) 'history.jsonl'
        function Line($id, $usage, $time = '2026-11-20T10:00:00.000Z') {
            '{"type":"assistant","timestamp":"' + $time + '","requestId":"req_' + $id + '","message":{"id":"msg_' + $id + '","model":"claude-sonnet-4-5-20250929","usage":' + $usage + '}}'
        }
        @(
            Line 1 '{"input_tokens":10,"output_tokens":20}'
            Line 2 '{"input_tokens":"abc","output_tokens":20}'
            Line 3 '{"input_tokens":1.5,"output_tokens":20}'
            Line 4 '{"input_tokens":9223372036854775807,"output_tokens":9223372036854775807}'
            Line 5 '{"input_tokens":10,"output_tokens":20}' '0001-01-01T00:00:00Z'
        ) | Set-Content $file
        $result = Import-LogHistory -Path $file -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Imported | Should -Be 1
        $result.Malformed | Should -Be 4
        "$warnings" | Should -Match 'usage\.input_tokens of "abc", which is not a token count \(InvalidTokenCount'
        (Get-ApiCost).Calls | Should -Be 1
    }
}

Describe 'Timestamps are plausible' {
    BeforeEach { $store = New-TestStore }

    It 'refuses a time before 2000 or too far ahead with one id in every cmdlet that takes one' {
        Get-ErrorId { Add-ApiCall -Model gpt-4o -InputTokens 1 -Timestamp ([datetime]::MinValue) -ErrorAction Stop } |
            Should -Be 'TimestampOutOfRange,LogTools.Commands.AddApiCallCommand'
        Get-ErrorId { Add-ApiCall -Model gpt-4o -InputTokens 1 -Timestamp '1999-12-31T23:59:59Z' -ErrorAction Stop } |
            Should -Be 'TimestampOutOfRange,LogTools.Commands.AddApiCallCommand'
        Get-ErrorId { Add-ApiCall -Model gpt-4o -InputTokens 1 -Timestamp ([datetime]::UtcNow.AddHours(1)) -ErrorAction Stop } |
            Should -Be 'TimestampOutOfRange,LogTools.Commands.AddApiCallCommand'
        Start-LogSession s1 | Out-Null
        Get-ErrorId { Write-LogEvent note 'x' -Timestamp ([datetime]'1970-01-01') -ErrorAction Stop } |
            Should -Be 'TimestampOutOfRange,LogTools.Commands.WriteLogEventCommand'
        Get-ErrorId { Set-LogTask t1 Active -Timestamp ([datetime]'1970-01-01') -ErrorAction Stop } |
            Should -Be 'TimestampOutOfRange,LogTools.Commands.SetLogTaskCommand'
        Get-ErrorId { Set-LogWorker w1 Spawned -Timestamp ([datetime]'1970-01-01') -ErrorAction Stop } |
            Should -Be 'TimestampOutOfRange,LogTools.Commands.SetLogWorkerCommand'
        Add-ApiCall -Model gpt-4o -InputTokens 1 -Timestamp $Yesterday
        @(Get-ApiCost -GroupBy Month).Key | Should -Not -Contain '0001-01'
        (Get-ApiCost).Calls | Should -Be 1
    }
}

Describe 'Time windows' {
    BeforeAll {
        $store = New-TestStore
        Add-ApiCall -Model gpt-4o -InputTokens 1 -Timestamp $Yesterday
    }

    It 'refuses a reversed window with InvalidTimeWindow wherever a window is taken' {
        Get-ErrorId { Get-ApiCost -Since 2026-12-01 -Until 2026-11-01 -ErrorAction Stop } | Should -Be 'InvalidTimeWindow,LogTools.Commands.GetApiCostCommand'
        Get-ErrorId { Get-LogEvent -Since 2026-12-01 -Until 2026-11-01 -ErrorAction Stop } | Should -Be 'InvalidTimeWindow,LogTools.Commands.GetLogEventCommand'
        Get-ErrorId { Get-LogSession -After 2026-12-01 -Before 2026-11-01 -ErrorAction Stop } | Should -Be 'InvalidTimeWindow,LogTools.Commands.GetLogSessionCommand'
    }

    It 'reads -Last by one grammar with one error id' {
        (Get-ApiCost -Last 2d).Calls | Should -Be 1
        (Get-ApiCost -Last 90s).Calls | Should -Be 0
        Get-ErrorId { Get-ApiCost -Last soon -ErrorAction Stop } | Should -Be 'InvalidTimeWindow,LogTools.Commands.GetApiCostCommand'
        Get-ErrorId { Get-LogEvent -Last soon -ErrorAction Stop } | Should -Be 'InvalidTimeWindow,LogTools.Commands.GetLogEventCommand'
    }
}

Describe '1-hour prompt-cache writes' {
    BeforeEach { $store = New-TestStore }

    It 'are priced at twice the input price, beside 5-minute writes at 1.25 times' {
        $call = Add-ApiCall -Model claude-sonnet-4-5 -InputTokens 10 -OutputTokens 20 -CacheWriteTokens 1000 -CacheWrite1hTokens 2000 -Timestamp $Yesterday -PassThru
        $call.EstimatedCostUsd | Should -Be 0.01608
        $call.TotalTokens | Should -Be 3030
        $row = Get-ApiCost
        ($row.CacheWriteTokens, $row.CacheWrite1hTokens, $row.CostUsd) | Should -Be @(1000, 2000, 0.01608)
        $rendered = Get-ApiCost | Get-Rendered -Width 120
        $rendered | Should -Match 'Wr1h'
        $rendered | Should -Match '0\.0161'
    }

    It 'are read from the cache_creation split of Claude Code logs' {
        $file = Join-Path (New-TestFolder) 'history.jsonl'
        '{"type":"assistant","timestamp":"2026-11-20T10:00:00.000Z","requestId":"req_1","message":{"id":"msg_1","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":10,"output_tokens":20,"cache_creation_input_tokens":3000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000}}}}' |
            Set-Content $file
        Import-LogHistory -Path $file | Out-Null
        $row = Get-ApiCost
        ($row.CacheWriteTokens, $row.CacheWrite1hTokens, $row.CostUsd) | Should -Be @(1000, 2000, 0.01608)
    }

    It 'have their own price in Get-ApiPrice for every Claude model' {
        $claude = Get-ApiPrice | Where-Object Model -like 'claude-*'
        $claude | Should -Not -BeNullOrEmpty
        foreach ($price in $claude) { $price.CacheWrite1hPerMTok | Should -Be (2 * $price.InputPerMTok) -Because $price.Model }
        (Get-ApiPrice gpt-4o).CacheWrite1hPerMTok | Should -Be 0
        Get-ApiPrice claude-sonnet-4-5 | Get-Rendered -Width 120 | Should -Match 'CacheWrite1h'
    }
}

Describe 'One vocabulary in and out' {
    BeforeEach { $store = New-TestStore }

    It 'names the tokens alike in Add-ApiCall output and Get-ApiCost, keeps the old names, and round-trips by property name' {
        $call = Add-ApiCall -Model gpt-4o -InputTokens 5 -OutputTokens 6 -CacheReadTokens 7 -CacheWriteTokens 8 -Timestamp $Yesterday -PassThru
        ($call.InputTokens, $call.OutputTokens, $call.CacheReadTokens, $call.CacheWriteTokens, $call.TotalTokens) | Should -Be @(5, 6, 7, 8, 26)
        ($call.TokensInput, $call.TokensOutput, $call.TokensCacheRead, $call.TokensCacheWrite, $call.TokensTotal) | Should -Be @(5, 6, 7, 8, 26)
        $row = Get-ApiCost
        ($row.InputTokens, $row.OutputTokens, $row.CacheReadTokens, $row.CacheWriteTokens, $row.TotalTokens) | Should -Be @(5, 6, 7, 8, 26)
        $copy = $call | Add-ApiCall -PassThru
        ($copy.InputTokens, $copy.CacheWriteTokens, $copy.Model) | Should -Be @(5, 8, 'gpt-4o')
        $json = $call | ConvertTo-Json | ConvertFrom-Json | Add-ApiCall -PassThru
        $json.TotalTokens | Should -Be 26
    }

    It 'labels calls without a worker, task or session (none) and shows an unpriced model by name' {
        Add-ApiCall -Model no-such-model-x -InputTokens 5 -Timestamp $Yesterday -WarningAction SilentlyContinue
        foreach ($group in 'Worker', 'Task', 'Session') {
            (Get-ApiCost -GroupBy $group -WarningAction SilentlyContinue).Key | Should -Be '(none)' -Because $group
        }
        $row = Get-ApiCost -GroupBy Model -WarningAction SilentlyContinue
        ($row.Key, $row.UnpricedCalls, $row.CostUsd) | Should -Be @('no-such-model-x', 1, $null)
        Get-ApiCost -GroupBy Model -WarningAction SilentlyContinue | Get-Rendered -Width 80 | Should -Match 'no-such-model-x'
    }
}
