using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using LogTools.Engine.Mirror;
using LogTools.Engine.Runs;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Engine;

/// <summary>
/// The engine's areas, registered with the store in migration order: a new area is one folder and one line here.
/// The Store area is always first and knows none of them.
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
        StoreSchema.Register(Ports.PortsMigrations.Area);
    }
}
