using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using LogTools.Engine.Hashing;
using LogTools.Engine.Store;

namespace LogTools.Engine.Ports;

/// <summary>
/// Invoke-PortBuild: resolves the graph, plans every port before queueing any (checksum against the index: unchanged
/// ports are skipped), then builds with a pool of workers in topological order, a port starting once all its
/// dependencies are done. Results are written as ports finish, then the totals.
/// </summary>
public sealed class PortBuilder
{
    private readonly PortBuildOptions options;
    private readonly IEngineSink sink;

    private PortBuilder(PortBuildOptions options, IEngineSink sink)
    {
        this.options = options;
        this.sink = sink;
    }

    /// <summary>
    /// Builds (or with <see cref="PortBuildOptions.WhatIf"/>, plans: one ShouldProcess line per port, in order, and
    /// nothing written) the ports of <paramref name="options"/> into the store at <paramref name="storePath"/>, opened
    /// with <paramref name="open"/> (a plan opens only an existing store: for a plan on a server, where a store's existence
    /// is known only by asking, <paramref name="open"/> gives null for one never written; for a build it never does).
    /// </summary>
    /// <exception cref="LogToolsException">PortJobsInvalid, or the graph cannot be resolved (see <see cref="PortGraph.Load"/>).</exception>
    public static void Build(string storePath, Func<LogStore?> open, PortBuildOptions options, IEngineSink sink)
    {
        if (options.Jobs < 1)
        {
            throw new LogToolsException("PortJobsInvalid", ErrorKind.InvalidArgument, options.Jobs, $"-Jobs must be at least 1, not {options.Jobs}.");
        }

        var store = options.WhatIf && !LogStore.Exists(storePath) ? null : open();
        using var treeLock = options.WhatIf ? null : LockTree(store!, options.PortsPath);
        var plan = Plan(options, store, sink);
        if (options.WhatIf)
        {
            foreach (var entry in plan)
            {
                var verb = entry.Action switch { PortPlanAction.Build => "Build", PortPlanAction.Skip => "Skip", _ => "Ignore" };
                sink.ShouldProcess(null, $"{verb} port '{entry.Port.Origin}' {entry.Port.Version}: {entry.Reason}.");
            }

            return;
        }

        new PortBuilder(options, sink).Execute(plan, new PortTracking(store!, sink), sink.RunId);
    }

    /// <summary>
    /// One build of a port tree at a time, on every host writing the store: a second one would plan from the same
    /// checksums and build the same ports again. The tree is named by its full path, hashed into a lock name.
    /// </summary>
    private static IDisposable LockTree(LogStore store, string portsPath)
    {
        var tree = Path.TrimEndingDirectorySeparator(Path.GetFullPath(portsPath));
        var name = "ports-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(tree)))[..16].ToLowerInvariant();
        return store.Lock(name, TimeSpan.Zero, () => new LogToolsException(
            "PortBuildInProgress", ErrorKind.ResourceBusy, tree,
            $"Another Invoke-PortBuild of the port tree '{tree}' (on this or another host) is running. Nothing was built; " +
            "run the build again when it has finished (Get-PortBuild -Status Running shows what it builds)."));
    }

    /// <summary>
    /// The graph of <paramref name="options"/> in build order, each port with what to do and why; a plan marks nothing
    /// abandoned and renews no stat tuples under -WhatIf (as for Get-PortStatus). The time each stage took is one verbose line.
    /// </summary>
    internal static List<PortPlanEntry> Plan(PortBuildOptions options, LogStore? store, IEngineSink sink)
    {
        var clock = Stopwatch.StartNew();
        var tracking = store is null ? null : new PortTracking(store, sink);
        // The index first: it holds the port.yml files as read, so an unchanged one is not parsed again.
        var stored = tracking is null ? [] : tracking.Try("(reading) the checksum index", () => tracking.Index.Checksums(), null);
        var read = clock.Elapsed;
        var graph = PortGraph.Load(options.PortsPath, options.Origins, stored, sink.CancellationToken);
        return new PortBuilder(options, sink).Plan(graph, tracking, stored, clock, read);
    }

