using System.Globalization;
using Akka.Streams;
using Vigil.BoneAge.Reporting;
using Vigil.BoneAge.Scoring;

namespace Vigil.BoneAge.Demo;

/// <summary>
/// What <c>vigil demo</c> shows of bone age: first, with the shared assets present, the shipped
/// trained model's estimates of the bundled labelled radiographs beside their labels
/// (<see cref="TrainedModelDemo"/>); then the streaming scorer (report rows, FHIR) on two hand images
/// with the demonstration model (NOT a clinical model, committed in models/boneage-demo). The images
/// are two real RSNA radiographs from the shared assets when they are there; from a plain clone
/// without ../shared, two generated stand-ins (<see cref="SyntheticRadiograph"/>), and the output says which.
/// </summary>
public static class BoneAgeDemo
{
    /// <summary>
    /// Scores two images into a temporary folder and prints the rows to <paramref name="output"/>.
    /// <paramref name="repositoryRoot"/> holds models/boneage-demo; <paramref name="sharedRoot"/> the shared assets.
    /// Returns 0 on success, 1 when the committed model card is missing or an image failed (the reason is printed).
    /// </summary>
    public static async Task<int> RunAsync(TextWriter output, string repositoryRoot, string sharedRoot, CancellationToken cancellation = default,
        IMaterializer? materializer = null)
    {
        var card = Path.Combine(repositoryRoot, "models", "boneage-demo", "boneage-demo.card.json");
        if (!File.Exists(card))
        {
            await output.WriteLineAsync($"boneage demo: missing {card} (the repository's committed demonstration model)");
            return 1;
        }
        string[] names = ["rsna_1381_preprocessed_by_repo.png", "rsna_2182.png"];
        var images = names.Select(f => Path.Combine(sharedRoot, "assets", "radiographs", f)).ToArray();
        var work = Directory.CreateTempSubdirectory("vigil-boneage-demo-").FullName;
        try
        {
            var radiographs = Path.Combine(sharedRoot, "assets", "radiographs");
            if (File.Exists(Path.Combine(radiographs, "labels.csv")))
                await TrainedModelDemo.RunAsync(output, repositoryRoot, radiographs, cancellation);
            else
                await output.WriteLineAsync($"boneage demo: the trained model's estimates need the shared labelled radiographs ({radiographs} is absent); showing the streaming scorer on generated stand-ins only.");
            if (images.All(File.Exists))
                await output.WriteLineAsync($"boneage demo: streaming scorer on two real RSNA hand radiographs from {radiographs}");
            else
            {
                // A plain clone has no ../shared: generate stand-ins so the pipeline still runs end to end.
                names = ["synthetic_hand_1.png", "synthetic_hand_2.png"];
                images = names.Select(f => Path.Combine(work, f)).ToArray();
                SyntheticRadiograph.WritePng(images[0], 384, 512, brightness: 0.55, seed: 1);
                SyntheticRadiograph.WritePng(images[1], 384, 512, brightness: 0.8, seed: 2);
                await output.WriteLineAsync($"boneage demo: images: two GENERATED hand-shaped stand-ins (not radiographs; the shared RSNA images are not at {sharedRoot})");
            }
            var manifest = Path.Combine(work, "manifest.csv");
            // Chronological ages chosen for the demonstration; sexes are the RSNA labels.
            await File.WriteAllLinesAsync(manifest, ["image,sex,age_months", $"{names[0]},F,80", $"{names[1]},F,72"], cancellation);
            await using var model = BoneAgeModel.Open(card, maxBatchSize: 4, sharedRoot);
            var summary = await new BoneAgeScorer(model, new ScoreOptions
            {
                Inputs = images, Manifest = Manifest.Read(manifest), OutputDirectory = Path.Combine(work, "out"), WriteObservations = true,
            }, materializer).RunAsync(cancellation);
            await output.WriteLineAsync($"boneage demo: scorer model {summary.Model} — NOT FOR CLINICAL USE (demonstration function of mean brightness, shows the pipeline: report rows, z-scores, FHIR)");
            foreach (var line in File.ReadLines(summary.Report).Skip(1))
            {
                var f = Csv.Split(line);
                var c = ReportRow.Columns;
                string Get(string name) => f[Array.IndexOf(c, name)];
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {Path.GetFileName(Get("image"))}: {Get("status")} bone age {Get("bone_age_months")} mo, chronological {Get("chronological_age_months")} mo, z {Get("z_score")} {Get("flag")} [{Get("clinical_use")}] sha256 {Get("sha256")[..12]}"));
            }
            return summary.Failed == 0 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
