BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # Random bytes appended to a host file.
    function Add-HostBytes([string] $Path, [int] $Count, [int] $Seed = 2) {
        $bytes = [byte[]]::new($Count)
        [Random]::new($Seed).NextBytes($bytes)
        $stream = [IO.File]::Open($Path, [IO.FileMode]::Append)
        try { $stream.Write($bytes, 0, $bytes.Length) } finally { $stream.Dispose() }
    }

    # A host folder with a YAML source 'app' (app-*.log archives, app.log active) beside it.
    function New-Source([string] $Root = (New-TestFolder 'src'), [string] $Name = 'app') {
        $hostDir = Join-Path $Root 'host'
        New-Item -ItemType Directory -Force -Path $hostDir | Out-Null
        $config = Join-Path $Root "$Name.yml"
        Set-Content -Path $config -Value "name: $Name`narchived_pattern: host/$Name-*.log`nactive_pattern: host/$Name.log`npond_path: logs/$Name"
        [pscustomobject]@{ Root = $Root; Host = $hostDir; Config = $config }
    }

    # Every file and folder under a path with its length and write time, to compare before/after. SQLite's
    # shared-memory index (-shm) is rewritten by any reader of a WAL database, so only its presence counts.
    function Get-Tree([string] $Path) {
        if (-not (Test-Path $Path)) { return @() }
        @(Get-ChildItem -LiteralPath $Path -Recurse -Force | Sort-Object FullName |
                ForEach-Object { '{0}|{1}|{2}' -f $_.FullName, $(if ($_.PSIsContainer) { 'dir' } else { $_.Length }), $(if ($_.Name -like '*-shm') { '' } else { $_.LastWriteTimeUtc.Ticks }) })
    }
}

