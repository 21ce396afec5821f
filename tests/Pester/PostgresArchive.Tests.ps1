BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Server = Start-TestPostgres

    # A PostgreSQL store with one API call of 200 days ago and one of today, as the session's store.
    function New-OldCallsStore {
        $store = New-TestPostgresStore $Server
        Set-LogStore -ConnectionString $store
        Add-ApiCall -Model model-x -InputTokens 100 -OutputTokens 10 -CostUsd 2 -Timestamp (Get-Date).AddDays(-200)
        Add-ApiCall -Model model-x -InputTokens 100 -OutputTokens 10 -CostUsd 1
        $store
    }
}

AfterAll {
    Stop-TestPostgres $Server
    Remove-Item Env:PGPASSWORD -ErrorAction SilentlyContinue
}

# The monthly archive databases are SQLite files that attach the store's own database file, and a backup is a copy of
# that file: on PostgreSQL both are refused before anything is written, with what to do instead.
Describe 'Move-LogRecord and Backup-LogStore on a PostgreSQL store' {
    It 'Move-LogRecord (and its -WhatIf) stops with StoreBackendUnsupported naming the server, and changes nothing' {
        $store = New-OldCallsStore
        $content = Get-TestContentRoot $store
        $journal = Invoke-TestPsql $Server $store 'SELECT count(*) FROM archive_pending'

        foreach ($whatIf in $false, $true) {
            $failure = $null
            try { Move-LogRecord -OlderThan 90 -WhatIf:$whatIf -Confirm:$false -ErrorAction Stop | Out-Null }
            catch { $failure = $_ }
            $failure.FullyQualifiedErrorId | Should -Be 'StoreBackendUnsupported,LogTools.Commands.MoveLogRecordCommand'
            $failure.CategoryInfo.Category | Should -Be 'InvalidOperation'
            $failure.Exception.Message | Should -BeLike "*'postgres://logtools@*' is on PostgreSQL*Move-LogRecord*the records stay in the database, where Get-ApiCost reports over them*Nothing was changed*"
            $failure.Exception.Message | Should -Not -Match $Server.Password
        }

        Invoke-TestPsql $Server $store 'SELECT count(*) FROM api_calls' | Should -Be 2
        Invoke-TestPsql $Server $store 'SELECT count(*) FROM archive_pending' | Should -Be $journal
        Test-Path (Join-Path $content 'archive') | Should -BeFalse
        $cost = Get-ApiCost -Last 365d -IncludeArchive
        $cost.Calls | Should -Be 2
        $cost.CostUsd | Should -Be 3
    }

    It 'Backup-LogStore stops with StoreBackendUnsupported that points to pg_dump, and writes no backup' {
        $null = New-OldCallsStore
        $destination = Join-Path (New-TestFolder 'pg-backup') 'backup'
        $failure = $null
        try { Backup-LogStore -Destination $destination -ErrorAction Stop | Out-Null }
        catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -Be 'StoreBackendUnsupported,LogTools.Commands.BackupLogStoreCommand'
        $failure.Exception.Message | Should -BeLike '*use pg_dump for the database and copy the content root*'
        Test-Path $destination | Should -BeFalse
    }
}
