# Add-ApiCall matches a run of objects with the same members once, and asks ShouldProcess per object only where it can
# do something: objects of different layouts mixed in one pipeline, .NET and hashtable objects, a bad object in the
# middle of a run, and -WhatIf and -Confirm set as preferences instead of parameters, and -Verbose.
BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Add-ApiCall pipeline objects of several layouts' {
    BeforeEach { $store = New-TestStore }

    It 'reads each object by its own members when layouts change from one object to the next' {
        $csv = Join-Path (New-TestFolder) 'calls.csv'
        "model,input_tokens,output_tokens,cost_usd`ngpt-4o,1,10,0.5`ngpt-4o,2,20,`ngpt-4o,3,30,0.25" | Set-Content $csv
        $out = @(
            Import-Csv $csv
            # the same names in another order, then another case, then a better-ranked name beside an alias, then one fewer
            [pscustomobject]@{ output_tokens = 40; input_tokens = 4; model = 'gpt-4.1'; cost_usd = '1' }
            [pscustomobject]@{ MODEL = 'gpt-4.1'; INPUT_TOKENS = 5; OUTPUT_TOKENS = 50; COST_USD = '2' }
            [pscustomobject]@{ model = 'gpt-4.1'; input_tokens = 99; InputTokens = 6; output_tokens = 60; cost_usd = '3' }
            [pscustomobject]@{ model = 'gpt-4.1'; input_tokens = 7 }
            Import-Csv $csv | Select-Object -First 1
        ) | Add-ApiCall -PassThru
        @($out.InputTokens) | Should -Be @(1, 2, 3, 4, 5, 6, 7, 1)
        @($out.OutputTokens) | Should -Be @(10, 20, 30, 40, 50, 60, 0, 10)
        @($out.CostUsd) | Should -Be @(0.5, $null, 0.25, 1, 2, 3, $null, 0.5)
        @($out.Model) | Should -Be @('gpt-4o', 'gpt-4o', 'gpt-4o', 'gpt-4.1', 'gpt-4.1', 'gpt-4.1', 'gpt-4.1', 'gpt-4o')
        (Get-ApiCost).Calls | Should -Be 8
    }

    It 'reads .NET objects by their properties and an object given a property of its own after the others' {
        class TestCall { [string] $model = 'gpt-4o'; [long] $input_tokens = 11; [int] $OutputTokens = 12 }
        $extended = [pscustomobject]@{ model = 'gpt-4o'; input_tokens = 1 } | Add-Member -NotePropertyName output_tokens -NotePropertyValue 13 -PassThru
        $out = @([TestCall]::new(), $extended, [pscustomobject]@{ model = 'gpt-4o'; input_tokens = 1 }) | Add-ApiCall -PassThru
        @($out.InputTokens) | Should -Be @(11, 1, 1)
        @($out.OutputTokens) | Should -Be @(12, 13, 0)
    }

    It 'refuses a hashtable (its keys are not properties, as for PowerShell''s own binding) and goes on' {
        $out = @(@{ model = 'gpt-4o'; input_tokens = 1 }, [pscustomobject]@{ model = 'gpt-4o'; input_tokens = 2 }) |
            Add-ApiCall -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors.FullyQualifiedErrorId) | Should -Be @('ApiCallModelMissing,LogTools.Commands.AddApiCallCommand')
        "$($errors[0])" | Should -Match '^Pipeline object 1: '
        @($out.InputTokens) | Should -Be @(2)
    }

    It 'reports a bad object in the middle of a run of one layout by its position, and reads the next one afresh' {
        $start = [datetime]::UtcNow.AddDays(-1)
        $objects = 1..3000 | ForEach-Object {
            [pscustomobject]@{ model = 'gpt-4o'; input_tokens = "$_"; cost_usd = $(if ($_ -eq 1500) { 'abc' } else { '' }); timestamp = $start.AddSeconds($_).ToString('o') }
        }
        $out = $objects | Add-ApiCall -PassThru -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors.FullyQualifiedErrorId) | Should -Be @('ApiCallCostInvalid,LogTools.Commands.AddApiCallCommand')
        "$($errors[0])" | Should -Match "^Pipeline object 1500: CostUsd 'abc' cannot be read"
        $out.Count | Should -Be 2999
        @($out.InputTokens) | Should -Be @(1..1499 + 1501..3000)
        @($out | Where-Object CostUsd -ne $null) | Should -BeNullOrEmpty
        (Get-ApiCost).Calls | Should -Be 2999
    }
}

Describe 'Add-ApiCall ShouldProcess under preferences' {
    It 'takes $WhatIfPreference as -WhatIf: says what each object would add and stores nothing' {
        $store = New-TestStore
        Add-ApiCall -Store $store -Model kept -InputTokens 1
        $result = Invoke-Pwsh -Script @"
Import-Module `$LogToolsModule
`$WhatIfPreference = `$true
@([pscustomobject]@{ model = 'gpt-4o'; timestamp = '2025-06-01T10:00:00Z' }, [pscustomobject]@{ model = 'gpt-4.1'; timestamp = '2025-06-02T11:00:00Z' }) |
    Add-ApiCall -Store '$store'
"@
        $result.Stderr | Should -BeNullOrEmpty
        ([regex]::Matches($result.Stdout, 'What if: Performing the operation "Add API call"')).Count | Should -Be 2
        (Get-ApiCost -Store $store -Since '2000-01-01').Calls | Should -Be 1
    }

    It 'writes the operation on each call under -Verbose, and stores them' {
        $store = New-TestStore
        $objects = @([pscustomobject]@{ model = 'gpt-4o'; timestamp = '2025-06-01T10:00:00Z' }, [pscustomobject]@{ model = 'gpt-4.1'; timestamp = '2025-06-02T11:00:00Z' })
        $verbose = $objects | Add-ApiCall -Verbose 4>&1
        @($verbose | Where-Object { "$_" -like 'Performing the operation "Add API call" on target*' }).Count | Should -Be 2
        @($verbose | Where-Object { "$_" -like 'Performing the operation "Add API call" on target "gpt-4.1 at 2025-06-02T11:00:00.0000000+00:00"*' }).Count | Should -Be 1
        (Get-ApiCost -Since '2000-01-01').Calls | Should -Be 2
    }

    It 'asks for each call under $ConfirmPreference Low or -Debug, and -Confirm:$false stores them without asking' {
        $store = New-TestStore
        $result = Invoke-Pwsh -Script @"
Import-Module `$LogToolsModule
`$objects = @([pscustomobject]@{ model = 'gpt-4o' }, [pscustomobject]@{ model = 'gpt-4.1' })
`$ConfirmPreference = 'Low'
`$objects | Add-ApiCall -Store '$store' -Confirm:`$false
# A non-interactive pwsh cannot ask: asking stops the command before the first call is stored. -Debug asks too.
try { `$objects | Add-ApiCall -Store '$store' -ErrorAction Stop; 'not asked' } catch { 'asked' }
`$ConfirmPreference = 'High'
try { `$objects | Add-ApiCall -Store '$store' -Debug -ErrorAction Stop; 'not asked' } catch { 'asked' }
"@
        @($result.Stdout -split '\r?\n' | Where-Object { $_ -match 'asked$' }) | Should -Be @('asked', 'asked')
        (Get-ApiCost -Store $store).Calls | Should -Be 2
    }
}
