using System.Management.Automation;
using LogTools.Engine.Mirror;

namespace LogTools.Commands;

/// <summary>The -Source and -Name wildcard selection shared by Get-LogMirror and Test-LogMirror.</summary>
internal static class MirrorFilter
{
    public static IEnumerable<MirrorFileInfo> Select(IEnumerable<MirrorFileInfo> files, string[] sources, string[] names)
    {
        var sourcePatterns = sources.Select(s => new WildcardPattern(s, WildcardOptions.IgnoreCase)).ToArray();
        var namePatterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
        return files.Where(f => sourcePatterns.Any(p => p.IsMatch(f.Source)) && namePatterns.Any(p => p.IsMatch(f.Name)));
    }
}
