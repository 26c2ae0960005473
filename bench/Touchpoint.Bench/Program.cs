using BenchmarkDotNet.Running;

// `enroll-touch` is the end-to-end store benchmark (EnrollAndTouchBenchmark); anything else runs the
// BenchmarkDotNet benchmarks named on the command line, e.g. `--filter *Policy*`; see docs/benchmarks.md.
if (args.Length > 0 && args[0] == "enroll-touch") return await Touchpoint.Bench.EnrollAndTouchBenchmark.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(Touchpoint.Bench.PolicyBenchmarks).Assembly).Run(args);
return 0;
