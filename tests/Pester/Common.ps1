# Dot-sourced by every *.Tests.ps1 in BeforeAll: imports the assembled module and gives each file (or
# test) a store of its own. Run.ps1 has already isolated the config and data homes.

$script:Repo = if ($env:LOGTOOLS_TEST_REPO) { $env:LOGTOOLS_TEST_REPO } else { (Resolve-Path "$PSScriptRoot/../..").Path }
$script:ModuleManifest = Join-Path $script:Repo 'out/LogTools/LogTools.psd1'
Import-Module $script:ModuleManifest -Force -ErrorAction Stop

# A new empty folder in the temp folder, removed at the end of the run (Run.ps1).
function New-TestFolder([string] $Name = 't') {
    $path = Join-Path ([IO.Path]::GetTempPath()) "logtools-test-$Name-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    New-Item -ItemType Directory -Path $path | Out-Null
    if ($null -ne $global:LogToolsTestFolders) { $global:LogToolsTestFolders.Add($path) }
    $path
}

# A fresh store chosen for this runspace (Set-LogStore), returned as its location: a folder path, or in a run on
# PostgreSQL (Run.ps1 -Backend postgres) a new database on the run's cluster with a content root of its own.
function New-TestStore {
    $store = if ($env:LOGTOOLS_TEST_BACKEND -eq 'postgres') { New-TestPostgresStore (Get-TestRunServer) } else { Join-Path (New-TestFolder 'store') 'store' }
    Use-TestStore $store
    $store
}

# Chooses a store (New-TestStore) for this runspace again.
function Use-TestStore([string] $Store) {
    if ($Store -match '^postgres(ql)?://') { Set-LogStore -ConnectionString $Store }
    else { Set-LogStore -Path $Store }
}

# Starts a script in a separate `pwsh -NoProfile` process, as a scheduled task would, with the module
# importable by name-free path in $LogToolsModule and NO_COLOR set; returns the running Process (output redirected).
function Start-Pwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location).Path,
        [switch] $File
    )
    $info = [Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    # Under `dotnet pwsh` this process is dotnet running pwsh.dll.
    if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { $info.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($a in '-NoProfile', '-NonInteractive') { $info.ArgumentList.Add($a) }
    $prelude = "`$LogToolsModule = '$($script:ModuleManifest)'`n"
    if ($File) {
        $path = Join-Path (New-TestFolder 'script') 'job.ps1'
        Set-Content -Path $path -Value ($prelude + $Script)
        $info.ArgumentList.Add('-File'); $info.ArgumentList.Add($path)
    }
    else {
        $info.ArgumentList.Add('-Command'); $info.ArgumentList.Add($prelude + $Script)
    }
    $info.RedirectStandardOutput = $true; $info.RedirectStandardError = $true; $info.RedirectStandardInput = $true
    $info.UseShellExecute = $false
    $info.WorkingDirectory = $WorkingDirectory
    # Plain text: pwsh colours redirected output too, and escape codes would end up in test reports.
    $info.Environment['NO_COLOR'] = '1'
    foreach ($key in $Environment.Keys) { $info.Environment[$key] = [string]$Environment[$key] }
    $process = [Diagnostics.Process]::Start($info)
    $process.StandardInput.Close()
    $process
}

# Runs a script with Start-Pwsh and waits for it. Returns ExitCode, Stdout, Stderr.
function Invoke-Pwsh {
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = (Get-Location).Path,
        [int] $TimeoutSeconds = 120,
        [switch] $File
    )
    $process = Start-Pwsh -Script $Script -Environment $Environment -WorkingDirectory $WorkingDirectory -File:$File
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill($true)
        throw "pwsh did not finish in $TimeoutSeconds s: $Script"
    }
    [pscustomobject]@{ ExitCode = $process.ExitCode; Stdout = $stdout.Result; Stderr = $stderr.Result }
}

# Renders objects as a user's console of the given width would (Out-String -Width).
function Get-Rendered([Parameter(ValueFromPipeline)] $InputObject, [int] $Width = 120, [switch] $List) {
    begin { $items = [Collections.Generic.List[object]]::new() }
    process { $items.Add($InputObject) }
    end {
        if ($List) { $items | Format-List | Out-String -Width $Width }
        else { $items | Out-String -Width $Width }
    }
}

# BLAKE3 of a file by the reference tool, b3sum.
function Get-B3sum([string] $Path) { ((& b3sum --no-names $Path) | Select-Object -First 1).Trim() }

