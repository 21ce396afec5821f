# The LogTools demonstration: runs against the default store (no configuration), through pwsh or
# the logtools host:  logtools -File docs/examples/demo.ps1
# It grows as capabilities land; everything it writes is real and stays in the store.

Write-Information -MessageData '== The store (chosen with no configuration)' -InformationAction Continue
Get-LogStore | Out-Default
(Get-LogStore).Tables | Out-Default
