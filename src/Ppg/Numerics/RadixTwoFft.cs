namespace Vigil.Ppg.Numerics;

/// <summary>
/// An in-place iterative radix-2 complex FFT of one fixed size, with its twiddle factors and
/// bit-reversal table computed once so that repeated transforms allocate nothing.
/// </summary>
internal sealed class RadixTwoFft
{
    private readonly int _size;
    private readonly double[] _cos;
    private readonly double[] _sin;
    private readonly int[] _bitReverse;

    /// <summary>Creates a transform of <paramref name="size"/> points (a power of two ≥ 2).</summary>
    public RadixTwoFft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two ≥ 2.");
        _size = size;
        _cos = new double[size / 2];
        _sin = new double[size / 2];
        for (var k = 0; k < size / 2; k++)
        {
            var angle = -2.0 * Math.PI * k / size;
            _cos[k] = Math.Cos(angle);
            _sin[k] = Math.Sin(angle);
        }
        _bitReverse = new int[size];
        var bits = System.Numerics.BitOperations.Log2((uint)size);
        for (var i = 0; i < size; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReverse[i] = r;
        }
    }

    /// <summary>Number of points.</summary>
    public int Size => _size;

    /// <summary>Forward transform of (<paramref name="re"/>, <paramref name="im"/>) in place.</summary>
    public void Forward(Span<double> re, Span<double> im)
    {
        if (re.Length != _size || im.Length != _size)
            throw new ArgumentException($"FFT buffers must hold exactly {_size} points.");
        for (var i = 0; i < _size; i++)
        {
            var j = _bitReverse[i];
            if (j <= i) continue;
            (re[i], re[j]) = (re[j], re[i]);
            (im[i], im[j]) = (im[j], im[i]);
        }
        for (var len = 2; len <= _size; len <<= 1)
        {
            var half = len >> 1;
            var step = _size / len;
            for (var start = 0; start < _size; start += len)
            {
                for (var k = 0; k < half; k++)
                {
                    var wr = _cos[k * step];
                    var wi = _sin[k * step];
                    var a = start + k;
                    var b = a + half;
                    var tr = re[b] * wr - im[b] * wi;
                    var ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
