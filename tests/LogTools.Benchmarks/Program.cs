using LogTools.Benchmarks;

// Each benchmark is a class with a Name and a Run(args) that prints its own figures.
IBenchmark[] all = [new ImportBenchmark(), new FirstCallBenchmark(), new BackendsBenchmark(), new Blake3Benchmark(), new MirrorBenchmark(), new ApiCostBenchmark(), new AddApiCallBenchmark(), new ApiCallRowsBenchmark(), new HistoryImportBenchmark(), new RunsBenchmark(), new IngestBenchmark(), new PortsBenchmark(), new SseBenchmark(), new Utf8Benchmark()];
if (args.Length == 0 || all.All(b => b.Name != args[0]))
{
    Console.Error.WriteLine("usage: LogTools.Benchmarks <" + string.Join('|', all.Select(b => b.Name)) + "> [options]");
    return 2;
}
return all.First(b => b.Name == args[0]).Run(args[1..]);
