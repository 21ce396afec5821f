namespace LogTools.Cli;

/// <summary>The host's arguments, in pwsh's spelling: -Command, -File, plus what a module host needs.</summary>
internal sealed class CommandLine
{
    public const string Usage = """
        Usage:
          logtools -Command <script>         run PowerShell text ('-' reads it from standard input)
          logtools -File <path> [args...]    run a script file with its arguments
          logtools -Version | -Help

        Options:
          -Module <path>   the LogTools module to import (default: $LOGTOOLS_MODULE, then the
                           LogTools folder beside this host)
          -NoModule        do not import LogTools (plain PowerShell engine)

        Exit code: the script's 'exit N'; otherwise 1 when any error was written, else 0.
        """;

    public string? Command { get; private set; }

    public string? File { get; private set; }

    public IReadOnlyList<string> FileArguments { get; private set; } = [];

    public string? ModulePath { get; private set; }

    public bool NoModule { get; private set; }

    public bool ShowVersion { get; private set; }

    public bool ShowHelp { get; private set; }

    public static bool TryParse(string[] args, out CommandLine? options, out string? problem)
    {
        var result = new CommandLine();
        options = null;
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value(string name) => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            try
            {
                switch (args[i].ToLowerInvariant())
                {
                    case "-command" or "-c" or "--command":
                        // As in pwsh, everything after -Command is the command text.
                        result.Command = string.Join(' ', args[(i + 1)..]);
                        if (result.Command.Length == 0)
                        {
                            throw new ArgumentException("-Command needs a value.");
                        }

                        i = args.Length;
                        break;
                    case "-file" or "-f" or "--file":
                        result.File = Value("-File");
                        result.FileArguments = args[(i + 1)..];
                        i = args.Length;
                        break;
                    case "-module":
                        result.ModulePath = Value("-Module");
                        break;
                    case "-nomodule":
                        result.NoModule = true;
                        break;
                    case "-noprofile" or "-noninteractive" or "-nologo":
                        break; // accepted for pwsh compatibility: logtools never loads profiles and never prompts
                    case "-version" or "--version":
                        result.ShowVersion = true;
                        break;
                    case "-help" or "--help" or "-h" or "-?" or "/?":
                        result.ShowHelp = true;
                        break;
                    default:
                        throw new ArgumentException($"Unknown argument '{args[i]}'.");
                }
            }
            catch (ArgumentException ex)
            {
                problem = ex.Message;
                return false;
            }
        }

        if (result.Command is null && result.File is null && !result.ShowVersion && !result.ShowHelp)
        {
            problem = "Nothing to run: give -Command or -File.";
            return false;
        }

        options = result;
        return true;
    }

    public static int Fail(string problem)
    {
        Console.Error.WriteLine("logtools: " + problem);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
