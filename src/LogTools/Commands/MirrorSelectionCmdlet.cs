using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine.Mirror;

namespace LogTools.Commands;

/// <summary>The -Source and -Name wildcard selection of mirrored files shared by Get-LogMirror and Test-LogMirror.</summary>
public abstract class MirrorSelectionCmdlet : StoreCmdlet
{
    /// <summary>Source names (wildcards allowed); all sources when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SourceNameCompleter))]
    public string[] Source { get; set; } = ["*"];

    /// <summary>Pond file names (wildcards allowed); all files when omitted.</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = ["*"];

    /// <summary>The recorded files whose source and name match.</summary>
    protected IEnumerable<MirrorFileInfo> SelectedFiles()
    {
        var sourcePatterns = Source.Select(s => new WildcardPattern(s, WildcardOptions.IgnoreCase)).ToArray();
        var namePatterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
        return MirrorCatalog.Files(OpenStore()).Where(f => sourcePatterns.Any(p => p.IsMatch(f.Source)) && namePatterns.Any(p => p.IsMatch(f.Name)));
    }
}
