using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace LogTools;

/// <summary>
/// The private load context of the engine and its dependencies (Microsoft.Data.Sqlite, SQLitePCLRaw,
/// YamlDotNet, native e_sqlite3), all loaded from the module's Dependencies folder. Another module may
/// already have loaded other versions of them into the default context; ours never bind to those.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    private const string EngineAssemblyName = "LogTools.Engine";
    private static readonly Lazy<EngineLoadContext> Shared = new(() => new EngineLoadContext());
    private static int hooked;
    private readonly string folder;

    // The build's ReadyToRun images for this .NET and platform, if it made them (see src/LogTools.ReadyToRun). Only
    // for an exact match: an image compiled for another OS or architecture does not load at all, and one compiled for
    // another .NET has its native code ignored.
    private readonly string readyToRunFolder;

    private EngineLoadContext()
        : base("LogTools.Engine", isCollectible: false)
    {
        folder = Path.Combine(Path.GetDirectoryName(typeof(EngineLoadContext).Assembly.Location)!, "Dependencies");
        readyToRunFolder = Path.Combine(folder, "readytorun", $"net{Environment.Version.Major}.0-{RuntimeInformation.RuntimeIdentifier}");
    }

    /// <summary>
    /// Sends the default context's failed look-ups of the engine (and only the engine) here. The engine
    /// is not beside LogTools.dll, so PowerShell's own resolver cannot find it first.
    /// </summary>
    public static void Hook()
    {
        if (Interlocked.Exchange(ref hooked, 1) == 0)
        {
            Default.Resolving += ResolveEngine;
        }
    }

    public static void Unhook()
    {
        if (Interlocked.Exchange(ref hooked, 0) == 1)
        {
            Default.Resolving -= ResolveEngine;
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Our copy wins over any version in the default context; anything else (the framework) falls through.
        var image = Path.Combine(readyToRunFolder, assemblyName.Name + ".dll");
        var path = File.Exists(image) ? image : Path.Combine(folder, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        // SQLitePCLRaw's DllImport("e_sqlite3") does not look in runtimes/<rid>/native from a module
        // folder, so resolve it here, by full path, so a same-named library loaded by someone else is not reused.
        if (!unmanagedDllName.Contains("e_sqlite3", StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }

        var path = NativeSqlitePath();
        if (!File.Exists(path))
        {
            throw new DllNotFoundException(
                $"LogTools ships no SQLite library for {RuntimeInformation.RuntimeIdentifier} ({RuntimeInformation.OSArchitecture}); expected '{path}'.");
        }

        return LoadUnmanagedDllFromPath(path);
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == EngineAssemblyName ? Shared.Value.LoadFromAssemblyName(name) : null;

    private string NativeSqlitePath()
    {
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.Arm64 => "arm64",
            Architecture.X64 => "x64",
            var other => other.ToString().ToLowerInvariant(),
        };
        var (os, file) = OperatingSystem.IsWindows() ? ("win", "e_sqlite3.dll")
            : OperatingSystem.IsMacOS() ? ("osx", "libe_sqlite3.dylib")
            : ("linux", "libe_sqlite3.so");
        return Path.Combine(folder, "runtimes", $"{os}-{arch}", "native", file);
    }
}
