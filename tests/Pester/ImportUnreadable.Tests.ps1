BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # The bytes of a gzipped worker log of $Count calls (New-HistoryFile).
    function New-GzipHistoryBytes([string] $Folder, [int] $Count, [string] $Tag) {
        $plain = Join-Path $Folder "$Tag.plain"
        New-HistoryFile $plain $Count -Tag $Tag
        $bytes = [IO.File]::ReadAllBytes($plain)
        Remove-Item $plain
        $buffer = [IO.MemoryStream]::new()
        $gzip = [IO.Compression.GZipStream]::new($buffer, [IO.Compression.CompressionLevel]::Optimal, $true)
        $gzip.Write($bytes, 0, $bytes.Length)
        $gzip.Dispose()
        , $buffer.ToArray()
    }
}

# A file that cannot be read, or should not be opened, is an error naming it, and the other files are imported; a
# log that starts with a byte-order mark is read as if it had none.
Describe 'Import-LogHistory goes on past the files it cannot read' {
    BeforeEach {
        $store = New-TestStore
        $folder = New-TestFolder 'import-unreadable'
        New-HistoryFile (Join-Path $folder 'a.jsonl') 3 -Tag a
        New-HistoryFile (Join-Path $folder 'c.jsonl') 2 -Tag c
    }

    It 'reports a .jsonl.gz with <Damage> as HistoryFileUnreadable by name, imports the others, and reports it again next time' -TestCases @(
        @{ Damage = 'garbage after its header' }
        @{ Damage = 'a checksum byte flipped' }
        @{ Damage = 'its second half cut off' }
    ) {
        $gz = Join-Path $folder 'b.jsonl.gz'
        $bytes = New-GzipHistoryBytes $folder 200 b
        $damaged = switch ($Damage) {
            'garbage after its header' { [byte[]]($bytes[0..9] + (1..300 | ForEach-Object { [byte](($_ * 73) % 256) })) }
            'a checksum byte flipped' { $bytes[-8] = $bytes[-8] -bxor 1; $bytes }
            default { [byte[]]$bytes[0..($bytes.Length / 2)] }
        }
        [IO.File]::WriteAllBytes($gz, $damaged)

        $results = @(Import-LogHistory -Path $folder -ErrorVariable failures -ErrorAction SilentlyContinue)

        @($results | ForEach-Object { "$([IO.Path]::GetFileName($_.Path))=$($_.Imported)" }) | Should -Be @('a.jsonl=3', 'c.jsonl=2')
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'HistoryFileUnreadable,LogTools.Commands.ImportLogHistoryCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $failures[0].TargetObject | Should -Be $gz
        $failures[0].Exception.Message | Should -BeLike "The gzip log '$gz' *Replace it*"
        $failures[0].Exception.Message | Should -Not -Match 'compression method'
        $run = @(Get-LogRun -Kind import)[0]
        $run.Status | Should -Be 'Failed'
        @(Get-RunEvent -RunId $run.RunId | Where-Object Type -eq 'error').Payload.target | Should -Be $gz

        $again = @(Import-LogHistory -Path $folder -ErrorVariable failures -ErrorAction SilentlyContinue)
        $again.Unchanged | Should -Be @($true, $true)
        $failures.TargetObject | Should -Be $gz
    }

    It 'skips a byte-order mark at the start of a log, and reads what is appended from where it stopped' {
        $log = Join-Path $folder 'bom.jsonl'
        New-HistoryFile $log 2 -Tag d
        [IO.File]::WriteAllBytes($log, [byte[]](0xEF, 0xBB, 0xBF) + [IO.File]::ReadAllBytes($log))
        $size = (Get-Item $log).Length

        $first = Import-LogHistory -Path $log -WarningVariable warnings
        [IO.File]::AppendAllText($log, [IO.File]::ReadAllText((Join-Path $folder 'c.jsonl')))
        $second = Import-LogHistory -Path $log -WarningVariable +warnings

        $first.Imported, $first.Malformed, $first.BytesRead | Should -Be @(2, 0, $size)
        $second.StartOffset, $second.Lines, $second.Imported, $second.Malformed | Should -Be @($size, 2, 2, 0)
        $warnings | Should -BeNullOrEmpty
    }

    It 'reports a FIFO named like a log as HistoryFileNotRegular without waiting on it, and imports the others' {
        $fifo = Join-Path $folder 'b.jsonl'
        & mkfifo $fifo
        # In a pwsh of its own with a time limit: an import that opens the FIFO waits for a writer for ever.
        $script = "Import-Module `$LogToolsModule; `$r = @(Import-LogHistory -Path '$folder' -Store '$store' -ErrorVariable e -ErrorAction SilentlyContinue); " +
            "(`$r | ForEach-Object { [IO.Path]::GetFileName(`$_.Path) }) -join ','; `$e | ForEach-Object { `$_.FullyQualifiedErrorId + ' ' + `$_.TargetObject + ' ' + `$_.Exception.Message }"

        $run = Invoke-Pwsh $script -TimeoutSeconds 60

        $run.ExitCode | Should -Be 0
        $lines = @($run.Stdout.Trim() -split "`r?`n")
        $lines[0] | Should -Be 'a.jsonl,c.jsonl'
        $lines.Count | Should -Be 2
        $lines[1] | Should -BeLike "HistoryFileNotRegular,LogTools.Commands.ImportLogHistoryCommand $fifo '$fifo' is a FIFO (named pipe), not a regular file*"
    }
}
