using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using LogTools.Engine.Store;

namespace LogTools.Engine.Tests.Store;

/// <summary>
/// An area that exists only in the engine tests, registered as a new area would be (one registration): every store
/// these tests open has it, so the Store's generic parts (migrations, upgrade, archiving) are proven on an area that
/// no engine code names.
/// </summary>
internal static class ProbeArea
{
    public static StoreArea Area { get; } = new("Probe", [
        new(1, "probe_readings", "CREATE TABLE probe_readings (reading_id INTEGER PRIMARY KEY, taken_at TEXT NOT NULL, value TEXT NOT NULL);"),
    ], ["probe_readings"])
    {
        Archived = [new("probe_readings", "reading_id", "SELECT substr(taken_at, 1, 7) AS month, reading_id AS pk FROM probe_readings WHERE taken_at < $cutoff")],
    };

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "Like EngineAreas: registered before any test opens a store.")]
    internal static void Register() => StoreSchema.Register(Area);
}
