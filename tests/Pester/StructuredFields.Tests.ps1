BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Event details and session settings come back as data' {
    BeforeAll {
        $store = New-TestStore
        $session = Start-LogSession -SessionId 'nightly-2026-01-14' -Config ([ordered]@{ model = 'opus'; jobs = 4; repos = @('api', 'web'); limits = [ordered]@{ usd = 25.5 } })
        Write-LogEvent retry 'Retried the build' -ContextType task -ContextId gh-450 -Details ([ordered]@{ n = 1; attempt = [ordered]@{ exit = 137; signal = 'KILL' }; files = @('a.cs', 'b.cs') })
        Write-LogEvent retry 'Retried again' -Details @{ n = 2 }
        Write-LogEvent note 'No details'
    }
    AfterAll { Stop-LogSession -SessionId 'nightly-2026-01-14' -ErrorAction SilentlyContinue }

    It 'lets Where-Object reach into Details by member syntax, nested levels and lists included' {
        $found = @(Get-LogEvent | Where-Object { $_.Details.n -eq 1 })
        $found.Message | Should -Be 'Retried the build'
        $found[0].Details.attempt.exit | Should -Be 137
        $found[0].Details.attempt.signal | Should -Be 'KILL'
        $found[0].Details.files | Should -Be @('a.cs', 'b.cs')
        $found[0].Details.N | Should -Be 1 -Because 'keys ignore case, as in the hashtable they came from'
        (Get-LogEvent | Where-Object { $null -eq $_.Details }).Message | Should -Be 'No details'
    }

    It 'keeps the stored JSON text as DetailsJson, and Write-LogEvent -PassThru gives the same shape' {
        $event = Get-LogEvent | Where-Object Message -eq 'Retried the build'
        $event.DetailsJson | Should -BeOfType [string]
        $event.DetailsJson | Should -Be '{"n":1,"attempt":{"exit":137,"signal":"KILL"},"files":["a.cs","b.cs"]}'
        $written = Write-LogEvent note 'passthru' -Details @{ k = 'v' } -PassThru
        $written.Details.k | Should -Be 'v'
        $written.DetailsJson | Should -Be '{"k":"v"}'
    }

    It 'writes Details as a JSON object with ConvertTo-Json, and as its JSON text in Export-Csv' {
        $event = Get-LogEvent | Where-Object Message -eq 'Retried the build'
        $back = $event | ConvertTo-Json -Depth 6 | ConvertFrom-Json
        $back.Details.attempt.exit | Should -Be 137
        $back.Details.files | Should -Be @('a.cs', 'b.cs')

        $csv = Join-Path (New-TestFolder 'csv') 'events.csv'
        $event | Export-Csv -Path $csv
        $row = Import-Csv -Path $csv
        $row.Details | Should -Be $event.DetailsJson
        ($row.Details | ConvertFrom-Json).attempt.signal | Should -Be 'KILL'
    }

    It 'exposes the session Config the same way, with ConfigJson beside it' {
        $read = Get-LogSession 'nightly-2026-01-14'
        $read.Config.model | Should -Be 'opus'
        $read.Config.jobs | Should -Be 4
        $read.Config.repos | Should -Be @('api', 'web')
        $read.Config.limits.usd | Should -Be 25.5
        $read.ConfigJson | Should -Be '{"model":"opus","jobs":4,"repos":["api","web"],"limits":{"usd":25.5}}'
        $session.Config.model | Should -Be 'opus' -Because 'Start-LogSession returns the same shape'
        ($read | ConvertTo-Json -Depth 6 | ConvertFrom-Json).Config.limits.usd | Should -Be 25.5
    }

    It 'accepts an event''s Details as the -Details of a new event' {
        $event = Get-LogEvent | Where-Object Message -eq 'Retried the build'
        $copy = Write-LogEvent copy 'copied' -Details $event.Details -PassThru
        $copy.DetailsJson | Should -Be $event.DetailsJson
    }
}