Describe 'Sync-LogSource, Get-FileBlake3 and Import-LogHistory on files of 100 MiB and more' {
    BeforeAll {
        $store = New-TestStore
        $src = New-Source
        $archive1 = Join-Path $src.Host 'app-1.log'
        $active = Join-Path $src.Host 'app.log'
        $pond = Join-Path (Get-TestContentRoot $store) 'pond/logs/app'
    }

    It 'copies a new 100 MiB archive and a 17 MiB active file (more than one progress report), digests equal to b3sum' {
        New-BigFile $archive1 (100MB + 123)
        New-BigFile $active (17MB) -Seed 3
        $results = Sync-LogSource -Config $src.Config -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $results.Action | Should -Be @('Copied', 'Copied')
        ($results | Where-Object Name -eq 'app-1.log').Blake3 | Should -Be (Get-B3sum $archive1)
        ($results | Where-Object Name -eq 'app.log').Blake3 | Should -Be (Get-B3sum $active)
        Get-B3sum (Join-Path $pond 'app-1.log') | Should -Be (Get-B3sum $archive1)
        Get-B3sum (Join-Path $pond 'app.log') | Should -Be (Get-B3sum $active)
    }

    It 'appends 100 MiB to the active file, reading only the new bytes' {
        Add-HostBytes $active 1000
        $stream = [IO.File]::Open($active, [IO.FileMode]::Open); try { $stream.SetLength($stream.Length + 100MB) } finally { $stream.Dispose() }
        Add-HostBytes $active 5000 -Seed 4
        $result = Sync-LogSource -Config $src.Config -ErrorVariable errors | Where-Object Name -eq 'app.log'
        $errors | Should -BeNullOrEmpty
        $result.Action | Should -Be 'Appended'
        $result.BytesCopied | Should -Be (100MB + 6000)
        $result.Blake3 | Should -Be (Get-B3sum $active)
        Get-B3sum (Join-Path $pond 'app.log') | Should -Be (Get-B3sum $active)
    }

    It 'rotates the 117 MiB active file into an archive completed with 20 MiB more' {
        Move-Item $active (Join-Path $src.Host 'app-2.log')
        $stream = [IO.File]::Open((Join-Path $src.Host 'app-2.log'), [IO.FileMode]::Open); try { $stream.SetLength($stream.Length + 20MB) } finally { $stream.Dispose() }
        Add-HostBytes (Join-Path $src.Host 'app-2.log') 777
        Add-HostBytes $active 100 -Seed 5
        $results = Sync-LogSource -Config $src.Config -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $rotated = $results | Where-Object Name -eq 'app-2.log'
        $rotated.Action | Should -Be 'Rotated'
        $rotated.BytesCopied | Should -Be (20MB + 777)
        $rotated.Blake3 | Should -Be (Get-B3sum (Join-Path $src.Host 'app-2.log'))
        Get-B3sum (Join-Path $pond 'app-2.log') | Should -Be (Get-B3sum (Join-Path $src.Host 'app-2.log'))
        Test-LogMirror -Quiet -WarningVariable warnings | Should -BeTrue
        $warnings | Should -BeNullOrEmpty
        # At 80 columns the five leading columns fill the line; the message is left out whole, never a wrapped header.
        $header = (Test-LogMirror | Get-Rendered -Width 80) -split "`r?`n" | Where-Object { $_ -match '^Source' }
        $header | Should -Match 'Length$'
    }

    It 're-hashes every pond copy with -Verify and reports them unchanged' {
        $results = Sync-LogSource -Config $src.Config -Verify -ErrorVariable errors -WarningVariable warnings
        $errors | Should -BeNullOrEmpty
        $warnings | Should -BeNullOrEmpty
        $results.Action | Should -Be @('Unchanged', 'Unchanged', 'Unchanged')
    }

    It 'Get-FileBlake3 of a 100 MiB file equals b3sum' {
        (Get-FileBlake3 -LiteralPath $archive1).Hash | Should -Be (Get-B3sum $archive1)
    }

    It 'Import-LogHistory imports a 100+ MiB Claude Code log, then reads nothing of it again' {
        $log = Join-Path (New-TestFolder 'claude') 'session.jsonl'
        $padding = 'x' * 64KB
        $writer = [IO.StreamWriter]::new($log)
        try {
            for ($i = 0; $i -lt 1650; $i++) {
                $writer.WriteLine('{"type":"user","message":{"role":"user","content":[{"type":"tool_result","content":"' + $padding + '"}]},"timestamp":"2025-06-01T10:00:00.000Z"}')
                $writer.WriteLine('{"parentUuid":null,"sessionId":"s1","message":{"id":"msg_' + $i + '","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Done."}],"usage":{"input_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":5}},"requestId":"req_' + $i + '","type":"assistant","uuid":"u-' + $i + '","timestamp":"2025-06-01T10:00:00.000Z"}')
            }
        }
        finally { $writer.Dispose() }
        (Get-Item $log).Length | Should -BeGreaterThan 100MB

        $first = Import-LogHistory -LiteralPath $log -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $first.Imported | Should -Be 1650
        $first.BytesRead | Should -Be (Get-Item $log).Length
        (Import-LogHistory -LiteralPath $log).BytesRead | Should -Be 0
    }
}

