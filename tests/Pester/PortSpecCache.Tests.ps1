BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # A tree of three ports: lib/aaa builds, lib/aab fails, app/a depends on lib/aaa. Returns app/a's port.yml.
    function New-Tree {
        $tree = New-TestFolder 'ports'
        foreach ($port in @(
                @{ Origin = 'lib/aaa'; Depends = ''; Build = 'true' },
                @{ Origin = 'lib/aab'; Depends = ''; Build = 'exit 3' },
                @{ Origin = 'app/a'; Depends = 'lib/aaa'; Build = 'true' })) {
            $folder = Join-Path $tree $port.Origin
            New-Item -ItemType Directory -Force -Path $folder | Out-Null
            Set-Content -LiteralPath (Join-Path $folder 'port.yml') -Value @("name: $($port.Origin)", "version: '1'", "depends: [$($port.Depends)]", 'phases:', "  build: '$($port.Build)'")
        }
        $tree
    }

    # Points app/a at lib/aab instead of lib/aaa: the same size, and the mtime set back with touch -d.
    function Set-Dependency([string] $Tree) {
        $path = Join-Path $Tree 'app/a/port.yml'
        $mtime = & stat -c '%y' $path
        $size = (Get-Item $path).Length
        Set-Content -LiteralPath $path -Value ((Get-Content -Raw $path).TrimEnd("`n") -replace 'lib/aaa', 'lib/aab')
        & touch -d $mtime $path
        (Get-Item $path).Length | Should -Be $size
        (& stat -c '%y' $path) | Should -Be $mtime
    }

    function Invoke-Build([string] $Tree) {
        $results = @{}
        Invoke-PortBuild -PortsPath $Tree -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
            Where-Object { $_.pstypenames -contains 'LogTools.Engine.Ports.PortBuildResult' } | ForEach-Object { $results[$_.Origin] = $_ }
        $results
    }
}

Describe 'The port.yml kept in the index' {
    BeforeEach { $null = New-TestStore }

    It 'a changed depends line re-plans the build, the port.yml having been taken from the index before' {
        $tree = New-Tree
        Start-Sleep -Seconds 3.5 # past the racy window: the first build records tuples that vouch for the files
        (Invoke-Build $tree)['app/a'].Status | Should -Be 'Success'
        $verbose = Invoke-PortBuild -PortsPath $tree -Verbose -ErrorAction SilentlyContinue 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        # lib/aab failed, so it has no index row and is read again; the other two are taken from the index
        ($verbose.Message -join "`n") | Should -Match '\(1 port\.yml parsed\)'

        Set-Dependency $tree
        $result = (Invoke-Build $tree)['app/a']
        $result.Status | Should -Be 'DependencyFailed'
        $result.Reason | Should -Be "dependency 'lib/aab' failed"
    }

    It 'a port.yml edited within the racy window of the build before, same size and mtime, is read again' {
        $tree = New-Tree
        (Invoke-Build $tree)['app/a'].Status | Should -Be 'Success'
        Set-Dependency $tree
        $result = (Invoke-Build $tree)['app/a']
        $result.Status | Should -Be 'DependencyFailed'
        $result.Reason | Should -Be "dependency 'lib/aab' failed"
    }
}
