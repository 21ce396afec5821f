BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # One port, a patch in files/ and an empty folder extra/.
    function New-Tree {
        $tree = New-TestFolder 'ports'
        $folder = Join-Path $tree 'lib/a'
        New-Item -ItemType Directory -Force -Path (Join-Path $folder 'files'), (Join-Path $folder 'extra') | Out-Null
        Set-Content -LiteralPath (Join-Path $folder 'port.yml') -Value @('name: lib/a', "version: '1'", 'phases:', "  build: 'true'")
        Set-Content -LiteralPath (Join-Path $folder 'files/a.patch') -Value '--- a'
        $tree
    }

    # The build's one result and the plan's verbose line.
    function Invoke-Build([string] $Tree) {
        $out = Invoke-PortBuild -PortsPath $Tree -Verbose -ErrorAction SilentlyContinue -WarningAction SilentlyContinue 4>&1
        [pscustomobject]@{
            Result = $out | Where-Object { $_.pstypenames -contains 'LogTools.Engine.Ports.PortBuildResult' }
            Plan   = ($out | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'Planned*' }).Message
        }
    }
}

Describe 'A port folder not listed when its folders are unchanged' {
    BeforeEach { $null = New-TestStore }

    It 'skips an unchanged port without listing it, and sees <Change> (<Reason>)' -ForEach @(
        @{ Change = 'a file added to files/'; Reason = 'files/b.patch'; Make = { param($p) Set-Content -LiteralPath "$p/files/b.patch" -Value 'b' } }
        @{ Change = 'a file added to the empty extra/'; Reason = 'extra/c.patch'; Make = { param($p) Set-Content -LiteralPath "$p/extra/c.patch" -Value 'c' } }
        @{ Change = 'a file renamed'; Reason = 'files/a.patch, files/z.patch'; Make = { param($p) Move-Item -LiteralPath "$p/files/a.patch" -Destination "$p/files/z.patch" } }
        @{ Change = 'a file removed'; Reason = 'files/a.patch'; Make = { param($p) Remove-Item -LiteralPath "$p/files/a.patch" } }
        @{ Change = 'a new subfolder with a file'; Reason = 'files/new/d.patch'; Make = { param($p) New-Item -ItemType Directory -Path "$p/files/new" | Out-Null; Set-Content -LiteralPath "$p/files/new/d.patch" -Value 'd' } }
        @{ Change = 'a file rewritten, same size, mtime and folder mtime set back'; Reason = 'files/a.patch'; Make = {
                param($p)
                $mtime = & stat -c '%y' "$p/files/a.patch"
                Set-Content -LiteralPath "$p/files/a.patch" -Value '--- b'
                & touch -d $mtime "$p/files/a.patch"
            } }
    ) {
        $tree = New-Tree
        Start-Sleep -Seconds 3.5 # past the racy window: the first build records tuples that vouch for the files and folders
        (Invoke-Build $tree).Result.Status | Should -Be 'Success'
        $again = Invoke-Build $tree
        $again.Result.Status | Should -Be 'Skipped'
        $again.Plan | Should -Match '\(0 files read, 0 port folders listed\)'

        # the folder's mtime set back too, as `touch -d` would: its ctime still moved
        $folder = Join-Path $tree 'lib/a/files'
        $mtime = & stat -c '%y' $folder
        & $Make (Join-Path $tree 'lib/a')
        & touch -d $mtime $folder
        $changed = Invoke-Build $tree
        $changed.Result.Status | Should -Be 'Success'
        $changed.Result.Reason | Should -Be "checksum changed ($Reason)"
    }
}
