using System.IO.Compression;
using System.Text.Json;
using LogTools.Engine.Hashing;
using LogTools.Engine.Journal;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Runs;

/// <summary>
/// What happens to completed runs' logs afterwards: verification (Test-LogRun), compression (Compress-LogRun) and
/// retention (Remove-LogRun). Every step is ordered so that a crash leaves a readable run or no run, never half of one.
/// </summary>
public sealed class RunMaintenance(LogStore store, TimeProvider? clock = null)
{
    private static readonly JsonSerializerOptions ExportOptions = new() { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private readonly TimeProvider time = clock ?? TimeProvider.System;
    private readonly RunLedger ledger = new(store, clock);

    /// <summary>Recomputes each completed run's BLAKE3 and sequence continuity.</summary>
    /// <param name="cancellationToken">Checked between runs, between a log's lines and between the blocks it hashes.</param>
    public void Verify(RunQuery query, Action<RunCheck> sink, CancellationToken cancellationToken = default) => ledger.Find(query, run =>
    {
        if (run.IsCompleted)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sink(Check(run, cancellationToken));
        }
    });

    /// <summary>Test-LogStore's check of the run logs: each completed run whose log is missing, altered or truncated.</summary>
    internal static IEnumerable<StoreProblem> StoreProblems(LogStore store, Action<string>? progress, CancellationToken cancellationToken)
    {
        var problems = new List<StoreProblem>();
        new RunMaintenance(store).Verify(new RunQuery(), check =>
        {
            progress?.Invoke(check.EventsPath);
            if (check.Status != RunCheckStatus.Ok)
            {
                problems.Add(new StoreProblem
                {
                    Kind = check.Status == RunCheckStatus.Missing ? StoreProblemKind.RunLogMissing : StoreProblemKind.RunLogMismatch,
                    Path = check.EventsPath,
                    Message = $"Run {check.RunId}: {check.Status}. {check.Problem}".TrimEnd(),
                });
            }
        }, cancellationToken);
        return problems;
    }

    /// <summary>
    /// Compresses the logs of runs completed more than <paramref name="olderThan"/> ago to events.ndjson.gz: written
    /// under a temporary name, verified against the recorded BLAKE3, renamed, the pointer updated, and only then the
    /// plain file removed. A log that no longer matches its digest is reported to <paramref name="problem"/> and left as it is.
    /// </summary>
    /// <param name="cancellationToken">Checked between blocks while a log is compressed and verified: a stop removes the temporary file, and that run's log stays plain.</param>
    public void Compress(TimeSpan olderThan, Func<LogRun, bool> approve, Action<LogRun> sink, Action<LogToolsException> problem, CancellationToken cancellationToken = default)
    {
        var before = time.GetUtcNow() - olderThan;
        foreach (var run in Completed(before, null))
        {
            var plain = PlainPath(run.EventsPath);
            if (!File.Exists(plain) || !approve(run))
            {
                continue;
            }

            var compressed = plain + RunLayout.CompressedSuffix;
            var temporary = compressed + ".tmp";
            string digest;
            try
            {
                digest = WriteCompressed(plain, temporary, cancellationToken);
            }
            catch
            {
                // Stopped or failed: no half-written .gz is left beside the log, which is still the plain one.
                File.Delete(temporary);
                throw;
            }

            if (run.EventsBlake3 is { } expected && digest != expected)
            {
                File.Delete(temporary);
                problem(new LogToolsException(
                    "RunCompressMismatch", ErrorKind.InvalidData, run.RunId,
                    $"The log of run '{run.RunId}' no longer matches the BLAKE3 recorded at completion; it was not compressed. " +
                    "Check it with Test-LogRun. Nothing was changed."));
                continue;
            }

            File.Move(temporary, compressed, overwrite: true);
            SetPointer(run.RunId, compressed);
            File.Delete(plain);
            sink(ledger.Get(run.RunId));
        }
    }

    /// <summary>
    /// Removes runs completed more than <paramref name="olderThan"/> ago (of the given statuses): exported first when
    /// <paramref name="exportPath"/> is given (the log as it is and the run's metadata as JSON), then the row with what other
    /// areas hang on the run (<see cref="RunHooks.Removing"/>, in the same transaction), then the folder. Folders of runs whose row is already gone (a removal interrupted before) are removed too.
    /// </summary>
    public void Remove(TimeSpan olderThan, IReadOnlyCollection<RunStatus>? statuses, string? exportPath, Func<LogRun, bool> approve, Func<string, bool> approveOrphan, Action<LogRun> sink)
    {
        var before = time.GetUtcNow() - olderThan;
        foreach (var run in Completed(before, statuses))
        {
            if (!approve(run))
            {
                continue;
            }

            if (exportPath is not null)
            {
                Export(run, Path.Combine(exportPath, run.RunId));
            }

            store.Database.Write((connection, transaction) =>
            {
                RunHooks.Removing.Call(hook => hook(connection, transaction, run.RunId));
                Execute(connection, transaction, "DELETE FROM runs WHERE run_id = $id", P("$id", run.RunId));
            });
            DeleteFolder(Path.GetDirectoryName(run.EventsPath)!);
            sink(run);
        }

        SweepOrphans(approveOrphan);
    }

    private static string PlainPath(string path) =>
        path.EndsWith(RunLayout.CompressedSuffix, StringComparison.Ordinal) ? path[..^RunLayout.CompressedSuffix.Length] : path;

