using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.Onnx;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil models list [--dir DIR]</c>: loads every card in the folder (default: the repository's
/// models/), verifying each model file's sha256 and signature, and lists what would be served;
/// refused cards are reported and make the exit code 1.
/// <c>vigil models check CARD|DIR [--require-files]</c>: verifies cards against their model files; exit 1
/// on a mismatch. A card whose file is not on this machine is reported ABSENT on one line and is
/// not a failure unless <c>--require-files</c> is given.
/// <c>vigil models bench [--json] [--requesters N] [--seconds S] [--rounds R] [--delay-ms D] [--concurrent-batches C]</c>:
/// the dynamic batcher against fixed batch sizes (<see cref="Benchmarks.BatcherBenchmark"/>).
/// <c>${VIGIL_SHARED}</c> in card paths defaults to the shared folder beside the repository.
/// </summary>
internal static class ModelsCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json", "require-files");
        var verb = a.Positional.Count > 0 ? a.Positional[0] : throw new CommandLineException("usage: models list [--dir DIR] | models check CARD|DIR [--require-files] | models bench [--json]");
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
        Console.WriteLine($"models in {Path.GetFullPath(dir)} ({OnnxRuntimeInfo.Package}, {OnnxRuntimeInfo.Build} build):");
        foreach (var card in catalog.Models) Print(card);
        var absent = catalog.Failures.Where(f => f.Error is ModelFileMissingException).ToList();
        // Cards for a runtime this process does not host (TorchSharp: loaded by the modality that trained them).
        var elsewhere = catalog.Failures.Where(f => f.Error is not ModelFileMissingException && RuntimeNotHosted(f.CardPath)).ToList();
        var refused = catalog.Failures.Except(absent).Except(elsewhere).ToList();
        foreach (var failure in absent)
            Console.Error.WriteLine($"ABSENT {failure.CardPath}: {failure.Error.Message}");
        foreach (var failure in elsewhere)
            Console.WriteLine($"NOT SERVED HERE {failure.CardPath}: its runtime is hosted by its modality (check it with `vigil models check`).");
        foreach (var failure in refused)
            Console.Error.WriteLine($"REFUSED {failure.CardPath}: {failure.Error.Message}");
        Console.WriteLine($"{catalog.Models.Count} served, {refused.Count} refused, {absent.Count} absent (file not on this machine), {elsewhere.Count} served by their modality.");
        return refused.Count == 0 ? 0 : 1;
    }

    // `models check CARD|DIR [--require-files]`: OK, MISMATCH (exit 1) or ABSENT per card. A card whose
    // model file is not on this machine (an external asset) cannot disagree with it: ABSENT is
    // reported on one line and is not a failure unless --require-files is given.
    private static int Check(CommandArguments a)
    {
        var requireFiles = a.Flag("require-files");
        a.RejectUnknown();
        if (a.Positional.Count != 2) throw new CommandLineException("usage: models check CARD|DIR [--require-files]");
        var target = a.Positional[1];
        string[] cards;
        if (Directory.Exists(target))
            cards = Directory.EnumerateFiles(target, ModelCardReader.FilePattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        else if (File.Exists(target))
            cards = [target];
        else
            throw new CommandLineException($"'{target}' is neither a card file nor a folder of cards");
        int ok = 0, mismatched = 0, absent = 0;
        foreach (var path in cards)
        {
            try
            {
                var options = Options();
                var read = ModelCardReader.Read(path, options.PathVariables);
                if (!options.Runtimes.Contains(read.Runtime))
                {
                    // A card whose runtime this process does not host (TorchSharp heads are loaded by the
                    // modality that trained them): the file can still be checked against its sha256.
                    if (!File.Exists(read.ModelPath)) throw new ModelFileMissingException(read.CardPath, read.ModelPath, "see the card's provenance");
                    ModelVerifier.VerifyChecksum(read, ModelFileHash.Sha256OfFile(read.ModelPath));
                    Console.WriteLine($"OK: {path}: the model file matches its card's sha256 (runtime {read.Runtime}, loaded by its modality; signature not checked here).");
                    ok++;
                    continue;
                }
                var card = ModelCatalog.Check(path, options);
                Console.WriteLine($"OK: {path}: the model file matches its card (sha256, runtime {card.Runtime}, inputs, outputs).");
                Print(card);
                ok++;
            }
            catch (ModelFileMissingException e)
            {
                Console.Error.WriteLine($"ABSENT: {e.Message}");
                absent++;
            }
            // An unreadable card or model file is bad input: it ends, like every input error,
            // in Program's one line with exit 2.
            catch (ModelCardMismatchException e)
            {
                Console.Error.WriteLine($"MISMATCH: {e.Message}");
                mismatched++;
            }
        }
        if (cards.Length > 1) Console.WriteLine($"{ok} ok, {mismatched} mismatched, {absent} absent.");
        return mismatched > 0 || (requireFiles && absent > 0) || cards.Length == 0 ? 1 : 0;
    }

    private static void Print(ModelCard card)
    {
        Console.WriteLine($"  {card.Id}@{card.Version}  {card.Task}  ({card.Runtime}){(card.NotForClinicalUse ? "  [NOT FOR CLINICAL USE]" : "")}");
        Console.WriteLine($"    file    {card.ModelPath}");
        Console.WriteLine($"    sha256  {card.Sha256}");
        foreach (var t in card.Inputs) Console.WriteLine($"    in      {t}");
        foreach (var t in card.Outputs) Console.WriteLine($"    out     {t}");
        foreach (var st in card.Stages) Console.WriteLine($"    stage   {st} sha256 {st.Sha256[..12]}");
        Console.WriteLine($"    source  {card.Origin?.Source} ({card.Origin?.Licence})");
    }

    // VIGIL_HOME is set by ./vigil; otherwise the current folder is taken as the repository root.
    private static string Home() => RepositoryPaths.Root;

    private static bool RuntimeNotHosted(string cardPath)
    {
        try
        {
            var card = ModelCardReader.Read(cardPath, Options().PathVariables);
            return !Options().Runtimes.Contains(card.Runtime);
        }
        catch (ModelCardException) { return false; }
    }

    private static ModelCatalogOptions Options()
    {
        var shared = RepositoryPaths.Shared;
        return new ModelCatalogOptions { PathVariables = new Dictionary<string, string> { ["VIGIL_SHARED"] = shared } };
    }
}