Describe 'Sync-LogSource -Verify and Test-LogMirror on a damaged pond' {
    BeforeAll {
        $store = New-TestStore
        $src = New-Source
        Add-HostBytes (Join-Path $src.Host 'app-1.log') 10000
        Add-HostBytes (Join-Path $src.Host 'app.log') 5000 -Seed 7
        Sync-LogSource -Config $src.Config | Out-Null
        $pond = Join-Path (Get-TestContentRoot $store) 'pond/logs/app'
    }

    It 'a pond nightly job exits 0 on a good pond and non-zero with -ErrorOnMismatch or -Quiet on a damaged one' {
        $script = @'
Import-Module $LogToolsModule
$ErrorActionPreference = 'Stop'
if (-not (Test-LogMirror -Quiet)) { Write-Output 'quiet says damaged' }
Test-LogMirror -ErrorOnMismatch | Out-Null
Write-Output 'pond ok'
'@
        $good = Invoke-Pwsh -File -Script $script -Environment @{ LOGTOOLS_STORE = $store }
        $good.ExitCode | Should -Be 0 -Because $good.Stderr
        $good.Stdout.Trim() | Should -Be 'pond ok'

        $bytes = [IO.File]::ReadAllBytes("$pond/app-1.log"); $bytes[100] = $bytes[100] -bxor 1; [IO.File]::WriteAllBytes("$pond/app-1.log", $bytes)
        $bad = Invoke-Pwsh -File -Script $script -Environment @{ LOGTOOLS_STORE = $store }
        $bad.ExitCode | Should -Not -Be 0
        $bad.Stdout | Should -Match 'quiet says damaged'
        $bad.Stdout | Should -Not -Match 'pond ok'
        $bad.Stderr + $bad.Stdout | Should -Match 'app-1\.log'
    }

    It 'Test-LogMirror -ErrorOnMismatch writes a MirrorCheckFailed error per damaged file, with the check as target' {
        $checks = Test-LogMirror -ErrorOnMismatch -ErrorAction SilentlyContinue -ErrorVariable errors -WarningAction SilentlyContinue
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'MirrorCheckFailed,LogTools.Commands.TestLogMirrorCommand'
        $errors[0].TargetObject.Name | Should -Be 'app-1.log'
        ($checks | Where-Object Name -eq 'app-1.log').Status | Should -Be 'PondMismatch'
        Test-LogMirror -Name app.log -Quiet | Should -BeTrue
    }

    It 'Sync-LogSource -Verify reports a damaged archive copy as Damaged / PondDamaged with a warning, never Unchanged Ok' {
        $results = Sync-LogSource -Config $src.Config -Verify -WarningVariable warnings
        $archive = $results | Where-Object Name -eq 'app-1.log'
        $archive.Action | Should -Be 'Damaged'
        $archive.Status | Should -Be 'PondDamaged'
        $warnings -join "`n" | Should -Match 'app-1\.log.*damaged'
        # Restored from the host, the copy verifies again.
        Copy-Item (Join-Path $src.Host 'app-1.log') "$pond/app-1.log" -Force
        $restored = Sync-LogSource -Config $src.Config -Verify | Where-Object Name -eq 'app-1.log'
        $restored.Action | Should -Be 'Unchanged'
        $restored.Status | Should -Be 'Ok'
    }

    It 'Sync-LogSource -Verify reports a damaged active copy and does not append to it' {
        $bytes = [IO.File]::ReadAllBytes("$pond/app.log"); $bytes[0] = $bytes[0] -bxor 1; [IO.File]::WriteAllBytes("$pond/app.log", $bytes)
        Add-HostBytes (Join-Path $src.Host 'app.log') 100 -Seed 8
        $result = Sync-LogSource -Config $src.Config -Verify -WarningAction SilentlyContinue | Where-Object Name -eq 'app.log'
        $result.Action | Should -Be 'Damaged'
        $result.Status | Should -Be 'PondDamaged'
        (Get-Item "$pond/app.log").Length | Should -Be 5000
    }
}

Describe 'Sync-LogSource on a source that finds nothing' {
    It 'warns on every run, creates and records nothing, and stops with -ErrorAction Stop' {
        $root = New-TestFolder 'missing'
        $config = Join-Path $root 'missing.yml'
        Set-Content -Path $config -Value "name: missing`narchived_pattern: nowhere/app-*.log`nactive_pattern: nowhere/app.log`npond_path: logs/missing"
        $store = Join-Path $root 'store'
        foreach ($run in 1, 2) {
            $out = Sync-LogSource -Config $config -Store $store -WarningVariable warnings -ErrorVariable errors -ErrorAction Continue
            $out | Should -BeNullOrEmpty
            $errors | Should -BeNullOrEmpty
            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -Match "nowhere' does not exist"
            Test-Path $store | Should -BeFalse -Because 'a run that found nothing creates no store'
        }

        { Sync-LogSource -Config $config -Store $store -ErrorAction Stop } | Should -Throw -ErrorId 'MirrorSourceEmpty,LogTools.Commands.SyncLogSourceCommand'

        # An existing folder whose patterns match nothing: the same, and the existing store gets no source and no pond folder.
        New-Item -ItemType Directory -Path (Join-Path $root 'nowhere') | Out-Null
        New-Item -ItemType File -Path (Join-Path $root 'nowhere/other.txt') | Out-Null
        $existing = New-TestStore
        Get-LogStore | Out-Null
        Sync-LogSource -Config $config -WarningVariable warnings -ErrorAction Continue | Should -BeNullOrEmpty
        $warnings[0].Message | Should -Match "no file matches"
        Test-Path (Join-Path (Get-TestContentRoot $existing) 'pond/logs/missing') | Should -BeFalse
        # Not registered: another source may still take its pond path.
        $other = New-Source -Name other
        Add-HostBytes (Join-Path $other.Host 'other.log') 10
        (Sync-LogSource -Source other -ArchivedPattern (Join-Path $other.Host 'other-*.log') -ActivePattern (Join-Path $other.Host 'other.log') -PondPath logs/missing).Action | Should -Be 'Copied'
    }
}

