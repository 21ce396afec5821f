using System.Management.Automation;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Copy-LogStore: the whole store copied into a new or empty store, on either backend (SQLite or PostgreSQL), ids kept,
/// verified table by table (row counts and digests) before the copy is kept; content files copied or left in place.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "LogStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Store.StoreCopyResult")]
public sealed class CopyLogStoreCommand : StoreCmdlet
{
    /// <summary>The store to copy into: a folder or a server location (postgres://...?content=...), new or empty.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = string.Empty;

    /// <summary>Copy the content files into the destination's content root (the default), or leave them in place.</summary>
    [Parameter]
    [ValidateSet("Copy", "InPlace", IgnoreCase = true)]
    public string Content { get; set; } = "Copy";

    /// <summary>The user and password for a destination on PostgreSQL; otherwise the session's (Set-LogStore -Credential), PGPASSWORD or ~/.pgpass.</summary>
    [Parameter]
    [Credential]
    public PSCredential? DestinationCredential { get; set; }

    protected override void End()
    {
        var store = OpenStore();
        var destination = StoreLocator.IsServer(Destination) ? Destination : ResolveUserPath(Destination);
        var password = SessionStoreChoice.PasswordFor(destination);
        if (DestinationCredential is { } credential)
        {
            (destination, _) = MustSucceed(() => StoreLocator.ServerStore(destination, null, credential.UserName));
            password = credential.GetNetworkCredential().Password;
        }

        var shown = StoreLocator.Display(destination);
        var content = Enum.Parse<StoreContentMode>(Content, ignoreCase: true);
        if (!ShouldCopyStore(shown, "Copy the records of", StoreCopy.Plan(store, destination, content, password)))
        {
            return;
        }

        WithProgress("Copy-LogStore", $"Copying '{store.Database.DatabasePath}' to '{shown}'", report => WriteObject(StoreCopy.Copy(
            store, destination, content, report, password, CancellationToken)));
    }
}
