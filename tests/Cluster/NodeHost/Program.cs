using Vigil.Cluster.Node;

// Usage: vigil-node-host node --config FILE   (the same NodeRunner as `vigil node`)
int at = Array.IndexOf(args, "--config");
if (args.Length == 0 || args[0] != "node" || at < 0 || at + 1 >= args.Length)
{
    Console.Error.WriteLine("usage: vigil-node-host node --config FILE");
    return 2;
}
return await NodeRunner.RunAsync(args[at + 1], Console.Out, Console.Error);
