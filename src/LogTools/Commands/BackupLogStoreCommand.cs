using System.Management.Automation;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Backup-LogStore: a consistent, verified copy of the store (database and content files) in a new folder,
/// taken while other processes keep writing. The folder appears under its name only once it is whole.
/// </summary>
[Cmdlet(VerbsData.Backup, "LogStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Store.StoreBackupResult")]
public sealed class BackupLogStoreCommand : StoreCmdlet
{
    /// <summary>The new folder to write the backup to; it must not exist yet (its parent must).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Copies the store as it is, an older schema included; the store itself is only read.</summary>
    protected override StoreAccess Access => StoreAccess.Inspect;

    protected override void End()
    {
        var store = OpenStore();
        var destination = ResolveUserPath(Destination);
        if (!ShouldCopyStore(destination, "Back up", StoreBackup.Plan(store, destination)))
        {
            return;
        }

        WithProgress("Backup-LogStore", $"Copying '{store.Path}' to '{destination}'", report => WriteObject(StoreBackup.Create(store, destination, report, CancellationToken)));
    }
}
