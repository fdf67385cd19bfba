using OpenCvSharp;
using Vigil.Video.Backbone;

namespace Vigil.Video.Tests;

/// <summary>
/// The ImageNet ResNet18 (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0, downloaded by
/// Vigil.Video's PackageDownload) as the CNN backbone option: its stage-3 map exposed by the
/// tap's ONNX edit, feature energy as the heat map and the attention rows.
/// </summary>
public sealed class ResNet18BackboneTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-resnet-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ResNet18
    {
        get
        {
            var path = CnnEnergyBackbone.ResNet18DefaultPath;
            Assert.True(File.Exists(path), $"{path} is missing: `dotnet restore src/Video/Vigil.Video.csproj` downloads it (PackageDownload)");
            return path;
        }
    }

    // Grey frame with a black-and-white checkerboard (an object with edges) in one quadrant.
    private static Mat Checkerboard(int quadrantRow, int quadrantColumn)
    {
        var m = new Mat(224, 224, MatType.CV_8UC3, Scalar.All(128));
        for (var y = 0; y < 112; y += 8)
            for (var x = 0; x < 112; x += 8)
                m[new Rect(quadrantColumn * 112 + x, quadrantRow * 112 + y, 8, 8)].SetTo(Scalar.All((x + y) / 8 % 2 == 0 ? 255 : 0));
        return m;
    }

    [Fact]
    public void Load_ByFile_IsTheCnnOptionWithItsStage3Exposed()
    {
        using var backbone = Backbones.Load(ResNet18, _dir);
        var cnn = Assert.IsType<CnnEnergyBackbone>(backbone);
        Assert.Equal(CnnEnergyBackbone.ResNet18Sha256, cnn.Model.SourceSha256);
        Assert.Equal([CnnEnergyBackbone.ResNet18Stage3], cnn.Model.AttentionOutputs);
        Assert.Equal("resnet18-imagenet", cnn.Spec.Name);
        using var again = Backbones.Load(ResNet18, _dir);
        Assert.True(again.Model.FromCache);
        Assert.Equal(CnnEnergyBackbone.ResNet18DefaultPath, Backbones.Resolve("resnet18", "unused"));
        Assert.Equal(CnnEnergyBackbone.ResNet18DefaultPath, Backbones.Resolve("resnet18-imagenet", "unused"));
    }

    [Fact]
    public void Run_PooledHidden_IsStage3AveragedOverLocationsAndGroupsOf8Channels()
    {
        using var backbone = Backbones.Load(ResNet18, _dir);
        using var frame = Checkerboard(1, 0);
        var hidden = backbone.Run(frame, 0, TimeSpan.Zero).Hidden;
        // By hand: the edited model's stage-3 map [1,256,14,14] run by ONNX Runtime, channel means, then 32 groups of 8.
        using var session = Vigil.Models.Onnx.OnnxSession.Load(backbone.Model.TappedPath, new Vigil.Models.Onnx.OnnxSessionOptions { ModelId = "by-hand" });
        using var result = session.Run([new Vigil.Models.Onnx.NamedTensor("Input247", backbone.Spec.Preprocess(frame, 224))], [CnnEnergyBackbone.ResNet18Stage3]);
        var map = result.Get<float>(CnnEnergyBackbone.ResNet18Stage3).ToArray();
        Assert.Equal(256 * 196, map.Length);
        Assert.Equal(32, hidden.Length);
        for (var g = 0; g < 32; g++)
        {
            double sum = 0;
            for (var c = 8 * g; c < 8 * g + 8; c++)
                for (var k = 0; k < 196; k++) sum += map[c * 196 + k];
            Assert.Equal(sum / (8 * 196), hidden[g], 1e-4);
        }
        Assert.Contains(hidden, v => v > 0);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    public void Run_ObjectInOneQuadrant_EnergyIsADistributionConcentratedThere(int row, int column)
    {
        using var backbone = CnnEnergyBackbone.LoadResNet18(ResNet18, _dir);
        using var frame = Checkerboard(row, column);
        var a = backbone.Run(frame, 3, TimeSpan.FromSeconds(1));
        Assert.Equal(196, a.Heat.Length);
        Assert.Equal(1.0, a.Heat.Sum(v => (double)v), 1e-4);
        Assert.All(a.Heat, v => Assert.True(v >= 0));
        // Every attention row is the energy: row-stochastic, as AM flow needs.
        for (var q = 0; q < 196; q += 39) Assert.Equal(a.Heat, a.Attention.AsSpan(q * 196, 196).ToArray());
        var quadrants = new double[2, 2];
        for (var k = 0; k < 196; k++) quadrants[k / 14 / 7, k % 14 / 7] += a.Heat[k];
        Assert.True(quadrants[row, column] > 0.4, $"energy in the object's quadrant {quadrants[row, column]:0.000}");
        foreach (var (r, c) in new[] { (0, 0), (0, 1), (1, 0), (1, 1) })
            if ((r, c) != (row, column)) Assert.True(quadrants[row, column] > quadrants[r, c], $"quadrant ({r},{c}) {quadrants[r, c]:0.000} ≥ object's {quadrants[row, column]:0.000}");
    }

    [Fact]
    public void Energy_EngineeredMap_IsSumOfSquaresOverChannelsNormalised()
    {
        // 2 channels × 3 locations: energies 1+0, 4+4, 0+9 → 1/18, 8/18, 9/18.
        float[] map = [1, 2, 0, 0, 2, 3];
        var heat = new float[3];
        CnnEnergyBackbone.Energy(map, 3, heat, "t");
        float[] expected = [1f / 18, 8f / 18, 9f / 18];
        for (var k = 0; k < 3; k++) Assert.Equal(expected[k], heat[k], 1e-6);
        CnnEnergyBackbone.Energy(new float[6], 3, heat, "t");
        Assert.All(heat, v => Assert.Equal(1f / 3, v, 1e-6));
        Assert.Contains("NaN", Assert.Throws<InvalidDataException>(() => CnnEnergyBackbone.Energy([float.NaN, 1, 1], 3, heat, "t")).Message);
        Assert.Contains("not a multiple of 3", Assert.Throws<InvalidDataException>(() => CnnEnergyBackbone.Energy([1, 1], 3, heat, "t")).Message);
    }

    [Fact]
    public void ExposeValues_UnknownValue_NamesIt()
    {
        var bytes = File.ReadAllBytes(ResNet18);
        var e = Assert.Throws<InvalidDataException>(() => AttentionTap.ExposeValues(bytes, ["ReLU347_Output_0", "no_such_value"]));
        Assert.Equal("no node produces no_such_value", e.Message);
    }

    [Fact]
    public void LoadResNet18_AnotherFile_RefusedBySha256()
    {
        var other = Path.Combine(_dir, "ResNet18.onnx");
        File.WriteAllBytes(other, [1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => CnnEnergyBackbone.LoadResNet18(other, _dir));
        Assert.Contains("not the ResNet18 of the 0.24.0 package", e.Message);
    }
}
