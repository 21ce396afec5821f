namespace LogTools.Engine.Mirror;

/// <summary>Progress of one copy: <paramref name="Done"/> of <paramref name="Total"/> bytes of <paramref name="Name"/>.</summary>
public sealed record MirrorProgress(string Source, string Name, long Done, long Total);
