namespace Vigil.Ppg.Numerics;

/// <summary>
/// One second-order IIR section (transposed direct form II). Used in cascades as the
/// anti-aliasing low-pass before resampling to the tracker's internal rate.
/// </summary>
internal struct Biquad
{
    private double _b0, _b1, _b2, _a1, _a2;
    private double _z1, _z2;

    /// <summary>A Butterworth-style low-pass section at <paramref name="cutoffHz"/> with quality <paramref name="q"/> (bilinear transform).</summary>
    public static Biquad LowPass(double sampleRateHz, double cutoffHz, double q)
    {
        var w0 = 2 * Math.PI * cutoffHz / sampleRateHz;
        var alpha = Math.Sin(w0) / (2 * q);
        var cos = Math.Cos(w0);
        var a0 = 1 + alpha;
        return new Biquad
        {
            _b0 = (1 - cos) / 2 / a0,
            _b1 = (1 - cos) / a0,
            _b2 = (1 - cos) / 2 / a0,
            _a1 = -2 * cos / a0,
            _a2 = (1 - alpha) / a0,
        };
    }

    /// <summary>Sets the internal state as if the input had been constant at <paramref name="value"/> forever (no start-up transient).</summary>
    public void Prime(double value)
    {
        // Steady state of TDF-II for constant input x with unity DC gain: y = x.
        _z1 = value - _b0 * value;
        _z2 = _b2 * value - _a2 * value;
    }

    /// <summary>Filters one sample.</summary>
    public double Step(double x)
    {
        var y = _b0 * x + _z1;
        _z1 = _b1 * x - _a1 * y + _z2;
        _z2 = _b2 * x - _a2 * y;
        return y;
    }
}
