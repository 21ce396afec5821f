using System.Diagnostics;

namespace LogTools.Tests.Support;

/// <summary>Runs out/cli/logtools as a separate process, the way cron or CI runs it.</summary>
public sealed record HostRun(int ExitCode, string Stdout, string Stderr)
{
    public static HostRun Start(IReadOnlyList<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Repo.Host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repo.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("logtools did not finish: " + string.Join(' ', arguments));
        }

        return new HostRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>logtools -Command with the given text.</summary>
    public static HostRun Command(string script, IDictionary<string, string>? environment = null) => Start(["-Command", script], environment);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
