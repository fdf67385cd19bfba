using Vigil.Models.Onnx;
using Vigil.Models.Tensors;
using Vigil.Tests.Common;
using Vigil.Video.Backbone;

namespace Vigil.Video.Tests;

public sealed class AttentionTapTests
{
    private static string VitTrack => SharedData.Require("assets/models/vittrack_2023sep.onnx");

    [Fact]
    public void Edit_VitTrack_MapsAreDistributionsEqualToSoftmaxOfTheLogits()
    {
        var (model, taps, logits) = AttentionTap.Edit(File.ReadAllBytes(VitTrack), exposeLogits: true);
        Assert.Equal(3, taps.Count);
        using var session = OnnxSession.Load(model, "vittrack-tapped");
        var random = new Random(7);
        var template = DenseTensor<float>.Wrap(Enumerable.Range(0, 3 * 128 * 128).Select(_ => (float)random.NextDouble()).ToArray(), 1, 3, 128, 128);
        var search = DenseTensor<float>.Wrap(Enumerable.Range(0, 3 * 256 * 256).Select(_ => (float)random.NextDouble()).ToArray(), 1, 3, 256, 256);
        using var result = session.Run(new Dictionary<string, Tensor> { ["template"] = template, ["search"] = search }, [.. taps, .. logits]);
        for (var b = 0; b < taps.Count; b++)
        {
            var map = result.Get<float>(taps[b]).ToArray();
            var logit = result.Get<float>(logits[b]).ToArray();
            Assert.Equal(320 * 320, map.Length);
            for (var row = 0; row < 320; row++)
            {
                var p = map.AsSpan(row * 320, 320);
                var z = logit.AsSpan(row * 320, 320);
                var max = float.NegativeInfinity;
                foreach (var v in z) max = MathF.Max(max, v);
                double sum = 0;
                foreach (var v in z) sum += Math.Exp(v - max);
                double rowSum = 0;
                for (var k = 0; k < 320; k++)
                {
                    rowSum += p[k];
                    Assert.Equal(Math.Exp(z[k] - max) / sum, p[k], 1e-6);
                }
                Assert.Equal(1.0, rowSum, 4);
            }
        }
    }

    [Fact]
    public void Edit_KeepsTheModelsOwnOutputs()
    {
        var bytes = File.ReadAllBytes(VitTrack);
        using var plain = OnnxSession.Load(bytes, "vittrack");
        var (model, taps, _) = AttentionTap.Edit(bytes);
        using var tapped = OnnxSession.Load(model, "vittrack-tapped");
        Assert.Equal(plain.Outputs.Select(o => o.Name).Concat(taps), tapped.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void Edit_BlocksNamed_TapsOnlyThose()
    {
        var (_, all, _) = AttentionTap.Edit(File.ReadAllBytes(VitTrack));
        var (_, one, _) = AttentionTap.Edit(File.ReadAllBytes(VitTrack), [all[^1]]);
        Assert.Equal([all[^1]], one);
    }

    [Fact]
    public void Edit_NotAModel_IsAClearError()
    {
        var e = Assert.ThrowsAny<InvalidDataException>(() => AttentionTap.Edit(new byte[] { 0x08, 0x07, 0x12 }));
        Assert.Contains("protobuf", e.Message);
    }

    [Fact]
    public void LoadOrEdit_SecondLoad_ComesFromTheCacheBySha256()
    {
        var cache = Path.Combine(Path.GetTempPath(), "vigil-video-tap-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = AttentionTap.LoadOrEdit(VitTrack, cache);
            var second = AttentionTap.LoadOrEdit(VitTrack, cache);
            Assert.False(first.FromCache);
            Assert.True(second.FromCache);
            Assert.Equal(first.AttentionOutputs, second.AttentionOutputs);
            Assert.Contains(first.SourceSha256, Path.GetFileName(second.TappedPath));
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }
}
