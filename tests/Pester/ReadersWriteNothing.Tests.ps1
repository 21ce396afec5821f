BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

# Commands that only read, or run under -WhatIf, leave every byte of the store as it was.

Describe 'Get-ApiCost -IncludeArchive and an archive written by an older LogTools' {
    BeforeAll {
        $store = Join-Path (New-TestFolder 'archive-old') 'store'
        $run = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Add-ApiCall -Store '$store' -Model claude-sonnet-4 -InputTokens 100 -OutputTokens 10 -Confirm:`$false"
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        # The 0.1.0 release's store file has the schema its archives had, and three calls.
        $archive = Join-Path $store 'archive/logs-2026-10.db'
        New-Item -ItemType Directory (Split-Path $archive) | Out-Null
        Copy-Item (Join-Path $PSScriptRoot '../testdata/store/release-0.1.0/logtools.db') $archive
        $before = Get-B3sum $archive
    }

    It 'refuses the outdated archive with ArchiveSchemaOutdated, naming it and the way out, and changes no byte' {
        $rows = $null
        $failure = { $script:rows = Get-ApiCost -Store $store -Since '2000-01-01' -IncludeArchive -ErrorAction Stop } |
            Should -Throw -ErrorId 'ArchiveSchemaOutdated,LogTools.Commands.GetApiCostCommand' -PassThru
        $failure.TargetObject | Should -Be $archive
        $failure.Exception.Message | Should -Match ([regex]::Escape($archive))
        $failure.Exception.Message | Should -Match 'Store 1 of 2'
        $failure.Exception.Message | Should -Match 'Move-LogRecord'
        $rows | Should -BeNullOrEmpty
        Get-B3sum $archive | Should -Be $before
        (Get-ChildItem (Split-Path $archive)).Name | Should -Be 'logs-2026-10.db'
    }

    It 'reads it after Move-LogRecord, a writer, upgraded it' {
        Move-LogRecord -Store $store -OlderThan 36500 -Confirm:$false | Should -BeNullOrEmpty
        Get-B3sum $archive | Should -Not -Be $before
        (Get-ApiCost -Store $store -Since '2000-01-01' -IncludeArchive).Calls | Should -Be 4
        (Get-ApiCost -Store $store -Since '2000-01-01').Calls | Should -Be 1
    }
}

Describe 'Test-LogStore -WhatIf' {
    BeforeAll {
        function New-ClosedStore([string] $Path) {
            $run = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Add-ApiCall -Store '$Path' -Model claude-sonnet-4 -InputTokens 100 -OutputTokens 10 -Confirm:`$false"
            $run.ExitCode | Should -Be 0 -Because $run.Stderr
        }
    }

    It 'reports a damaged database without writing the corruption marker; without -WhatIf the marker is written' {
        $store = Join-Path (New-TestFolder 'check-whatif') 'store'
        New-ClosedStore $store
        $db = Join-Path $store 'logtools.db'
        $stream = [IO.File]::Open($db, 'Open', 'ReadWrite')
        try { $stream.Position = 4096; $stream.Write([byte[]]::new(100), 0, 100) } finally { $stream.Dispose() }
        $before = Get-B3sum $db

        $problems = @(Test-LogStore -Store $store -WhatIf)
        $problems.Count | Should -BeGreaterThan 0
        $problems[0].Kind | Should -Be 'DatabaseDamaged'
        "$db.corrupt" | Should -Not -Exist
        Get-B3sum $db | Should -Be $before

        Test-LogStore -Store $store -Quiet | Should -BeFalse
        "$db.corrupt" | Should -Exist
    }

    It 'leaves the marker of a sound store in place; without -WhatIf the passing check removes it' {
        $store = Join-Path (New-TestFolder 'check-whatif') 'store'
        New-ClosedStore $store
        $marker = Join-Path $store 'logtools.db.corrupt'
        Set-Content $marker 'damaged earlier'

        Test-LogStore -Store $store -Quiet -WhatIf | Should -BeTrue
        Get-Content $marker | Should -Be 'damaged earlier'

        Test-LogStore -Store $store -Quiet | Should -BeTrue
        $marker | Should -Not -Exist
    }
}
