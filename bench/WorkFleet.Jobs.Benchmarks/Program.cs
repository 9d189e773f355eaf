using BenchmarkDotNet.Running;
using WorkFleet.Jobs.Benchmarks;

// dotnet run -c Release --project bench/WorkFleet.Jobs.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(MlpInferenceBenchmarks).Assembly).Run(args);
