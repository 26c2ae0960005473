using Touchpoint.Cli;

return await TouchpointCli.RunAsync(args, Console.Out, Console.Error);
