BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'A session whose process is gone shows as abandoned' {
    BeforeAll {
        $store = New-TestStore
        # A coordinator run as a scheduled task that dies without Stop-LogSession.
        $run = Invoke-Pwsh -File -Script 'Import-Module $LogToolsModule; Start-LogSession -SessionId coordinator-crashed | Out-Null; $PID' -Environment @{ LOGTOOLS_STORE = $store }
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $deadPid = [long]$run.Stdout.Trim()
        $live = Start-LogSession -SessionId coordinator-live
    }
    AfterAll { Stop-LogSession -SessionId coordinator-live -ErrorAction SilentlyContinue }

    It 'records the host and the process id at Start-LogSession' {
        $live.HostName | Should -Be ([Environment]::MachineName)
        $live.ProcessId | Should -Be $PID
        (Get-LogSession coordinator-crashed).ProcessId | Should -Be $deadPid
    }

    It 'shows the dead process''s session as Abandoned, not active, and the live one as Active' {
        $crashed = Get-LogSession coordinator-crashed
        $crashed.Status | Should -Be 'Abandoned'
        $crashed.IsActive | Should -BeFalse
        $crashed.EndedAt | Should -BeNullOrEmpty
        (Get-LogSession coordinator-live).Status | Should -Be 'Active'
        (Get-LogSession coordinator-live).IsActive | Should -BeTrue
        @(Get-LogSession -Active).SessionId | Should -Be @('coordinator-live')
    }

    It 'says Abandoned in the default table at 80 columns' {
        $text = Get-LogSession | Get-Rendered -Width 80
        $text | Should -Match 'coordinator-crashed\s+Abandoned'
        $text | Should -Match 'coordinator-live\s+Active'
    }

    It 'lets Stop-LogSession close an abandoned session, which then shows Stopped' {
        $stopped = Stop-LogSession -SessionId coordinator-crashed -ExitReason Error -PassThru
        $stopped.Status | Should -Be 'Stopped'
        $stopped.ExitReason | Should -Be 'Error'
        (Get-LogSession coordinator-crashed).Status | Should -Be 'Stopped'
    }
}
