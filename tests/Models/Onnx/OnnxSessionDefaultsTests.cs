using Vigil.Models.Onnx;
using Vigil.Models.OnnxBuilder;
using Vigil.Models.Tensors;

namespace Vigil.Models.Tests.Onnx;

/// <summary>The session defaults Vigil chooses for a shared clinical server (docs/models.md), and that each setting reaches ORT and runs.</summary>
public sealed class OnnxSessionDefaultsTests
{
    [Fact]
    public void Defaults_NoSpinning_ArenaAndMemoryPatternOn_AllOptimisations_RejectNonFinite()
    {
        var o = new OnnxSessionOptions();
        Assert.False(o.AllowSpinning);
        Assert.True(o.EnableCpuMemArena);
        Assert.True(o.EnableMemoryPattern);
        Assert.False(o.ParallelExecution);
        Assert.Equal(OnnxGraphOptimizationLevel.All, o.GraphOptimizationLevel);
        Assert.True(o.RejectNonFiniteInputs);
    }

    [Theory]
    [InlineData(false, true, true, false)]
    [InlineData(true, false, false, false)]
    [InlineData(false, true, true, true)]    // memory pattern is turned off for parallel execution
    public void EverySettingCombination_LoadsAndGivesTheDefaultSessionsOutputs(bool spinning, bool arena, bool pattern, bool parallel)
    {
        var bytes = new SmallCnn().ToOnnx();
        var pixels = new float[SmallCnn.InputChannels * SmallCnn.Size * SmallCnn.Size];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (i % 17) / 17f;
        using var input = DenseTensor<float>.Wrap(pixels, 1, SmallCnn.InputChannels, SmallCnn.Size, SmallCnn.Size);
        using var reference = OnnxSession.Load(bytes, "small-cnn", new OnnxSessionOptions { IntraOpThreads = 1 });
        using var session = OnnxSession.Load(bytes, "small-cnn", new OnnxSessionOptions
        {
            IntraOpThreads = 2,
            InterOpThreads = parallel ? 2 : 0,
            AllowSpinning = spinning,
            EnableCpuMemArena = arena,
            EnableMemoryPattern = pattern,
            ParallelExecution = parallel,
        });
        var name = reference.Inputs[0].Name;
        using var expected = reference.Run(name, input);
        using var actual = session.Run(name, input);
        var output = reference.Outputs[0].Name;
        var e = expected.Get<float>(output).ToArray();
        var a = actual.Get<float>(output).ToArray();
        Assert.Equal(SmallCnn.Classes, e.Length);
        for (var k = 0; k < e.Length; k++) Assert.Equal(e[k], a[k], 1e-5f);
    }

    [Fact]
    public void ExplicitSpinningConfigEntry_TakesPrecedenceOverAllowSpinning()
    {
        // The same key given twice to ORT would be refused; the explicit entry wins and the session loads.
        var bytes = new SmallCnn().ToOnnx();
        using var session = OnnxSession.Load(bytes, "small-cnn", new OnnxSessionOptions
        {
            IntraOpThreads = 2,
            ConfigEntries = new Dictionary<string, string> { ["session.intra_op.allow_spinning"] = "1" },
        });
        Assert.Equal("small-cnn", session.ModelId);
    }
}
