using Vigil.Ppg.Numerics;

namespace Vigil.Ppg.Tests;

public sealed class RadixTwoFftTests
{
    [Fact]
    public void Forward_RandomSignal_MatchesNaiveDft()
    {
        var rng = new Random(5);
        const int n = 64;
        var re = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var im = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var (r0, i0) = ((double[])re.Clone(), (double[])im.Clone());
        new RadixTwoFft(n).Forward(re, im);
        for (var k = 0; k < n; k++)
        {
            double sr = 0, si = 0;
            for (var t = 0; t < n; t++)
            {
                var a = -2 * Math.PI * k * t / n;
                sr += r0[t] * Math.Cos(a) - i0[t] * Math.Sin(a);
                si += r0[t] * Math.Sin(a) + i0[t] * Math.Cos(a);
            }
            Assert.Equal(sr, re[k], 9);
            Assert.Equal(si, im[k], 9);
        }
    }

    [Fact]
    public void Constructor_NotPowerOfTwo_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RadixTwoFft(1000));
}
