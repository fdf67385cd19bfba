using Vigil.Infrared.Blinks;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil ir blinks --input DIR --out F.csv</c>: blinks (AU45) per thermal-eye recording;
/// <c>--eval [--json]</c>: leave-one-subject-out precision/recall/F1 against the folder's labels;
/// <c>--alignment</c>: the label-clock study (fitted offsets next to the file-name clock rules).
/// </summary>
internal static class IrBlinksCommand
{
    public const string Usage = "blinks --input DIR (--out F.csv | --eval [--json] | --alignment)";

    public static Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "eval", "json", "alignment");
        var input = a.Require("input");
        var output = a.Get("out");
        var eval = a.Flag("eval");
        var json = a.Flag("json");
        var alignment = a.Flag("alignment");
        a.RejectUnknown();
        if (output is null && !eval && !alignment) throw new CommandLineException("give --out F.csv, --eval or --alignment");
        if (!Directory.Exists(input)) throw new CommandLineException($"--input {input}: no such folder");
        var recordings = ThermalEyeFolder.ReadAll(input);

        if (output is not null)
        {
            var results = recordings.Select(r => (r.Name, BlinkDetector.Detect(r.EyeFrames(), null, r.Name))).ToList();
            BlinkCsv.Write(output, results);
            Console.Error.WriteLine($"{results.Sum(r => r.Item2.Count)} blinks in {results.Count} recordings -> {output}");
        }
        if (alignment) Console.Write(AlignmentStudy.Format(AlignmentStudy.Run(recordings)));
        if (eval)
        {
            if (recordings.FirstOrDefault(r => r.Labels is null) is { } unlabelled)
                throw new CommandLineException($"--eval: {unlabelled.Name} has no .blinks.csv label file");
            var result = BlinkEvaluation.LeaveOneSubjectOut(recordings, progress: json ? null : Console.Error);
            if (!json)
            {
                // The shipped classifier (BlinkClassifier.Default) is this all-data fit; the LOSO figures above never see it.
                var fit = BlinkEvaluation.FitAll(recordings, new BlinkDetectorOptions());
                Console.Error.WriteLine($"all-data fit (for BlinkClassifier.Default): {LosoResult.Describe(fit.Options, fit.Classifier)}, training F1 {fit.TrainingCounts.F1:0.000}");
            }
            if (json) Console.WriteLine(result.ToJson());
            else
            {
                foreach (var r in result.Recordings)
                    Console.WriteLine($"{r.Name}: P {r.Counts.Precision:0.000} R {r.Counts.Recall:0.000} F1 {r.Counts.F1:0.000} ({r.Counts.TruePositives}/{r.Counts.FalsePositives}/{r.Counts.FalseNegatives})");
                foreach (var (g, c) in result.ByGroup) Console.WriteLine($"group {g}: P {c.Precision:0.000} R {c.Recall:0.000} F1 {c.F1:0.000}");
                var o = result.Overall;
                Console.WriteLine($"overall (LOSO, ±{result.ToleranceMs} ms): P {o.Precision:0.000} R {o.Recall:0.000} F1 {o.F1:0.000}");
            }
        }
        if (output is not null || eval) Console.Error.WriteLine("NOT FOR CLINICAL USE: research blink detector (thermal-eye recordings, 4 subjects).");
        return Task.FromResult(0);
    }
}
