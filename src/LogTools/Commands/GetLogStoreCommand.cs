using System.Management.Automation;

namespace LogTools.Commands;

/// <summary>Get-LogStore: where the store is, how it was chosen, its schema, SQLite version, sizes and row counts.</summary>
[Cmdlet(VerbsCommon.Get, "LogStore")]
[OutputType("LogTools.Engine.Store.StoreInfo")]
public sealed class GetLogStoreCommand : StoreCmdlet
{
    protected override void EndProcessing()
    {
        var location = LocateStore(Store);
        WriteObject(OpenStore().Describe(location.Source, location.Detail));
    }
}
