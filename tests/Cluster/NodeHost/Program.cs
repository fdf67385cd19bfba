using Vigil.Cluster.Node;

// Usage: vigil-node-host node --config FILE   (same arguments as `vigil node`).
int at = Array.IndexOf(args, "--config");
if (at < 0 || at + 1 >= args.Length)
{
    Console.Error.WriteLine("usage: vigil-node-host node --config FILE");
    return 2;
}
return await NodeRunner.RunAsync(args[at + 1], Console.Out, Console.Error);