Describe 'Sync-LogSource -WhatIf' {
    It 'writes one future-tense What if: line per file that would change, no result rows, and changes no file' {
        $src = New-Source -Name caspar
        $store = Join-Path (New-TestFolder 'whatif') 'store'
        Add-HostBytes (Join-Path $src.Host 'caspar-1.log') 3000
        Add-HostBytes (Join-Path $src.Host 'caspar.log') 2000 -Seed 3
        Sync-LogSource -Config $src.Config -Store $store | Out-Null
        Add-HostBytes (Join-Path $src.Host 'caspar.log') 500 -Seed 4
        Add-HostBytes (Join-Path $src.Host 'caspar-2.log') 700 -Seed 5
        $before = Get-Tree $store

        $run = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Sync-LogSource -Config '$($src.Config)' -Store '$store' -WhatIf"
        $run.ExitCode | Should -Be 0 -Because $run.Stderr
        $run.Stderr | Should -BeNullOrEmpty
        $lines = @($run.Stdout -split "`r?`n" | Where-Object { $_.Trim() })
        $lines.Count | Should -Be 2 -Because $run.Stdout
        $lines | Should -Match '^What if: Would '
        $lines -match 'caspar-2\.log' | Should -Match 'Would copy the new archive .*\(700 bytes\)'
        $lines -match 'caspar\.log' | Should -Match 'Would append the 500 new bytes'
        $run.Stdout | Should -Not -Match 'caspar-1\.log|Copied|Appended|Unchanged'

        Get-Tree $store | Should -Be $before
    }

    It 'on a store that does not exist yet creates nothing at all' {
        $src = New-Source -Name caspar
        Add-HostBytes (Join-Path $src.Host 'caspar.log') 100
        $root = New-TestFolder 'whatif-new'
        $before = Get-Tree $root
        Sync-LogSource -Config $src.Config -Store (Join-Path $root 'store') -WhatIf | Should -BeNullOrEmpty
        Get-Tree $root | Should -Be $before
        Get-Tree $src.Root | Should -Not -Match '\.lock|pond'
    }
}

