namespace LogTools.Tests.Support;

/// <summary>A script run in a separate pwsh process that imports out/LogTools, the way a scheduled task runs it.</summary>
public sealed record PwshRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary><c>pwsh -Command</c> with the module imported, then <paramref name="script"/>.</summary>
    public static PwshRun Command(string script, IDictionary<string, string>? environment = null)
    {
        var info = Pwsh.CommandStartInfo(Repo.Root, script);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("pwsh did not finish: " + script);
        }

        return new PwshRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
