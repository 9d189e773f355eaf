using BenchmarkDotNet.Running;
using WorkFleet.Benchmarks;

// Pick benchmarks with --filter, e.g. dotnet run -c Release --project bench/WorkFleet.Benchmarks -- --filter '*Decision*'
BenchmarkSwitcher.FromAssembly(typeof(DecisionBenchmarks).Assembly).Run(args);
