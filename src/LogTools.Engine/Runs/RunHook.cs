namespace LogTools.Engine.Runs;

/// <summary>
/// What other areas do at one step of a run (<see cref="RunHooks"/>), registered once by EngineAreas so that Runs
/// knows no other area. Hooks are called in registration order.
/// </summary>
public sealed class RunHook<THook>
    where THook : Delegate
{
    private readonly List<THook> hooks = [];

    /// <summary>Adds a hook to the step.</summary>
    public void Register(THook hook) => hooks.Add(hook);

    internal void Call(Action<THook> call)
    {
        foreach (var hook in hooks)
        {
            call(hook);
        }
    }
}
