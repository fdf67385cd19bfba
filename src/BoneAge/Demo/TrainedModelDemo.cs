using System.Globalization;
using Vigil.BoneAge.Training;

namespace Vigil.BoneAge.Demo;

/// <summary>
/// The part of <c>vigil demo</c> that shows the shipped trained model (models/boneage-resnet18) on
/// the labelled radiographs bundled in the shared assets (<c>assets/radiographs/labels.csv</c>):
/// every estimate with its 90 % interval beside the radiologists' reading, then their MAD. None of
/// these radiographs is in the training set (rsna-999).
/// </summary>
public static class TrainedModelDemo
{
    /// <summary>The shipped card, relative to the repository root.</summary>
    public static readonly string CardPath = Path.Combine("models", "boneage-resnet18", "boneage-resnet18.card.json");

    /// <summary>One bundled radiograph and its label.</summary>
    /// <param name="Image">Full path.</param>
    /// <param name="Male">Sex from the label file.</param>
    /// <param name="Months">The radiologists' bone age.</param>
    public sealed record LabelledImage(string Image, bool Male, double Months);

    /// <summary>
    /// The labelled radiographs of <paramref name="radiographs"/>/labels.csv (<c>file,...,boneage_months,male,...</c>)
    /// that are present, less the repository-preprocessed copy of an image already listed.
    /// </summary>
    /// <exception cref="InvalidDataException">The label file lacks a needed column or has a bad value; the message names the file and line.</exception>
    public static IReadOnlyList<LabelledImage> ReadLabels(string radiographs)
    {
        var path = Path.Combine(radiographs, "labels.csv");
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new InvalidDataException($"{path}: empty.");
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name) is >= 0 and var i ? i : throw new InvalidDataException($"{path}: no '{name}' column in '{lines[0]}'.");
        int file = Column("file"), months = Column("boneage_months"), male = Column("male");
        var result = new List<LabelledImage>();
        for (var l = 1; l < lines.Length; l++)
        {
            if (lines[l].Length == 0) continue;
            var f = lines[l].Split(',');
            if (f.Length < header.Length || !double.TryParse(f[months], NumberStyles.Float, CultureInfo.InvariantCulture, out var m) || !bool.TryParse(f[male], out var isMale))
                throw new InvalidDataException($"{path}:{l + 1}: expected a file name, boneage_months and male True/False, got '{lines[l]}'.");
            var image = Path.Combine(radiographs, f[file]);
            // The source repository's own preprocessing of an image listed beside it: the same radiograph.
            if (f[file].Contains("preprocessed", StringComparison.Ordinal) || !File.Exists(image)) continue;
            result.Add(new LabelledImage(image, isMale, m));
        }
        return result;
    }

    /// <summary>
    /// Scores the bundled labelled radiographs with the shipped model and prints one line each and the
    /// MAD. Returns false (with the reason printed) when the model or the backbone cannot be opened.
    /// </summary>
    public static async Task<bool> RunAsync(TextWriter output, string repositoryRoot, string radiographs, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var card = Path.Combine(repositoryRoot, CardPath);
        BoneAgeEstimator estimator;
        try
        {
            estimator = BoneAgeEstimator.Open(card);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or Vigil.Models.Cards.ModelCardException or TypeInitializationException or DllNotFoundException)
        {
            await output.WriteLineAsync($"boneage demo: the trained model cannot be opened, so no trained estimates are shown: {e.Message.Split('\n')[0]}");
            return false;
        }
        using (estimator)
        {
            var c = estimator.Card;
            await output.WriteLineAsync($"boneage demo: trained model {c} (sha256 {c.Sha256[..12]}, {string.Join('+', estimator.Sizes)} px) — RESEARCH MODEL, NOT FOR CLINICAL USE");
            await output.WriteLineAsync($"  validation: {BoneAgeEstimateReport.ValidationOf(c)}");
            var images = ReadLabels(radiographs);
            await output.WriteLineAsync($"  {images.Count} labelled radiographs from {radiographs}, none of them in the training set; label = the radiologists' bone age:");
            var differences = new List<double>();
            foreach (var item in images)
            {
                cancellation.ThrowIfCancellationRequested();
                var p = estimator.Estimate(item.Image, item.Male, item.Months);
                var name = Path.GetFileName(item.Image);
                var sex = item.Male ? "M" : "F";
                if (p.Withheld is { } reason)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"    {name,-24} {sex}  withheld ({reason})  label {item.Months:0} mo"));
                    continue;
                }
                differences.Add(p.Months - item.Months);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"    {name,-24} {sex}  estimate {p.Months,5:0.0} mo (90 % {p.Low:0}-{p.High:0})  label {item.Months,3:0} mo  difference {p.Months - item.Months,6:+0.0;-0.0}"));
            }
            if (differences.Count > 0)
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  MAD {differences.Average(Math.Abs):0.0} months on {differences.Count} radiographs (bias {differences.Average():+0.0;-0.0}); n = {differences.Count} is too few to compare with the CV figure precisely."));
            return true;
        }
    }
}
