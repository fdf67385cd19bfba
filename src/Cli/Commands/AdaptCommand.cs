using System.Globalization;
using System.Text.Json;
using Vigil.Infrared.Training.ActionUnits;
using Vigil.Models.Training.Adaptation;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil adapt digits|--source ... --target ... --out CARD</c>: adversarial discriminative domain
/// adaptation (ADDA). <c>digits</c> runs the paper's MNIST → USPS benchmark over seeds; the generic
/// form adapts a classifier from a labelled source folder to an unlabelled target folder.
/// </summary>
internal static class AdaptCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine("usage: vigil adapt digits [--data DIR] [--seeds 3] [--seed 1] [--steps 1500] [--source-steps 800] [--json]");
            Console.Error.WriteLine("       vigil adapt --source DIR --target DIR --out CARD [--size PX] [--seed N] [--steps N] [--source-steps N]");
            Console.Error.WriteLine("       vigil adapt au [--out CARD] [--size PX] [--seed N] [--steps N] [--source-steps N] [--json]");
            Console.Error.WriteLine("  DIR for --source: one subfolder per class (its name is the label) holding images; --target: images in any subfolders (no labels).");
            return Task.FromResult(args.Length == 0 ? 2 : 0);
        }
        return Task.FromResult(args[0] switch
        {
            "digits" => Digits(new CommandArguments(args[1..], "json")),
            "au" => ActionUnits(new CommandArguments(args[1..], "json"), args),
            _ => Generic(new CommandArguments(args), args),
        });
    }

    // Digits defaults: 800 source + 1,500 adversarial steps, the run that meets the floor in about
    // 20 minutes per seed on the loaded 2-core box (4,000 steps took about 50 minutes per seed there; docs/infrared.md).
    private const int DigitsSourceSteps = 800;
    private const int DigitsAdversarialSteps = 1500;

    private static AddaOptions Options(CommandArguments a, int defaultSourceSteps, int defaultSteps = 4000) => new()
    {
        SourceSteps = a.GetInt("source-steps", defaultSourceSteps),
        AdversarialSteps = a.GetInt("steps", defaultSteps),
        BatchSize = a.GetInt("batch", 128),
        ReportEvery = 100,
    };

    private static int Digits(CommandArguments a)
    {
        var data = a.Get("data") ?? Path.Combine(RepositoryPaths.Shared, "data", "digits");
        var seeds = a.GetInt("seeds", 3);
        var first = a.GetInt("seed", 1);
        var options = Options(a, DigitsSourceSteps, DigitsAdversarialSteps);
        var json = a.Flag("json");
        a.RejectUnknown();
        if (a.Positional.Count > 0) throw new CommandLineException($"unexpected argument '{a.Positional[0]}'");
        if (seeds < 1) throw new CommandLineException("--seeds must be at least 1");
        TorchSharp.torch.set_num_threads(1);
        var digits = DigitsData.Load(data);
        var results = new List<DigitsSeedResult>();
        for (var s = first; s < first + seeds; s++)
        {
            var seed = s;
            var progress = new Progress(p => Console.Error.WriteLine($"seed {seed}: {p}"));
            var r = DigitsBenchmark.RunSeed(digits, seed, options, progress);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seed {seed}: source-only {r.SourceOnlyAccuracy:0.0000}  ADDA {r.AddaAccuracy:0.0000}  ({r.Seconds:0} s)"));
            results.Add(r);
        }
        double Mean(Func<DigitsSeedResult, double> f) => Math.Round(results.Average(f), 4);
        var summary = new
        {
            benchmark = "mnist to usps",
            protocol = $"{DigitsBenchmark.SourceImages} MNIST (labelled) to {DigitsBenchmark.TargetImages} USPS train (unlabelled), LeNet, accuracy on {digits.UspsTestCount} USPS test images",
            source_steps = options.SourceSteps,
            adversarial_steps = options.AdversarialSteps,
            batch = options.BatchSize,
            source_only_accuracy = Mean(r => r.SourceOnlyAccuracy),
            adda_accuracy = Mean(r => r.AddaAccuracy),
            gain = Mean(r => r.AddaAccuracy - r.SourceOnlyAccuracy),
            seeds = results.Select(r => new
            {
                seed = r.Seed,
                source_only_accuracy = Math.Round(r.SourceOnlyAccuracy, 4),
                adda_accuracy = Math.Round(r.AddaAccuracy, 4),
                final_discriminator_accuracy = Math.Round(r.FinalDiscriminatorAccuracy, 3),
                seconds = Math.Round(r.Seconds, 1),
            }),
            paper = new { source_only_accuracy = 0.752, adda_accuracy = 0.894 },
        };
        Console.WriteLine(json
            ? JsonSerializer.Serialize(summary)
            : string.Create(CultureInfo.InvariantCulture, $"MNIST -> USPS over {results.Count} seeds: source-only {summary.source_only_accuracy:0.0000}, ADDA {summary.adda_accuracy:0.0000} (paper 0.752 -> 0.894)"));
        return 0;
    }

    private static int Generic(CommandArguments a, string[] all)
    {
        var options = Options(a, 1000);
        var run = new FolderAdaptationOptions
        {
            Source = a.Require("source"),
            Target = a.Require("target"),
            OutCard = a.Require("out"),
            ImageSize = a.GetInt("size", 28),
            Seed = a.GetInt("seed", 1),
            Adda = options,
            Command = "vigil adapt " + string.Join(' ', all),
        };
        a.RejectUnknown();
        if (a.Positional.Count > 0) throw new CommandLineException($"unexpected argument '{a.Positional[0]}'");
        TorchSharp.torch.set_num_threads(1);
        var result = FolderAdaptation.Run(run, new Progress(p => Console.Error.WriteLine(p.ToString())));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"adapted {result.Classes.Count} classes ({result.SourceImages} labelled source, {result.TargetImages} unlabelled target images); source accuracy through the source encoder {result.SourceAccuracy:0.000}; card {result.Card.CardPath}"));
        return 0;
    }

    private static int ActionUnits(CommandArguments a, string[] all)
    {
        var options = new AuStudentOptions
        {
            Shared = RepositoryPaths.Shared,
            LandmarkerCard = Path.Combine(RepositoryPaths.Root, "models", "face", "mediapipe-face-landmarker.card.json"),
            Mapping = Path.Combine(RepositoryPaths.Root, "models", "action-units", "blendshapes-to-facs.json"),
            OutCard = a.Get("out"),
            ImageSize = a.GetInt("size", 32),
            Adda = new AddaOptions
            {
                Seed = a.GetInt("seed", 1), BatchSize = a.GetInt("batch", 32),
                SourceSteps = a.GetInt("source-steps", 400), AdversarialSteps = a.GetInt("steps", 600), ReportEvery = 100,
            },
            Command = "vigil adapt " + string.Join(' ', all),
        };
        var json = a.Flag("json");
        a.RejectUnknown();
        if (a.Positional.Count > 0) throw new CommandLineException($"unexpected argument '{a.Positional[0]}'");
        TorchSharp.torch.set_num_threads(1);
        var r = AuStudentTraining.Run(options, Console.Error);
        static double? R(double v) => double.IsFinite(v) ? Math.Round(v, 4) : null;
        object Table(IReadOnlyList<AuAgreement> t) => new
        {
            mean_mae = R(t.Average(x => x.Mae)),
            mean_pearson = R(t.Where(x => double.IsFinite(x.Pearson)).Select(x => x.Pearson).DefaultIfEmpty(double.NaN).Average()),
            per_au = t.Select(x => new { au = x.Au, mae = R(x.Mae), pearson = R(x.Pearson), teacher_mean = R(x.TeacherMean), teacher_std = R(x.TeacherStd) }),
        };
        var summary = new
        {
            not_for_clinical_use = true,
            source_images = r.SourceImages,
            target_images = r.TargetImages,
            pairs = r.Pairs,
            skipped_pairs = r.SkippedPairs,
            constant_mae = R(r.ConstantMae),
            constant = r.Constant is null ? null : Table(r.Constant),
            aus_where_adda_beats_constant = r.Constant is null ? null : r.AddaThermal.Zip(r.Constant).Where(p => p.Item1.Mae < p.Item2.Mae).Select(p => p.Item1.Au).ToArray(),
            source_only_on_visible = Table(r.SourceOnlyVisible),
            source_only_on_thermal = Table(r.SourceOnlyThermal),
            adda_on_thermal = Table(r.AddaThermal),
            final_discriminator_accuracy = R(r.FinalDiscriminatorAccuracy),
            card = r.Card?.CardPath,
        };
        Console.WriteLine(json
            ? JsonSerializer.Serialize(summary)
            : string.Create(CultureInfo.InvariantCulture,
                $"AU student on {r.Pairs} thermal/visible pairs (NOT FOR CLINICAL USE): mean MAE vs teacher: constant {r.ConstantMae:0.000}, source-only {r.SourceOnlyThermal.Average(x => x.Mae):0.000}, ADDA {r.AddaThermal.Average(x => x.Mae):0.000} (source-only on the visible crop {r.SourceOnlyVisible.Average(x => x.Mae):0.000})"));
        return 0;
    }

    // Reports synchronously on the training thread (System.Progress would post to the thread pool).
    private sealed class Progress(Action<AddaProgress> report) : IProgress<AddaProgress>
    {
        public void Report(AddaProgress value) => report(value);
    }
}
