using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace LogTools.Completion;

/// <summary>
/// What every LogTools argument completer shares: the values that start with what was typed (case-insensitive),
/// in order, quoted when they need it. A completer only supplies its values; a failure completes nothing, since
/// completion must never write an error into the user's console.
/// </summary>
public abstract class ValueCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = wordToComplete.Trim('\'', '"');
        IEnumerable<string> values;
        try
        {
            values = Values(fakeBoundParameters);
        }
        catch (Exception ex) when (ex is Engine.LogToolsException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return [];
        }

        return values
            .Where(v => v.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Select(v => new CompletionResult(Quote(v), v, CompletionResultType.ParameterValue, v))
            .ToList();
    }

    /// <summary>Every value this kind of parameter can take now, given the other parameters typed so far.</summary>
    protected abstract IEnumerable<string> Values(IDictionary boundParameters);

    /// <summary>
    /// A user path typed in another parameter, resolved against PowerShell's location as the cmdlet would. Completion
    /// runs inside the user's pipeline, so the session state is reached through a nested command.
    /// </summary>
    protected static string? BoundPath(IDictionary boundParameters, string name)
    {
        if (boundParameters[name]?.ToString() is not { Length: > 0 } text)
        {
            return null;
        }

        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddScript("$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])").AddArgument(text);
        return shell.Invoke().FirstOrDefault()?.BaseObject as string ?? text;
    }

    private static string Quote(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || "'\"`$;,(){}[]@&|#<>".Contains(c)) ? "'" + value.Replace("'", "''") + "'" : value;
}
