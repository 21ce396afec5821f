using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Store;

public sealed class LogStoreTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_store_folder_removed_behind_the_process_is_created_anew_and_written_where_it_can_be_seen()
    {
        var folder = temp.Combine("store");
        new SessionLedger(LogStore.Open(folder)).Start("before", folder, null);
        Directory.Delete(folder, recursive: true);

        var store = LogStore.Open(folder);
        new SessionLedger(store).Start("after", folder, null);

        Assert.True(File.Exists(Path.Combine(folder, LogStore.DatabaseFileName)));
        var ids = new List<string>();
        new SessionLedger(LogStore.Open(folder, StoreAccess.Read)).Find(null, false, false, null, null, s => ids.Add(s.SessionId));
        Assert.Equal(["after"], ids);
    }
}
