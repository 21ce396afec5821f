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

    It 'carries ReadyToRun code for linux-x64 at the root, built here, and answers the same with the runtime told to ignore it' -Skip:([Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier -ne 'linux-x64') {
        # What a user of the linux-x64 package gets (build.ps1 Package): the root LogTools.dll is a ReadyToRun image
        # (a ReadyToRun header; the PE machine AMD64 xor Linux's 0x7B79) whose IL still runs where its code cannot.
        $reader = [Reflection.PortableExecutable.PEReader]::new([IO.File]::OpenRead((Join-Path $Repo 'out/LogTools/LogTools.dll')))
        try {
            $reader.PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size | Should -BeGreaterThan 0
            [int] $reader.PEHeaders.CoffHeader.Machine | Should -Be (0x8664 -bxor 0x7B79)
        } finally { $reader.Dispose() }

        $script = 'Import-Module $LogToolsModule; Add-ApiCall -Model m -CostUsd 0.25 -InputTokens 10; Get-ApiCost -Today | Format-List Calls, CostUsd, InputTokens | Out-String; (Get-Module LogTools).Path'
        $runs = foreach ($readyToRun in '1', '0') {
            $folder = New-TestFolder
            $run = Invoke-Pwsh -Script $script -Environment @{ LOGTOOLS_STORE = $folder; DOTNET_ReadyToRun = $readyToRun }
            $run.ExitCode | Should -Be 0 -Because $run.Stderr
            $run.Stderr | Should -BeNullOrEmpty
            $run.Stdout -replace [regex]::Escape($folder), '<store>'
        }
        $runs[0] | Should -Match 'CostUsd\s+: 0\.25'
        $runs[0] | Should -Match ([regex]::Escape((Join-Path $Repo 'out/LogTools/LogTools.dll')))
        $runs[1] | Should -Be $runs[0]
    }

    It 'loads the same way in a separate pwsh -File process, as a scheduled task does' {
        $folder = New-TestFolder
        $run = Invoke-Pwsh -File -Script 'Import-Module $LogToolsModule; Move-LogRecord -Confirm:$false | Out-Null; (Get-LogStore).Path' -Environment @{ LOGTOOLS_STORE = $folder }
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $run.Stdout.Trim() | Should -Be $folder
    }
}
