using BenchmarkDotNet.Running;
using Touchpoint.Bench;
using Touchpoint.Bench.Queue;

// `queue ...` runs the queue comparison (a console run, not BenchmarkDotNet); anything else goes to
// BenchmarkDotNet, e.g. `--filter *Policy*`. See docs/benchmarks.md.
if (args.Length > 0 && args[0] == "queue") return await QueueBenchmark.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(PolicyBenchmarks).Assembly).Run(args);
return 0;
