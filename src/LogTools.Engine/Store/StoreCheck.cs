using LogTools.Engine.Mirror;
using LogTools.Engine.Sessions;

namespace LogTools.Engine.Store;

/// <summary>
/// Test-LogStore's check: SQLite's integrity check of logtools.db and every archive database, then the content
/// files the index points to (pond files against their recorded BLAKE3, through the Mirror area; conversation
/// files named by workers.log_file). A database with problems is marked corrupt (writes stop); when nothing is
/// wrong the marks are cleared, which is how a store marked corrupt is taken back into use.
/// </summary>
public static class StoreCheck
{
    /// <summary>Yields each problem as it is found; <paramref name="progress"/> gets what is being checked.</summary>
    public static IEnumerable<StoreProblem> Run(LogStore store, Action<string>? progress = null)
    {
        var databases = new List<StoreDatabase> { store.Database };
        var archiveFolder = Path.Combine(store.Path, LogArchive.Folder);
        if (Directory.Exists(archiveFolder))
        {
            databases.AddRange(Directory.GetFiles(archiveFolder, "*.db").Order(StringComparer.Ordinal).Select(f => new StoreDatabase(f, existing: true)));
        }

        var problems = 0;
        var indexReadable = true;
        foreach (var database in databases)
        {
            progress?.Invoke(database.DatabasePath);
            var findings = IntegrityFindings(database);
            if (findings.Count > 0)
            {
                database.MarkCorrupt($"the integrity check found {findings.Count} problem(s), the first: '{findings[0]}'");
                indexReadable &= database != store.Database;
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
            foreach (var problem in ContentProblems(store, progress))
            {
                problems++;
                yield return problem;
            }
        }

        if (problems == 0)
        {
            databases.ForEach(d => d.ClearCorruptMark());
        }
    }

    /// <summary>What SQLite's integrity check reports for <paramref name="database"/>; empty when it is sound.</summary>
    internal static List<string> IntegrityFindings(StoreDatabase database)
    {
        var findings = new List<string>();
        try
        {
            database.Read(connection =>
            {
                Sql.ForEach(connection, null, "PRAGMA integrity_check", [], r => findings.Add(r.GetString(0)));
                return findings.Count;
            });
        }
        catch (LogToolsException ex) when (ex.ErrorId == "StoreCorrupt")
        {
            // Damage bad enough that the check itself cannot run (page 1, a header that is not SQLite's).
            findings.Add(ex.InnerException?.Message ?? ex.Message);
        }

        return findings is ["ok"] ? [] : findings;
    }

    private static IEnumerable<StoreProblem> ContentProblems(LogStore store, Action<string>? progress)
    {
        foreach (var file in MirrorCatalog.Files(store))
        {
            progress?.Invoke(file.PondPath);
            var check = MirrorCatalog.Check(file, host: false);
            if (check.Status is MirrorCheckStatus.PondMissing or MirrorCheckStatus.PondMismatch)
            {
                yield return new StoreProblem
                {
                    Kind = check.Status == MirrorCheckStatus.PondMissing ? StoreProblemKind.PondMissing : StoreProblemKind.PondMismatch,
                    Path = check.PondPath,
                    Message = check.Message ?? check.Status.ToString(),
                };
            }
        }

        var conversations = new List<(string Worker, string File)>();
        new WorkerLedger(store).Find(new WorkerQuery(), w =>
        {
            if (w.LogFile is not null)
            {
                conversations.Add((w.WorkerId, Path.GetFullPath(w.LogFile, store.Path)));
            }
        });
        foreach (var (worker, file) in conversations.Where(c => !File.Exists(c.File)))
        {
            yield return new StoreProblem
            {
                Kind = StoreProblemKind.ConversationMissing, Path = file, Message = $"The conversation file of worker '{worker}' is missing.",
            };
        }
    }
}
