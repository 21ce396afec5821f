namespace LogTools.Engine.Store;

/// <summary>
/// One area of the engine as the store knows it: registered once (see EngineAreas), migrated in registration
/// order, each with its own version sequence in schema_migrations.
/// </summary>
/// <param name="Name">Stable name, as recorded in schema_migrations.area.</param>
/// <param name="Migrations">The area's migrations, versions 1..n in order.</param>
/// <param name="Tables">The tables the area owns (what its migrations create), for Get-LogStore.</param>
public sealed record StoreArea(string Name, IReadOnlyList<Migration> Migrations, IReadOnlyList<string> Tables)
{
    /// <summary>The area's newest version in this build.</summary>
    public int Latest => Migrations.Count == 0 ? 0 : Migrations[^1].Version;
}
