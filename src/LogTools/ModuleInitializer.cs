using System.Management.Automation;

namespace LogTools;

/// <summary>
/// PowerShell runs this when the module is imported: it only wires the engine's load context
/// (no store is opened; import stays fast), and unwires it when the module is removed.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => EngineLoadContext.Hook();

    public void OnRemove(PSModuleInfo psModuleInfo) => EngineLoadContext.Unhook();
}
