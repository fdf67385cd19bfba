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
        ["video"] = ("clinical video actions: video generate|train|run|bench", VideoCommand.RunAsync),
        ["adapt"] = ("domain adaptation (ADDA): adapt digits [--json] | adapt --source DIR --target DIR --out CARD", AdaptCommand.RunAsync),
        ["ir"] = ("infrared faces: ir faces|blinks|bench", IrCommand.RunAsync),
        ["serve"] = ("ward console: serve [--port 8080] [--ward-simulation N]", ServeCommand.RunAsync),
        ["node"] = ("start a cluster node: node --config cluster.conf [--console-port 8080]", NodeCommand.RunAsync),
        ["cluster"] = ("cluster status|leave NODE", ClusterCommand.RunAsync),
    };

    private static Task<int> Main(string[] args) => RunAsync(args, Console.Error);

    /// <summary>
    /// Runs one command. Whatever goes wrong ends as one line on <paramref name="error"/>,
    /// <c>vigil COMMAND: what is wrong</c> (naming the file when a file is at fault), and exit code 2;
    /// <c>VIGIL_DEBUG=1</c> adds the stack trace.
    /// </summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(error);
            return args.Length == 0 ? 2 : 0;
        }
        if (!Commands.TryGetValue(args[0], out var command))
        {
            error.WriteLine($"vigil: unknown command '{args[0]}'.");
            PrintUsage(error);
            return 2;
        }
        try
        {
            return await command.Run(args[1..]);
        }
        catch (Exception e)
        {
            error.WriteLine($"vigil {args[0]}: {CliErrors.Describe(e)}");
            if (Environment.GetEnvironmentVariable("VIGIL_DEBUG") == "1") error.WriteLine(e);
            return 2;
        }
    }

    private static void PrintUsage(TextWriter error)
    {
        error.WriteLine("usage: vigil <command> [options]");
        foreach (var (name, (summary, _)) in Commands)
            error.WriteLine($"  {name,-10} {summary}");
    }
}
