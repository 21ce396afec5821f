BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

# README's first command runs docs/examples/demo.ps1 in a child pwsh (build.ps1 Demo); this runs the same script
# the same way, twice, to show it starts from a clean demo store each time and never touches the default store.
Describe 'docs/examples/demo.ps1' {
    BeforeAll {
        $demoStore = Join-Path $Repo 'out/demo/store'
        # A data home of their own: the default store would be <data home>/LogTools.
        $dataHome = New-TestFolder 'demo-home'
        $environment = @{ XDG_DATA_HOME = $dataHome; LOGTOOLS_STORE = '' }
        $script = Join-Path $Repo 'docs/examples/demo.ps1'
        $first = Invoke-Pwsh -Script "& '$script'" -Environment $environment -TimeoutSeconds 300
        $second = Invoke-Pwsh -Script "& '$script'" -Environment $environment -TimeoutSeconds 300
    }

    It 'exits 0 with nothing on stderr' {
        $first.ExitCode | Should -Be 0 -Because (Remove-Ansi $first.Stderr)
        $first.Stderr | Should -BeNullOrEmpty
        $second.ExitCode | Should -Be 0 -Because (Remove-Ansi $second.Stderr)
    }

    It 'says which demo store it writes, and writes there only' {
        $first.Stdout | Should -Match ([regex]::Escape("The demo store: $demoStore"))
        $first.Stdout | Should -Match ([regex]::Escape("Demo store: $demoStore"))
        Test-Path (Join-Path $demoStore 'logtools.db') | Should -BeTrue
        Get-ChildItem -Path $dataHome -Force | Should -BeNullOrEmpty
    }

    It 'shows the task, its conversation, the day''s cost and the mirrored log' {
        $second.Stdout | Should -Match 'demo-\d{6}\s+Completed\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\S+( \S+)?\s+450 Demonstrate'
        $second.Stdout | Should -Match 'assistant\s+Done: see PR 451'
        $second.Stdout | Should -Match 'claude-sonnet-4-5\s+\S+\s+2\s+15,000\s+2,700'
        $second.Stdout | Should -Match 'demo-2026-11-02T00-00-00\.000\.json'
        $second.Stdout | Should -Match 'demo/b\s+Skipped\s+.*checksum match'
    }

    It 'starts from a clean store on every run: the second run holds one run''s rows' {
        Get-LogTask -Store $demoStore | Should -HaveCount 1
        (Get-ApiCost -Store $demoStore -Today).Calls | Should -Be 2
    }
}
