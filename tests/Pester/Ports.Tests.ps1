BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # Writes a port folder <tree>/<origin> with a port.yml; the phases record their environment and make a package.
    function New-Port {
        param([string] $Tree, [string] $Origin, [string[]] $Depends = @(), [hashtable] $Phases, [string] $Extra)
        $folder = Join-Path $Tree $Origin
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        if (-not $Phases) {
            $Phases = @{
                build   = 'echo "building $PORTNAME $PORTVERSION"; cat "$PORTDIR/files/source.c" > "$WRKDIR/out"; for p in $DEPENDS_PACKAGES; do test -f "$p" || exit 9; done'
                stage   = 'cp "$WRKDIR/out" "$STAGEDIR/out"'
                package = 'tar -cf "$PACKAGES/$(basename $PORTNAME)-$PORTVERSION.tar" -C "$STAGEDIR" .'
            }
        }
        $yaml = @("name: $Origin", 'version: "1.0"', "depends: [$($Depends -join ', ')]", 'phases:')
        foreach ($name in $Phases.Keys) { $yaml += "  ${name}: '$($Phases[$name] -replace "'", "''")'" }
        if ($Extra) { $yaml += $Extra }
        Set-Content -LiteralPath (Join-Path $folder 'port.yml') -Value $yaml
        New-Item -ItemType Directory -Force -Path (Join-Path $folder 'files') | Out-Null
        Set-Content -LiteralPath (Join-Path $folder 'files/source.c') -Value "int main(void) { return 0; } /* $Origin */"
        $folder
    }

    # Runs Invoke-PortBuild and splits its output: the per-port results by origin, and the stats.
    function Invoke-Build {
        param([string] $Tree, [string[]] $Port, [int] $Jobs = 2)
        $arguments = @{ PortsPath = $Tree; Jobs = $Jobs }
        if ($Port) { $arguments.Port = $Port }
        $all = @(Invoke-PortBuild @arguments -ErrorVariable +script:buildErrors -ErrorAction SilentlyContinue -WarningVariable +script:buildWarnings -WarningAction SilentlyContinue)
        $results = @{}
        foreach ($r in $all | Where-Object { $_.pstypenames -contains 'LogTools.Engine.Ports.PortBuildResult' }) { $results[$r.Origin] = $r }
        [pscustomobject]@{ All = $all; Results = $results; Stats = $all | Where-Object { $_.pstypenames -contains 'LogTools.Engine.Ports.PortBuildStats' } }
    }
}

Describe 'The design''s integration tests: one port' {
    BeforeAll {
        $store = New-TestStore
        $tree = New-TestFolder 'ports'
        $folder = New-Port -Tree $tree -Origin 'devel/hello'
        $first = Invoke-Build -Tree $tree
        $second = Invoke-Build -Tree $tree
        $recordsAfterSecond = @(Get-PortBuild -Origin devel/hello)
    }

    It '1. a first build succeeds: record success, checksum stored, the package index points to the build' {
        $r = $first.Results['devel/hello']
        $r.Status | Should -Be 'Success'
        $r.Reason | Should -Be 'new'
        $r.BuildId | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-'
        $record = Get-PortBuild -Origin devel/hello -Last 1
        $record.BuildId | Should -Be $r.BuildId
        $record.Status | Should -Be 'Success'
        $record.Checksum | Should -Match '^[0-9a-f]{64}$'
        @($record.Phases.Phase) | Should -Be @('build', 'stage', 'package')
        $package = Get-PortPackage -Origin devel/hello
        $package.BuildId | Should -Be $r.BuildId
        $package.PackageFile | Should -Exist
        (& tar -xOf $package.PackageFile ./out) | Should -BeLike '*devel/hello*'
        Get-Content -LiteralPath $r.LogPath | ConvertFrom-Json | Where-Object type -eq 'port.output' |
            ForEach-Object { $_.payload.message } | Should -Contain 'building devel/hello 1.0'
    }

    It '2. built again unchanged: Skipped with "checksum match", counted, no new record' {
        $r = $second.Results['devel/hello']
        $r.Status | Should -Be 'Skipped'
        $r.Reason | Should -Be 'checksum match'
        $r.BuildId | Should -BeNullOrEmpty
        $second.Stats.Skipped | Should -Be 1
        $recordsAfterSecond.Count | Should -Be 1
    }

    It '3. a changed port (a comment in a file) is rebuilt: new record, checksum updated' {
        $before = Get-PortBuild -Origin devel/hello -Last 1
        Add-Content -LiteralPath (Join-Path $folder 'files/source.c') -Value '/* a comment */'
        $third = Invoke-Build -Tree $tree
        $third.Results['devel/hello'].Status | Should -Be 'Success'
        $third.Results['devel/hello'].Reason | Should -Be 'checksum changed (files/source.c)'
        $after = Get-PortBuild -Origin devel/hello -Last 1
        $after.BuildId | Should -Not -Be $before.BuildId
        $after.Checksum | Should -Not -Be $before.Checksum
        @(Get-PortBuild -Origin devel/hello).Count | Should -Be 2
    }

    It 'does not depend on mtimes: touching every file changes nothing' {
        Get-ChildItem -LiteralPath $folder -Recurse -File | ForEach-Object { $_.LastWriteTime = (Get-Date).AddDays(-3) }
        (Invoke-Build -Tree $tree).Results['devel/hello'].Status | Should -Be 'Skipped'
    }
}

