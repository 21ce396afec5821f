using System.Data.Common;
using System.Text.Json;
using LogTools.Engine.Hashing;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Ports;

/// <summary>The Ports area's SQL, all of it: build records, the checksum index and the package index.</summary>
internal sealed class PortIndex(LogStore store)
{
    private const string RecordColumns =
        "build_id, origin, version, status, reason, checksum, started_at, ended_at, duration_ms, failed_phase, exit_code, log_path, package_file, phases_json, run_id, log_run_id, host";

    /// <summary>
    /// The last successful build's checksum, folder and port.yml of each port, in one query. The files stay JSON until a
    /// port whose stat tuples changed needs them, and a no-op has none.
    /// </summary>
    public Dictionary<string, PortIndexRow> Checksums() => store.Database.Read(connection =>
    {
        var result = new Dictionary<string, PortIndexRow>(StringComparer.Ordinal);
        ForEach(connection, null, "SELECT origin, checksum, files_json, folder_digest, file_stats, spec_stat, spec_json FROM port_checksums", [],
            r => result[r.GetString(0)] = new PortIndexRow(r.GetString(1), PortFolder.Stored(Text(r, 3) ?? string.Empty, Text(r, 4), r.GetString(2)), Text(r, 5), Text(r, 6)));
        return result;
    });

    /// <summary>
    /// Records the folder digest and stat tuples of folders whose files were read again and found unchanged (their
    /// checksums stand), so the next plan needs no read; a row from before the tuples gets its folder digest with them.
    /// A port.yml parsed again is recorded with its new tuple, so the next plan takes it from here.
    /// </summary>
    public void RenewStats(IReadOnlyList<(PortSpec Port, PortFolder Folder)> renewed) => store.Database.Write((c, t) =>
    {
        foreach (var (port, folder) in renewed)
        {
            Execute(c, t, "UPDATE port_checksums SET folder_digest = $folder, file_stats = $stats, spec_stat = $spec_stat, spec_json = $spec WHERE origin = $origin",
                P("$origin", port.Origin), P("$folder", folder.Digest), P("$stats", folder.Stats), P("$spec_stat", port.Vouched), P("$spec", port.ToJson()));
        }
    });

    /// <summary>
    /// The <see cref="Runs.RunHooks.Removing"/> hook (registered by EngineAreas): the build records of a removed run go with
    /// it, whether it was the portbuild run or a port's own log run. The checksum and package indexes stay: they say what
    /// is built, not when.
    /// </summary>
    internal static void DeleteRun(DbConnection connection, DbTransaction transaction, string runId) =>
        Execute(connection, transaction, "DELETE FROM port_builds WHERE run_id = $r OR log_run_id = $r", P("$r", runId));

