# Add-ApiCall takes pipeline objects whole (-InputObject) and reads their properties itself: what binds, what wins,
# what a bad object reports, and that batches stored beside the pipeline keep every call and its order.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Add-ApiCall -InputObject' {
    BeforeEach { $store = New-TestStore }

    It 'fills the parameters by name and alias: the parameter''s own name wins, the command line wins over both, and nothing carries over to the next object' {
        $when = [datetime]::new(2025, 6, 1, 12, 30, 15, [DateTimeKind]::Utc)
        $out = @(
            [pscustomobject]@{ model = 'gpt-4o'; input_tokens = 5; InputTokens = 7; cost_usd = '0.25'; machine = 'from-object'; timestamp = $when; request_id = 'r1'; message_id = 'm1' }
            [pscustomobject]@{ model_id = 'gpt-4.1'; prompt_tokens = '9' }
        ) | Add-ApiCall -Machine 'from-command-line' -PassThru
        $out.Count | Should -Be 2
        ($out[0].Model, $out[0].InputTokens, $out[0].CostUsd, $out[0].Machine, $out[0].RequestId, $out[0].MessageId) |
            Should -Be @('gpt-4o', 7, 0.25, 'from-command-line', 'r1', 'm1')
        $out[0].Timestamp.UtcDateTime | Should -Be $when
        ($out[1].Model, $out[1].InputTokens, $out[1].CostUsd, $out[1].RequestId, $out[1].Machine) | Should -Be @('gpt-4.1', 9, $null, $null, 'from-command-line')
        $out[1].EstimatedCostUsd | Should -BeGreaterThan 0
        (Get-ApiCost).Calls | Should -Be 2
    }

    It 'reads objects whose properties come from type data, and Add-ApiCall -PassThru output, like script objects' {
        Update-TypeData -TypeName 'LogTools.Test.Call' -MemberType ScriptProperty -MemberName output_tokens -Value { 40 + 2 } -Force
        $typed = [pscustomobject]@{ PSTypeName = 'LogTools.Test.Call'; model = 'gpt-4o'; input_tokens = 3 } | Add-ApiCall -PassThru
        ($typed.InputTokens, $typed.OutputTokens) | Should -Be @(3, 42)
        $copy = $typed | Add-ApiCall -Store (New-TestStore) -PassThru
        ($copy.Model, $copy.InputTokens, $copy.OutputTokens, $copy.Timestamp) | Should -Be @('gpt-4o', 3, 42, $typed.Timestamp)
    }

    It 'reads the counts of a worker log line from its usage object, and warns once about objects with no token count under any name' {
        $line = '{"type":"api_call","timestamp":"2026-12-01T10:00:00Z","model":"claude-sonnet-4-5","usage":{"input_tokens":1200,"output_tokens":350,"cache_read_input_tokens":40},"request_id":"req_1","duration_ms":5400}'
        $worker = $line | ConvertFrom-Json | Add-ApiCall -PassThru -WarningVariable none
        ($worker.InputTokens, $worker.OutputTokens, $worker.CacheReadTokens, $worker.DurationMs, $worker.RequestId) | Should -Be @(1200, 350, 40, 5400, 'req_1')
        $none | Should -BeNullOrEmpty

        $out = @(
            [pscustomobject]@{ model = 'gpt-4o'; input_token = 5; outputs = 3 }
            [pscustomobject]@{ model = 'gpt-4o'; input_tokens = 1 }
            [pscustomobject]@{ model = 'gpt-4o'; usage = 'not an object' }
        ) | Add-ApiCall -PassThru -WarningVariable warned
        @($out.InputTokens) | Should -Be @(0, 1, 0)
        $warned.Count | Should -Be 1
        "$warned" | Should -Match '^2 pipeline object\(s\) had no token counts: .* stored with 0 tokens'

        # Counts given on the command line are counts: no warning; and -WhatIf stores nothing, so says nothing of it.
        [pscustomobject]@{ model = 'gpt-4o'; input_token = 5 } | Add-ApiCall -InputTokens 0 -WarningVariable given
        [pscustomobject]@{ model = 'gpt-4o'; input_token = 5 } | Add-ApiCall -WhatIf -WarningVariable whatIf
        ($given.Count, $whatIf.Count) | Should -Be @(0, 0)
        (Get-ApiCost).Calls | Should -Be 5
    }

    It 'reports each bad object as its own error naming its position, and stores the others' {
        $csv = Join-Path (New-TestFolder) 'calls.csv'
        "model,input_tokens,output_tokens`ngpt-4o,100,20`ngpt-4o,abc,20`n,1,1`ngpt-4o,4,5" | Set-Content $csv
        $out = Import-Csv $csv | Add-ApiCall -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors | ForEach-Object { $_.FullyQualifiedErrorId }) |
            Should -Be @('InvalidTokenCount,LogTools.Commands.AddApiCallCommand', 'ApiCallModelMissing,LogTools.Commands.AddApiCallCommand')
        $errors[0].TargetObject | Should -Be 'abc'
        "$($errors[0])" | Should -Match "^Pipeline object 2: InputTokens 'abc' is not a token count"
        "$($errors[1])" | Should -Match '^Pipeline object 3: The API call has no model'
        @($out.InputTokens) | Should -Be @(100, 4)
        (Get-ApiCost).Calls | Should -Be 2
    }

    It 'stores every call of a pipeline longer than a batch, in order, and writes them once each' {
        $start = [datetime]::UtcNow.AddDays(-2)
        $out = 1..12001 | ForEach-Object { [pscustomobject]@{ model = 'gpt-4o'; input_tokens = $_; timestamp = $start.AddSeconds($_) } } | Add-ApiCall -PassThru
        $out.Count | Should -Be 12001
        @($out.CallId) | Should -Be @(1..12001)
        @($out.InputTokens) | Should -Be @(1..12001)
        $cost = Get-ApiCost
        $cost.Calls | Should -Be 12001
        $cost.InputTokens | Should -Be (12001 * 12002 / 2)
    }

    It 'stores the calls accepted before a pipeline is stopped downstream' {
        $sent = 0
        $first = 1..12000 | ForEach-Object { $sent++; [pscustomobject]@{ model = 'gpt-4o'; input_tokens = 1 } } | Add-ApiCall -PassThru | Select-Object -First 1
        $first.CallId | Should -Be 1
        # Select-Object stops the pipeline at the first batch's output, written while a later object is being taken: every
        # object sent until then, that one included, is stored.
        $sent | Should -BeLessThan 12000
        (Get-ApiCost).Calls | Should -Be $sent
    }
}
