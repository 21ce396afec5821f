BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

# What cron, CI and scheduled tasks get from `pwsh -NoProfile -File job.ps1` (docs/about_LogTools.md,
# "Scheduled tasks and redirected output"): each test is a real pwsh process importing out/LogTools.
Describe 'pwsh -File with redirected output' {
    BeforeAll {
        $store = Join-Path (New-TestFolder) 'store'
        $file = Join-Path (New-TestFolder) 'not-a-folder'
        Set-Content -Path $file -Value 'x'
        # NO_COLOR: pwsh colours redirected output too unless told not to (about_LogTools says so).
        $run = Invoke-Pwsh -File -Environment @{ LOGTOOLS_STORE = $store; NO_COLOR = '1' } -Script @"
Import-Module `$LogToolsModule; Start-LogSession | Out-Null
Get-LogStore
(Get-LogStore).Tables | Out-Default
Get-LogStore -Store '$file'
`$ErrorView = 'NormalView'
Get-LogStore -Store '$file'
Write-Warning 'careful'
'went on'
"@
        $stderr = $run.Stderr
    }

    It 'renders objects with the module views, without colour codes under NO_COLOR' {
        $run.Stdout | Should -Match ([regex]::Escape("Path           : $store"))
        $run.Stdout | Should -Match 'BackendVersion : 3\.\d+\.\d+'
        $run.Stdout | Should -Match 'Name\s+Area\s+Rows\r?\n----\s+----\s+----' # the table view of the store's tables
        $run.Stdout | Should -Match 'api_calls\s+Cost\s+0'
        $run.Stdout + $run.Stderr | Should -Not -Match "`e\["
    }

    It 'writes errors to stderr: the message and line by default, the FullyQualifiedErrorId with $ErrorView = NormalView' {
        $stderr | Should -Match 'Get-LogStore: \S*job\.ps1:5'
        $stderr | Should -Match "The store path '.*' is a file"
        $stderr | Should -Match 'FullyQualifiedErrorId : StorePathIsFile,LogTools\.Commands\.GetLogStoreCommand'
        $stderr | Should -Match 'CategoryInfo\s+: InvalidArgument'
        $run.Stdout | Should -Not -Match 'StorePathIsFile'
    }

    It 'goes on after a statement-terminating error, writes warnings to stdout, and exits 0' {
        $run.Stdout | Should -Match 'WARNING: careful'
        $run.Stdout.TrimEnd() | Should -Match 'went on$'
        $run.ExitCode | Should -Be 0
    }
}

Describe 'Exit codes of pwsh -NoProfile -File' {
    BeforeAll {
        $file = Join-Path (New-TestFolder) 'not-a-folder'
        Set-Content -Path $file -Value 'x'
        # An error that ends the command (the store cannot be used), and one reported per input (a missing file).
        $commandError = "Get-LogStore -Store '$file'"
        $inputError = "Get-FileBlake3 -LiteralPath '$file.missing'"
    }

    It '<Name> exits <ExitCode>' -ForEach @(
        @{ Name = 'exit 7'; Body = '''before''; exit 7'; ExitCode = 7; After = $false }
        @{ Name = 'an error the script goes on after'; Body = '{0}; ''after'''; ExitCode = 0; After = $true }
        @{ Name = 'a per-input error under -ErrorAction Stop'; Body = '{1} -ErrorAction Stop; ''after'''; ExitCode = 1; After = $false }
        @{ Name = 'an error that ends the command, under -ErrorAction Stop only'; Body = '{0} -ErrorAction Stop; ''after'''; ExitCode = 0; After = $true }
        @{ Name = 'an error that ends the command, under $ErrorActionPreference = Stop'; Body = '$ErrorActionPreference = ''Stop''; {0}; ''after'''; ExitCode = 1; After = $false }
        @{ Name = 'a per-input error under $ErrorActionPreference = Stop'; Body = '$ErrorActionPreference = ''Stop''; {1}; ''after'''; ExitCode = 1; After = $false }
        @{ Name = 'throw'; Body = 'throw ''stopped''; ''after'''; ExitCode = 1; After = $false }
    ) {
        $run = Invoke-Pwsh -File -Script ("Import-Module `$LogToolsModule`n" + ($Body -f $commandError, $inputError))
        $run.ExitCode | Should -Be $ExitCode -Because (Remove-Ansi $run.Stderr)
        $run.Stdout -match 'after' | Should -Be $After
    }
}

Describe 'A nightly job run by pwsh -NoProfile -File' {
    BeforeAll {
        $store = Join-Path (New-TestFolder) 'store'
        $logs = New-TestFolder 'logs'
        Set-Content -Path (Join-Path $logs 'app.log') -Value 'line 1'
        $config = Join-Path $logs 'app.yml'
        Set-Content -Path $config -Value @"
name: app
archived_pattern: "$logs/app-*.log"
active_pattern: "$logs/app.log"
pond_path: app
"@
        Add-ApiCall -Store $store -Model model-x -InputTokens 10 -OutputTokens 10 -CostUsd 6
        # The job as an admin writes it: stop at the first error, so that the exit code says it failed.
        $job = @'
$ErrorActionPreference = 'Stop'
Import-Module $LogToolsModule
Test-ApiBudget -Limit $env:JOB_LIMIT -Period Day -ErrorOnExceeded | Out-Null
Sync-LogSource -Config $env:JOB_CONFIG | Out-Null
'nightly done'
'@
        function Invoke-Job([decimal] $Limit, [string] $Config) {
            Invoke-Pwsh -File -Script $job -Environment @{ LOGTOOLS_STORE = $store; JOB_LIMIT = $Limit; JOB_CONFIG = $Config }
        }
    }

    It 'exits 0 within the budget when the sync succeeds' {
        $run = Invoke-Job -Limit 20 -Config $config
        $run.ExitCode | Should -Be 0 -Because (Remove-Ansi $run.Stderr)
        $run.Stdout | Should -Match 'nightly done'
        Get-LogMirror -Store $store | Select-Object -ExpandProperty Name | Should -Be 'app.log'
    }

    It 'exits 1 with the budget error when the budget is exceeded, and syncs nothing after it' {
        $run = Invoke-Job -Limit 5 -Config (Join-Path $logs 'missing.yml')
        $run.ExitCode | Should -Be 1
        Remove-Ansi $run.Stderr | Should -Match '(?s)Test-ApiBudget: .*API spend 6\.00 USD .* exceeds the budget of 5\.00 USD'
        $run.Stdout | Should -Not -Match 'nightly done'
    }

    It 'exits 1 with the sync error when the sync fails' {
        $run = Invoke-Job -Limit 20 -Config (Join-Path $logs 'missing.yml')
        $run.ExitCode | Should -Be 1
        Remove-Ansi $run.Stderr | Should -Match '(?s)Sync-LogSource: .*missing\.yml'
        $run.Stdout | Should -Not -Match 'nightly done'
    }
}
