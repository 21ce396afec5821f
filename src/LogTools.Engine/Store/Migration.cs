namespace LogTools.Engine.Store;

/// <summary>One numbered schema step of one area of the engine.</summary>
/// <param name="Version">The area's own version after this step: 1..n per area, so areas developed side by side never collide.</param>
/// <param name="Description">What it does, for Get-LogStore and for humans.</param>
/// <param name="Sql">The statements, run in the migration's transaction.</param>
public sealed record Migration(int Version, string Description, string Sql);
