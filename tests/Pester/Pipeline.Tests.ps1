BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $store = New-TestStore
    $records = Add-TestRecords

    # A property value as it comes back from CSV (-Csv) or JSON, next to the original, in one comparable form.
    # CSV keeps what ToString() gives: timestamps to the second (PowerShell's date format), enums by name.
    # JSON keeps timestamps to the millisecond, enums as numbers and time spans as ticks.
    function ConvertTo-Comparable($Value, [switch] $Csv, [switch] $Back) {
        if ($null -eq $Value -or ($Back -and $Csv -and $Value -eq '')) { return $null }
        if ($Value -is [DateTimeOffset] -or $Value -is [datetime] -or ($Back -and $Csv -and $Value -match '^\d\d/\d\d/\d{4} ')) {
            $point = if ($Value -is [string]) { [DateTimeOffset]::Parse($Value, [cultureinfo]::InvariantCulture) } else { [DateTimeOffset]$Value }
            return $(if ($Csv) { $point.ToUnixTimeSeconds() } else { $point.ToUnixTimeMilliseconds() })
        }
        if ($Value -is [TimeSpan]) { return $(if ($Csv) { $Value.ToString() } else { $Value.Ticks }) }
        if ($Back -and -not $Csv -and $Value.PSObject.Properties['Ticks']) { return $Value.Ticks }
        if ($Value -is [enum]) { return $(if ($Csv) { $Value.ToString() } else { [long]$Value }) }
        if ($Value -is [bool]) { return $(if ($Csv) { $Value.ToString() } else { $Value }) }
        if ($Value -is [ValueType] -and $Value -isnot [char]) { return [decimal]$Value }
        if ($Back -and $Value -is [string] -and $Value -match '^-?\d+(\.\d+)?(E[-+]?\d+)?$') { return [decimal]::Parse($Value, 'Float', [cultureinfo]::InvariantCulture) }
        [string]$Value
    }

    # The scalar properties (strings, numbers, dates, enums, time spans): CSV cannot hold a collection.
    function Get-ScalarProperty($Object) {
        $Object.PSObject.Properties | Where-Object { $null -eq $_.Value -or $_.Value -is [string] -or $_.Value -is [ValueType] }
    }
}

