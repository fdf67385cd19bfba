using Vigil.Ppg.Numerics;

namespace Vigil.Ppg.Tracking;

/// <summary>
/// Scratch buffers for turning one window of 25 Hz samples into power spectra. Owned by one
/// thread at a time (one per worker, not per patient) so that thousands of patients share a
/// handful of FFT buffers and a window allocates nothing.
/// </summary>
internal sealed class SpectralWorkspace
{
    [ThreadStatic] private static SpectralWorkspace? _perThread;

    private readonly RadixTwoFft _fft = new(InternalRate.FftSize);
    private readonly double[] _re = new double[InternalRate.FftSize];
    private readonly double[] _im = new double[InternalRate.FftSize];
    private double[] _taper = Array.Empty<double>();

    /// <summary>The calling thread's workspace.</summary>
    public static SpectralWorkspace ForCurrentThread => _perThread ??= new SpectralWorkspace();

    /// <summary>Channel slots: PPG 0..2, accelerometer 3..5, gyroscope 6..8.</summary>
    public const int Channels = 9;

    /// <summary>Power spectra of up to 9 channels (3 PPG, 3 accelerometer, 3 gyroscope), each <see cref="SpectrumLength"/> bins.</summary>
    public double[][] Power { get; } = Enumerable.Range(0, Channels).Select(_ => new double[SpectrumLength]).ToArray();

    /// <summary>Linear copies of the current window's channels.</summary>
    public float[][] Samples { get; } = Enumerable.Range(0, Channels).Select(_ => new float[InternalRate.FftSize / 2]).ToArray();

    /// <summary>Per-channel standard deviation of the window (before normalisation).</summary>
    public double[] StdDev { get; } = new double[Channels];

    /// <summary>Bins kept: up to half the FFT (12.5 Hz).</summary>
    public const int SpectrumLength = InternalRate.FftSize / 2;

    /// <summary>
    /// Power spectra of channels <paramref name="a"/> and <paramref name="b"/> (indices into
    /// <see cref="Samples"/>) over their first <paramref name="length"/> samples, computed with one
    /// complex FFT (a in the real part, b in the imaginary part). Each is detrended, scaled to unit
    /// variance and tapered first, so the spectra do not depend on the device's units.
    /// Pass <paramref name="b"/> = -1 for a single channel.
    /// </summary>
    public void PowerSpectra(int a, int b, int length)
    {
        EnsureTaper(length);
        Array.Clear(_re);
        Array.Clear(_im);
        StdDev[a] = Prepare(Samples[a].AsSpan(0, length), _re);
        if (b >= 0) StdDev[b] = Prepare(Samples[b].AsSpan(0, length), _im);
        _fft.Forward(_re, _im);
        var n = InternalRate.FftSize;
        var pa = Power[a];
        var pb = b >= 0 ? Power[b] : null;
        for (var k = 0; k < SpectrumLength; k++)
        {
            var j = k == 0 ? 0 : n - k;
            // Separate the two real signals' spectra: A = (Z[k] + conj Z[n-k]) / 2, B = (Z[k] - conj Z[n-k]) / 2i.
            var ar = 0.5 * (_re[k] + _re[j]);
            var ai = 0.5 * (_im[k] - _im[j]);
            pa[k] = ar * ar + ai * ai;
            if (pb is null) continue;
            var br = 0.5 * (_im[k] + _im[j]);
            var bi = -0.5 * (_re[k] - _re[j]);
            pb[k] = br * br + bi * bi;
        }
    }

    private double Prepare(ReadOnlySpan<float> x, Span<double> dest)
    {
        // Least-squares line removal (baseline wander), then unit variance, then sine taper.
        var n = x.Length;
        double sx = 0, sxy = 0;
        var mid = (n - 1) / 2.0;
        for (var i = 0; i < n; i++) { sx += x[i]; sxy += (i - mid) * x[i]; }
        var mean = sx / n;
        double sxx = 0;
        for (var i = 0; i < n; i++) sxx += (i - mid) * (i - mid);
        var slope = sxx > 0 ? sxy / sxx : 0;
        double ss = 0;
        for (var i = 0; i < n; i++)
        {
            var v = x[i] - mean - slope * (i - mid);
            dest[i] = v;
            ss += v * v;
        }
        var std = Math.Sqrt(ss / n);
        var scale = std > 0 ? 1.0 / std : 0;
        for (var i = 0; i < n; i++) dest[i] *= scale * _taper[i];
        return std;
    }

    private void EnsureTaper(int length)
    {
        if (_taper.Length == length) return;
        _taper = new double[length];
        // Sine taper: less leakage than none, a narrower main lobe than Hann (rates 5 BPM apart stay apart).
        for (var i = 0; i < length; i++) _taper[i] = Math.Sin(Math.PI * (i + 0.5) / length);
    }
}
