# Write-IngestLog takes pipeline objects whole (-InputObject) and reads their properties itself: the names that bind,
# what wins, what converts, and the errors PowerShell's own by-property-name binding gave, with the same ids.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # The records of a phase as "relpath|status|size_raw|size_stored|content_hash|file_id|content_version_id|error_type|error_message".
    function Get-Logged([string] $Phase) {
        @(Get-IngestLog -Phase $Phase | ForEach-Object {
                ($_.RelPath, $_.Status, $_.SizeRaw, $_.SizeStored, $_.ContentHash, $_.FileId, $_.ContentVersionId, $_.ErrorType, $_.ErrorMessage) -join '|'
            })
    }
}

Describe 'Write-IngestLog -InputObject' {
    BeforeEach {
        $store = New-TestStore
        $run = Start-LogRun -Kind ingest
    }

    It 'fills every record parameter by its name in any case; a missing property leaves its default, nothing carries over' {
        @(
            [pscustomobject]@{ RelPath = 'a.c'; Status = 'Error'; SizeRaw = 10; SizeStored = 4; ContentHash = 'ab'; FileId = 7; ContentVersionId = 8; ErrorType = 'Parse'; ErrorMessage = 'bad' }
            [pscustomobject]@{ relpath = 'b.c'; STATUS = 'skipped'; sizeraw = '12' }
            [pscustomobject]@{ RelPath = 'c.c' }
        ) | Write-IngestLog -Phase p | Should -Be 3
        Get-Logged p | Should -Be @('a.c|Error|10|4|ab|7|8|Parse|bad', 'b.c|Skipped|12||||||', 'c.c|Processed|||||||')
    }

    It 'keeps a parameter given on the command line over the object''s property, and reads the others from the object' {
        @([pscustomobject]@{ RelPath = 'a.c'; Status = 'Skipped'; FileId = 1 }, [pscustomobject]@{ RelPath = 'b.c'; FileId = 2 }) |
            Write-IngestLog -Phase p -Status Error -ErrorType Cli | Should -Be 2
        Get-Logged p | Should -Be @('a.c|Error||||1||Cli|', 'b.c|Error||||2||Cli|')
    }

    It 'reads Import-Csv rows, converting their text as PowerShell''s binding did (an empty cell is 0, a bad number is left out)' {
        $csv = Join-Path (New-TestFolder) 'records.csv'
        "RelPath,Status,SizeRaw,FileId,ErrorMessage`na.c,Skipped,,3,`nb.c,Processed,0x10,big,`nc.c,Error,1e3, 5 ,oops" | Set-Content $csv
        Import-Csv $csv | Write-IngestLog -Phase p | Should -Be 3
        Get-Logged p | Should -Be @('a.c|Skipped|0|||3|||', 'b.c|Processed|16||||||', 'c.c|Error|1000|||5|||oops')
    }

    It 'reads .NET objects with those properties: Get-IngestLog output logs the same records into another phase' {
        @([pscustomobject]@{ RelPath = 'a.c'; Status = 'Error'; SizeRaw = 3; ErrorType = 'T'; ErrorMessage = 'm' }, [pscustomobject]@{ RelPath = 'b.c'; FileId = 9 }) |
            Write-IngestLog -Phase p | Out-Null
        $records = @(Get-IngestLog -Phase p)
        $records[0].GetType().FullName | Should -Be 'LogTools.Engine.Ingest.IngestRecord'
        $records | Write-IngestLog -Phase copy | Should -Be 2
        Get-Logged copy | Should -Be (Get-Logged p)
    }

    It 'reports each object that does not bind with PowerShell''s error ids, the object as the target, and logs the others' {
        $bad = [pscustomobject]@{ RelPath = 'bad.c'; Status = 'done' }
        $none = [pscustomobject]@{ Foo = 1 }
        $list = [pscustomobject]@{ RelPath = @('x.c', 'y.c') }
        $err = $null
        @($bad, $none, [pscustomobject]@{ Status = 'Skipped' }, 'text', $list, @{ RelPath = 'h.c' }, [pscustomobject]@{ RelPath = 'ok.c' }) |
            Write-IngestLog -Phase p -ErrorAction SilentlyContinue -ErrorVariable err | Should -Be 1
        @($err.FullyQualifiedErrorId -replace ',LogTools.Commands.WriteIngestLogCommand$') |
            Should -Be @('ParameterArgumentValidationError', 'InputObjectNotBound', 'IngestRelPathMissing', 'InputObjectNotBound', 'InputObjectNotBound', 'InputObjectNotBound')
        $err[0].TargetObject | Should -Be $bad
        "$($err[0])" | Should -Match "parameter 'Status'.*`"done`""
        $err[1].TargetObject | Should -Be $none
        $err[4].TargetObject | Should -Be $list
        $err[0].Exception | Should -BeOfType System.Management.Automation.ParameterBindingException
        Get-Logged p | Should -Be @('ok.c|Processed|||||||')
    }

    It 'logs a pipeline longer than a batch (10,000 records a transaction) completely and in order' {
        1..20001 | ForEach-Object { [pscustomobject]@{ RelPath = "src/$_.c"; SizeRaw = $_ } } | Write-IngestLog -Phase p | Should -Be 20001
        $records = @(Get-IngestLog -Phase p)
        $records.Count | Should -Be 20001
        ($records[0].RelPath, $records[10000].RelPath, $records[20000].RelPath, $records[20000].SizeRaw) | Should -Be @('src/1.c', 'src/10001.c', 'src/20001.c', 20001)
    }

    It 'logs nothing under -WhatIf, and takes -InputObject from the command line' {
        [pscustomobject]@{ RelPath = 'w.c' } | Write-IngestLog -Phase p -WhatIf | Should -BeNullOrEmpty
        @(Get-IngestLog -RunId $run.RunId) | Should -BeNullOrEmpty
        Write-IngestLog -Phase p -InputObject ([pscustomobject]@{ RelPath = 'i.c'; SizeRaw = 2 }) | Should -Be 1
        Get-Logged p | Should -Be @('i.c|Processed|2||||||')
    }
}