Describe 'Runs, status and views' {
    BeforeAll {
        $store = New-TestStore
        $tree = New-TestFolder 'ports'
        $b = New-Port -Tree $tree -Origin 'lib/b'
        New-Port -Tree $tree -Origin 'application/with-a-long-name' -Depends 'lib/b' | Out-Null
        $first = Invoke-Build -Tree $tree
        Add-Content -LiteralPath (Join-Path $b 'files/source.c') -Value '/* again */'
        $second = Invoke-Build -Tree $tree
        Add-Content -LiteralPath (Join-Path $b 'files/source.c') -Value '/* changed, not built */'
    }

    It 'each Invoke-PortBuild is a portbuild run; each port built is a port run linked to it, holding its output' {
        $runId = $second.Stats.RunId
        $runId | Should -Not -BeNullOrEmpty
        $second.Results.Values.RunId | Select-Object -Unique | Should -Be $runId
        (Get-LogRun -RunId $runId).Kind | Should -Be 'portbuild'
        (Get-LogRun -RunId $runId).Summary.success | Should -Be 2
        $ports = @(Get-LogRun -Kind port -Configuration $runId)
        $ports.Count | Should -Be 2
        $ports.WorkspaceId | Sort-Object | Should -Be @('application/with-a-long-name', 'lib/b')
        $ports.Status | Select-Object -Unique | Should -Be 'Succeeded'
        $log = $second.Results['lib/b'].LogPath
        ($ports | Where-Object WorkspaceId -eq 'lib/b').EventsPath | Should -Be $log
        @(Get-RunEvent -RunId ($ports | Where-Object WorkspaceId -eq 'lib/b').RunId -Type port.phase).Count | Should -Be 3
    }

    It 'Get-PortStatus: up to date or changed (a dependency change counts), latest result, median duration' {
        $states = @(Get-PortStatus -PortsPath $tree)
        $states.Origin | Should -Be @('lib/b', 'application/with-a-long-name')
        $states.ChecksumState | Should -Be @('Changed', 'Changed')
        $states.LastStatus | Should -Be @('Success', 'Success')
        $states.Builds | Should -Be @(2, 2)
        $durations = @(Get-PortBuild -Origin lib/b).Duration | Sort-Object
        $states[0].MedianDuration | Should -Be ([timespan]::FromTicks(($durations[0].Ticks + $durations[1].Ticks) / 2))
        Invoke-Build -Tree $tree | Out-Null
        (Get-PortStatus -PortsPath $tree -Port lib/b).ChecksumState | Should -Be 'UpToDate'
    }

    It 'Get-PortBuild filters by origin pattern, status, -Last and -Since' {
        @(Get-PortBuild -Origin 'lib/*').Count | Should -Be 3
        @(Get-PortBuild -Last 2).Count | Should -Be 2
        @(Get-PortBuild -Status Failed).Count | Should -Be 0
        @(Get-PortBuild -Since (Get-Date).AddMinutes(10)).Count | Should -Be 0
        $all = @(Get-PortBuild)
        $all[0].StartedAt | Should -BeGreaterOrEqual $all[-1].StartedAt
    }

    It 'views at <Width> columns: results show origin, status, duration and reason; records, packages and states their key columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $text = Remove-Ansi ($first.All | Where-Object Origin | Get-Rendered -Width $Width)
        $text | Should -Match 'Origin\s+Status\s+Duration\s+Reason'
        $text | Should -Match 'application/with-a-long-name\s+Success\s+\d+ ms\s+new'
        $text = Remove-Ansi ($first.Stats | Get-Rendered -Width $Width)
        $text | Should -Match 'Total\s+Success\s+Failed\s+Skipped\s+DependencyFailed\s+Ignored\s+Duration'
        $text | Should -Match '\s+2\s+2\s+0\s+0\s+0\s+0\s+'
        $text = Remove-Ansi (Get-PortBuild -Last 1 | Get-Rendered -Width $Width)
        $text | Should -Match 'Started\s+Origin\s+Status\s+Duration\s+Failed\s+BuildId'
        $text = Remove-Ansi (Get-PortPackage | Get-Rendered -Width $Width)
        $text | Should -Match 'lib/b\s+1.0\s+\d\d-\d\d \d\d:\d\d\s+b-1.0.tar'
        $text = Remove-Ansi (Get-PortStatus -PortsPath $tree | Get-Rendered -Width $Width)
        $text | Should -Match 'lib/b\s+1.0\s+UpToDate\s+Success\s+3\s+\S+'
        ($text -split "`n" | Measure-Object -Maximum Length).Maximum | Should -BeLessOrEqual $Width
    }
}