# A real small file system (tmpfs of -SizeKB, mounted by root) for disk-full and read-only faults.
# Dismount-TestFileSystem unmounts it; tests call it in AfterAll/finally.
function Mount-TestFileSystem([int] $SizeKB = 1024) {
    $path = New-TestFolder 'fs'
    & mount -t tmpfs -o "size=$($SizeKB)k" tmpfs $path
    if ($LASTEXITCODE -ne 0) { throw "mount of a $SizeKB KiB tmpfs at $path failed (the fault tests run as root)" }
    $path
}

# Remounts a test file system read-only (-ReadOnly) or writable again.
function Set-TestFileSystem([string] $Path, [switch] $ReadOnly) {
    & mount -o "remount,$(if ($ReadOnly) { 'ro' } else { 'rw' })" $Path
    if ($LASTEXITCODE -ne 0) { throw "remount of $Path failed" }
}

function Dismount-TestFileSystem([string] $Path) { & umount -l $Path 2>$null }

# Fills the current store (New-TestStore) with a small known history and returns its figures: one session
# (current), task-a active and task-b completed, worker-a1 with a two-line conversation, an Info and an Error
# event, three API calls with given costs (1.25 + 2.50 on model-x, 0.75 on model-y: 4.50 USD), and the
# log source 'web' mirrored from a folder with one archive and one active file.
function Add-TestRecords {
    $folder = New-TestFolder 'records'
    $session = Start-LogSession -SessionId "s-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
    Set-LogTask -TaskId task-a -Status Detected -IssueNumber 41 -Title 'First task'
    Set-LogTask -TaskId task-a -Status Active
    Set-LogTask -TaskId task-b -Status Detected -IssueNumber 42 -Title 'Second task'
    Set-LogTask -TaskId task-b -Status Active
    $conversation = Join-Path $folder 'worker-a1.jsonl'
    Set-Content -Path $conversation -Value '{"role":"user","content":"Fix 41"}', '{"role":"assistant","content":"Done"}'
    Set-LogWorker -WorkerId worker-a1 -Status Spawned -TaskId task-a -ProcessId $PID -LogFile $conversation
    Write-LogEvent -Type trigger -Message 'issue 41 detected' -ContextType task -ContextId task-a
    Write-LogEvent -Type failure -Severity Error -Message 'build broke' -ContextType task -ContextId task-b
    Add-ApiCall -WorkerId worker-a1 -Model model-x -InputTokens 1000 -OutputTokens 200 -CostUsd 1.25
    Add-ApiCall -WorkerId worker-a1 -Model model-x -InputTokens 3000 -OutputTokens 400 -CostUsd 2.50
    Add-ApiCall -Model model-y -InputTokens 500 -OutputTokens 100 -CostUsd 0.75
    Set-LogTask -TaskId task-b -Status Completed -PrNumber 7
    $logs = New-Item -ItemType Directory -Path (Join-Path $folder 'logs')
    Set-Content -Path (Join-Path $logs 'web-2026-11-01.json') -Value '{"msg":"archived"}'
    Set-Content -Path (Join-Path $logs 'web.json') -Value '{"msg":"active"}'
    Sync-LogSource -Name web -ArchivedPattern (Join-Path $logs 'web-*.json') -ActivePattern (Join-Path $logs 'web.json') -PondPath web | Out-Null
    [pscustomobject]@{ SessionId = $session.SessionId; Conversation = $conversation; Logs = $logs.FullName; CostUsd = 4.50; Calls = 3; InputTokens = 4500; OutputTokens = 700 }
}

# Text written by pwsh without its colour escape sequences (pwsh colours errors and warnings even when redirected).
function Remove-Ansi([string] $Text) { $Text -replace '\x1b\[[0-9;]*m', '' }

# A file of -Size bytes written quickly: sparse, with random 64 KiB blocks at the start, at 17 MiB (past the
# first copy block) and at the end, so a wrong offset or a lost block changes the digest.
function New-BigFile([string] $Path, [long] $Size, [int] $Seed = 1) {
    $random = [Random]::new($Seed)
    $block = [byte[]]::new(64KB)
    $stream = [IO.File]::Open($Path, [IO.FileMode]::OpenOrCreate)
    try {
        $stream.SetLength($Size)
        foreach ($at in 0, (17MB), ($Size - 64KB)) {
            if ($at -ge 0 -and $at + 64KB -le $Size) {
                $random.NextBytes($block)
                $stream.Position = $at
                $stream.Write($block, 0, $block.Length)
            }
        }
    }
    finally { $stream.Dispose() }
}

