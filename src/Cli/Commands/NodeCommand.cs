using Vigil.Cluster.Configuration;
using Vigil.Cluster.Node;
using Vigil.WardConsole;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil node --config cluster.conf [--console-port 8080] [--console-config console.json] [--console-bind ADDR]</c>:
/// runs a cluster node (serves its models, processes its share of patient streams) until
/// SIGTERM/SIGINT, then drains gracefully. With a console option it also serves the ward console
/// (docs/console.md) on the node's actor system.
/// </summary>
internal static class NodeCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args);
        string config = a.Get("config") ?? DefaultConfig();
        var consolePort = a.Get("console-port") is null ? (int?)null : a.GetInt("console-port", 8080);
        var consoleConfig = a.Get("console-config");
        var consoleBind = a.Get("console-bind");
        a.RejectUnknown();
        if (a.Positional.Count > 0) throw new CommandLineException($"unexpected argument '{a.Positional[0]}'");
        if (consolePort is < 0 or > 65535) throw new CommandLineException($"--console-port must be 0 to 65535, got {consolePort}");
        if (consoleConfig is not null && !File.Exists(consoleConfig)) throw new CommandLineException($"{consoleConfig}: configuration file not found");
        // Checked here first so a bad file ends in Program's one-line error (exit 2) like every other input.
        try { ClusterConfigLoader.Load(config); }
        catch (ClusterConfigException e) { throw new CommandLineException(e.Message); }
        if (consolePort is null && consoleConfig is null && consoleBind is null) return NodeRunner.RunAsync(config, Console.Out, Console.Error);
        return NodeRunner.RunAsync(config, Console.Out, Console.Error, async node =>
        {
            List<(string Name, string Key)> generated = [];
            var console = await NodeConsole.StartAsync(node, o =>
            {
                if (consolePort is { } port) o.Port = port;
                if (consoleBind is not null) o.BindAddress = consoleBind;
                generated = ServeCommand.EnsureKeys(o);
            }, consoleConfig).ConfigureAwait(false);
            Console.WriteLine($"vigil node: ward console on {string.Join(", ", console.App.Urls)}");
            ServeCommand.PrintKeys(generated);
            return console;
        });
    }

    /// <summary>cluster.conf at the repository root.</summary>
    internal static string DefaultConfig() => Path.Combine(RepositoryPaths.Root, "cluster.conf");
}