Describe 'The design''s integration tests: a failing port' {
    BeforeAll {
        $store = New-TestStore
        $tree = New-TestFolder 'ports'
        $folder = New-Port -Tree $tree -Origin 'misc/flaky'
        $good = Invoke-Build -Tree $tree
        $goodChecksum = (Get-PortBuild -Origin misc/flaky -Last 1).Checksum
        $yaml = Join-Path $folder 'port.yml'
        $original = Get-Content -LiteralPath $yaml
        Set-Content -LiteralPath $yaml -Value ($original + "  patch: 'echo bad patch >&2; exit 1'")
        $script:buildErrors = @()
        $failed = Invoke-Build -Tree $tree
    }

    It '4. a phase exits 1: record failed with the phase, checksum and package index unchanged, an error record' {
        $r = $failed.Results['misc/flaky']
        $r.Status | Should -Be 'Failed'
        $r.FailedPhase | Should -Be 'patch'
        $r.ExitCode | Should -Be 1
        $record = Get-PortBuild -Origin misc/flaky -Last 1
        $record.Status | Should -Be 'Failed'
        $record.FailedPhase | Should -Be 'patch'
        $record.ExitCode | Should -Be 1
        (Get-PortPackage -Origin misc/flaky).BuildId | Should -Be $good.Results['misc/flaky'].BuildId
        (Get-PortStatus -PortsPath $tree).ChecksumState | Should -Be 'Changed'
        @(Get-PortBuild -Origin misc/flaky -Status Success).Checksum | Should -Be $goodChecksum
        $script:buildErrors.FullyQualifiedErrorId | Should -Contain 'PortBuildFailed,LogTools.Commands.InvokePortBuildCommand'
        Get-Content -LiteralPath $r.LogPath | ConvertFrom-Json | Where-Object { $_.payload.stream -eq 'stderr' } |
            ForEach-Object { $_.payload.message } | Should -Be 'bad patch'
    }

    It '4. fixed, it builds' {
        Set-Content -LiteralPath $yaml -Value ($original + "  patch: 'true'")
        $fixed = Invoke-Build -Tree $tree
        $fixed.Results['misc/flaky'].Status | Should -Be 'Success'
        (Get-PortPackage -Origin misc/flaky).BuildId | Should -Be $fixed.Results['misc/flaky'].BuildId
    }
}