Describe 'Get-LogMirror and Test-LogMirror' {
    BeforeAll {
        $store = New-TestStore
        $src = New-Source
        Add-HostBytes (Join-Path $src.Host 'app-2025-10-20T08-18-50.905.log.gz') 14384
        Add-HostBytes (Join-Path $src.Host 'app.log') 100 -Seed 3
        $settings = @{ Source = 'app'; ArchivedPattern = (Join-Path $src.Host 'app-*.log'); ActivePattern = (Join-Path $src.Host 'app.log'); PondPath = 'logs/app' }
        Sync-LogSource @settings | Out-Null
    }

    It 'names the source with -Source everywhere; -Name is a file in Get-LogMirror and the old spelling of -Source in Sync-LogSource' {
        (Get-Command Sync-LogSource).Parameters['Source'].Aliases | Should -Contain 'Name'
        (Get-Command Get-LogMirror).Parameters.Keys | Should -Contain 'Source'
        (Sync-LogSource -Name app -ArchivedPattern (Join-Path $src.Host 'app-*.log') -ActivePattern (Join-Path $src.Host 'app.log') -PondPath logs/app).Source | Should -Be @('app', 'app')
        (Get-LogMirror -Source app -Name '*.gz').Name | Should -Be 'app-2025-10-20T08-18-50.905.log.gz'
    }

    It 'quotes the recorded and the current length of an archive changed twice on the host' {
        $gz = Join-Path $src.Host 'app-2025-10-20T08-18-50.905.log.gz'
        Add-HostBytes $gz 7 -Seed 9
        Sync-LogSource @settings -WarningAction SilentlyContinue | Out-Null
        Add-HostBytes $gz 5 -Seed 10
        Sync-LogSource @settings -WarningAction SilentlyContinue | Out-Null
        $file = Get-LogMirror -Name '*.gz'
        $file.Status | Should -Be 'ChangedOnHost'
        $file.Length | Should -Be 14384
        $file.Message | Should -Match 'recorded 14384 bytes'
        $file.Message | Should -Match 'now has 14396 bytes'
        $file.Message | Should -Not -Match '14391'
    }

    It 'renders Name (with its .gz end) and Updated whole at 120 columns, and Source, Name, Status, Length at 80' {
        $files = Get-LogMirror
        $wide = $files | Get-Rendered -Width 120
        $wide | Should -Match '\.gz\s'
        $updated = $files[0].UpdatedAt.LocalDateTime.ToString('yyyy-MM-dd HH:mm')
        $wide | Should -Match ([regex]::Escape($updated))
        $wide -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 120 }
        ($wide -split "`n" | Where-Object { $_ -match '^Source\s' }).TrimEnd() | Should -Match '^Source\s+Name\s+Status\s+Length\s+Updated\s+Kind\s+Blake3$'

        $narrow = $files | Get-Rendered -Width 80
        $narrow -split "`n" | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        # The first four columns whole, and no squeezed remnant of the next one after them.
        ($narrow -split "`n" | Where-Object { $_ -match '^Source\s' }).TrimEnd() | Should -Match '^Source\s+Name\s+Status\s+Length$'
        ($narrow -split "`n").Count | Should -BeLessOrEqual ($files.Count + 6)
        $narrow | Should -Match '(?m)^app\s+\S+\.gz\s'
    }

    It 'writes the -ManifestPath file only through ShouldProcess' {
        $manifest = Join-Path (New-TestFolder 'manifest') 'pond.b3'
        Test-LogMirror -ManifestPath $manifest -WhatIf | Out-Null
        Test-Path $manifest | Should -BeFalse
        Test-LogMirror -ManifestPath $manifest -Confirm:$false | Out-Null
        Test-Path $manifest | Should -BeTrue
    }
}

