namespace LogTools.Engine.Store;

/// <summary>How a command that copies a store's content files reports a copy that does not verify.</summary>
/// <param name="Id">The error id.</param>
/// <param name="Outcome">What became of the copy, as the message says it ("no backup was kept").</param>
/// <param name="Command">The command to run again.</param>
internal sealed record ContentCopyFailure(string Id, string Outcome, string Command);
