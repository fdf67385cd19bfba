using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.Onnx;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil models list [--dir DIR]</c>: loads every card in the folder (default: the repository's
/// models/), verifying each model file's sha256 and signature, and lists what would be served;
/// refused cards are reported and make the exit code 1.
/// <c>vigil models check CARD</c>: verifies one card against its model file; exit 1 on a mismatch.
/// <c>vigil models bench [--json] [--requesters N] [--seconds S] [--rounds R] [--delay-ms D] [--concurrent-batches C]</c>:
/// the dynamic batcher against fixed batch sizes (<see cref="Benchmarks.BatcherBenchmark"/>).
/// <c>${VIGIL_SHARED}</c> in card paths defaults to the shared folder beside the repository.
/// </summary>
internal static class ModelsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json");
        var verb = a.Positional.Count > 0 ? a.Positional[0] : throw new CommandLineException("usage: models list [--dir DIR] | models check CARD | models bench [--json]");
        return verb switch
        {
            "list" => List(a),
            "check" => Check(a),
            "bench" => await Bench(a),
            _ => throw new CommandLineException($"unknown verb '{verb}' (expected list, check or bench)"),
        };
    }

    // The batcher part of `vigil bench models`, runnable on its own.
    private static async Task<int> Bench(CommandArguments a)
    {
        var json = a.Flag("json");
        var bench = new Benchmarks.BatcherBenchmark
        {
            Requesters = a.GetInt("requesters", 32),
            Duration = TimeSpan.FromSeconds(a.GetDouble("seconds", 0.6)),
            Rounds = a.GetInt("rounds", 6),
            ConcurrentBatches = a.GetInt("concurrent-batches", 1),
            MaxQueueDelay = TimeSpan.FromMilliseconds(a.GetDouble("delay-ms", 2)),
        };
        a.RejectUnknown();
        var result = await bench.RunAsync(json ? null : Console.WriteLine);
        Console.WriteLine(result.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static int List(CommandArguments a)
    {
        var dir = a.Get("dir") ?? Path.Combine(Home(), "models");
        a.RejectUnknown();
        if (a.Positional.Count > 1) throw new CommandLineException($"unexpected argument '{a.Positional[1]}'");
        using var catalog = ModelCatalog.OpenFolder(dir, Options());
        Console.WriteLine($"models in {Path.GetFullPath(dir)} (ONNX Runtime {OnnxRuntimeInfo.Version}):");
        foreach (var card in catalog.Models) Print(card);
        foreach (var failure in catalog.Failures)
            Console.Error.WriteLine($"REFUSED {failure.CardPath}: {failure.Error.Message}");
        Console.WriteLine($"{catalog.Models.Count} served, {catalog.Failures.Count} refused.");
        return catalog.Failures.Count == 0 ? 0 : 1;
    }

    private static int Check(CommandArguments a)
    {
        a.RejectUnknown();
        if (a.Positional.Count != 2) throw new CommandLineException("usage: models check CARD");
        try
        {
            var card = ModelCatalog.Check(a.Positional[1], Options());
            Console.WriteLine("OK: the model file matches its card (sha256, inputs, outputs).");
            Print(card);
            return 0;
        }
        catch (ModelCardException e)
        {
            Console.Error.WriteLine($"MISMATCH: {e.Message}");
            return 1;
        }
    }

    private static void Print(ModelCard card)
    {
        Console.WriteLine($"  {card.Id}@{card.Version}  {card.Task}{(card.NotForClinicalUse ? "  [NOT FOR CLINICAL USE]" : "")}");
        Console.WriteLine($"    file    {card.ModelPath}");
        Console.WriteLine($"    sha256  {card.Sha256}");
        foreach (var t in card.Inputs) Console.WriteLine($"    in      {t}");
        foreach (var t in card.Outputs) Console.WriteLine($"    out     {t}");
        Console.WriteLine($"    source  {card.Origin?.Source} ({card.Origin?.Licence})");
    }

    // VIGIL_HOME is set by ./vigil; otherwise the current folder is taken as the repository root.
    private static string Home() => RepositoryPaths.Root;

    private static ModelCatalogOptions Options()
    {
        var shared = RepositoryPaths.Shared;
        return new ModelCatalogOptions { PathVariables = new Dictionary<string, string> { ["VIGIL_SHARED"] = shared } };
    }
}