    /// <summary>What each port needs, in the graph's order; the checksum or the index failing means "build it" (fail-safe).</summary>
    private List<PortPlanEntry> Plan(PortGraph graph, PortTracking? tracking, Dictionary<string, PortIndexRow>? stored, Stopwatch clock, TimeSpan read)
    {
        var loaded = clock.Elapsed;
        var abandoned = tracking?.Try("abandoned builds", () => tracking.Index.Abandoned(mark: !options.WhatIf), new HashSet<string>()) ?? new HashSet<string>();
        var marked = clock.Elapsed;
        var folders = FolderSums(graph.Ordered, stored);
        var summed = clock.Elapsed;
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var plan = new List<PortPlanEntry>(graph.Ordered.Count);
        var building = new HashSet<string>(StringComparer.Ordinal);
        var renewed = new List<(PortSpec Port, PortFolder Folder)>();
        for (var i = 0; i < graph.Ordered.Count; i++)
        {
            var port = graph.Ordered[i];
            var checksum = port.Depends.All(keys.ContainsKey) ? Checksum(port, folders[i], keys) : null;
            if (checksum is not null)
            {
                keys[port.Origin] = checksum.Key;
            }

            var rebuilt = port.Depends.Where(building.Contains).Distinct(StringComparer.Ordinal).ToList();
            var (action, reason) = Decide(port, checksum, stored, abandoned, rebuilt);
            var entry = new PortPlanEntry(port, action, reason, checksum);
            if (entry.Action == PortPlanAction.Build)
            {
                building.Add(port.Origin);
            }
            else if (entry.Action == PortPlanAction.Skip && checksum!.Folder is { Stats: not null } folder && stored![port.Origin] is var was
                && (folder.Stats != was.Folder.Stats || folder.Digest != was.Folder.Digest || (port.Vouched is not null && port.Vouched != was.SpecStat)))
            {
                renewed.Add((port, folder));
            }

            plan.Add(entry);
        }

        var keyed = clock.Elapsed;
        if (tracking is not null && renewed.Count > 0 && !options.WhatIf)
        {
            tracking.Try("the files' stat tuples", () => tracking.Index.RenewStats(renewed));
        }

        sink.Verbose($"Planned {plan.Count} ports in {clock.Elapsed.TotalMilliseconds:F0} ms: index {read.TotalMilliseconds:F0} ms, " +
            $"graph and port.yml {(loaded - read).TotalMilliseconds:F0} ms ({graph.Ordered.Count(p => p.Parsed)} port.yml parsed), " +
            $"abandoned builds {(marked - loaded).TotalMilliseconds:F0} ms, folder sums {(summed - marked).TotalMilliseconds:F0} ms " +
            $"({folders.Sum(f => f.Sum?.FilesRead ?? 0)} files read, {folders.Count(f => f.Sum?.Listed == true)} port folders listed), " +
            $"keys {(keyed - summed).TotalMilliseconds:F0} ms, stat renewal {(clock.Elapsed - keyed).TotalMilliseconds:F0} ms ({renewed.Count} ports).");
        return plan;
    }

    private static (PortPlanAction Action, string Reason) Decide(PortSpec port, PortChecksum? checksum,
        Dictionary<string, PortIndexRow>? stored, IReadOnlySet<string> abandoned, List<string> rebuilt)
    {
        if (port.Ignore is { } why)
        {
            return (PortPlanAction.Ignore, why);
        }

        if (checksum is null || stored is null)
        {
            return (PortPlanAction.Build, checksum is null ? "checksum unknown" : "checksum index unavailable");
        }

        if (abandoned.Contains(port.Origin))
        {
            return (PortPlanAction.Build, "previous build abandoned");
        }

        if (!stored.TryGetValue(port.Origin, out var last))
        {
            return (PortPlanAction.Build, "new");
        }

        if (last.Key == checksum.Key)
        {
            return (PortPlanAction.Skip, "checksum match");
        }

        var files = DirectoryChecksum.Changed(last.Folder.Files, checksum.Files);
        return files.Count > 0 ? (PortPlanAction.Build, $"checksum changed ({string.Join(", ", files)})")
            : rebuilt.Count > 0 ? (PortPlanAction.Build, $"dependency rebuilt ({string.Join(", ", rebuilt)})")
            : (PortPlanAction.Build, "dependency changed");
    }

