BeforeAll { . (Join-Path $PSScriptRoot 'Common.ps1') }

# Import-LogHistory asks ShouldProcess once per file. When asking cannot act it is answered where it is asked, without
# stopping the import for the pipeline thread; wherever asking can act it is still asked, file by file.
Describe 'Import-LogHistory per-file questions' {
    BeforeEach {
        $store = New-TestStore
        $folder = New-TestFolder 'questions'
        New-HistoryFile (Join-Path $folder 'a.jsonl') 30 -Tag 'a'
        New-HistoryFile (Join-Path $folder 'b.jsonl') 20 -Tag 'b'
        $files = @('a.jsonl', 'b.jsonl' | ForEach-Object { Join-Path $folder $_ })
    }

    It 'imports every file when nothing asks to see or confirm' {
        $results = Import-LogHistory -Path $folder -Store $store

        @($results | Where-Object Path | ForEach-Object { "$([IO.Path]::GetFileName($_.Path))=$($_.Imported)" }) | Should -Be @('a.jsonl=30', 'b.jsonl=20')
        (Import-LogHistory -Path $folder -Store $store -Summary).Imported | Should -Be 0
    }

    It 'still writes the question of each file under -Verbose' {
        $verbose = Import-LogHistory -Path $folder -Store $store -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object Message

        foreach ($file in $files) { $verbose | Should -Contain "Performing the operation `"Import API calls`" on target `"$file`"." }
    }

    It 'still says what -WhatIf (or $WhatIfPreference) would do, file by file, and imports nothing' {
        $script = "Import-Module `$LogToolsModule; `$WhatIfPreference = `$true; Import-LogHistory -Path '$folder' -Store '$store' | Out-Null"

        $run = Invoke-Pwsh $script

        $run.ExitCode | Should -Be 0
        foreach ($file in $files) { $run.Stdout | Should -Match ([regex]::Escape("What if: Performing the operation `"Import API calls`" on target `"$file`".")) }
        @(Import-LogHistory -Path $folder -Store $store | Where-Object Path | ForEach-Object Imported) | Should -Be @(30, 20)
    }

    It 'still asks under a $ConfirmPreference of Low (a non-interactive pwsh cannot answer: nothing is imported)' {
        $script = "Import-Module `$LogToolsModule; `$ConfirmPreference = 'Low'; Import-LogHistory -Path '$folder' -Store '$store'"

        $run = Invoke-Pwsh $script

        $run.Stderr | Should -Match 'NonInteractive'
        @(Import-LogHistory -Path $folder -Store $store | Where-Object Path | ForEach-Object Imported) | Should -Be @(30, 20)
    }
}
