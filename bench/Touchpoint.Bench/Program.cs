using BenchmarkDotNet.Running;

// Runs the benchmarks named on the command line, e.g. `--filter *Policy*`; see docs/benchmarks.md.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