Describe 'The design''s integration tests: A depends on B' {
    BeforeAll {
        $store = New-TestStore
        $tree = New-TestFolder 'ports'
        $b = New-Port -Tree $tree -Origin 'lib/b'
        $a = New-Port -Tree $tree -Origin 'app/a' -Depends 'lib/b'
    }

    It '5. both built (B first, A sees its package); again both skipped; A changed: A only; B changed: B and A' {
        $run = Invoke-Build -Tree $tree
        $run.Results['lib/b'].Status | Should -Be 'Success'
        $run.Results['app/a'].Status | Should -Be 'Success'
        @($run.All.Origin | Where-Object { $_ })[0] | Should -Be 'lib/b'
        $again = Invoke-Build -Tree $tree
        $again.Results.Values.Status | Should -Be @('Skipped', 'Skipped')
        Add-Content -LiteralPath (Join-Path $a 'files/source.c') -Value '/* A */'
        $onlyA = Invoke-Build -Tree $tree
        $onlyA.Results['app/a'].Status | Should -Be 'Success'
        $onlyA.Results['lib/b'].Status | Should -Be 'Skipped'
        Add-Content -LiteralPath (Join-Path $b 'files/source.c') -Value '/* B */'
        $both = Invoke-Build -Tree $tree
        $both.Results['lib/b'].Status | Should -Be 'Success'
        $both.Results['app/a'].Status | Should -Be 'Success'
        $both.Results['app/a'].Reason | Should -Be 'dependency rebuilt (lib/b)'
    }

    It 'a failed dependency marks its dependents DependencyFailed, not built' {
        Add-Content -LiteralPath (Join-Path $b 'port.yml') -Value "  configure: 'exit 3'"
        $run = Invoke-Build -Tree $tree
        $run.Results['lib/b'].Status | Should -Be 'Failed'
        $run.Results['app/a'].Status | Should -Be 'DependencyFailed'
        $run.Results['app/a'].Reason | Should -Be "dependency 'lib/b' failed"
        $run.Results['app/a'].BuildId | Should -BeNullOrEmpty
    }

    It '-WhatIf prints the plan in order with reasons and writes nothing' {
        $before = @(Get-PortBuild).Count
        $lines = Invoke-Pwsh -Script "Import-Module `$LogToolsModule; Invoke-PortBuild -PortsPath '$tree' -Store '$store' -WhatIf"
        $lines.Stdout -split "`n" | Where-Object { $_ -like 'What if:*' } | ForEach-Object { $_.Trim() } |
            Should -Be @("What if: Build port 'lib/b' 1.0: checksum changed (port.yml).", "What if: Build port 'app/a' 1.0: dependency rebuilt (lib/b).")
        @(Get-PortBuild).Count | Should -Be $before
    }
}

Describe 'Many workers' {
    It 'builds a diamond-rich graph with -Jobs 8 in order, stats equal the objects, repeatedly without races' {
        $store = New-TestStore
        $tree = New-TestFolder 'ports'
        foreach ($i in 1..12) {
            $deps = @(1..($i - 1) | Where-Object { $_ -gt 0 -and ($i % $_ -eq 0) -and $_ -ne $i } | ForEach-Object { "g/p$_" })
            New-Port -Tree $tree -Origin "g/p$i" -Depends $deps | Out-Null
        }
        foreach ($round in 1..3) {
            Get-ChildItem -LiteralPath $tree -Filter source.c -Recurse | Select-Object -First 1 | Add-Content -Value "/* $round */"
            $run = Invoke-Build -Tree $tree -Jobs 8
            $results = @($run.All | Where-Object { $_.pstypenames -contains 'LogTools.Engine.Ports.PortBuildResult' })
            $results.Count | Should -Be 12
            $run.Stats.Total | Should -Be $results.Count
            $run.Stats.Success | Should -Be @($results | Where-Object Status -eq Success).Count
            $run.Stats.Skipped | Should -Be @($results | Where-Object Status -eq Skipped).Count
            $run.Stats.Failed | Should -Be 0
            $position = @{}; for ($k = 0; $k -lt $results.Count; $k++) { $position[$results[$k].Origin] = $k }
            foreach ($i in 2..12) { foreach ($d in 1..($i - 1) | Where-Object { $i % $_ -eq 0 }) { $position["g/p$d"] | Should -BeLessThan $position["g/p$i"] } }
        }
        @(Get-PortBuild -Status Running).Count | Should -Be 0
    }
}

