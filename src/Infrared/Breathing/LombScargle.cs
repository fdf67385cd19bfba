namespace Vigil.Infrared.Breathing;

/// <summary>
/// The Lomb–Scargle periodogram: for each trial frequency, the power of the least-squares sinusoid fit
/// to samples at arbitrary times. Unlike an FFT (PPG's radix-2 transform needs an even grid) it takes the
/// gaps left by lost frames and dropped samples as they are, and it stays unbiased for a window holding
/// only two or three slow breaths, where a plain periodogram leaks into 0 Hz.
/// </summary>
internal static class LombScargle
{
    /// <summary>
    /// Power at each of <paramref name="frequenciesHz"/> of the zero-mean <paramref name="values"/> at
    /// <paramref name="times"/> (seconds), written into <paramref name="power"/>.
    /// </summary>
    public static void Power(ReadOnlySpan<double> times, ReadOnlySpan<double> values, ReadOnlySpan<double> frequenciesHz, Span<double> power)
    {
        for (var k = 0; k < frequenciesHz.Length; k++)
        {
            var w = 2 * Math.PI * frequenciesHz[k];
            double s2 = 0, c2 = 0;
            for (var i = 0; i < times.Length; i++)
            {
                var (s, c) = Math.SinCos(2 * w * times[i]);
                s2 += s;
                c2 += c;
            }
            var tau = Math.Atan2(s2, c2) / (2 * w);
            double xc = 0, xs = 0, cc = 0, ss = 0;
            for (var i = 0; i < times.Length; i++)
            {
                var (s, c) = Math.SinCos(w * (times[i] - tau));
                xc += values[i] * c;
                xs += values[i] * s;
                cc += c * c;
                ss += s * s;
            }
            power[k] = 0.5 * ((cc > 1e-12 ? xc * xc / cc : 0) + (ss > 1e-12 ? xs * xs / ss : 0));
        }
    }
}
