using System.Globalization;
using Vigil.BoneAge.Reporting;
using Vigil.BoneAge.Scoring;

namespace Vigil.BoneAge.Demo;

/// <summary>
/// What <c>vigil demo</c> shows of bone age: two real RSNA hand radiographs from the shared assets
/// scored with the demonstration model (NOT a clinical model), the rows printed.
/// </summary>
public static class BoneAgeDemo
{
    /// <summary>
    /// Scores two images into a temporary folder and prints the rows to <paramref name="output"/>.
    /// <paramref name="repositoryRoot"/> holds models/boneage-demo; <paramref name="sharedRoot"/> the shared assets.
    /// Returns 0 on success, 1 when something was missing (the reason is printed).
    /// </summary>
    public static async Task<int> RunAsync(TextWriter output, string repositoryRoot, string sharedRoot, CancellationToken cancellation = default)
    {
        var card = Path.Combine(repositoryRoot, "models", "boneage-demo", "boneage-demo.card.json");
        var images = new[] { "rsna_1381_preprocessed_by_repo.png", "rsna_2182.png" }
            .Select(f => Path.Combine(sharedRoot, "assets", "radiographs", f)).ToArray();
        var missing = images.Where(f => !File.Exists(f)).Append(card).Where(f => !File.Exists(f)).ToArray();
        if (missing.Length > 0)
        {
            await output.WriteLineAsync($"boneage demo: missing {string.Join(", ", missing)} (shared assets beside the repository?)");
            return 1;
        }
        var work = Directory.CreateTempSubdirectory("vigil-boneage-demo-").FullName;
        try
        {
            var manifest = Path.Combine(work, "manifest.csv");
            // Chronological ages chosen for the demonstration; sexes are the RSNA labels.
            await File.WriteAllLinesAsync(manifest, ["image,sex,age_months", "rsna_1381_preprocessed_by_repo.png,F,80", "rsna_2182.png,F,72"], cancellation);
            await using var model = BoneAgeModel.Open(card, maxBatchSize: 4, sharedRoot);
            var summary = await new BoneAgeScorer(model, new ScoreOptions
            {
                Inputs = images, Manifest = Manifest.Read(manifest), OutputDirectory = Path.Combine(work, "out"), WriteObservations = true,
            }).RunAsync(cancellation);
            await output.WriteLineAsync($"boneage demo: model {summary.Model} — NOT FOR CLINICAL USE (demonstration function of mean brightness)");
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
