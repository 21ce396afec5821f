using LogTools.Engine.Store;

namespace LogTools.Engine.Ports;

/// <summary>What the Ports area answers about past builds: build records, the package index, and each port's state.</summary>
public static class PortQueries
{
    /// <summary>Build records, newest first (see Get-PortBuild).</summary>
    public static void Builds(LogStore store, string? origin, PortRecordStatus? status, DateTimeOffset? since, int? last, Action<PortBuildRecord> sink) =>
        new PortIndex(store).Builds(origin, status, since, last, sink);

    /// <summary>The package index by origin (a wildcard pattern, or null for all).</summary>
    public static void Packages(LogStore store, string? origin, Action<PortPackage> sink) => new PortIndex(store).Packages(origin, sink);

    /// <summary>
    /// Each port of the tree (or of <paramref name="origins"/> and their dependencies), in build order: its checksum
    /// against its last successful build, its latest record, and the median duration of its successful builds.
    /// <paramref name="store"/> is null when there is no store yet (every port is new).
    /// </summary>
    public static void States(LogStore? store, string portsPath, IReadOnlyList<string> origins, IEngineSink sink)
    {
        var options = new PortBuildOptions { PortsPath = portsPath, WorkPath = portsPath, Origins = origins, WhatIf = true };
        var history = store is null ? [] : new PortIndex(store).History();
        foreach (var entry in PortBuilder.Plan(options, store, sink))
        {
            var port = entry.Port;
            var (latest, durations, builds) = history.TryGetValue(port.Origin, out var seen) ? seen : (null, [], 0);
            sink.Output(new PortState
            {
                Origin = port.Origin, Version = port.Version,
                ChecksumState = entry.Action == PortPlanAction.Skip ? PortChecksumState.UpToDate : entry.Reason == "new" ? PortChecksumState.New : PortChecksumState.Changed,
                LastStatus = latest?.Status, LastBuiltAt = latest?.EndedAt ?? latest?.StartedAt, Builds = builds,
                MedianDuration = durations.Count == 0 ? null : Median(durations),
            });
        }
    }

    private static TimeSpan Median(List<TimeSpan> durations)
    {
        var sorted = durations.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
