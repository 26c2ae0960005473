using BenchmarkDotNet.Running;
using Touchpoint.Bench;
using Touchpoint.Bench.Queue;

// `webhooks …` runs the HTTP ingest load test, `queue …` the queue comparison and `enroll-touch …` the
// enrollment + first-touch store benchmark, `dispatch …` the end-to-end dispatch drain (console runs, not BenchmarkDotNet); anything else goes to
// BenchmarkDotNet, e.g. `--filter *Policy*`. See docs/benchmarks.md.
if (args.Length > 0 && args[0] == "webhooks") return await WebhookIngestBenchmark.RunAsync(args);
if (args.Length > 0 && args[0] == "queue") return await QueueBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "dispatch") return await DispatchBenchmark.RunAsync(args[1..]);
if (args.Length > 0 && args[0] == "enroll-touch") return await EnrollAndTouchBenchmark.RunAsync(args[1..]);
BenchmarkSwitcher.FromAssembly(typeof(PolicyBenchmarks).Assembly).Run(args);
return 0;