Describe 'Every Get-* cmdlet''s output through Format-*, CSV and JSON' {
    It '<Name>' -ForEach @(
        @{ Name = 'Get-LogStore'; Script = { Get-LogStore }; Key = 'SqliteVersion' }
        @{ Name = 'Get-LogSession'; Script = { Get-LogSession }; Key = 'SessionId' }
        @{ Name = 'Get-LogTask'; Script = { Get-LogTask }; Key = 'TaskId' }
        @{ Name = 'Get-LogWorker'; Script = { Get-LogWorker }; Key = 'WorkerId' }
        @{ Name = 'Get-LogEvent'; Script = { Get-LogEvent }; Key = 'Message' }
        @{ Name = 'Get-LogContent'; Script = { Get-LogContent -WorkerId worker-a1 }; Key = 'content' }
        @{ Name = 'Get-LogMirror'; Script = { Get-LogMirror }; Key = 'Name' }
        @{ Name = 'Get-ApiCost'; Script = { Get-ApiCost -Today -GroupBy Model }; Key = 'Key' }
        @{ Name = 'Get-ApiPrice'; Script = { Get-ApiPrice -Model claude-sonnet-4-5, gpt-4.1 }; Key = 'Model' }
        @{ Name = 'Get-FileBlake3'; Script = { Get-FileBlake3 -LiteralPath $records.Conversation }; Key = 'Hash' }
        @{ Name = 'Get-LogRun'; Script = { Start-LogRun -Kind pipe | Out-Null; 'a', 'b' | Write-RunEvent -Type console.line; Complete-LogRun -Summary @{ row_count = 2 } | Out-Null; Get-LogRun -Kind pipe }; Key = 'RunId' }
        @{ Name = 'Get-LogServer'; Script = { $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $p = $l.LocalEndpoint.Port; $l.Stop(); Start-LogServer -Port $p | Out-Null; Get-LogServer -Port $p; Stop-LogServer -Port $p }; Key = 'Url' }
        @{ Name = 'Get-RunEvent'; Script = { $r = Start-LogRun; 'a' | Write-RunEvent -Type console.line -Severity Info; Get-RunEvent $r.RunId }; Key = 'Type' }
        @{ Name = 'Get-IngestLog'; Script = { $r = Start-LogRun; [pscustomobject]@{ RelPath = 'a.json'; SizeRaw = 3; FileId = 1 } | Write-IngestLog -Phase p | Out-Null; Get-IngestLog $r.RunId }; Key = 'RelPath' }
        @{ Name = 'Get-IngestError'; Script = { $r = Start-LogRun; [pscustomobject]@{ RelPath = 'b.json'; Status = 'Error'; ErrorType = 'Parse'; ErrorMessage = 'bad' } | Write-IngestLog -Phase p | Out-Null; Get-IngestError $r.RunId }; Key = 'ErrorMessage' }
        @{ Name = 'Get-IngestBlock'; Script = { $r = Start-LogRun; 'a', 'b', 'c' | ForEach-Object { [pscustomobject]@{ RelPath = $_ } } | Write-IngestLog -Phase p | Out-Null; Complete-LogRun | Out-Null; Get-IngestBlock $r.RunId }; Key = 'MerkleHash' }
        @{ Name = 'Get-IngestProof'; Script = { $r = Start-LogRun; [pscustomobject]@{ RelPath = 'a.json'; SizeRaw = 3 } | Write-IngestLog -Phase p | Out-Null; Complete-LogRun | Out-Null; Get-IngestProof $r.RunId -RelPath a.json }; Key = 'RelPath' }
        @{ Name = 'Get-PortBuild'; Script = { $t = New-TestFolder 'ports'; New-Item -ItemType Directory "$t/x/a" | Out-Null; Set-Content "$t/x/a/port.yml" "name: x/a`nversion: '1'`nphases:`n  package: 'echo p > `$PACKAGES/a.txt'"; Invoke-PortBuild -PortsPath $t | Out-Null; Get-PortBuild }; Key = 'BuildId' }
        @{ Name = 'Get-PortPackage'; Script = { $t = New-TestFolder 'ports'; New-Item -ItemType Directory "$t/x/a" | Out-Null; Set-Content "$t/x/a/port.yml" "name: x/a`nversion: '1'`nphases:`n  package: 'echo p > `$PACKAGES/a.txt'"; Invoke-PortBuild -PortsPath $t | Out-Null; Get-PortPackage }; Key = 'Origin' }
        @{ Name = 'Get-PortStatus'; Script = { $t = New-TestFolder 'ports'; New-Item -ItemType Directory "$t/x/a" | Out-Null; Set-Content "$t/x/a/port.yml" "name: x/a`nversion: '1'"; Invoke-PortBuild -PortsPath $t | Out-Null; Get-PortStatus -PortsPath $t }; Key = 'Origin' }
    ) {
        # Get-LogContent -WorkerId is not a Get-* of the store's own rows; every other cmdlet reads what Add-TestRecords wrote.
        $objects = @(& $Script)
        $objects.Count | Should -BeGreaterThan 0

        # Rendered: every object's key value is on screen in the table view (at 200 columns) and the list view.
        $table = $objects | Format-Table | Out-String -Width 200
        $list = $objects | Format-List | Out-String -Width 200
        foreach ($object in $objects) {
            $value = [string]$object.$Key
            $shown = if ($value.Length -gt 16) { $value.Substring(0, 16) } else { $value }
            $table | Should -Match ([regex]::Escape($shown))
            $list | Should -Match ([regex]::Escape($value))
        }

        # CSV: Export-Csv then Import-Csv gives every scalar property back.
        $csvPath = Join-Path (New-TestFolder 'csv') 'out.csv'
        $objects | Export-Csv -Path $csvPath
        $rows = @(Import-Csv -Path $csvPath)
        $rows.Count | Should -Be $objects.Count
        for ($i = 0; $i -lt $objects.Count; $i++) {
            foreach ($property in Get-ScalarProperty $objects[$i]) {
                ConvertTo-Comparable $rows[$i].($property.Name) -Csv -Back |
                    Should -Be (ConvertTo-Comparable $property.Value -Csv) -Because "$Name .$($property.Name) through CSV"
            }
        }

        # JSON: ConvertTo-Json then ConvertFrom-Json gives every scalar property back, to the millisecond.
        $back = @($objects | ConvertTo-Json -Depth 4 | ConvertFrom-Json)
        $back.Count | Should -Be $objects.Count
        for ($i = 0; $i -lt $objects.Count; $i++) {
            foreach ($property in Get-ScalarProperty $objects[$i]) {
                ConvertTo-Comparable $back[$i].($property.Name) -Back |
                    Should -Be (ConvertTo-Comparable $property.Value) -Because "$Name .$($property.Name) through JSON"
            }
        }
    }

    It 'covers every exported Get-* cmdlet' {
        $tested = (Get-Content -Raw $PSCommandPath | Select-String -AllMatches "Name = '(Get-[A-Za-z0-9]+)'").Matches | ForEach-Object { $_.Groups[1].Value }
        (Get-Command -Module LogTools -Verb Get).Name | Where-Object { $_ -notin $tested } | Should -BeNullOrEmpty
    }
}

