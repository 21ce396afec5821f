BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $store = New-TestStore
    Add-TestRecords | Out-Null

    # What Tab offers at the end of $Line, as PowerShell's console would complete it.
    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }
}

Describe 'Tab completion of parameter values' {
    It '<Line> offers <Expected>' -ForEach @(
        @{ Line = 'Get-ApiCost -GroupBy '; Expected = 'Day', 'Machine', 'Model', 'Month', 'None', 'Session', 'Task', 'Week', 'Worker' }
        @{ Line = 'Get-ApiCost -GroupBy Mo'; Expected = 'Model', 'Month' }
        @{ Line = 'Get-LogTask -Status '; Expected = 'Detected', 'Active', 'Completed', 'Failed' }
        @{ Line = 'Set-LogWorker -Status '; Expected = 'Spawned', 'Completed', 'Failed' }
        @{ Line = 'Get-LogEvent -Severity '; Expected = 'Debug', 'Info', 'Warning', 'Error', 'Critical' }
        @{ Line = 'Write-LogEvent -Severity W'; Expected = 'Warning' }
        @{ Line = 'Get-LogTask -TaskId '; Expected = 'task-a', 'task-b' }
        @{ Line = 'Get-LogTask -TaskId task-b'; Expected = , 'task-b' }
        @{ Line = 'Set-LogTask -TaskId t'; Expected = 'task-a', 'task-b' }
        @{ Line = 'Get-LogWorker -TaskId task-'; Expected = 'task-a', 'task-b' }
        @{ Line = 'Get-LogWorker -WorkerId '; Expected = , 'worker-a1' }
        @{ Line = 'Get-LogContent -WorkerId w'; Expected = , 'worker-a1' }
        @{ Line = 'Add-ApiCall -WorkerId '; Expected = , 'worker-a1' }
        @{ Line = 'Get-LogMirror -Source '; Expected = , 'web' }
        @{ Line = 'Test-LogMirror -Source w'; Expected = , 'web' }
    ) {
        Get-Completion $Line | Sort-Object | Should -Be ($Expected | Sort-Object)
    }

    It 'completes -SessionId with the store''s sessions for every cmdlet that takes one' {
        $sessions = @(Get-LogSession).SessionId | Sort-Object
        foreach ($command in 'Get-LogSession', 'Stop-LogSession', 'Get-LogTask', 'Get-LogWorker', 'Get-LogEvent', 'Write-LogEvent', 'Set-LogTask', 'Set-LogWorker', 'Add-ApiCall') {
            Get-Completion "$command -SessionId " | Should -Be $sessions -Because $command
        }
    }

    It 'completes model names from the price table for Add-ApiCall -Model and Get-ApiPrice -Model' {
        $models = @(Get-ApiPrice).Model | Where-Object { $_ -like 'claude-*' } | Sort-Object -Unique
        Get-Completion 'Add-ApiCall -Model claude-' | Should -Be $models
        Get-Completion 'Get-ApiPrice -Model claude-' | Should -Be $models
        Get-Completion 'Get-ApiPrice -Model gpt-4.1' | Should -Contain 'gpt-4.1'
    }

    It 'completes models from the -PriceFile typed on the same line' {
        $prices = Join-Path (New-TestFolder 'prices') 'prices.json'
        Set-Content -Path $prices -Value '{ "version": "test", "checkedOn": "2026-01-01", "models": [
            { "model": "acme-llm-9", "aliases": [], "prices": [ { "validFrom": "2025-01-01", "input": 1, "output": 2, "cacheRead": 0, "cacheWrite": 0 } ] } ] }'
        Get-Completion "Get-ApiPrice -PriceFile '$prices' -Model acme" | Should -Be 'acme-llm-9'
    }

    It 'reads the store named by -Store on the same line' {
        $other = Join-Path (New-TestFolder 'other') 'store'
        Set-LogTask -Store $other -TaskId other-task -Status Detected -SessionId (Start-LogSession -Store $other).SessionId | Out-Null
        Get-Completion "Get-LogTask -Store '$other' -TaskId " | Should -Be 'other-task'
        Set-LogStore -Path $store
    }

    It 'completes nothing, and creates no store, when the chosen store does not exist' {
        $missing = Join-Path (New-TestFolder 'missing') 'store'
        Get-Completion "Get-LogTask -Store '$missing' -TaskId " | Should -BeNullOrEmpty
        Get-Completion "Get-LogMirror -Store '$missing' -Source " | Should -BeNullOrEmpty
        Test-Path $missing | Should -BeFalse
    }

    It 'quotes an id that needs quoting' {
        Set-LogTask -TaskId 'task with spaces' -Status Detected -SessionId (Start-LogSession).SessionId | Out-Null
        Get-Completion 'Get-LogTask -TaskId task-w' | Should -BeNullOrEmpty
        Get-Completion 'Get-LogTask -TaskId task` w' | Should -Be "'task with spaces'"
        Get-Completion "Get-LogTask -TaskId 'task w" | Should -Be "'task with spaces'"
    }
}
