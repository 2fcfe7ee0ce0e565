using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Backprop.Benchmarks -- --filter '*'
// (or --filter '*Gemm*', '*Dense*', '*TrainingStep*'; --list flat to see them all)
BenchmarkSwitcher.FromAssembly(typeof(Backprop.Benchmarks.GemmBenchmarks).Assembly).Run(args);
