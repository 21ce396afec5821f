using LogTools.Engine.Store;
using LogTools.Engine.Tests.Support;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Store;

/// <summary>
/// Test-LogStore's check (StoreCheck, on a store opened with StoreAccess.Check) of an SQLite store whose database every other
/// reader refuses to open: the damage is reported as problems, not thrown.
/// </summary>
public sealed class StoreCheckTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    public enum Damage
    {
        /// <summary>The root page of schema_migrations' key index overwritten, as in the user's report (page 6).</summary>
        SchemaIndexPage,
        RandomBytes,
        TruncatedToHalf,
    }

    [Theory]
    [InlineData(Damage.SchemaIndexPage, "StoreCorrupt", "btreeInitPage() returns error code 11")]
    [InlineData(Damage.RandomBytes, "StoreDatabaseInvalid", "file is not a database")]
    [InlineData(Damage.TruncatedToHalf, "StoreCorrupt", "database disk image is malformed")]
    public void A_database_that_readers_cannot_open_is_reported_damaged_in_SQLites_words_and_marked(Damage damage, string readerError, string reason)
    {
        var folder = DamagedStore(damage);
        var database = Path.Combine(folder, LogStore.DatabaseFileName);

        var problems = StoreCheck.Run(LogStore.Open(folder, StoreAccess.Check)).ToList();

        Assert.NotEmpty(problems);
        Assert.All(problems, p =>
        {
            Assert.Equal(StoreProblemKind.DatabaseDamaged, p.Kind);
            Assert.Equal(database, p.Path);
        });
        Assert.Contains(problems, p => p.Message.Contains(reason, StringComparison.Ordinal));
        Assert.True(File.Exists(database + StoreDatabase.CorruptMarkerSuffix));
        // Only the check opens it: every other reader is still refused.
        Assert.Equal(readerError, Assert.Throws<LogToolsException>(() => LogStore.Open(folder, StoreAccess.Read)).ErrorId);
    }

    /// <summary>A new store's database copied (closed, no WAL) into a folder of its own, then damaged on disk.</summary>
    private string DamagedStore(Damage damage)
    {
        var folder = Directory.CreateDirectory(temp.Combine("damaged")).FullName;
        var database = Path.Combine(folder, LogStore.DatabaseFileName);
        LogStore.Open(temp.Combine("healthy")).Database.BackupTo(database);
        var length = new FileInfo(database).Length;
        switch (damage)
        {
            case Damage.SchemaIndexPage:
                var page = Convert.ToInt64(SqliteFile.Scalar(database, "SELECT rootpage FROM sqlite_schema WHERE name = 'sqlite_autoindex_schema_migrations_1'"));
                var pageSize = Convert.ToInt64(SqliteFile.Scalar(database, "PRAGMA page_size"));
                using (var stream = File.OpenWrite(database))
                {
                    stream.Position = (page - 1) * pageSize;
                    stream.Write(new byte[100]);
                }

                break;
            case Damage.RandomBytes:
                var bytes = new byte[length];
                new Random(6).NextBytes(bytes);
                File.WriteAllBytes(database, bytes);
                break;
            case Damage.TruncatedToHalf:
                using (var stream = File.OpenWrite(database))
                {
                    stream.SetLength(length / 2);
                }

                break;
        }

        return folder;
    }
}
