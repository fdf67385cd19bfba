using System.Text;
using Vigil.Ppg.Evaluation;
using Vigil.Ppg.Synthetic;
using Vigil.Ppg.Tracking;

namespace Vigil.Ppg.Tests;

public sealed class PpgRefinementModelTests
{
    private static byte[] Tiny(float bias, float w0)
    {
        // 16 → 2 (ReLU) → 1: hidden = relu(w0·z0), out = hidden0 + bias, z standardised with mean 0, std 1.
        var mean = new float[RefinementFeatures.Count];
        var std = Enumerable.Repeat(1f, RefinementFeatures.Count).ToArray();
        var w1 = new float[2 * RefinementFeatures.Count];
        w1[0] = w0;
        return PpgRefinementModel.Serialize(mean, std, [(w1, new float[2]), (new float[] { 1, 0 }, new[] { bias })]);
    }

    [Fact]
    public void Probability_TinyNetwork_MatchesHandComputation()
    {
        var model = PpgRefinementModel.Parse(Tiny(-1, 2), "tiny", "tiny");
        var x = new float[RefinementFeatures.Count];
        x[0] = 0.75f;                       // relu(2 × 0.75) − 1 = 0.5
        var p = model.Probability(x, new float[2 * model.MaxWidth]);
        Assert.Equal(1 / (1 + Math.Exp(-0.5)), p, 6);
        x[0] = -3;                          // relu(−6) − 1 = −1
        Assert.Equal(1 / (1 + Math.Exp(1)), model.Probability(x, new float[2 * model.MaxWidth]), 6);
    }

    [Theory]
    [InlineData("{}", "malformed")]
    [InlineData("{\"format\":\"other/1\",\"mean\":[],\"std\":[],\"layers\":[]}", "format")]
    [InlineData("not json", "malformed")]
    public void Parse_BadWeights_OneLineNamingTheSource(string json, string expected)
    {
        var e = Assert.Throws<PpgInputException>(() => PpgRefinementModel.Parse(Encoding.UTF8.GetBytes(json), "x", "weights.json"));
        Assert.Contains("weights.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parse_WrongShapes_Refused()
    {
        var mean = new float[RefinementFeatures.Count];
        var std = Enumerable.Repeat(1f, RefinementFeatures.Count).ToArray();
        var bytes = PpgRefinementModel.Serialize(mean, std, [(new float[5], new float[2])]);
        var e = Assert.Throws<PpgInputException>(() => PpgRefinementModel.Parse(bytes, "x", "w.json"));
        Assert.Contains("layer 1", e.Message);
    }

    [Fact]
    public void Load_TamperedWeights_RefusedWithSha256()
    {
        var card = Path.Combine(SharedRepo.Root, "models", "ppg-refinement.card.json");
        Assert.True(File.Exists(card), $"the shipped refinement card {card} is missing");
        var dir = Directory.CreateTempSubdirectory("ppg-card-").FullName;
        try
        {
            foreach (var f in Directory.GetFiles(Path.GetDirectoryName(card)!, "ppg-refinement.*")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
            var copy = Path.Combine(dir, "ppg-refinement.card.json");
            var model = PpgRefinementModel.Load(copy);
            Assert.Contains("ppg-refinement@", model.Provenance);
            File.AppendAllText(Path.Combine(dir, "ppg-refinement.weights.json"), " ");
            var e = Assert.Throws<PpgInputException>(() => PpgRefinementModel.Load(copy));
            Assert.Contains("sha256", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Tracker_WithShippedRefinement_WithholdsInsteadOfReportingWrong()
    {
        var model = PpgRefinementModel.Load(Path.Combine(SharedRepo.Root, "models", "ppg-refinement.card.json"));
        var scores = StressScenario.Suite(perCase: 1, firstSeed: 201, seconds: 200).Select(s =>
        {
            var g = StressGenerator.Generate(s);
            var refined = PpgEvaluator.Score(s.Name, PpgEvaluator.RunDirect(g.Recording, PpgTrackerOptions.Default with { Refinement = model }), g.Truth);
            var plain = PpgEvaluator.Score(s.Name, PpgEvaluator.RunDirect(g.Recording), g.Truth);
            return (refined, plain);
        }).ToList();
        // Same estimates (the refinement grades, it does not move the rate) ...
        Assert.All(scores, s => Assert.Equal(s.plain.MaeBpm, s.refined.MaeBpm, 9));
        // ... and the windows it still reports are more accurate than all windows.
        var reported = scores.Average(s => s.refined.MaeReportedBpm ?? 0);
        var all = scores.Average(s => s.refined.MaeBpm);
        Assert.True(reported < all, $"reported-window MAE {reported:0.00} not below all-window MAE {all:0.00}");
        Assert.True(scores.Average(s => s.refined.Coverage) > 0.8);
        Assert.All(scores.SelectMany(s => s.refined.Scored), w => Assert.Contains("refinement=ppg-refinement@", w.Result.Provenance));
    }
}

/// <summary>The repository root (models/ lives there).</summary>
internal static class SharedRepo
{
    public static string Root => Vigil.Tests.Common.SharedData.RepositoryRoot;
}