Describe 'Sync-LogSource faults' {
    It 'a pond disk that fills during a sync: MirrorPondNotWritten, nothing unrecorded, and the next sync completes after space is freed' {
        $store = New-TestStore
        New-Item -ItemType Directory -Path (Get-TestContentRoot $store) -Force | Out-Null
        $mount = Mount-TestFileSystem -SizeKB 10240
        try {
            New-Item -ItemType SymbolicLink -Path (Join-Path (Get-TestContentRoot $store) 'pond') -Target $mount | Out-Null
            $filler = Join-Path $mount 'filler'
            [IO.File]::WriteAllBytes($filler, [byte[]]::new(4.5MB))
            $src = New-Source
            foreach ($name in 'app-1.log', 'app-2.log', 'app.log') { Add-HostBytes (Join-Path $src.Host $name) (3MB) -Seed $name.Length }

            $results = Sync-LogSource -Config $src.Config -ErrorAction SilentlyContinue -ErrorVariable errors
            $results.Name | Should -Be @('app-1.log')
            $errors.Count | Should -Be 2
            $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -Be 'MirrorPondNotWritten,LogTools.Commands.SyncLogSourceCommand' }
            $errors | ForEach-Object { $_.CategoryInfo.Category | Should -Be 'WriteError' }
            $errors[0].Exception.Message | Should -Match 'app-2\.log.*No space left on device'
            $pond = Join-Path $mount 'logs/app'
            @(Get-ChildItem -Force $pond | Where-Object Name -like '*partial*') | Should -BeNullOrEmpty
            @(Get-LogMirror | Where-Object Length -gt 0).Name | Should -Be @('app-1.log')
            (Get-Item (Join-Path $pond 'app.log') -ErrorAction SilentlyContinue).Length | Should -BeIn @($null, 0)
            Test-LogMirror -Quiet | Should -BeTrue -Because 'nothing half-written is recorded'

            Remove-Item $filler
            $next = Sync-LogSource -Config $src.Config -ErrorVariable errors
            $errors | Should -BeNullOrEmpty
            ($next | Where-Object Action -eq 'Copied').Name | Should -Be @('app-2.log', 'app.log')
            foreach ($name in 'app-1.log', 'app-2.log', 'app.log') { Get-B3sum (Join-Path $pond $name) | Should -Be (Get-B3sum (Join-Path $src.Host $name)) }
            Test-LogMirror -IncludeHost -Quiet | Should -BeTrue
        }
        finally { Dismount-TestFileSystem $mount }
    }

    It 'a sync stopped in the middle of a copy (Ctrl+C, a stopped job) leaves no partial or unrecorded bytes in the pond' {
        $store = New-TestStore
        $src = New-Source
        Add-HostBytes (Join-Path $src.Host 'app-1.log') (9MB) -Seed 13
        $env:LOGTOOLS_TEST_SYNC_DELAY_MS = '25'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript('param($m, $c, $s) Import-Module $m; Sync-LogSource -Config $c -Store $s').AddArgument($ModuleManifest).AddArgument($src.Config).AddArgument($store)
            $async = $ps.BeginInvoke()
            $partial = Join-Path (Get-TestContentRoot $store) 'pond/logs/app/.app-1.log.logtools-partial'
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Test-Path $partial) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Start-Sleep -Milliseconds 300
            Test-Path $partial | Should -BeTrue -Because 'the copy (about 3.6 s) is still running'
            $ps.Stop()
            { $ps.EndInvoke($async) } | Should -Throw
        }
        finally { Remove-Item Env:LOGTOOLS_TEST_SYNC_DELAY_MS; $ps.Dispose() }
        @(Get-ChildItem -Force (Join-Path (Get-TestContentRoot $store) 'pond/logs/app')) | Should -BeNullOrEmpty
        Get-LogMirror | Should -BeNullOrEmpty
        (Sync-LogSource -Config $src.Config).Blake3 | Should -Be (Get-B3sum (Join-Path $src.Host 'app-1.log'))
    }

    It 'a host archive replaced while it is copied: the pond gets the file as it was, then the change is reported' {
        $store = New-TestStore
        $src = New-Source
        $archive = Join-Path $src.Host 'app-1.log'
        Add-HostBytes $archive (4MB) -Seed 11
        $original = Get-B3sum $archive
        $env:LOGTOOLS_TEST_SYNC_DELAY_MS = '10'
        try {
            $module = $ModuleManifest; $config = $src.Config
            $job = Start-ThreadJob -ScriptBlock {
                Import-Module $using:module
                Sync-LogSource -Config $using:config -Store $using:store
            }
            $partial = Join-Path (Get-TestContentRoot $store) 'pond/logs/app/.app-1.log.logtools-partial'
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while (-not (Test-Path $partial) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Test-Path $partial | Should -BeTrue
            $replacement = Join-Path $src.Host 'replacement.tmp'
            Add-HostBytes $replacement (4MB + 10) -Seed 12
            Move-Item $replacement $archive -Force
            $result = $job | Wait-Job -Timeout 60 | Receive-Job -ErrorVariable errors
        }
        finally { Remove-Item Env:LOGTOOLS_TEST_SYNC_DELAY_MS; $job | Remove-Job -Force }
        $errors | Should -BeNullOrEmpty
        $result.Action | Should -Be 'Copied'
        $result.Blake3 | Should -Be $original
        Get-B3sum (Join-Path (Get-TestContentRoot $store) 'pond/logs/app/app-1.log') | Should -Be $original

        $next = Sync-LogSource -Config $src.Config -WarningVariable warnings
        $next.Action | Should -Be 'Changed'
        $next.Status | Should -Be 'ChangedOnHost'
        $warnings.Count | Should -Be 1
        Get-B3sum (Join-Path (Get-TestContentRoot $store) 'pond/logs/app/app-1.log') | Should -Be $original
    }
}
