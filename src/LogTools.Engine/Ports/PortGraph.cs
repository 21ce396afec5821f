using System.Runtime.ExceptionServices;

namespace LogTools.Engine.Ports;

/// <summary>
/// The ports to build and their dependencies, in a topological order (a port after everything it depends on; among
/// ports that are ready at the same time, by origin). Built from some origins plus everything they depend on, or
/// from the whole tree (every folder holding a port.yml; folders starting with '.' are not searched).
/// </summary>
public sealed class PortGraph
{
    private PortGraph(IReadOnlyList<PortSpec> ordered) => Ordered = ordered;

    /// <summary>Every port, dependencies first.</summary>
    public IReadOnlyList<PortSpec> Ordered { get; }

    /// <summary>Resolves the graph under <paramref name="portsPath"/> from <paramref name="origins"/>, or the whole tree when there are none.</summary>
    /// <exception cref="LogToolsException">PortsPathNotFound, PortNotFound, PortDependencyMissing, PortDependencyCycle, or a bad port.yml.</exception>
    public static PortGraph Load(string portsPath, IReadOnlyList<string> origins, CancellationToken cancellationToken = default) =>
        Load(portsPath, origins, null, cancellationToken);

    /// <summary>
    /// Resolves the graph as <see cref="Load(string, IReadOnlyList{string}, CancellationToken)"/>, a port.yml whose stat
    /// tuple is the one <paramref name="stored"/> keeps for its origin taken from there instead of parsed.
    /// </summary>
    internal static PortGraph Load(string portsPath, IReadOnlyList<string> origins, IReadOnlyDictionary<string, PortIndexRow>? stored, CancellationToken cancellationToken)
    {
        PortSpec Read(string origin) => PortSpec.Load(portsPath, origin, stored?.GetValueOrDefault(origin)?.Spec);

        if (!Directory.Exists(portsPath))
        {
            throw new LogToolsException(
                "PortsPathNotFound", ErrorKind.ObjectNotFound, portsPath,
                $"The ports path '{portsPath}' is not a folder. Give the folder that holds the ports (one folder per port, each with a {PortSpec.FileName}).");
        }

        var ports = new Dictionary<string, PortSpec>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        List<string> tree = origins.Count > 0 ? [] : Discover(portsPath);
        foreach (var origin in origins.Count > 0 ? origins : tree)
        {
            PortSpec.CheckOrigin(origin, origin, "-Port");
            queue.Enqueue(origin);
        }

        // The whole tree is known up front, so its port.yml files are read ahead; a bad one is reported where it is reached.
        var read = PortParallel.Map(tree, Read, cancellationToken)
            .Select((r, i) => (tree[i], r)).ToDictionary(r => r.Item1, r => r.r, StringComparer.Ordinal);
        while (queue.TryDequeue(out var origin))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ports.ContainsKey(origin))
            {
                continue;
            }

            if (read.TryGetValue(origin, out var ahead) && ahead.Error is not null)
            {
                ExceptionDispatchInfo.Throw(ahead.Error);
            }

            var port = ahead.Value ?? Read(origin);
            ports[origin] = port;
            foreach (var dependency in port.Depends)
            {
                // A port of the tree was found with its port.yml a moment ago: only a port outside it is looked for.
                if (!ports.ContainsKey(dependency) && !read.ContainsKey(dependency) && !File.Exists(Path.Combine(portsPath, dependency, PortSpec.FileName)))
                {
                    throw new LogToolsException(
                        "PortDependencyMissing", ErrorKind.ObjectNotFound, origin,
                        $"The port '{origin}' depends on '{dependency}', which is not in the ports tree '{portsPath}'. Add the port or remove the dependency.");
                }

                queue.Enqueue(dependency);
            }
        }

        return new PortGraph(Sort(ports));
    }

    private static List<string> Discover(string portsPath)
    {
        var pending = new Stack<string>([portsPath]);
        var found = new List<string>();
        while (pending.TryPop(out var folder))
        {
            foreach (var child in Directory.EnumerateDirectories(folder))
            {
                if (Path.GetFileName(child).StartsWith('.'))
                {
                    continue;
                }

                if (File.Exists(Path.Combine(child, PortSpec.FileName)))
                {
                    found.Add(Path.GetRelativePath(portsPath, child).Replace(Path.DirectorySeparatorChar, '/'));
                }
                else
                {
                    pending.Push(child);
                }
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static List<PortSpec> Sort(Dictionary<string, PortSpec> ports)
    {
        var waiting = ports.Values.ToDictionary(p => p.Origin, p => p.Depends.Distinct(StringComparer.Ordinal).Count(), StringComparer.Ordinal);
        var dependents = DependentsOf(ports.Values);
        var ready = new SortedSet<string>(waiting.Where(w => w.Value == 0).Select(w => w.Key), StringComparer.Ordinal);
        var ordered = new List<PortSpec>(ports.Count);
        while (ready.Min is { } next)
        {
            ready.Remove(next);
            ordered.Add(ports[next]);
            foreach (var dependent in dependents[next])
            {
                if (--waiting[dependent] == 0)
                {
                    ready.Add(dependent);
                }
            }
        }

        if (ordered.Count < ports.Count)
        {
            var cycle = FindCycle(ports, waiting.Where(w => w.Value > 0).Select(w => w.Key).Min(StringComparer.Ordinal)!);
            throw new LogToolsException(
                "PortDependencyCycle", ErrorKind.InvalidData, cycle[0],
                $"The ports depend on each other in a cycle: {string.Join(" -> ", cycle)}. Remove one of these dependencies.");
        }

        return ordered;
    }

    /// <summary>For each origin, the origins that depend on it directly (each once).</summary>
    internal static Dictionary<string, List<string>> DependentsOf(IEnumerable<PortSpec> ports)
    {
        var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var port in ports)
        {
            dependents.TryAdd(port.Origin, []);
            foreach (var dependency in port.Depends.Distinct(StringComparer.Ordinal))
            {
                (dependents.TryGetValue(dependency, out var list) ? list : dependents[dependency] = []).Add(port.Origin);
            }
        }

        return dependents;
    }

    // Walks dependencies among the ports left unsorted (each has one in a cycle) until an origin repeats.
    private static List<string> FindCycle(Dictionary<string, PortSpec> ports, string start)
    {
        var path = new List<string>();
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        var current = start;
        while (!at.ContainsKey(current))
        {
            at[current] = path.Count;
            path.Add(current);
            current = ports[current].Depends.Where(d => Reaches(ports, d, current)).Min(StringComparer.Ordinal)!;
        }

        return [.. path.Skip(at[current]), current];
    }

    // Whether a dependency chain leads from `from` back to `to`.
    private static bool Reaches(Dictionary<string, PortSpec> ports, string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([from]);
        while (pending.TryPop(out var origin))
        {
            if (origin == to)
            {
                return true;
            }

            if (seen.Add(origin))
            {
                foreach (var next in ports[origin].Depends)
                {
                    pending.Push(next);
                }
            }
        }

        return false;
    }
}
