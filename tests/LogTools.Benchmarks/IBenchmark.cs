namespace LogTools.Benchmarks;

/// <summary>One benchmark: prints its figures, side by side with the reference tool, and returns an exit code.</summary>
public interface IBenchmark
{
    string Name { get; }
    int Run(string[] args);
}