Describe 'Fail-safe tracking' {
    # The build phase itself fills the store's file system: every record after that fails (disk full). A read-only
    # remount cannot be done mid-build: the kernel refuses it (busy) while SQLite holds the database open for writing.
    It 'a store made unwritable mid-build gives warnings, and the build goes on and succeeds' {
        $fs = Mount-TestFileSystem -SizeKB 8192
        try {
            $store = Join-Path $fs 'store'
            $tree = New-TestFolder 'ports'
            New-Port -Tree $tree -Origin 'x/full' -Phases @{ build = "cat /dev/zero > '$fs/fill' 2>/dev/null; echo built > `"`$WRKDIR/out`"" } | Out-Null
            $all = @(Invoke-PortBuild -PortsPath $tree -Store $store -Jobs 1 -WarningVariable w -WarningAction SilentlyContinue -ErrorVariable e -ErrorAction SilentlyContinue)
            $e | Should -BeNullOrEmpty
            ($all | Where-Object Origin -eq 'x/full').Status | Should -Be 'Success'
            ($all | Where-Object Total).Success | Should -Be 1
            Join-Path $tree '.work/work/x/full/out' | Should -FileContentMatchExactly 'built'
            ($w -join "`n") | Should -Match "Could not record the end of the build of 'x/full': The disk holding .* is full"
            Remove-Item -LiteralPath (Join-Path $fs 'fill')
            # Nothing was recorded as a success: the record stays running (its builder is this process, so not abandoned).
            (Get-PortBuild -Store $store -Origin x/full).Status | Should -Be 'Running'
            @(Get-PortPackage -Store $store).Count | Should -Be 0
        }
        finally { Dismount-TestFileSystem $fs }
    }
}

Describe 'Abandoned builds' {
    It 'a record left running by a killed builder is marked abandoned next time and the port rebuilt' {
        $store = New-TestStore
        $tree = New-TestFolder 'ports'
        New-Port -Tree $tree -Origin 'x/slow' | Out-Null
        Invoke-Build -Tree $tree | Out-Null
        Add-Content -LiteralPath (Join-Path $tree 'x/slow/port.yml') -Value "  fetch: 'touch ""$tree/started""; sleep 60'"
        $process = Start-Pwsh -Script "Import-Module `$LogToolsModule; Invoke-PortBuild -PortsPath '$tree' -Store '$store'"
        $deadline = (Get-Date).AddSeconds(60)
        while (-not (Test-Path (Join-Path $tree 'started')) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 100 }
        $process.Kill($true); $process.WaitForExit()
        (Get-PortBuild -Origin x/slow -Last 1).Status | Should -Be 'Running'
        Set-Content -LiteralPath (Join-Path $tree 'x/slow/port.yml') -Value ((Get-Content (Join-Path $tree 'x/slow/port.yml')) -notmatch 'fetch')
        $run = Invoke-Build -Tree $tree
        $run.Results['x/slow'].Status | Should -Be 'Success'
        $run.Results['x/slow'].Reason | Should -Be 'previous build abandoned'
        @(Get-PortBuild -Origin x/slow -Status Abandoned).Count | Should -Be 1
    }
}

