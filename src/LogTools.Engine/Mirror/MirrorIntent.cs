namespace LogTools.Engine.Mirror;

/// <summary>
/// A pond rename recorded before it happens, so that a sync killed around it can be finished or undone:
/// 'rotate' (active copy to an archive name, undone on recovery) or 'preserve' (active copy set aside, finished on recovery).
/// </summary>
/// <param name="Length">The recorded length of the active copy when the rename was decided.</param>
internal sealed record MirrorIntent(string Operation, string FromName, string ToName, long Length);