    /// <summary>Gzips <paramref name="plain"/> into <paramref name="temporary"/>, on disk when this returns; the digest of what it decompresses to.</summary>
    private static string WriteCompressed(string plain, string temporary, CancellationToken cancellationToken)
    {
        using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            using (var input = new FileStream(plain, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                var buffer = new byte[1 << 20];
                int count;
                while ((count = input.Read(buffer)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    gzip.Write(buffer, 0, count);
                }
            }

            output.Flush(flushToDisk: true);
        }

        return HashDecompressed(temporary, cancellationToken);
    }

    private static string HashDecompressed(string path, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return Blake3File.Hash(gzip, options: new Blake3Options { CancellationToken = cancellationToken }).ToString();
    }

    private static void Export(LogRun run, string folder)
    {
        Directory.CreateDirectory(folder);
        if (File.Exists(run.EventsPath))
        {
            File.Copy(run.EventsPath, Path.Combine(folder, Path.GetFileName(run.EventsPath)), overwrite: true);
        }

        File.WriteAllText(Path.Combine(folder, "run.json"), JsonSerializer.Serialize(run, ExportOptions));
    }

    private static void DeleteFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private RunCheck Check(LogRun run, CancellationToken cancellationToken)
    {
        if (run.LogMissing || !File.Exists(run.EventsPath))
        {
            return new RunCheck { RunId = run.RunId, Status = RunCheckStatus.Missing, ExpectedBlake3 = run.EventsBlake3, ExpectedEvents = run.EventsCount, EventsPath = run.EventsPath, Problem = "The log file is missing." };
        }

        long events = 0, expected = 1;
        string? problem = null;
        var cut = false;
        try
        {
            foreach (var entry in JournalReader.Read(run.EventsPath, new JournalReadOptions { ValidateJson = false }))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var envelope = entry.Status == JournalEntryStatus.Ok ? RunEnvelope.Read(entry.Utf8.Span, withPayload: false) : null;
                var sequence = envelope?.Sequence;
                if (sequence is { } s && RunEnvelope.Continues(expected, s, envelope!.Value.Type))
                {
                    events += s - expected + 1;
                    expected = s + 1;
                    continue;
                }

                cut |= entry.Status == JournalEntryStatus.Torn;
                problem ??= sequence is { } found
                    ? $"Line {entry.LineNumber} has sequence {found} where {expected} was expected."
                    : $"Line {entry.LineNumber} is not a run event ({entry.Problem ?? "no sequence or type"}).";
                expected = (sequence ?? expected - 1) + 1;
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            cut = true;
            problem ??= $"The compressed log is damaged: {ex.Message}";
        }

        var actual = run.EventsPath.EndsWith(RunLayout.CompressedSuffix, StringComparison.Ordinal) ? SafeHashDecompressed(run.EventsPath, cancellationToken)
            : Blake3File.Hash(run.EventsPath, new Blake3Options { CancellationToken = cancellationToken }).ToString();
        var status = actual == run.EventsBlake3 && problem is null ? RunCheckStatus.Ok
            : cut || events < run.EventsCount && problem is null ? RunCheckStatus.Truncated
            : RunCheckStatus.Tampered;
        if (status != RunCheckStatus.Ok && problem is null)
        {
            problem = events < run.EventsCount
                ? $"{events} events where {run.EventsCount} were recorded at completion."
                : "The content differs from what was recorded at completion.";
        }

        return new RunCheck
        {
            RunId = run.RunId, Status = status, ExpectedBlake3 = run.EventsBlake3, ActualBlake3 = actual,
            ExpectedEvents = run.EventsCount, Events = events, Problem = problem, EventsPath = run.EventsPath,
        };
    }

    private static string? SafeHashDecompressed(string path, CancellationToken cancellationToken)
    {
        try
        {
            return HashDecompressed(path, cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            return null;
        }
    }

    private List<LogRun> Completed(DateTimeOffset before, IReadOnlyCollection<RunStatus>? statuses)
    {
        var runs = new List<LogRun>();
        var wanted = statuses is { Count: > 0 } ? statuses : [RunStatus.Succeeded, RunStatus.Failed, RunStatus.Cancelled];
        ledger.Find(new RunQuery { Status = wanted.Where(s => s is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled).ToList() }, run =>
        {
            if (run.CompletedAt < before)
            {
                runs.Add(run);
            }
        });
        return runs;
    }

    private void SetPointer(string runId, string fullPath)
    {
        var relative = Path.GetRelativePath(store.Path, fullPath).Replace(Path.DirectorySeparatorChar, '/');
        store.Database.Write((connection, transaction) => Execute(
            connection, transaction, "UPDATE runs SET events_path = $path WHERE run_id = $id", P("$id", runId), P("$path", relative)));
    }

    // A removal interrupted between the row and the folder leaves a folder no run points to.
    private void SweepOrphans(Func<string, bool> approve)
    {
        var root = store.ContentPath(RunLayout.Folder);
        if (!Directory.Exists(root))
        {
            return;
        }

        var known = new HashSet<string>(StringComparer.Ordinal);
        store.Database.Read(connection =>
        {
            Sql.ForEach(connection, null, "SELECT run_id FROM runs", [], r => known.Add(r.GetString(0)));
            return true;
        });
        foreach (var folder in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).ToList())
        {
            var depth = Path.GetRelativePath(root, folder).Split(Path.DirectorySeparatorChar).Length;
            if (depth == 3 && !known.Contains(Path.GetFileName(folder)) && approve(folder))
            {
                DeleteFolder(folder);
            }
        }
    }
}
