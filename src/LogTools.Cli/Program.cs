using LogTools.Cli;

// logtools: runs PowerShell with the LogTools module for machines that have no pwsh (cron, CI, containers).
return CommandLine.TryParse(args, out var options, out var problem)
    ? ScriptRunner.Run(options!)
    : CommandLine.Fail(problem!);
