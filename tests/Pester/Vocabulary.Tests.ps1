BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

Describe 'One vocabulary for time filters' {
    It '<Name> has -Since and -Until (aliases -After and -Before) and -Today in its own parameter set' -ForEach @(
        @{ Name = 'Get-LogSession' }, @{ Name = 'Get-LogTask' }, @{ Name = 'Get-LogEvent' }, @{ Name = 'Get-ApiCost' }
    ) {
        $command = Get-Command $Name
        $command.Parameters['Since'].Aliases | Should -Contain 'After'
        $command.Parameters['Until'].Aliases | Should -Contain 'Before'
        $today = $command.Parameters['Today']
        $today.SwitchParameter | Should -BeTrue
        $today.ParameterSets.Keys | Should -Be @('Today')
        $command.Parameters['Since'].ParameterSets.Keys | Should -Not -Contain 'Today'
    }

    It 'keeps Get-LogTask -CompletedToday as the alias of -Today' {
        (Get-Command Get-LogTask).Parameters['Today'].Aliases | Should -Contain 'CompletedToday'
    }

    Context 'with a store' {
        BeforeAll {
            $store = New-TestStore
            Start-LogSession -SessionId 'nightly-2026-01-14' | Out-Null
            Set-LogTask gh-450 -Status Active -Title 'Parser'
            Set-LogTask gh-451 -Status Detected
            Set-LogTask jira-7 -Status Active
            Set-LogTask gh-450 -Status Completed
            Write-LogEvent note 'today'
        }
        AfterAll { Stop-LogSession -ErrorAction SilentlyContinue }

        It 'filters sessions by -Since/-Until, the old -After/-Before, and -Today' {
            (Get-LogSession -Since ([datetime]::Now.AddMinutes(-5))).SessionId | Should -Be 'nightly-2026-01-14'
            Get-LogSession -Until ([datetime]::Now.AddMinutes(-5)) | Should -BeNullOrEmpty
            (Get-LogSession -After ([datetime]::Now.AddMinutes(-5))).SessionId | Should -Be 'nightly-2026-01-14'
            Get-LogSession -Before ([datetime]::Now.AddMinutes(-5)) | Should -BeNullOrEmpty
            (Get-LogSession -Today).SessionId | Should -Be 'nightly-2026-01-14'
        }

        It 'gives tasks -Until and -Today; -CompletedToday still means the tasks completed today' {
            @(Get-LogTask -Until ([datetime]::Now.AddMinutes(-5))) | Should -HaveCount 0
            @(Get-LogTask -Since ([datetime]::Now.AddMinutes(-5))) | Should -HaveCount 3
            (Get-LogTask -Today).TaskId | Should -Be 'gh-450'
            (Get-LogTask -CompletedToday).TaskId | Should -Be 'gh-450'
        }

        It 'gives events -Today' {
            (Get-LogEvent -Today).Message | Should -Be 'today'
        }

        It 'refuses -Today together with -Since (its own parameter set)' {
            { Get-LogEvent -Today -Since ([datetime]::Today) -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet,LogTools.Commands.GetLogEventCommand'
        }
    }
}

Describe 'Ids take wildcards; only a plain id that does not exist is an error' {
    BeforeAll {
        $store = New-TestStore
        Start-LogSession -SessionId 'nightly-2026-01-14' | Out-Null
        Set-LogTask gh-450 -Status Active
        Set-LogTask gh-451 -Status Detected
        Set-LogTask jira-7 -Status Active
        Set-LogWorker w-gh-450-a -Status Spawned -TaskId gh-450
        Set-LogWorker w-gh-451-b -Status Spawned -TaskId gh-451
        Set-LogWorker w-jira-7-c -Status Spawned -TaskId jira-7
        Write-LogEvent spawn 'spawned' -ContextType worker -ContextId w-gh-450-a
        Write-LogEvent spawn 'spawned' -ContextType worker -ContextId w-jira-7-c
    }
    AfterAll { Stop-LogSession -ErrorAction SilentlyContinue }

    It 'matches tasks, sessions, workers and event contexts by pattern' {
        (Get-LogTask -TaskId 'gh-*').TaskId | Should -Be @('gh-450', 'gh-451')
        (Get-LogTask 'gh-45?').TaskId | Should -Be @('gh-450', 'gh-451')
        (Get-LogTask 'gh-45[1-9]').TaskId | Should -Be @('gh-451')
        (Get-LogSession 'nightly-*').SessionId | Should -Be 'nightly-2026-01-14'
        (Get-LogWorker 'w-gh-*').WorkerId | Should -Be @('w-gh-450-a', 'w-gh-451-b')
        (Get-LogWorker -TaskId 'jira-*').WorkerId | Should -Be 'w-jira-7-c'
        (Get-LogTask -SessionId 'nightly-*').Count | Should -Be 3
        (Get-LogEvent -ContextId 'w-gh-*').ContextId | Should -Be 'w-gh-450-a'
    }

    It 'matches case-sensitively, like the ids, and takes ` to escape a wildcard character' {
        Get-LogTask 'GH-*' -ErrorAction Stop | Should -BeNullOrEmpty
        Get-LogTask 'gh`*' -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'returns nothing, without an error, for a pattern that matches nothing' {
        Get-LogTask 'zz-*' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-LogSession 'zz-*' -ErrorVariable +problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-LogWorker 'zz-*' -ErrorVariable +problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty
    }

    It 'reports a plain id that does not exist: <Command>' -ForEach @(
        @{ Command = 'Get-LogTask'; Id = 'TaskNotFound' }
        @{ Command = 'Get-LogSession'; Id = 'SessionNotFound' }
        @{ Command = 'Get-LogWorker'; Id = 'WorkerNotFound' }
    ) {
        & $Command 'zz-1' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Get-LogContent tells a missing path from a worker''s lost log file' {
    BeforeAll {
        $store = New-TestStore
        $folder = New-TestFolder 'content'
        Start-LogSession | Out-Null
        $log = Join-Path $folder 'w-17.jsonl'
        Set-Content -Path $log -Value '{"role":"user"}'
        Set-LogWorker w-17 -Status Spawned -LogFile $log
        Remove-Item $log
    }
    AfterAll { Stop-LogSession -ErrorAction SilentlyContinue }

    It 'gives a plain path that names no file a plain FileNotFound' {
        $missing = Join-Path $folder 'nonexistent.jsonl'
        Get-LogContent $missing -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'FileNotFound,LogTools.Commands.GetLogContentCommand'
        $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problems[0].TargetObject | Should -Be $missing
        $problems[0].Exception.Message | Should -BeLike "*'$missing' does not exist*"
        $problems[0].Exception.Message | Should -Not -Match 'pointer|moved or deleted'
        Get-LogContent -LiteralPath $missing -ErrorVariable literal -ErrorAction SilentlyContinue
        $literal[0].FullyQualifiedErrorId | Should -Be 'FileNotFound,LogTools.Commands.GetLogContentCommand'
    }

    It 'keeps the pointer message for a worker''s recorded log file, naming the worker' {
        Get-LogContent -WorkerId w-17 -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'LogFileNotFound,LogTools.Commands.GetLogContentCommand'
        $problems[0].Exception.Message | Should -Match "w-17"
        $problems[0].Exception.Message | Should -Match 'pointer'
    }
}

Describe 'The module manifest says what exists' {
    It 'does not advertise areas that have no cmdlets yet' {
        $description = (Test-ModuleManifest -Path $ModuleManifest).Description
        $description | Should -Not -Match 'ingest|incremental build|port build'
        foreach ($word in 'session', 'API', 'cost', 'mirror', 'BLAKE3', 'SQLite', 'JSONL', 'runs') { $description | Should -Match $word }
    }
}