Describe 'Bad input' {
    BeforeAll { $store = New-TestStore }

    It '<Case> gives <Id>' -TestCases @(
        @{ Case = 'an unknown key'; Id = 'PortSpecUnknownKey'; Yaml = "name: x/a`nversion: '1'`ncolour: red"; Message = "*port.yml' line 3, key 'colour': unknown key*" }
        @{ Case = 'a wrong type'; Id = 'PortSpecInvalid'; Yaml = "name: x/a`nversion: '1'`ndepends: lib/b"; Message = "*line 3, key 'depends'*" }
        @{ Case = 'an unknown phase'; Id = 'PortSpecUnknownKey'; Yaml = "name: x/a`nversion: '1'`nphases:`n  compile: make"; Message = "*line 4, key 'phases.compile'*" }
        @{ Case = 'a name with ..'; Id = 'PortNameInvalid'; Yaml = "name: ../a`nversion: '1'"; Message = "*'../a'*" }
        @{ Case = 'a missing dependency'; Id = 'PortDependencyMissing'; Yaml = "name: x/a`nversion: '1'`ndepends: [lib/none]"; Message = "*'x/a' depends on 'lib/none'*" }
    ) {
        $tree = New-TestFolder 'ports'
        New-Item -ItemType Directory -Path (Join-Path $tree 'x/a') | Out-Null
        Set-Content -LiteralPath (Join-Path $tree 'x/a/port.yml') -Value $Yaml
        $e = { Invoke-PortBuild -PortsPath $tree -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be "$Id,LogTools.Commands.InvokePortBuildCommand"
        $e.Exception.Message | Should -BeLike $Message
        @(Get-PortBuild).Count | Should -Be 0
    }

    It 'a dependency cycle lists the cycle' {
        $tree = New-TestFolder 'ports'
        New-Port -Tree $tree -Origin 'c/one' -Depends 'c/two' | Out-Null
        New-Port -Tree $tree -Origin 'c/two' -Depends 'c/three' | Out-Null
        New-Port -Tree $tree -Origin 'c/three' -Depends 'c/one' | Out-Null
        $e = { Invoke-PortBuild -PortsPath $tree -ErrorAction Stop } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be 'PortDependencyCycle,LogTools.Commands.InvokePortBuildCommand'
        $e.Exception.Message | Should -BeLike '*c/one -> c/two -> c/three -> c/one*'
    }

    It 'a phase command that does not exist fails the port with PortPhaseCommandNotFound, nothing recorded as success' {
        $tree = New-TestFolder 'ports'
        New-Port -Tree $tree -Origin 'x/nocmd' -Phases @{ build = 'no-such-command-here' } | Out-Null
        $script:buildErrors = @()
        $run = Invoke-Build -Tree $tree
        $run.Results['x/nocmd'].Status | Should -Be 'Failed'
        $run.Results['x/nocmd'].ExitCode | Should -Be 127
        $script:buildErrors.FullyQualifiedErrorId | Should -Contain 'PortPhaseCommandNotFound,LogTools.Commands.InvokePortBuildCommand'
        @(Get-PortBuild -Origin x/nocmd -Status Success).Count | Should -Be 0
        @(Get-PortPackage -Origin x/nocmd).Count | Should -Be 0
    }

    It 'a package phase that leaves no file fails with PortPackageInvalid' {
        $tree = New-TestFolder 'ports'
        New-Port -Tree $tree -Origin 'x/nopkg' -Phases @{ package = 'true' } | Out-Null
        $script:buildErrors = @()
        (Invoke-Build -Tree $tree).Results['x/nopkg'].FailedPhase | Should -Be 'package'
        $script:buildErrors.FullyQualifiedErrorId | Should -Contain 'PortPackageInvalid,LogTools.Commands.InvokePortBuildCommand'
    }

    It '-Jobs 0 is refused' {
        { Invoke-PortBuild -PortsPath (New-TestFolder 'ports') -Jobs 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,LogTools.Commands.InvokePortBuildCommand'
    }

    It 'a ports path that is not a folder gives PortsPathNotFound' {
        $file = Join-Path (New-TestFolder 'ports') 'file.txt'
        Set-Content -LiteralPath $file -Value x
        { Invoke-PortBuild -PortsPath $file -ErrorAction Stop } | Should -Throw -ErrorId 'PortsPathNotFound,LogTools.Commands.InvokePortBuildCommand'
    }

    It 'a -Port name with path separators gives PortNameInvalid' {
        { Invoke-PortBuild -PortsPath (New-TestFolder 'ports') -Port '..\x' -ErrorAction Stop } | Should -Throw -ErrorId 'PortNameInvalid,LogTools.Commands.InvokePortBuildCommand'
    }
}
