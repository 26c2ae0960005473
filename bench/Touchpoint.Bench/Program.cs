using BenchmarkDotNet.Running;
using Touchpoint.Bench;

// `webhooks …` runs the HTTP ingest load test; anything else goes to BenchmarkDotNet, e.g. `--filter *Policy*`.
// See docs/benchmarks.md.
if (args.Length > 0 && args[0] == "webhooks") return await WebhookIngestBenchmark.RunAsync(args);
BenchmarkSwitcher.FromAssembly(typeof(WebhookIngestBenchmark).Assembly).Run(args);
return 0;
