namespace LogTools.Engine.Store;

/// <summary>One numbered schema step, owned by one area of the engine.</summary>
/// <param name="Version">The PRAGMA user_version the store has after this step.</param>
/// <param name="Area">The engine area that owns the tables it creates (Store, Sessions, Mirror, ...).</param>
/// <param name="Description">What it does, for Get-LogStore and for humans.</param>
/// <param name="Sql">The statements, run in the migration's transaction.</param>
public sealed record Migration(int Version, string Area, string Description, string Sql);
