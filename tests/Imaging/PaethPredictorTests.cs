using Vigil.Imaging.Decoding;

namespace Vigil.Imaging.Tests;

public sealed class PaethPredictorTests
{
    [Fact]
    public void PaethPredictor_EveryByteTriple_MatchesTheSpecDefinition()
    {
        // The branch-free predictor against PNG spec 9.4 written out literally, over all 2^24 inputs.
        for (var a = 0; a < 256; a++)
            for (var b = 0; b < 256; b++)
                for (var c = 0; c < 256; c++)
                {
                    int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
                    var expected = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    if (PngFilters.PaethPredictor(a, b, c) != expected)
                        Assert.Fail($"Paeth({a}, {b}, {c}) = {PngFilters.PaethPredictor(a, b, c)}, spec says {expected}");
                }
    }
}
