# Add-ApiCall's pipeline as users run it: nothing created without a call to store, -WhatIf per object adding nothing,
# which of several names of one parameter wins, text times in every form read as .NET reads them, and a pipeline
# stopped as Ctrl+C stops it keeping exactly the calls it accepted.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Add-ApiCall through the pipeline' {
    It 'creates no store when no object comes down the pipeline' {
        $store = Join-Path (New-TestFolder) 'store'
        @() | Add-ApiCall -Store $store
        Import-Csv (New-Item (Join-Path (New-TestFolder) 'empty.csv') -Value "model,input_tokens`n") | Add-ApiCall -Store $store -PassThru |
            Should -BeNullOrEmpty
        Test-Path $store | Should -BeFalse
    }

    It 'says under -WhatIf what it would add for each object, and adds nothing' {
        $store = New-TestStore
        Add-ApiCall -Store $store -Model kept -InputTokens 1 -OutputTokens 1
        $result = Invoke-Pwsh -Script @"
Import-Module `$LogToolsModule
@([pscustomobject]@{ model = 'gpt-4o'; timestamp = '2025-06-01T10:00:00Z' }, [pscustomobject]@{ model = 'gpt-4.1'; timestamp = '2025-06-02T11:00:00Z' }) |
    Add-ApiCall -Store '$store' -WhatIf
"@
        $result.Stderr | Should -BeNullOrEmpty
        $result.ExitCode | Should -Be 0
        $text = $result.Stdout -replace '\s+', ' '
        ([regex]::Matches($text, 'What if:')).Count | Should -Be 2
        $text | Should -Match 'What if: Performing the operation "Add API call" on target "gpt-4o at 2025-06-01T10:00:00.0000000\+00:00"'
        $text | Should -Match 'target "gpt-4.1 at 2025-06-02T11:00:00.0000000\+00:00"'
        (Get-ApiCost -Store $store -Since '2000-01-01').Calls | Should -Be 1
    }

    It 'takes the best-ranked of several names of a parameter whatever their order on the object' {
        $store = New-TestStore
        # InputTokens' names in order: InputTokens, input_tokens, tokens_input, TokensInput, prompt_tokens.
        $out = @(
            [pscustomobject]@{ prompt_tokens = 1; tokens_input = 2; model = 'gpt-4o' }
            [pscustomobject]@{ prompt_tokens = 3; model_id = 'gpt-4.1'; MODEL = 'gpt-4o' }
            [pscustomobject]@{ model = 'gpt-4o' }
        ) | Add-ApiCall -PassThru -Store $store
        @($out.InputTokens) | Should -Be @(2, 3, 0)
        @($out.Model) | Should -Be @('gpt-4o', 'gpt-4o', 'gpt-4o')
    }

    It 'reads text times in round-trip, short ISO and offset forms to the instant .NET reads them as' {
        $texts = '2025-06-01T10:00:00.1234567Z', '2025-06-01T10:00:00.1234567+02:00', '2025-06-01T10:00:00.1234567',
            '2025-06-01T10:00:00Z', '2025-06-01 10:00:00.5', ' 2025-06-01T10:00:00.1234567Z '
        $out = $texts | ForEach-Object { [pscustomobject]@{ model = 'gpt-4o'; timestamp = $_ } } | Add-ApiCall -PassThru -Store (New-TestStore)
        $expected = $texts | ForEach-Object {
            [datetimeoffset]::Parse($_.Trim(), [cultureinfo]::InvariantCulture, [Globalization.DateTimeStyles]::AssumeLocal).ToUniversalTime().ToString('o')
        }
        # Stored with milliseconds: compare to the millisecond.
        @($out | ForEach-Object { $_.Timestamp.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fff') }) |
            Should -Be @($expected | ForEach-Object { $_.Substring(0, 23) })
        $bad = [pscustomobject]@{ model = 'gpt-4o'; timestamp = '2025-13-01T10:00:00.0000000Z' } |
            Add-ApiCall -Store (New-TestStore) -ErrorVariable errors -ErrorAction SilentlyContinue
        $bad | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'ApiCallTimestampInvalid,LogTools.Commands.AddApiCallCommand'
        "$($errors[0])" | Should -Match '^Pipeline object 1: Timestamp'
    }

    It 'keeps exactly the calls it accepted when stopped as Ctrl+C stops it' {
        $store = Join-Path (New-TestFolder) 'store'
        $stop = Stop-Midway -Command "1..2000000 | ForEach-Object { [pscustomobject]@{ model = 'gpt-4o'; input_tokens = `$_ } } | Add-ApiCall -Store '$store'" -Midway {
            Test-Path (Join-Path $store 'logtools.db')
        }
        $stop.State | Should -Be 'Stopped'
        $totals = Get-CallTotals $store
        $totals -match '^rows=(\d+) input=(\d+)' | Should -BeTrue
        $rows = [long]$Matches[1]
        $rows | Should -BeGreaterThan 0
        $rows | Should -BeLessThan 2000000
        # Every object accepted before the stop, and only those: input_tokens 1..rows, each once.
        [long]$Matches[2] | Should -Be ($rows * ($rows + 1) / 2)
        (& sqlite3 (Join-Path $store 'logtools.db') 'SELECT count(DISTINCT tokens_input), max(tokens_input) FROM api_calls') | Should -Be "$rows|$rows"
    }
}
