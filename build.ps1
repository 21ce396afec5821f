#requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents and packages LogTools. Each task is a thin wrapper over dotnet, so CI
    and machines without pwsh run the same commands (shown with -Verbose).
.EXAMPLE
    ./build.ps1 Build, Test
.EXAMPLE
    ./build.ps1 Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string[]] $Task = @('Build'),
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Push-Location $PSScriptRoot
try {
    function Invoke-Dotnet([string[]] $Arguments) {
        Write-Verbose "dotnet $($Arguments -join ' ')"
        & dotnet @Arguments
        if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
    }

    foreach ($name in $Task) {
        switch ($name) {
            # Assembles the ready-to-import module at out/LogTools and the logtools host at out/cli.
            'Build' { Invoke-Dotnet 'build', 'LogTools.sln', '-c', $Configuration }
            'Test' { Invoke-Dotnet 'test', 'LogTools.sln', '-c', $Configuration }
            # Compiles docs/*.md to en-US/ (MAML and about topics); Build does this too.
            'Docs' { Invoke-Dotnet 'run', '--project', 'src/LogTools.HelpCompiler', '-c', $Configuration, '--', 'docs', 'en-US' }
            # Builds the module and zips it to out/package/LogTools-<version>.zip.
            'Package' { Invoke-Dotnet 'build', 'src/LogTools', '-c', $Configuration, '-p:PackageModule=true' }
        }
    }
}
finally {
    Pop-Location
}
