namespace LogTools.Tests.Support;

/// <summary>Serialises the tests that change process-wide environment variables.</summary>
[CollectionDefinition(ProcessEnvironment.Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
}