Describe 'Ad-hoc pipelines over the store' {
    It 'Where-Object, Sort-Object and Select-Object over Get-LogTask' {
        $active = Get-LogTask | Where-Object Status -eq 'Active' | Sort-Object StartedAt -Descending | Select-Object -First 1 TaskId, IssueNumber, Title
        $active.TaskId | Should -Be 'task-a'
        $active.IssueNumber | Should -Be 41
        $active.Title | Should -Be 'First task'
        Get-LogTask | Where-Object StartedAt -lt (Get-Date).AddMinutes(1) | Sort-Object TaskId | Select-Object -ExpandProperty TaskId | Should -Be 'task-a', 'task-b'
    }

    It 'Group-Object counts tasks by status and events by severity' {
        $byStatus = Get-LogTask | Group-Object Status | Sort-Object Name
        $byStatus.Name | Should -Be 'Active', 'Completed'
        $byStatus | ForEach-Object Count | Should -Be 1, 1
        (Get-LogEvent | Group-Object Severity -AsHashTable -AsString)['Error'].Message | Should -Be 'build broke'
    }

    It 'Measure-Object -Sum adds up the cost and tokens of the day' {
        $sum = Get-ApiCost -Today -GroupBy Model | Measure-Object -Property CostUsd, InputTokens -Sum
        $sum[0].Sum | Should -Be $records.CostUsd
        $sum[1].Sum | Should -Be $records.InputTokens
        (Get-LogWorker | Measure-Object -Property ApiCalls -Sum).Sum | Should -Be 2
    }

    It 'Get-LogWorker | Get-LogContent streams a worker''s conversation by property name' {
        (Get-LogTask -TaskId task-a | Get-LogWorker | Get-LogContent).content | Should -Be 'Fix 41', 'Done'
    }

    It 'Import-Csv | Add-ApiCall records calls from a CSV export by property name' {
        $own = New-TestStore
        $csv = Join-Path (New-TestFolder 'calls') 'calls.csv'
        @(
            [pscustomobject]@{ model = 'model-z'; InputTokens = 10; OutputTokens = 5; CostUsd = '0.10' }
            [pscustomobject]@{ model = 'model-z'; InputTokens = 20; OutputTokens = 5; CostUsd = '0.20' }
        ) | Export-Csv -Path $csv
        Import-Csv -Path $csv | Add-ApiCall
        $cost = Get-ApiCost -Today
        $cost.Calls | Should -Be 2
        $cost.CostUsd | Should -Be 0.30
        $cost.InputTokens | Should -Be 30
        Use-TestStore $store
    }
}
