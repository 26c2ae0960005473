using BenchmarkDotNet.Running;

// `webhooks …` runs the HTTP ingest load test; anything else goes to BenchmarkDotNet, e.g. `--filter *Policy*`.
// See docs/benchmarks.md.
if (args.Length > 0 && args[0] == "webhooks") return await Touchpoint.Bench.WebhookIngestBenchmark.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
