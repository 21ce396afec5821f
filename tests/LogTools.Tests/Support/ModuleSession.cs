using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace LogTools.Tests.Support;

/// <summary>
/// A fresh runspace that imports the assembled out/LogTools by path, as a user's pwsh would, with a
/// store of its own (chosen with Set-LogStore, so nothing leaks between tests running in parallel), in the tests'
/// own config home and working folder (<see cref="IsolatedHome"/>).
/// </summary>
public sealed class ModuleSession : IDisposable
{
    private readonly Runspace runspace;
    private readonly TempFolder folder = new();

    public ModuleSession(bool chooseStore = true)
    {
        IsolatedHome.Apply();
        runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        Run($"Import-Module '{Repo.ModuleManifest}' -ErrorAction Stop").AssertNoErrors();
        if (chooseStore)
        {
            Run("Set-LogStore -Path $args[0]", StorePath).AssertNoErrors();
        }
    }

    /// <summary>This session's store folder.</summary>
    public string StorePath => folder.Combine("store");

    /// <summary>A scratch folder of this session for test files.</summary>
    public TempFolder Folder => folder;

    /// <summary>Runs a script; <paramref name="args"/> are available as $args.</summary>
    public PsResult Run(string script, params object[] args)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        shell.AddScript(script);
        foreach (var arg in args)
        {
            shell.AddArgument(arg);
        }

        var errors = new List<ErrorRecord>();
        Collection<PSObject> output;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException ex)
        {
            output = [];
            errors.Add(ex.ErrorRecord);
        }

        errors.InsertRange(0, shell.Streams.Error);
        return new PsResult(output, errors, [.. shell.Streams.Warning], [.. shell.Streams.Verbose], [.. shell.Streams.Progress]);
    }

    public void Dispose()
    {
        runspace.Dispose();
        folder.Dispose();
    }
}
