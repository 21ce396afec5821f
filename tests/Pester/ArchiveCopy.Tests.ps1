BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

# The new-archive copy: in the kernel (copy_file_range) when host and pond share a file system, read and written
# by the engine otherwise; either way the recorded digest is b3sum's of the pond copy, and a copy that fails leaves
# nothing presented as whole.
Describe 'Sync-LogSource copying new archives' {
    BeforeAll {
        # A source 'app' whose host folder is $HostDir (app-*.log archives, app.log active).
        function New-CopySource([string] $HostDir) {
            $config = Join-Path (New-TestFolder 'src') 'app.yml'
            Set-Content -Path $config -Value "name: app`narchived_pattern: $HostDir/app-*.log`nactive_pattern: $HostDir/app.log`npond_path: logs/app"
            $config
        }
    }

    It 'copies from another file system (a tmpfs host, where the kernel cannot copy): bytes and digest equal to b3sum' {
        $store = New-TestStore
        $mount = Mount-TestFileSystem -SizeKB (96 * 1024)
        try {
            $archive = Join-Path $mount 'app-1.log'
            New-BigFile $archive (40MB + 123) -Seed 7
            $result = Sync-LogSource -Config (New-CopySource $mount) -ErrorVariable errors
            $errors | Should -BeNullOrEmpty
            $result.Action | Should -Be 'Copied'
            $copy = Join-Path (Get-TestContentRoot $store) 'pond/logs/app/app-1.log'
            (Get-Item $copy).Length | Should -Be (40MB + 123)
            $result.Blake3 | Should -Be (Get-B3sum $archive)
            Get-B3sum $copy | Should -Be (Get-B3sum $archive)
            Test-LogMirror -IncludeHost -Quiet | Should -BeTrue
        }
        finally { Dismount-TestFileSystem $mount }
    }

    It 'a pond that fills during a kernel copy (host and pond on one tmpfs): MirrorPondNotWritten, no partial copy, and the next sync completes' {
        $store = New-TestStore
        $mount = Mount-TestFileSystem -SizeKB (48 * 1024)
        try {
            New-Item -ItemType Directory -Path (Get-TestContentRoot $store) -Force | Out-Null
            New-Item -ItemType Directory -Path (Join-Path $mount 'pond'), (Join-Path $mount 'host') | Out-Null
            New-Item -ItemType SymbolicLink -Path (Join-Path (Get-TestContentRoot $store) 'pond') -Target (Join-Path $mount 'pond') | Out-Null
            $archive = Join-Path $mount 'host/app-1.log'
            # Written out (a sparse file would take its pages on tmpfs when b3sum maps it): 20 MiB, 10 MiB of filler,
            # so the copy's first 16 MiB block fits and the second does not.
            $bytes = [byte[]]::new(20MB + 5)
            [Random]::new(9).NextBytes($bytes)
            [IO.File]::WriteAllBytes($archive, $bytes)
            $filler = Join-Path $mount 'filler'
            [IO.File]::WriteAllBytes($filler, [byte[]]::new(10MB))
            $config = New-CopySource (Join-Path $mount 'host')

            $result = Sync-LogSource -Config $config -ErrorAction SilentlyContinue -ErrorVariable errors
            $result | Should -BeNullOrEmpty
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'MirrorPondNotWritten,LogTools.Commands.SyncLogSourceCommand'
            $errors[0].Exception.Message | Should -Match 'app-1\.log.*No space left on device'
            @(Get-ChildItem -Force (Join-Path $mount 'pond/logs/app')) | Should -BeNullOrEmpty -Because 'the partial copy is removed'
            @(Get-LogMirror) | Should -BeNullOrEmpty

            Remove-Item $filler
            $next = Sync-LogSource -Config $config -ErrorVariable errors
            $errors | Should -BeNullOrEmpty
            $next.Action | Should -Be 'Copied'
            $next.Blake3 | Should -Be (Get-B3sum $archive)
            Get-B3sum (Join-Path $mount 'pond/logs/app/app-1.log') | Should -Be (Get-B3sum $archive)
        }
        finally { Dismount-TestFileSystem $mount }
    }
}
