#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents, packages and demonstrates LogTools. Each task is a thin wrapper over
    dotnet (shown with -Verbose); Test runs xunit and Pester and prints one closing line.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Demo
.EXAMPLE
    ./build.ps1 Test -PesterPath tests/Pester/Mirror.Tests.ps1 -SkipXunit
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package', 'Demo')]
    [string[]] $Task = @('Build'),
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    # Test: only these Pester files or folders (default: tests/Pester).
    [string[]] $PesterPath = @(),
    # Test: run Pester only (the module is still built).
    [switch] $SkipXunit,
    # Test: run xunit only.
    [switch] $SkipPester,
    # Test: an xunit filter expression (dotnet test --filter).
    [string] $XunitFilter
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot
try {
    function Invoke-Dotnet([string[]] $Arguments) {
        Write-Verbose "dotnet $($Arguments -join ' ')"
        & dotnet @Arguments
        if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
    }

    # This pwsh, as a command line: under `dotnet pwsh` the process is dotnet running pwsh.dll.
    $pwsh = @([Environment]::ProcessPath) + @(if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    function Invoke-Pwsh([string[]] $Arguments) { & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile @Arguments }

    $failed = $false
    foreach ($name in $Task) {
        switch ($name) {
            # Assembles the ready-to-import module at out/LogTools.
            'Build' { Invoke-Dotnet 'build', 'LogTools.sln', '-c', $Configuration }
            'Test' {
                Invoke-Dotnet 'build', 'LogTools.sln', '-c', $Configuration
                $passed = 0; $failedCount = 0
                if (-not $SkipXunit) {
                    # Every test on SQLite, then the engine's tests of the store-backed areas again on a throwaway PostgreSQL cluster.
                    $backend = '(Category=Backend)' + $(if ($XunitFilter) { "&($XunitFilter)" })
                    foreach ($run in @(
                            @{ Target = 'LogTools.sln'; Filter = $XunitFilter; Backend = $null },
                            @{ Target = 'tests/LogTools.Engine.Tests'; Filter = $backend; Backend = 'postgres' })) {
                        $arguments = @('test', $run.Target, '-c', $Configuration, '--no-build')
                        if ($run.Filter) { $arguments += '--filter', $run.Filter }
                        Write-Verbose "dotnet $($arguments -join ' ') (backend: $($run.Backend ?? 'sqlite'))"
                        $env:LOGTOOLS_TEST_BACKEND = $run.Backend
                        $before = $failedCount
                        try {
                            & dotnet @arguments | ForEach-Object {
                                $_
                                # One result line per test assembly: "Passed!  - Failed: 0, Passed: 238, Skipped: 0, ..."
                                if ($_ -match 'Failed:\s+(\d+),\s+Passed:\s+(\d+),') { $failedCount += [int]$Matches[1]; $passed += [int]$Matches[2] }
                            }
                        }
                        finally { Remove-Item Env:LOGTOOLS_TEST_BACKEND -ErrorAction SilentlyContinue }
                        if ($LASTEXITCODE -ne 0 -and $failedCount -eq $before) { $failedCount++ } # a crash or build failure counts too
                    }
                }
                if (-not $SkipPester) {
                    Invoke-Dotnet 'restore', 'tests/Pester/Pester.proj', '--verbosity', 'quiet'
                    $summary = Join-Path ([IO.Path]::GetTempPath()) "logtools-pester-$PID.json"
                    # Every file on SQLite, then the files of the store-backed areas again on a throwaway PostgreSQL cluster.
                    foreach ($backend in 'sqlite', 'postgres') {
                        # A child pwsh: the tests get their own config and data homes, never the user's.
                        Invoke-Pwsh '-File', 'tests/Pester/Run.ps1', '-SummaryPath', $summary, '-Path', ($PesterPath -join ','), '-Backend', $backend
                        if (Test-Path $summary) {
                            $counts = Get-Content $summary -Raw | ConvertFrom-Json
                            $passed += $counts.Passed; $failedCount += $counts.Failed
                            Remove-Item $summary
                        }
                        else { $failedCount++ }
                    }
                }
                "$passed passed, $failedCount failed"
                if ($failedCount -gt 0) { $failed = $true }
            }
            # Compiles docs/*.md to en-US/ (MAML and about topics); Build does this too.
            'Docs' { Invoke-Dotnet 'run', '--project', 'src/LogTools.HelpCompiler', '-c', $Configuration, '--', 'docs', 'en-US' }
            # Builds the module and zips it to out/package/LogTools-<version>.zip (every platform) and
            # LogTools-<version>-linux-x64.zip (the cmdlet assembly precompiled for linux-x64; see LogTools.csproj).
            'Package' { Invoke-Dotnet 'build', 'src/LogTools', '-c', $Configuration, '-p:PackageModule=true' }
            # The main job on a demo store of its own, in a child pwsh that imports out/LogTools.
            'Demo' {
                Invoke-Dotnet 'build', 'src/LogTools', '-c', $Configuration
                Invoke-Pwsh '-File', 'docs/examples/demo.ps1'
                if ($LASTEXITCODE -ne 0) { $failed = $true }
            }
        }
    }
    if ($failed) { exit 1 }
}
finally {
    Pop-Location
}
