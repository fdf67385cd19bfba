namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil ir ...</c>: the infrared room (thermal faces, blinks, breathing, dyspnea alerts).
/// Each subcommand lives in its own file (Ir*Command.cs); this table is the only place that names them all.
/// </summary>
internal static class IrCommand
{
    private static readonly Dictionary<string, (string Usage, Func<string[], Task<int>> Run)> Subcommands = new()
    {
        ["blinks"] = (IrBlinksCommand.Usage, IrBlinksCommand.RunAsync),
        ["faces"] = (IrFacesCommand.Usage, IrFacesCommand.RunAsync),
        ["breathing"] = (IrBreathingCommand.Usage, IrBreathingCommand.RunAsync),
        ["bench"] = (IrBenchCommand.Usage, IrBenchCommand.RunAsync),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            foreach (var (_, (usage, _)) in Subcommands) Console.Error.WriteLine($"usage: vigil ir {usage}");
            return args.Length == 0 ? 2 : 0;
        }
        if (!Subcommands.TryGetValue(args[0], out var sub))
            throw new CommandLineException($"unknown subcommand '{args[0]}' ({string.Join(", ", Subcommands.Keys)})");
        return await sub.Run(args[1..]);
    }
}
