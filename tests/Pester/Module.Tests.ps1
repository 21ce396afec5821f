BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'The assembled module in real pwsh' {
    BeforeAll { $store = New-TestStore }

    It 'imports from out/LogTools and reports its store and SQLite version' {
        $info = Get-LogStore
        $info.Path | Should -Be $store
        $info.SqliteVersion | Should -Match '^3\.\d+\.\d+$'
        $info.Backend | Should -Be 'SQLite'
        $info.BackendVersion | Should -Match '^3\.\d+\.\d+$'
        (Get-Module LogTools).Path | Should -Be (Join-Path $Repo 'out/LogTools/LogTools.dll')
    }

    It 'loads the same way in a separate pwsh -File process, as a scheduled task does' {
        $folder = New-TestFolder
        $run = Invoke-Pwsh -File -Script 'Import-Module $LogToolsModule; Move-LogRecord -Confirm:$false | Out-Null; (Get-LogStore).Path' -Environment @{ LOGTOOLS_STORE = $folder }
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $run.Stdout.Trim() | Should -Be $folder
    }
}