    // Stat-first against the index; the folder sums do not depend on each other (only the keys do).
    private (PortFolder? Sum, Exception? Error)[] FolderSums(IReadOnlyList<PortSpec> ports, Dictionary<string, PortIndexRow>? stored) =>
        PortParallel.Map(ports, port => PortFolder.Scan(port.Folder, stored?.GetValueOrDefault(port.Origin)?.Folder, sink.CancellationToken), sink.CancellationToken);

    private PortChecksum? Checksum(PortSpec port, (PortFolder? Sum, Exception? Error) folder, Dictionary<string, string> keys)
    {
        if (folder.Error is LogToolsException ex)
        {
            sink.Warning($"The checksum of port '{port.Origin}' could not be computed ({ex.Message}); it is built anyway.");
            return null;
        }

        if (folder.Error is not null)
        {
            ExceptionDispatchInfo.Throw(folder.Error);
        }

        return PortChecksum.Compute(port, folder.Sum!, keys);
    }

    private void Execute(List<PortPlanEntry> plan, PortTracking tracking, string? runId)
    {
        var clock = Stopwatch.StartNew();
        var job = new PortBuildJob(tracking, sink, options, runId);
        var entries = plan.ToDictionary(e => e.Port.Origin, StringComparer.Ordinal);
        var dependents = PortGraph.DependentsOf(plan.Select(e => e.Port));
        var keys = plan.Where(e => e.Checksum is not null).ToDictionary(e => e.Port.Origin, e => e.Checksum!.Key, StringComparer.Ordinal);
        var toBuild = plan.Count(e => e.Action == PortPlanAction.Build);
        // The package index, read once and then kept by the workers: a port's dependents start after its package is in.
        // A no-op builds nothing, so it needs none.
        var packages = new Dictionary<string, string>(StringComparer.Ordinal);
        if (toBuild > 0)
        {
            tracking.Try("(reading) the package index", () => tracking.Index.Packages(null, p => packages[p.Origin] = p.PackageFile));
        }

        var waiting = plan.ToDictionary(e => e.Port.Origin, e => e.Port.Depends.Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
        var results = new Dictionary<string, PortBuildResult>(StringComparer.Ordinal);
        var counts = new Dictionary<PortBuildStatus, int>();
        using var queue = new BlockingCollection<PortPlanEntry>();
        using var done = new BlockingCollection<PortBuildResult>();
        using var records = new BlockingCollection<Func<PortBuildResult>>();
        var workers = Enumerable.Range(0, Math.Min(options.Jobs, Math.Max(1, toBuild))).Select(_ => new Thread(() =>
        {
            foreach (var entry in queue.GetConsumingEnumerable())
            {
                var port = entry.Port;
                var dependencyKeys = port.Depends.Where(keys.ContainsKey).ToDictionary(d => d, d => keys[d], StringComparer.Ordinal);
                string[] dependencyPackages;
                lock (packages)
                {
                    dependencyPackages = [.. port.Depends.Distinct(StringComparer.Ordinal).Where(packages.ContainsKey).Select(d => packages[d])];
                }

                var (package, record) = job.Run(entry, dependencyKeys, dependencyPackages);
                if (package is not null)
                {
                    lock (packages)
                    {
                        packages[port.Origin] = package;
                    }
                }

                records.Add(record);
            }
        }) { IsBackground = true, Name = "LogTools port builder" }).ToList();
        workers.ForEach(w => w.Start());

        // One thread writes the finished ports' records, so a worker starts its next port meanwhile.
        var writer = new Thread(() =>
        {
            foreach (var record in records.GetConsumingEnumerable())
            {
                done.Add(record());
            }
        }) { IsBackground = true, Name = "LogTools port records" };
        writer.Start();

        void Ready(PortPlanEntry entry)
        {
            var port = entry.Port;
            var blocked = port.Depends.Distinct(StringComparer.Ordinal)
                .Where(d => results[d].Status is not (PortBuildStatus.Success or PortBuildStatus.Skipped)).Order(StringComparer.Ordinal).ToList();
            if (blocked.Count > 0)
            {
                done.Add(new PortBuildResult
                {
                    Origin = port.Origin, Version = port.Version, Status = PortBuildStatus.DependencyFailed,
                    Reason = string.Join(", ", blocked.Select(d => $"dependency '{d}' {(results[d].Status == PortBuildStatus.DependencyFailed ? "not built" : Sql.Lower(results[d].Status))}")),
                });
            }
            else if (entry.Action == PortPlanAction.Build)
            {
                queue.Add(entry);
            }
            else
            {
                done.Add(new PortBuildResult
                {
                    Origin = port.Origin, Version = port.Version, Reason = entry.Reason,
                    Status = entry.Action == PortPlanAction.Skip ? PortBuildStatus.Skipped : PortBuildStatus.Ignored,
                });
            }
        }

        try
        {
            plan.Where(e => waiting[e.Port.Origin] == 0).ToList().ForEach(Ready);
            var built = 0;
            var toCome = toBuild;
            while (results.Count < plan.Count)
            {
                var result = done.Take(sink.CancellationToken);
                results[result.Origin] = result;
                counts[result.Status] = counts.GetValueOrDefault(result.Status) + 1;
                if (result.BuildId is not null)
                {
                    built++;
                }

                // A port planned for building that a failed dependency stopped is no build to come either.
                if (entries[result.Origin].Action == PortPlanAction.Build)
                {
                    toCome--;
                }

                sink.Output(result);
                Report(plan.Count, results.Count, counts, built, toCome, clock.Elapsed);
                foreach (var dependent in dependents[result.Origin])
                {
                    if (--waiting[dependent] == 0)
                    {
                        Ready(entries[dependent]);
                    }
                }
            }
        }
        finally
        {
            queue.CompleteAdding();
            workers.ForEach(w => w.Join());
            records.CompleteAdding();
            writer.Join();
        }

        sink.Verbose($"Ran the plan of {plan.Count} ports ({toBuild} to build) in {clock.Elapsed.TotalMilliseconds:F0} ms; summed over the builds: {job.Splits}.");
        sink.Output(new PortBuildStats
        {
            Total = results.Count, Success = counts.GetValueOrDefault(PortBuildStatus.Success), Failed = counts.GetValueOrDefault(PortBuildStatus.Failed),
            Skipped = counts.GetValueOrDefault(PortBuildStatus.Skipped), DependencyFailed = counts.GetValueOrDefault(PortBuildStatus.DependencyFailed),
            Ignored = counts.GetValueOrDefault(PortBuildStatus.Ignored), Duration = clock.Elapsed,
        });
    }

    // ETA: the time the builds so far took on average, times the builds still to come.
    private void Report(int total, int finished, Dictionary<PortBuildStatus, int> counts, int built, int toCome, TimeSpan elapsed)
    {
        var eta = built == 0 || toCome == 0 ? string.Empty : $", about {TimeSpan.FromSeconds(Math.Round(elapsed.TotalSeconds / built * toCome)):c} left";
        var status = $"{counts.GetValueOrDefault(PortBuildStatus.Success)} built, {counts.GetValueOrDefault(PortBuildStatus.Failed)} failed, " +
            $"{counts.GetValueOrDefault(PortBuildStatus.Skipped)} skipped, {total - finished} remaining{eta}";
        sink.Progress(new EngineProgress("Invoke-PortBuild", status, finished, total));
    }
}
