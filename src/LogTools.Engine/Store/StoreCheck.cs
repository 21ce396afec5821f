namespace LogTools.Engine.Store;

/// <summary>
/// Test-LogStore's check: SQLite's integrity check of logtools.db and every database in the areas' database folders
/// (the archive's), then each area's check of the content files the index points to (the Mirror area's pond files
/// against their recorded BLAKE3, the Telemetry area's conversation files). A database with problems is marked corrupt (writes stop); when nothing is
/// wrong the marks are cleared, which is how a store marked corrupt is taken back into use. On a store opened with <see cref="StoreAccess.Check"/>
/// (Test-LogStore's), a database too damaged to open (its schema unreadable, not an SQLite file at all) is a problem like any other.
/// </summary>
public static class StoreCheck
{
    /// <summary>
    /// Yields each problem as it is found; <paramref name="progress"/> gets what is being checked. Without
    /// <paramref name="recordVerdict"/> (-WhatIf) it only reads: no database is marked corrupt and no mark is cleared.
    /// <paramref name="cancellationToken"/> ends a database's integrity check where it runs, and is checked between content files: a stopped check clears no mark and sets none.
    /// </summary>
    public static IEnumerable<StoreProblem> Run(LogStore store, Action<string>? progress = null, bool recordVerdict = true, CancellationToken cancellationToken = default)
    {
        var databases = new List<StoreDatabase> { store.Database };
        foreach (var folder in StoreSchema.Areas.SelectMany(a => a.DatabaseFolders).Select(f => Path.Combine(store.Path, f)).Where(Directory.Exists))
        {
            databases.AddRange(Directory.GetFiles(folder, "*.db").Order(StringComparer.Ordinal).Select(f => StoreDatabase.Open(f, existing: true)));
        }

        var problems = 0;
        var indexReadable = true;
        foreach (var database in databases)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Invoke(database.DatabasePath);
            var findings = database.IntegrityFindings(cancellationToken);
            if (findings.Count > 0)
            {
                indexReadable &= database != store.Database;
                if (recordVerdict)
                {
                    database.MarkCorrupt($"the integrity check found {findings.Count} problem(s), the first: '{findings[0]}'");
                }
            }
            else if (database == store.Database)
            {
                // Only a sound index can be asked for its versions; a store without one, or of another schema, is refused here.
                store.CompleteReaderChecks();
            }

            foreach (var finding in findings)
            {
                problems++;
                yield return new StoreProblem { Kind = StoreProblemKind.DatabaseDamaged, Path = database.DatabasePath, Message = finding };
            }
        }

        // The content checks read the index; a damaged index has been reported and cannot be trusted to list them.
        if (indexReadable)
        {
            foreach (var problem in StoreSchema.Areas.Where(a => a.CheckContent is not null).SelectMany(a => a.CheckContent!(store, progress, cancellationToken)))
            {
                problems++;
                yield return problem;
            }
        }

        if (problems == 0 && recordVerdict)
        {
            databases.ForEach(d => d.ClearCorruptMark());
        }
    }
}