    /// <summary>
    /// The origins whose builds are recorded running by a builder that is gone; with <paramref name="mark"/>, those
    /// records become abandoned.
    /// </summary>
    public IReadOnlySet<string> Abandoned(bool mark)
    {
        var dead = store.Database.Read(connection =>
        {
            var found = new List<(string Id, string Origin)>();
            ForEach(connection, null, "SELECT build_id, origin, host, pid, process_started_at FROM port_builds WHERE status = 'running'", [], r =>
            {
                if (!SessionProcess.MayBeRunning(r.GetString(2), Integer(r, 3), Time(r, 4)))
                {
                    found.Add((r.GetString(0), r.GetString(1)));
                }
            });
            return found;
        });
        if (mark && dead.Count > 0)
        {
            var now = StoreTime.ToText(DateTimeOffset.UtcNow);
            store.Database.Write((c, t) =>
            {
                foreach (var (id, _) in dead)
                {
                    Execute(c, t, "UPDATE port_builds SET status = 'abandoned', ended_at = $now, reason = 'its builder stopped before the build ended' WHERE build_id = $id AND status = 'running'",
                        P("$id", id), P("$now", now));
                }
            });
        }

        return dead.Select(d => d.Origin).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Saves the running record before the phases start.</summary>
    public void Start(string buildId, string? runId, string? logRunId, PortSpec port, string? checksum, string? logPath, DateTimeOffset startedAt, string reason)
    {
        var process = SessionProcess.Current();
        store.Database.Write((c, t) => Execute(
            c, t,
            "INSERT INTO port_builds (build_id, run_id, log_run_id, origin, version, status, reason, checksum, started_at, log_path, host, pid, process_started_at) " +
            "VALUES ($id, $run, $log_run, $origin, $version, 'running', $reason, $checksum, $at, $log, $host, $pid, $pstart)",
            P("$id", buildId), P("$run", runId), P("$log_run", logRunId), P("$origin", port.Origin), P("$version", port.Version), P("$reason", reason),
            P("$checksum", checksum), P("$at", StoreTime.ToText(startedAt)), P("$log", logPath), P("$host", HostName.Current),
            P("$pid", process.Id), P("$pstart", process.StartedAt is { } s ? StoreTime.ToText(s) : null)));
    }

    /// <summary>
    /// Ends a build record. A success also stores the checksum computed after the build and the package, in the same
    /// transaction; a failure touches neither index.
    /// </summary>
    public void Finish(string buildId, PortSpec port, PortRecordStatus status, DateTimeOffset endedAt, TimeSpan duration, IReadOnlyList<PortPhaseTiming> phases,
        string? failedPhase, int? exitCode, string? reason, PortChecksum? checksum, string? packageFile) => store.Database.Write((c, t) =>
    {
        var now = StoreTime.ToText(endedAt);
        var updated = Execute(
            c, t,
            "UPDATE port_builds SET status = $status, ended_at = $at, duration_ms = $ms, phases_json = $phases, failed_phase = $phase, exit_code = $exit, " +
            "reason = coalesce($reason, reason), checksum = coalesce($checksum, checksum), package_file = $package WHERE build_id = $id",
            P("$id", buildId), P("$status", Lower(status)), P("$at", now), P("$ms", (long)duration.TotalMilliseconds), P("$phases", JsonSerializer.Serialize(phases)),
            P("$phase", failedPhase), P("$exit", exitCode), P("$reason", reason), P("$checksum", checksum?.Key), P("$package", packageFile));
        if (status != PortRecordStatus.Success || checksum is null)
        {
            return;
        }

        if (updated == 0)
        {
            throw new LogToolsException(
                "PortBuildRecordMissing", ErrorKind.InvalidOperation, buildId,
                $"The build record {buildId} of '{port.Origin}' was not saved when the build started, so its checksum and package are not recorded either.");
        }

        const string checksumColumns = "origin, checksum, files_json, folder_digest, file_stats, spec_stat, spec_json, build_id, updated_at";
        Execute(c, t, $"INSERT INTO port_checksums ({checksumColumns}) VALUES ($origin, $checksum, $files, $folder, $stats, $spec_stat, $spec, $id, $at) " +
            ReplaceOnConflict("origin", checksumColumns),
            P("$origin", port.Origin), P("$checksum", checksum.Key), P("$files", JsonSerializer.Serialize(checksum.Files)), P("$folder", checksum.Folder.Digest),
            P("$stats", checksum.Folder.Stats), P("$spec_stat", port.Vouched), P("$spec", port.ToJson()), P("$id", buildId), P("$at", now));
        if (packageFile is not null)
        {
            const string packageColumns = "origin, version, build_id, package_file, updated_at";
            Execute(c, t, $"INSERT INTO port_packages ({packageColumns}) VALUES ($origin, $version, $id, $file, $at) " + ReplaceOnConflict("origin", packageColumns),
                P("$origin", port.Origin), P("$version", port.Version), P("$id", buildId), P("$file", packageFile), P("$at", now));
        }
    });

    /// <summary>The package index, by origin (optionally a wildcard).</summary>
    public void Packages(string? origin, Action<PortPackage> sink) => store.Database.Read(connection =>
    {
        Query(connection, null,
            "SELECT origin, version, build_id, package_file, updated_at FROM port_packages WHERE CAST($origin AS TEXT) IS NULL OR origin GLOB $origin ORDER BY origin",
            [P("$origin", origin is null ? null : IdPattern.ToGlob(origin))],
            r => new PortPackage { Origin = r.GetString(0), Version = r.GetString(1), BuildId = r.GetString(2), PackageFile = r.GetString(3), BuiltAt = StoreTime.Parse(r.GetString(4)) },
            sink);
        return true;
    });

    /// <summary>Build records, newest first: by origin (wildcard), status and start time; the latest <paramref name="last"/> when given (no limit is the largest one: PostgreSQL refuses SQLite's LIMIT -1).</summary>
    public void Builds(string? origin, PortRecordStatus? status, DateTimeOffset? since, int? last, Action<PortBuildRecord> sink) => store.Database.Read(connection =>
    {
        Query(connection, null,
            $"SELECT {RecordColumns} FROM port_builds WHERE (CAST($origin AS TEXT) IS NULL OR origin GLOB $origin) AND (CAST($status AS TEXT) IS NULL OR status = $status) " +
            "AND (CAST($since AS TEXT) IS NULL OR started_at >= $since) ORDER BY started_at DESC, build_id LIMIT $limit",
            [P("$origin", origin is null ? null : IdPattern.ToGlob(origin)), P("$status", status is { } s ? Lower(s) : null),
             P("$since", since is { } at ? StoreTime.ToText(at) : null), P("$limit", last ?? long.MaxValue)],
            Record, sink);
        return true;
    });

    /// <summary>Per origin: its latest record, the durations of its successful builds, and how many records it has.</summary>
    public Dictionary<string, (PortBuildRecord Latest, List<TimeSpan> Durations, int Count)> History() => store.Database.Read(connection =>
    {
        var result = new Dictionary<string, (PortBuildRecord, List<TimeSpan>, int)>(StringComparer.Ordinal);
        Query(connection, null, $"SELECT {RecordColumns} FROM port_builds ORDER BY started_at, build_id", [], Record, record =>
        {
            var (durations, count) = result.TryGetValue(record.Origin, out var seen) ? (seen.Item2, seen.Item3) : ([], 0);
            if (record.Status == PortRecordStatus.Success && record.Duration is { } duration)
            {
                durations.Add(duration);
            }

            result[record.Origin] = (record, durations, count + 1);
        });
        return result;
    });

    private static PortBuildRecord Record(DbDataReader r) => new()
    {
        BuildId = r.GetString(0), Origin = r.GetString(1), Version = r.GetString(2), Status = EnumValue<PortRecordStatus>(r.GetString(3)),
        Reason = Text(r, 4), Checksum = Text(r, 5), StartedAt = StoreTime.Parse(r.GetString(6)), EndedAt = Time(r, 7),
        Duration = Integer(r, 8) is { } ms ? TimeSpan.FromMilliseconds(ms) : null, FailedPhase = Text(r, 9), ExitCode = (int?)Integer(r, 10),
        LogPath = Text(r, 11), PackageFile = Text(r, 12),
        Phases = Text(r, 13) is { } json ? JsonSerializer.Deserialize<PortPhaseTiming[]>(json)! : [],
        RunId = Text(r, 14), LogRunId = Text(r, 15), HostName = r.GetString(16),
    };
}