# A worker log of $Count calls (unique message and request ids), $Days days back and older.
function New-HistoryFile([string] $Path, [int] $Count, [int] $Days = 1, [string] $Tag = 'a') {
    $text = [Text.StringBuilder]::new()
    $start = [DateTimeOffset]::UtcNow.AddDays(-$Days)
    for ($i = 0; $i -lt $Count; $i++) {
        $at = $start.AddMinutes(-$i).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'")
        [void]$text.Append('{"type":"api_call","timestamp":"').Append($at).Append('","model":"claude-sonnet-4","usage":{"input_tokens":').Append(1000 + $i).
            Append(',"output_tokens":').Append($i % 97).Append(',"cache_read_input_tokens":0,"cache_creation_input_tokens":0},"message_id":"msg_').Append($Tag).Append($i).
            Append('","request_id":"req_').Append($Tag).Append($i).Append('","worker_id":"w-1","session_id":"s-1","duration_ms":10,"success":true}').Append("`n")
    }
    [IO.File]::WriteAllText($Path, $text.ToString())
}

# Rows and token sums of api_calls over the store and its archives, read by the sqlite3 tool.
function Get-CallTotals([string] $Store) {
    $files = @(Join-Path $Store 'logtools.db') + @(Get-ChildItem (Join-Path $Store 'archive') -Filter *.db -ErrorAction SilentlyContinue | ForEach-Object FullName)
    $rows = 0L; $in = 0L; $out = 0L
    foreach ($file in $files) {
        $line = & sqlite3 $file 'SELECT count(*), coalesce(sum(tokens_input), 0), coalesce(sum(tokens_output), 0) FROM api_calls'
        $parts = $line -split '\|'
        $rows += $parts[0]; $in += $parts[1]; $out += $parts[2]
    }
    "rows=$rows input=$in output=$out"
}

# Runs $Command in a new runspace with the module, waits until $Midway is true (the command is under way; it gets
# the runspace's PowerShell, whose streams show progress so far), stops it as Ctrl+C does, and returns how it ended:
# the seconds Stop() took, its state, error records, reason.
function Stop-Midway([string] $Command, [scriptblock] $Midway) {
    $ps = [powershell]::Create()
    try {
        [void]$ps.AddScript("Import-Module '$($script:ModuleManifest)'; $Command")
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (& $Midway $ps)) {
            if ($async.IsCompleted -or [DateTime]::UtcNow -gt $deadline) { throw "The command ended or stalled before it was under way: $Command" }
            Start-Sleep -Milliseconds 20
        }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $ps.Stop()
        [pscustomobject]@{
            Seconds = $clock.Elapsed.TotalSeconds
            State   = $ps.InvocationStateInfo.State
            Reason  = $ps.InvocationStateInfo.Reason
            Errors  = @($ps.Streams.Error)
        }
    }
    finally { $ps.Dispose() }
}

