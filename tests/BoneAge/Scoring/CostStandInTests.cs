using Vigil.BoneAge.Demo;
using Vigil.Imaging;
using Vigil.BoneAge.Scoring;

namespace Vigil.BoneAge.Tests.Scoring;

/// <summary>The m46-architecture throughput stand-in: the advertised cost, loadable, runnable, never taken for a bone-age model.</summary>
public sealed class CostStandInTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-m46-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void MultiplyAccumulates_M46At500x375_IsAbout3Point2Billion()
    {
        // Worked by hand: pooled sizes 500x375 → 249x187 → 124x93 → 61x46 → 30x22 → 14x10 → 6x4,
        // so the first dense layer sees 6·4·384 = 9216 features.
        Assert.Equal(3_199_351_168L, BoneAgeCostStandIn.MultiplyAccumulates);
    }

    [Fact]
    public async Task WriteCard_ModelLoadsAndRunsABatch_FiniteDeterministicOutputs()
    {
        var card = BoneAgeCostStandIn.WriteCard(_dir);
        await using var model = BoneAgeModel.Open(card, maxBatchSize: 2, inferenceThreads: 1);
        Assert.False(model.IsBoneAgeModel);
        Assert.True(model.Card.NotForClinicalUse);
        Assert.Equal((375, 500), (model.Preprocessing.Width, model.Preprocessing.Height));
        var rng = new Random(5);
        var input = Enumerable.Range(0, 500 * 375).Select(_ => (float)rng.NextDouble()).ToArray();
        var a = await model.PredictAsync("a", input, PatientSex.Female);
        var b = await model.PredictAsync("b", input, PatientSex.Female);
        Assert.True(double.IsFinite(a.Months));
        Assert.Equal(a.Months, b.Months);
        Assert.Equal(BoneAgeCostStandIn.Id, a.Provenance.ModelId);
    }

    [Fact]
    public void Build_TwiceWithTheSameSeed_SameBytes()
    {
        Assert.Equal(BoneAgeCostStandIn.Build(), BoneAgeCostStandIn.Build());
    }
}
