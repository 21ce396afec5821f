BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'Write-RunEvent with text that has no UTF-8 form' {
    BeforeAll {
        $null = New-TestStore
        $run = Start-LogRun -Kind ci
        $lone = [string][char]0xD800
        # A quote makes the message need escaping; a lone surrogate beside it used to stop the writer half-way through the line.
        $errors = @()
        "before", "bad $lone `"quoted`"", "after" | Write-RunEvent -Type console.line -ErrorVariable +errors
        Write-RunEvent -Type "odd$lone" -Message "stream too" -ErrorVariable +errors
        $completed = Complete-LogRun
        $events = @(Get-RunEvent -RunId $run.RunId)
    }

    It 'keeps every event, a lone surrogate written as U+FFFD, with no error' {
        $errors | Should -BeNullOrEmpty
        @($events | Where-Object Type -eq 'console.line').Message | Should -Be @('before', "bad $([char]0xFFFD) `"quoted`"", 'after')
        @($events | Where-Object Type -eq "odd$([char]0xFFFD)").Message | Should -Be 'stream too'
        $events.Sequence | Should -Be (1..$events.Count)
    }

    It 'leaves every line of the log one JSON envelope, and Test-LogRun finds the log whole' {
        Get-Content -LiteralPath $run.EventsPath | ForEach-Object { { $_ | ConvertFrom-Json } | Should -Not -Throw }
        (Test-LogRun -RunId $run.RunId).Status | Should -Be 'Ok'
        $completed.EventsCount | Should -Be $events.Count
    }
}
