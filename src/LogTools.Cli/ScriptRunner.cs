using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Text;

namespace LogTools.Cli;

/// <summary>Opens a runspace on the console host, imports the module as pwsh would, runs the script, and decides the exit code.</summary>
internal static class ScriptRunner
{
    public static int Run(CommandLine options)
    {
        var version = typeof(ScriptRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        if (options.ShowHelp)
        {
            Console.Out.WriteLine(CommandLine.Usage);
            return 0;
        }

        if (options.ShowVersion)
        {
            Console.Out.WriteLine($"logtools {version} (PowerShell {typeof(PSObject).Assembly.GetName().Version})");
            return 0;
        }

        string? module = null;
        if (!options.NoModule && (module = FindModule(options.ModulePath)) is null)
        {
            Console.Error.WriteLine("logtools: the LogTools module was not found. Build it (dotnet build LogTools.sln -c Release) or give -Module <path to LogTools.psd1>.");
            return 2;
        }

        var script = options.Command == "-" ? Console.In.ReadToEnd() : options.Command;
        if (options.File is not null)
        {
            var file = Path.GetFullPath(options.File);
            if (!System.IO.File.Exists(file))
            {
                Console.Error.WriteLine($"logtools: the script file '{options.File}' does not exist.");
                return 2;
            }

            script = FileInvocation(file, options.FileArguments);
        }

        var host = new ConsoleHost(version ?? "0.0.0");
        var state = InitialSessionState.CreateDefault2();
        if (OperatingSystem.IsWindows())
        {
            state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        using var runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        var failed = false;
        if (module is not null && !Invoke(runspace, host, $"Import-Module -Name '{module.Replace("'", "''")}' -ErrorAction Stop", ref failed))
        {
            return 1;
        }

        Invoke(runspace, host, script!, ref failed);
        if (host.ExitCode is { } code)
        {
            return code;
        }

        if (options.File is not null && runspace.SessionStateProxy.GetVariable("LASTEXITCODE") is int last && last != 0)
        {
            return last;
        }

        return failed ? 1 : 0;
    }

    /// <summary>Runs one piece of script with output rendered by Out-Default (the module's views) and errors shown as they happen.</summary>
    private static bool Invoke(Runspace runspace, ConsoleHost host, string script, ref bool failed)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script).AddCommand("Out-Default");
        var errors = 0;
        shell.Streams.Error.DataAdded += (_, e) =>
        {
            host.UI.WriteErrorLine(ErrorText.Render(shell.Streams.Error[e.Index]));
            errors++;
        };
        try
        {
            shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            host.UI.WriteErrorLine(ErrorText.Render(ex.ErrorRecord));
            errors++;
        }

        failed |= errors > 0 || shell.HadErrors;
        return errors == 0;
    }

    /// <summary>
    /// pwsh -File binds "-Name value" arguments as parameters: rebuild that call as script text with
    /// every value quoted, so values are never parsed as code.
    /// </summary>
    private static string FileInvocation(string file, IReadOnlyList<string> arguments)
    {
        var text = new StringBuilder("& ").Append(Quote(file));
        foreach (var argument in arguments)
        {
            text.Append(' ');
            var isParameterName = argument.Length > 1 && argument[0] == '-' && (char.IsLetter(argument[1]) || argument[1] == '_')
                && argument.TrimEnd(':').Skip(1).All(c => char.IsLetterOrDigit(c) || c is '_' or '-');
            text.Append(isParameterName ? argument : Quote(argument));
        }

        return text.ToString();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "''") + "'";

    private static string? FindModule(string? explicitPath)
    {
        var candidates = new[]
        {
            explicitPath,
            Environment.GetEnvironmentVariable("LOGTOOLS_MODULE"),
            Path.Combine(AppContext.BaseDirectory, "..", "LogTools", "LogTools.psd1"),
            Path.Combine(AppContext.BaseDirectory, "LogTools", "LogTools.psd1"),
        };
        foreach (var candidate in candidates.Where(c => !string.IsNullOrWhiteSpace(c)))
        {
            var full = Path.GetFullPath(candidate!);
            if (Directory.Exists(full))
            {
                full = Path.Combine(full, "LogTools.psd1");
            }

            if (System.IO.File.Exists(full))
            {
                return full;
            }

            if (candidate == explicitPath)
            {
                return null; // an explicit path that does not exist is an error, not a hint
            }
        }

        return null;
    }
}
