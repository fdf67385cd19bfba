using Vigil.Cli.Commands;

namespace Vigil.Cli;

/// <summary>
/// The <c>vigil</c> command line. Each command group lives in its own file under Commands/;
/// this table is the only place that names them all.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, (string Summary, Func<string[], Task<int>> Run)> Commands = new()
    {
        ["demo"] = ("run the main job on an embedded single node", DemoCommand.RunAsync),
        ["bench"] = ("benchmarks: bench streams|models|cluster [--json]", BenchCommand.RunAsync),
        ["ppg"] = ("wrist PPG heart rate: ppg eval|bench", PpgCommand.RunAsync),
        ["models"] = ("model catalog: models list|check CARD", ModelsCommand.RunAsync),
        ["boneage"] = ("bone-age batch scorer: boneage score|bench", BoneAgeCommand.RunAsync),
        ["node"] = ("start a cluster node: node --config cluster.conf", NodeCommand.RunAsync),
        ["cluster"] = ("cluster status|leave NODE", ClusterCommand.RunAsync),
    };

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage();
            return args.Length == 0 ? 2 : 0;
        }
        if (!Commands.TryGetValue(args[0], out var command))
        {
            Console.Error.WriteLine($"vigil: unknown command '{args[0]}'.");
            PrintUsage();
            return 2;
        }
        try
        {
            return await command.Run(args[1..]);
        }
        catch (CommandLineException e)
        {
            Console.Error.WriteLine($"vigil {args[0]}: {e.Message}");
            return 2;
        }
    }

    private static void PrintUsage()
    {
        Console.Error.WriteLine("usage: vigil <command> [options]");
        foreach (var (name, (summary, _)) in Commands)
            Console.Error.WriteLine($"  {name,-10} {summary}");
    }
}