# A throwaway PostgreSQL cluster for the server backend: initdb'd in a temp folder and run by the unprivileged user
# 'nobody' (the server refuses root), on a Unix socket only, with password logins for the user 'logtools'.
# Returns Bin, Root, Socket and Password; Stop-TestPostgres stops and removes it.
function Start-TestPostgres {
    $bin = Get-ChildItem /usr/lib/postgresql/*/bin/initdb -ErrorAction SilentlyContinue |
        Sort-Object { [int]$_.Directory.Parent.Name } | Select-Object -Last 1 | ForEach-Object DirectoryName
    if (-not $bin) { throw 'PostgreSQL is not installed (Debian: apt-get install postgresql); the server backend cannot be tested.' }
    $root = Join-Path '/tmp' "logtools-pg-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    New-Item -ItemType Directory -Path $root | Out-Null
    $password = [guid]::NewGuid().ToString('n')
    Set-Content -Path "$root/password" -Value $password
    & chown -R nobody $root
    & runuser -u nobody -- "$bin/initdb" -D "$root/data" -U logtools --auth=scram-sha-256 "--pwfile=$root/password" -E UTF8 --no-sync | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "initdb failed in $root" }
    & runuser -u nobody -- "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -o "-k $root -c listen_addresses='' -c fsync=off -c max_connections=200" start | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "the test PostgreSQL server did not start: $(Get-Content "$root/server.log" -Raw)" }
    [pscustomobject]@{ Bin = $bin; Root = $root; Socket = $root; Password = $password }
}

# A new database on the test cluster and a content root for it, as a store location (postgres://...).
function New-TestPostgresStore($Server) {
    $name = "t$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    $env:PGPASSWORD = $Server.Password
    & "$($Server.Bin)/createdb" -h $Server.Socket -U logtools $name
    if ($LASTEXITCODE -ne 0) { throw "createdb $name failed" }
    "postgres://logtools@/$($name)?host=$($Server.Socket)&content=$(New-TestFolder 'pgcontent')"
}

function Stop-TestPostgres($Server) {
    & runuser -u nobody -- "$($Server.Bin)/pg_ctl" -D "$($Server.Root)/data" -m immediate -w stop | Out-Null
    Remove-Item -Recurse -Force $Server.Root
}

# One value from a PostgreSQL store's database (New-TestPostgresStore) on the test cluster, read with psql (the oracle: not
# through LogTools), with the store's schema first on the search path.
function Invoke-TestPsql($Server, [string] $Store, [string] $Query) {
    $database = ($Store -split '[/?]')[3]
    $env:PGOPTIONS = '-c search_path=main'
    try { & psql -h $Server.Socket -U logtools -d $database -tAc $Query }
    finally { Remove-Item Env:PGOPTIONS }
}

# The folder of a store's files (conversations, runs/, pond/): the store folder itself, or a PostgreSQL store's content root.
function Get-TestContentRoot([string] $Store) {
    if ($Store -match '^postgres(ql)?://') { return (($Store -split '[?&]content=')[1] -split '&')[0] }
    $Store
}

# The cluster of a run on PostgreSQL (Run.ps1 -Backend postgres), as Start-TestPostgres returns one.
function Get-TestRunServer { [pscustomobject]@{ Bin = $env:LOGTOOLS_TEST_PG_BIN; Socket = $env:LOGTOOLS_TEST_PG_SOCKET; Password = $env:PGPASSWORD } }

# Whether a store (New-TestStore) has been created: its folder, or its schema in its PostgreSQL database.
function Test-TestStore([string] $Store) {
    if ($Store -notmatch '^postgres(ql)?://') { return Test-Path $Store }
    (Invoke-TestPsql (Get-TestRunServer) $Store "SELECT to_regnamespace('main') IS NOT NULL") -eq 't'
}

# Runs SQL on a store's database (New-TestStore) with the backend's own client, not through LogTools: sqlite3 on the
# store file, or psql on its PostgreSQL database.
function Invoke-TestStoreSql([string] $Store, [string] $Query) {
    if ($Store -match '^postgres(ql)?://') { return Invoke-TestPsql (Get-TestRunServer) $Store $Query }
    & sqlite3 (Join-Path $Store 'logtools.db') $Query
}

# Skips the current test in a run on PostgreSQL: for tests about SQLite itself (the store file, WAL, sqlite3 as the oracle).
function Skip-OnPostgres([Parameter(Mandatory)] [string] $Because) {
    if ($env:LOGTOOLS_TEST_BACKEND -eq 'postgres') { Set-ItResult -Skipped -Because "SQLite only: $Because" }
}

# Removes a store (New-TestStore) as if it had never been written: its folder, or its schema and content root.
function Remove-TestStore([string] $Store) {
    if ($Store -match '^postgres(ql)?://') { Invoke-TestStoreSql $Store 'DROP SCHEMA IF EXISTS main CASCADE' | Out-Null }
    Remove-Item -Recurse -Force (Get-TestContentRoot $Store)
}

# After an interrupted Import-LogHistory of logs that hold one call a line: the files whose recorded offset does not
# cover exactly the calls stored from them ("path: N lines covered, M rows"), none when only whole batches were kept.
function Get-ImportOffsetMismatch([string] $Store) {
    $db = Join-Path $Store 'logtools.db'
    $covered = @{}
    foreach ($state in @(& sqlite3 -separator '|' $db 'SELECT path, end_offset FROM history_import_files')) {
        $path, $offset = $state -split '\|'
        $covered[$path] = [Text.Encoding]::UTF8.GetString([IO.File]::ReadAllBytes($path), 0, [int]$offset).Split("`n").Count - 1
    }
    $stored = @{}
    foreach ($row in @(& sqlite3 -separator '|' $db 'SELECT source, count(*) FROM api_calls GROUP BY source')) {
        $path, $count = $row -split '\|'
        $stored[$path] = [long]$count
    }
    foreach ($path in @($covered.Keys) + @($stored.Keys) | Sort-Object -Unique) {
        if ([long]$covered[$path] -ne [long]$stored[$path]) { "${path}: $([long]$covered[$path]) lines covered, $([long]$stored[$path]) rows" }
    }
}
