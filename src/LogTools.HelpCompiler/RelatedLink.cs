namespace LogTools.HelpCompiler;

/// <summary>A RELATED LINKS entry; <paramref name="Uri"/> is empty for links to other help topics.</summary>
internal sealed record RelatedLink(string Text, string Uri);
