using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Get-LogStore: where the store is, how it was chosen, its schema, SQLite version, sizes and row counts.</summary>
[Cmdlet(VerbsCommon.Get, "LogStore")]
[OutputType("LogTools.Engine.Store.StoreInfo")]
public sealed class GetLogStoreCommand : StoreCmdlet
{
    /// <summary>Describes a store as it is, an older schema included; never creates or migrates it.</summary>
    protected override StoreAccess Access => StoreAccess.Inspect;

    protected override void End()
    {
        var location = LocateStore(Store);
        WriteObject(OpenStore().Describe(location.Source, location.Detail));
    }
}
