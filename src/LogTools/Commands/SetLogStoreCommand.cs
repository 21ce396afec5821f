using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Set-LogStore: chooses the store for the rest of this PowerShell session (-Path, or a PostgreSQL store with
/// -ConnectionString), saves the user's ordered candidate folders (-Candidate), or forgets the session's choice (-Reset).
/// </summary>
[Cmdlet(VerbsCommon.Set, "LogStore", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType("LogTools.Engine.Store.StoreInfo")]
public sealed class SetLogStoreCommand : LogToolsCmdlet
{
    private const string PathSet = "Path";
    private const string ServerSet = "Server";
    private const string CandidateSet = "Candidate";
    private const string ResetSet = "Reset";

    /// <summary>The store folder for this session; created if missing.</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>A PostgreSQL store for this session: a postgres:// URI or key=value pairs (Host, Port, Database, Username, Password).</summary>
    [Parameter(ParameterSetName = ServerSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The shared folder for a PostgreSQL store's files (conversations, run events, the pond, archives); replaces the URI's ?content=.</summary>
    [Parameter(ParameterSetName = ServerSet)]
    [ValidateNotNullOrEmpty]
    public string? ContentRoot { get; set; }

    /// <summary>The user and password for a PostgreSQL store; the password is kept in memory for this session only.</summary>
    [Parameter(ParameterSetName = ServerSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Store folders to try in order for this user; the first whose parent exists wins. An empty list clears it.</summary>
    [Parameter(ParameterSetName = CandidateSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyCollection]
    public string[] Candidate { get; set; } = [];

    /// <summary>Forget the session's choice; the environment, candidates and default apply again.</summary>
    [Parameter(ParameterSetName = ResetSet, Mandatory = true)]
    public SwitchParameter Reset { get; set; }

    /// <summary>Write the store that is now in effect.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var done = false;
        switch (ParameterSetName)
        {
            case PathSet:
                var full = ResolveUserPath(Path);
                if (ShouldProcess(full, "Use as the LogTools store for this session"))
                {
                    // Opening first proves the folder is usable before the session depends on it.
                    LogStore.Open(full);
                    SessionStoreChoice.Set(full);
                    done = true;
                }

                break;
            case ServerSet:
                var password = Credential?.GetNetworkCredential().Password;
                var (location, given) = MustSucceed(() => StoreLocator.ServerStore(
                    ConnectionString, ContentRoot is null ? null : ResolveUserPath(ContentRoot), Credential?.UserName));
                password ??= given;
                if (ShouldProcess(location, "Use as the LogTools store for this session"))
                {
                    LogStore.Open(location, password: password);
                    SessionStoreChoice.Set(location, password);
                    done = true;
                }

                break;
            case CandidateSet:
                var settingsPath = UserSettings.DefaultPath();
                if (ShouldProcess(settingsPath, $"Save store candidates: {string.Join(", ", Candidate)}"))
                {
                    var settings = UserSettings.Load(settingsPath);
                    settings.StoreCandidates = [.. Candidate];
                    settings.Save(settingsPath);
                    done = true;
                }

                break;
            default:
                if (ShouldProcess("this session", "Forget the chosen LogTools store"))
                {
                    SessionStoreChoice.Set(null);
                    done = true;
                }

                break;
        }

        if (PassThru && done)
        {
            var location = LocateStore(null);
            WriteObject(LogStore.Open(location.Path, password: SessionStoreChoice.PasswordFor(location.Path)).Describe(location.Source, location.Detail));
        }
    });
}
