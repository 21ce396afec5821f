using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using LogTools.Engine.Runs;

namespace LogTools.Engine.Ports;

/// <summary>
/// Builds one port: saves its running record, runs its phases by the shell in fresh work folders with the port's
/// environment, sends their output to the port's own run (so Get-RunEvent -Follow tails it), then records the
/// outcome (on the builder's writer thread). Only a success stores the checksum (computed again, after the build) and the package.
/// </summary>
internal sealed class PortBuildJob(PortTracking tracking, IEngineSink sink, PortBuildOptions options, string? parentRunId)
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>Where the builds' time went, over all ports.</summary>
    public PortBuildSplits Splits { get; } = new();

    /// <summary>
    /// Builds <paramref name="entry"/>'s port (<paramref name="dependencyKeys"/> and <paramref name="dependencyPackages"/>
    /// are its dependencies'), its running record saved before the phases start. Gives the package it made, and the
    /// step that records the outcome and returns the result: the builder's writer thread takes that step, so the
    /// worker goes on to the next port while the records are written.
    /// </summary>
    public (string? Package, Func<PortBuildResult> Record) Run(PortPlanEntry entry, IReadOnlyDictionary<string, string> dependencyKeys, IReadOnlyList<string> dependencyPackages)
    {
        var port = entry.Port;
        var buildId = Guid.NewGuid().ToString();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var stage = Stopwatch.StartNew();
        var log = tracking.Try($"the log of port '{port.Origin}'", () => tracking.Ledger.Start(port.Origin, parentRunId, "port", RunStatus.Running), null);
        var logPath = log?.EventsPath;
        tracking.Try($"the start of the build of '{port.Origin}'", () => tracking.Index.Start(buildId, parentRunId, log?.RunId, port, entry.Checksum?.Key, logPath, started, entry.Reason));

        Splits.Add(PortBuildSplits.Before, stage);
        var folders = Folders(port.Origin);
        var phases = new List<PortPhaseTiming>();
        string? failedPhase = null;
        int? exitCode = null;
        string? failure = null;
        var output = new PhaseOutput(tracking, log?.RunId);
        try
        {
            foreach (var folder in new[] { folders.Work, folders.Stage, folders.PackageOut })
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                Directory.CreateDirectory(folder);
            }

            var environment = new Dictionary<string, string>
            {
                ["PORTNAME"] = port.Origin, ["PORTVERSION"] = port.Version, ["PORTDIR"] = port.Folder, ["WRKDIR"] = folders.Work,
                ["STAGEDIR"] = folders.Stage, ["PACKAGES"] = folders.PackageOut, ["PACKAGESDIR"] = folders.Repository,
                ["DEPENDS_PACKAGES"] = string.Join(' ', dependencyPackages),
            };
            foreach (var (name, value) in port.Options)
            {
                environment["OPTION_" + name] = value;
            }

            foreach (var phase in PortSpec.PhaseNames.Where(port.Phases.ContainsKey))
            {
                if (sink.CancellationToken.IsCancellationRequested)
                {
                    (failedPhase, failure) = (phase, $"stopped before phase {phase}");
                    break;
                }

                var phaseClock = Stopwatch.StartNew();
                var code = RunPhase(phase, port.Phases[phase], folders.Work, environment, output);
                phases.Add(new PortPhaseTiming(phase, phaseClock.Elapsed, code));
                output.Add(new NewRunEvent
                {
                    Type = "port.phase", Time = DateTimeOffset.UtcNow, Message = $"{phase} exited with {code}",
                    PayloadJson = JsonSerializer.Serialize(new Dictionary<string, object> { ["phase"] = phase, ["exit_code"] = code, ["duration_ms"] = (long)phaseClock.Elapsed.TotalMilliseconds }),
                });
                if (code != 0)
                {
                    (failedPhase, exitCode) = (phase, code);
                    failure = sink.CancellationToken.IsCancellationRequested ? $"stopped during phase {phase}"
                        : code == 127 ? $"phase {phase}: the command was not found (exit 127)"
                        : $"phase {phase} exited with {code}";
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Win32Exception)
        {
            failedPhase ??= "prepare";
            failure = $"could not run the build: {ex.Message}";
        }

        string? package = null;
        if (failure is null && port.Phases.ContainsKey("package"))
        {
            (package, failure) = TakePackage(folders);
            if (failure is not null)
            {
                failedPhase = "package";
            }
        }

        Splits.Add(PortBuildSplits.Phases, stage);
        output.Flush();
        var succeeded = failure is null;
        var checksum = succeeded
            ? tracking.Try($"the checksum of '{port.Origin}' after its build", () => PortChecksum.Compute(port, PortFolder.Scan(port.Folder, entry.Checksum?.Folder, CancellationToken.None), dependencyKeys), null)
            : null;
        Splits.Add(PortBuildSplits.Checksum, stage);
        var ended = DateTimeOffset.UtcNow;
        var duration = clock.Elapsed;
        return (succeeded ? package : null, () =>
        {
            var recording = Stopwatch.StartNew();
            tracking.Try($"the end of the build of '{port.Origin}'", () => tracking.Index.Finish(
                buildId, port, succeeded ? PortRecordStatus.Success : PortRecordStatus.Failed, ended, duration, phases,
                failedPhase, exitCode, failure, checksum, package));
            if (log is not null)
            {
                var status = succeeded ? RunStatus.Succeeded : sink.CancellationToken.IsCancellationRequested ? RunStatus.Cancelled : RunStatus.Failed;
                tracking.Try($"the end of the log of '{port.Origin}'", () => tracking.Ledger.Complete(log.RunId, status, exitCode ?? (succeeded ? 0 : null), package is null ? [] : [package], null));
            }

            Splits.Add(PortBuildSplits.After, recording);
            if (!succeeded && !sink.CancellationToken.IsCancellationRequested)
            {
                sink.Error(new LogToolsException(
                    exitCode == 127 ? "PortPhaseCommandNotFound" : failedPhase == "package" ? "PortPackageInvalid" : "PortBuildFailed",
                    ErrorKind.InvalidOperation, port.Origin,
                    $"The port '{port.Origin}' failed: {failure}. Its checksum and package were left as they were.{(logPath is null ? string.Empty : $" Its output: {logPath}")}"));
            }

            return new PortBuildResult
            {
                Origin = port.Origin, Version = port.Version, Status = succeeded ? PortBuildStatus.Success : PortBuildStatus.Failed,
                Reason = failure ?? entry.Reason, Duration = duration, BuildId = buildId, LogPath = logPath, FailedPhase = failedPhase, ExitCode = exitCode,
            };
        });
    }

    /// <summary>The port's work folders: fresh for each build, except the repository of latest packages.</summary>
    public (string Work, string Stage, string PackageOut, string Repository, string Package) Folders(string origin) => (
        Path.Combine(options.WorkPath, "work", origin), Path.Combine(options.WorkPath, "stage", origin), Path.Combine(options.WorkPath, "pkgout", origin),
        Path.Combine(options.WorkPath, "packages"), Path.Combine(options.WorkPath, "packages", origin));

    // The package phase must leave one file; it replaces the port's previous package in the repository.
    private static (string? Package, string? Failure) TakePackage((string Work, string Stage, string PackageOut, string Repository, string Package) folders)
    {
        var files = Directory.GetFiles(folders.PackageOut, "*", SearchOption.AllDirectories);
        if (files.Length != 1)
        {
            return (null, $"the package phase left {files.Length} files in $PACKAGES; it must leave exactly one");
        }

        if (Directory.Exists(folders.Package))
        {
            Directory.Delete(folders.Package, recursive: true);
        }

        Directory.CreateDirectory(folders.Package);
        var package = Path.Combine(folders.Package, Path.GetFileName(files[0]));
        File.Move(files[0], package);
        return (package, null);
    }

    private int RunPhase(string phase, string command, string workFolder, Dictionary<string, string> environment, PhaseOutput output)
    {
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("pwsh") { ArgumentList = { "-NoProfile", "-Command", command } }
            : new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command } };
        start.WorkingDirectory = workFolder;
        start.RedirectStandardOutput = start.RedirectStandardError = start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Line(phase, "stdout", e.Data);
        process.ErrorDataReceived += (_, e) => output.Line(phase, "stderr", e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        while (!process.WaitForExit(FlushInterval))
        {
            output.Flush();
            if (sink.CancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.WaitForExit();
        return sink.CancellationToken.IsCancellationRequested && process.ExitCode == 0 ? 130 : process.ExitCode;
    }

    /// <summary>A port's phase output on its way to the port's run, in batches.</summary>
    private sealed class PhaseOutput(PortTracking tracking, string? runId)
    {
        private readonly List<NewRunEvent> pending = [];

        public void Line(string phase, string stream, string? line)
        {
            if (line is not null)
            {
                Add(new NewRunEvent { Type = "port.output", Time = DateTimeOffset.UtcNow, Stream = stream, Message = line, PayloadJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["phase"] = phase }) });
            }
        }

        public void Add(NewRunEvent item)
        {
            lock (pending)
            {
                pending.Add(item);
            }
        }

        public void Flush()
        {
            NewRunEvent[] batch;
            lock (pending)
            {
                batch = [.. pending];
                pending.Clear();
            }

            if (runId is not null && batch.Length > 0)
            {
                // Left with the operating system: completing the port's run forces its log to disk.
                tracking.Try("the output of a port", () => tracking.Ledger.Append(runId, batch, durable: false), 0);
            }
        }
    }
}
