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
    public unsafe void Forward(Span<double> re, Span<double> im)
    {
        if (re.Length != _size || im.Length != _size)
            throw new ArgumentException($"FFT buffers must hold exactly {_size} points.");
        fixed (double* pr = re, pi = im, wc = _cos, ws = _sin)
        fixed (int* rev = _bitReverse)
        {
            for (var i = 0; i < _size; i++)
            {
                var j = rev[i];
                if (j <= i) continue;
                (pr[i], pr[j]) = (pr[j], pr[i]);
                (pi[i], pi[j]) = (pi[j], pi[i]);
            }
            // First stage (len 2) needs no twiddles.
            for (var a = 0; a < _size; a += 2)
            {
                double xr = pr[a + 1], xi = pi[a + 1];
                pr[a + 1] = pr[a] - xr; pi[a + 1] = pi[a] - xi;
                pr[a] += xr; pi[a] += xi;
            }
            for (var len = 4; len <= _size; len <<= 1)
            {
                var half = len >> 1;
                var step = _size / len;
                for (var k = 0; k < half; k++)
                {
                    var wr = wc[k * step];
                    var wi = ws[k * step];
                    for (var a = k; a < _size; a += len)
                    {
                        var b = a + half;
                        var tr = pr[b] * wr - pi[b] * wi;
                        var ti = pr[b] * wi + pi[b] * wr;
                        pr[b] = pr[a] - tr;
                        pi[b] = pi[a] - ti;
                        pr[a] += tr;
                        pi[a] += ti;
                    }
                }
            }
        }
    }
}
