BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # A port whose build phase runs $Build.
    function New-ProgressPort([string] $Tree, [string] $Origin, [string] $Build, [string[]] $Depends = @()) {
        $folder = Join-Path $Tree $Origin
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        Set-Content -LiteralPath (Join-Path $folder 'port.yml') -Value @(
            "name: $Origin", 'version: "1.0"', "depends: [$($Depends -join ', ')]", 'phases:', "  build: '$Build'")
    }

    # Invoke-PortBuild in a runspace of its own, as a console would run it: its progress records, as written.
    function Get-BuildProgress([string] $Tree, [string] $Store) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$script:ModuleManifest'; Invoke-PortBuild -PortsPath '$Tree' -Store '$Store' -Jobs 2 -ErrorAction SilentlyContinue")
            $null = $ps.Invoke()
            @($ps.Streams.Progress | Where-Object Activity -eq 'Invoke-PortBuild')
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Invoke-PortBuild progress' {
    BeforeAll {
        $store = Join-Path (New-TestFolder 'store') 'store'
        $tree = New-TestFolder 'ports'
        New-ProgressPort $tree 'devel/ok' 'true'
        New-ProgressPort $tree 'devel/broken' 'exit 1'
        New-ProgressPort $tree 'devel/after' 'true' -Depends 'devel/broken'
        $first = Get-BuildProgress $tree $store
        $second = Get-BuildProgress $tree $store
    }

    It 'reports built, failed, skipped and remaining, ending with every port counted' {
        # Reports come at most a few times a second (the last always), so the middle ones depend on timing.
        $reports = @($first | Where-Object RecordType -ne 'Completed')
        $reports.Count | Should -BeGreaterThan 0
        foreach ($report in $reports) { $report.StatusDescription | Should -Match '^\d+ built, \d+ failed, \d+ skipped, \d+ remaining' }
        $reports[-1].StatusDescription | Should -Be '1 built, 1 failed, 0 skipped, 0 remaining'
        $reports[-1].PercentComplete | Should -Be 100
        $first[-1].RecordType | Should -Be 'Completed'
    }

    It 'counts an unchanged port as skipped on the next build' {
        @($second | Where-Object RecordType -ne 'Completed')[-1].StatusDescription | Should -Be '0 built, 1 failed, 1 skipped, 0 remaining'
    }
}
