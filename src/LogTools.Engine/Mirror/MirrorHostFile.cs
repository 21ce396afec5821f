namespace LogTools.Engine.Mirror;

/// <summary>A host file as seen by one stat at the start of a sync; a sync reads no further than <paramref name="Length"/>.</summary>
internal sealed record MirrorHostFile(string Name, string Path, long Length, long MtimeTicks, bool Gz);
