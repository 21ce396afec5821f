BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Server = Start-TestPostgres

    function Get-Failure([scriptblock] $Script) {
        try { & $Script; [pscustomobject]@{ Id = 'no error'; Message = '' } }
        catch { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message } }
    }

    # A new database as (name, content root); PGPASSWORD is cleared afterwards so only what a test gives is used.
    function New-Database {
        $location = New-TestPostgresStore $Server
        Remove-Item Env:PGPASSWORD
        [pscustomobject]@{ Name = ($location -split '[/?]')[3]; Content = ($location -split 'content=')[1]; Location = $location }
    }

    function Get-TableCount([string] $Database) {
        $env:PGPASSWORD = $Server.Password
        try { & psql -h $Server.Socket -U logtools -d $Database -tAc "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main'" }
        finally { Remove-Item Env:PGPASSWORD }
    }

    $script:Credential = [pscredential]::new('logtools', (ConvertTo-SecureString $Server.Password -AsPlainText -Force))
}

AfterAll {
    Set-LogStore -Reset
    Stop-TestPostgres $Server
    Remove-Item Env:PGPASSWORD -ErrorAction SilentlyContinue
}

Describe 'Set-LogStore -ConnectionString' {
    BeforeEach { $script:Before = New-TestStore }
    AfterEach { Set-LogStore -Reset }

    It 'uses key=value pairs, a content root and a credential for the rest of the session, and shows no password' {
        $db = New-Database
        $info = Set-LogStore -ConnectionString "Host=$($Server.Socket);Database=$($db.Name)" -ContentRoot $db.Content -Credential $Credential -PassThru

        $info.Backend | Should -Be 'PostgreSQL'
        $info.Source | Should -Be 'Session'
        $info.Path | Should -Be $db.Content
        # Cmdlets without -Store now write to the server with the session's password (PGPASSWORD is not set).
        Add-ApiCall -Model model-x -InputTokens 10 -OutputTokens 2 -CostUsd 0.5
        $run = Start-LogRun
        Complete-LogRun -RunId $run.RunId | Out-Null
        (Get-ApiCost).CostUsd | Should -Be 0.5
        $run.EventsPath | Should -BeLike "$($db.Content)/runs/*"
        (Get-LogStore | Format-List * | Out-String) | Should -Not -Match $Server.Password
        # The password is kept nowhere on disk: not in the user's configuration or data, not under the content root.
        Get-ChildItem -Recurse -File $db.Content, $env:XDG_CONFIG_HOME, $env:XDG_DATA_HOME -ErrorAction SilentlyContinue |
            Select-String -SimpleMatch $Server.Password | Should -BeNullOrEmpty
    }

    It 'takes a postgres:// URI whose content root -ContentRoot replaces' {
        $db = New-Database
        $elsewhere = New-TestFolder 'pgcontent2'
        $info = Set-LogStore -ConnectionString $db.Location -ContentRoot $elsewhere -Credential $Credential -PassThru
        $info.Path | Should -Be $elsewhere
        (Start-LogRun).EventsPath | Should -BeLike "$elsewhere/runs/*"
    }

    It 'reports a wrong password as StoreAccessDenied and keeps the previous store' {
        $db = New-Database
        $wrong = [pscredential]::new('logtools', (ConvertTo-SecureString 'not-the-secret-7' -AsPlainText -Force))
        $failure = Get-Failure { Set-LogStore -ConnectionString "Host=$($Server.Socket);Database=$($db.Name)" -ContentRoot $db.Content -Credential $wrong -ErrorAction Stop }
        $failure.Id | Should -BeLike 'StoreAccessDenied,*'
        $failure.Message | Should -Not -Match 'not-the-secret-7'
        (Get-LogStore).Path | Should -Be $Before
    }

    It 'refuses <Case> as StoreLocationInvalid without echoing the password' -ForEach @(
        @{ Case = 'a setting LogTools would drop'; Connection = 'Host=/tmp;Database=logtools;Password=secret-8;SSL Mode=Require'; Content = '/tmp'; Says = 'SSL Mode' }
        @{ Case = 'no database'; Connection = 'Host=/tmp;Password=secret-8'; Content = '/tmp'; Says = 'no database' }
        @{ Case = 'no content root'; Connection = 'Host=/tmp;Database=logtools;Password=secret-8'; Content = $null; Says = 'content root' }
        @{ Case = 'text that is no connection string'; Connection = 'secret-8 is not a connection'; Content = '/tmp'; Says = 'neither a postgres:// URI' }
    ) {
        $parameters = @{ ConnectionString = $Connection }
        if ($Content) { $parameters.ContentRoot = $Content }
        $failure = Get-Failure { Set-LogStore @parameters -ErrorAction Stop }
        $failure.Id | Should -BeLike 'StoreLocationInvalid,*'
        $failure.Message | Should -Match $Says
        $failure.Message | Should -Not -Match 'secret-8'
        (Get-LogStore).Path | Should -Be $Before
    }

    It 'changes nothing with -WhatIf: no schema on the server, the previous store still chosen' {
        $db = New-Database
        Set-LogStore -ConnectionString "Host=$($Server.Socket);Database=$($db.Name)" -ContentRoot $db.Content -Credential $Credential -WhatIf
        Get-TableCount $db.Name | Should -Be 0
        (Get-LogStore).Path | Should -Be $Before
        Get-ChildItem $db.Content | Should -BeNullOrEmpty
    }
}

Describe 'A connection dropped in the middle of writes' {
    It 'retries each batch whole: nothing lost, nothing doubled, no error reaches the user' {
        $db = New-Database
        $env:PGPASSWORD = $Server.Password
        try {
            Start-LogSession -Store $db.Location -SessionId warm-up | Out-Null # the schema exists before the writer starts
            $script = @'
Import-Module $LogToolsModule
$ErrorActionPreference = 'Stop'
1..30000 | ForEach-Object { [pscustomobject]@{ Model = 'model-x'; InputTokens = $_; OutputTokens = 1; CostUsd = 0.001 } } | Add-ApiCall
'ok'
'@
            $writer = Start-Pwsh -File -Script $script -Environment @{ LOGTOOLS_STORE = $db.Location; PGPASSWORD = $Server.Password }
            $out = $writer.StandardOutput.ReadToEndAsync(); $err = $writer.StandardError.ReadToEndAsync()
            # The server ends the writer's connections while it writes, as a restart or a network cut would: five
            # times, half a second apart.
            $dropped = 0
            $drops = 0
            while (-not $writer.WaitForExit(500)) {
                if ($drops -lt 5) {
                    $dropped += [int](& psql -h $Server.Socket -U logtools -d $db.Name -tAc "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'LogTools' AND datname = current_database() AND pid <> pg_backend_pid()")
                    $drops++
                }
            }
            $dropped | Should -BeGreaterThan 0
            $err.Result | Should -BeNullOrEmpty
            $writer.ExitCode | Should -Be 0
            $out.Result.Trim() | Should -Be 'ok'
            & psql -h $Server.Socket -U logtools -d $db.Name -tAc 'SELECT count(*), count(DISTINCT tokens_input), sum(tokens_input) FROM main.api_calls' |
                Should -Be "30000|30000|$(30000 * 30001 / 2)"
            $cost = Get-ApiCost -Store $db.Location
            $cost.Calls | Should -Be 30000
            $cost.InputTokens | Should -Be (30000 * 30001 / 2)
        }
        finally { Remove-Item Env:PGPASSWORD -ErrorAction SilentlyContinue }
    }
}
