using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using LogTools.Engine.Hashing;
using LogTools.Engine.Ingest;
using LogTools.Engine.Mirror;
using LogTools.Engine.Runs;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Engine;

/// <summary>
/// The engine's areas, registered with the store in migration order: a new area is one folder and one line here.
/// The Store area is always first and knows none of them; what it needs of another area (the hash that verifies
/// backups) is handed to it here too.
/// </summary>
internal static class EngineAreas
{
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "The registration must precede any store being opened, from any entry point (cmdlets, tests, benchmarks).")]
    internal static void Register()
    {
        StoreSchema.Register(SessionMigrations.Area);
        StoreSchema.Register(MirrorMigrations.Area);
        StoreSchema.Register(CostMigrations.Area);
        StoreSchema.Register(HistoryImportMigrations.Area);
        StoreSchema.Register(LogArchive.Area);
        StoreSchema.Register(RunsMigrations.Area);
        StoreSchema.Register(IngestMigrations.Area);
        RunHooks.Completed.Register(IngestAudit.OnRunCompleted);
        RunHooks.Files.Register(IngestLedger.WriteRunFiles);
        RunHooks.Removing.Register(IngestLedger.DeleteRun);
        StoreSchema.Register(Ports.PortsMigrations.Area);
        RunHooks.Removing.Register(Ports.PortIndex.DeleteRun);
        StoreBackup.Hasher = () => new Blake3BackupHasher();
    }

    /// <summary>Backup-LogStore verifies copies with BLAKE3, the design's one content hash.</summary>
    private sealed class Blake3BackupHasher : IBackupHasher
    {
        private readonly Blake3Hasher hasher = Blake3Hasher.Create();

        public void Append(ReadOnlySpan<byte> bytes) => hasher.Update(bytes);

        public string Finish()
        {
            var digest = new byte[32];
            hasher.Finalize(digest);
            return Convert.ToHexString(digest);
        }
    }
}
