namespace Vigil.Ppg.Tracking;

/// <summary>What the spectral tracker concluded about one window.</summary>
/// <param name="Bpm">Heart-rate estimate.</param>
/// <param name="Confidence">Posterior mass near the estimate, in [0, 1].</param>
/// <param name="SignalQuality">Share of raw PPG band power at the estimate and its harmonic, in [0, 1].</param>
internal readonly record struct TrackerEstimate(double Bpm, double Confidence, double SignalQuality);

/// <summary>
/// One patient's causal heart-rate tracker. Per window it (1) turns the PPG channels into
/// unit-free power spectra, (2) applies a Wiener-style gain S/(S + N) where S is the running PPG
/// spectrum and N the running accelerometer spectrum, so frequencies where the wrist moves are
/// suppressed (after Temko 2017), (3) scores each candidate rate by its enhanced power plus its
/// second harmonic, and (4) runs one step of an HMM forward filter over the rate grid whose
/// transition is a physiological rate-change prior. Only this window and the filter's state
/// (built from earlier windows) are used: the tracker is causal.
/// State is a few kilobytes; the FFT buffers live in a shared <see cref="SpectralWorkspace"/>.
/// </summary>
internal sealed class SpectralHmmTracker
{
    private const double BinHz = InternalRate.Hz / InternalRate.FftSize;
    private readonly SpectralTrackerTuning _tuning;
    private readonly int _lo;          // first candidate bin
    private readonly int _states;      // candidate bins lo .. lo + states - 1
    private readonly int _bandEnd;     // exclusive end of the bins used (covers 2 × max rate)
    private readonly float[] _ppgAverage;
    private readonly float[] _accAverage;
    private readonly float[] _posterior;
    private readonly float[] _kernel;
    private bool _started;

    /// <summary>Creates a tracker for rates in [<paramref name="minBpm"/>, <paramref name="maxBpm"/>].</summary>
    public SpectralHmmTracker(double minBpm, double maxBpm, double hopSeconds, SpectralTrackerTuning? tuning = null)
    {
        _tuning = tuning ?? SpectralTrackerTuning.Default;
        _lo = (int)Math.Ceiling(minBpm / 60 / BinHz);
        var hi = (int)Math.Floor(maxBpm / 60 / BinHz);
        _states = hi - _lo + 1;
        _bandEnd = Math.Min(SpectralWorkspace.SpectrumLength, 2 * hi + 2);
        _ppgAverage = new float[_bandEnd - _lo];
        _accAverage = new float[_bandEnd - _lo];
        _posterior = new float[_states];
        // Gaussian rate-change kernel over ±3σ, σ in bins for one hop.
        var sigmaBins = _tuning.RateChangeBpmPerSecond * hopSeconds / 60 / BinHz;
        var half = Math.Max(1, (int)Math.Ceiling(3 * sigmaBins));
        _kernel = new float[2 * half + 1];
        double sum = 0;
        for (var d = -half; d <= half; d++) sum += _kernel[d + half] = (float)Math.Exp(-0.5 * d * d / (sigmaBins * sigmaBins));
        for (var d = 0; d < _kernel.Length; d++) _kernel[d] /= (float)sum;
    }

    /// <summary>Bytes of per-patient state (for the memory budget).</summary>
    public int StateBytes => 4 * (_ppgAverage.Length + _accAverage.Length + _posterior.Length + _kernel.Length) + 64;

    /// <summary>
    /// Processes one window whose channels are in <paramref name="ws"/>.Samples: PPG channels
    /// 0..<paramref name="ppgChannels"/>-1 (those with <paramref name="ppgUsable"/> false are ignored)
    /// and the accelerometer in 3..5. Returns the estimate; always produces a rate.
    /// </summary>
    public TrackerEstimate Update(SpectralWorkspace ws, int ppgChannels, ReadOnlySpan<bool> ppgUsable, int length, double motion, Span<double> scratch)
    {
        ComputeSpectra(ws, ppgChannels, ppgUsable, length);
        var width = _bandEnd - _lo;
        var raw = scratch[..width];
        var usable = 0;
        raw.Clear();
        for (var c = 0; c < ppgChannels; c++)
        {
            if (!ppgUsable[c]) continue;
            usable++;
            AddNormalised(ws.Power[c], raw, 1.0);
        }
        if (usable > 0) for (var k = 0; k < width; k++) raw[k] /= usable;
        var acc = scratch.Slice(width, width);
        acc.Clear();
        for (var a = 3; a < 6; a++) AddNormalised(ws.Power[a], acc, 1.0);
        Normalise(acc);

        // Running spectra for the Wiener gain (exponential average over windows).
        var alpha = _started ? _tuning.SpectrumSmoothing : 1.0;
        for (var k = 0; k < width; k++)
        {
            _ppgAverage[k] = (float)((1 - alpha) * _ppgAverage[k] + alpha * raw[k]);
            _accAverage[k] = (float)((1 - alpha) * _accAverage[k] + alpha * acc[k]);
        }
        // Reliability of each frequency: a Wiener-style gain S/(S + λ·m·N), with N the running
        // accelerometer spectrum weighted by how much the wrist moves (m, relative to walking-level
        // motion). Where motion dominates, the PPG says nothing about the pulse, so the likelihood
        // there falls back to a neutral level and the track coasts on its prediction instead of
        // being pushed away from a heart rate that coincides with the cadence.
        var lambda = _tuning.MotionSuppression * Math.Min(1, motion / _tuning.MotionReference);
        var evidence = scratch.Slice(2 * width, width);
        var gamma = _tuning.LikelihoodExponent;
        for (var k = 0; k < width; k++)
        {
            double s = _ppgAverage[k] + _tuning.ReliabilityEpsilon, n = lambda * _accAverage[k];
            evidence[k] = raw[k] * s / (s + n);
        }
        Normalise(evidence);
        double mean = 0;
        for (var k = 0; k < width; k++) mean += evidence[k] = Power(evidence[k], gamma);
        var neutral = _tuning.MaskedLikelihood * mean / width;
        for (var k = 0; k < width; k++)
        {
            double s = _ppgAverage[k] + _tuning.ReliabilityEpsilon, n = lambda * _accAverage[k];
            var r = s / (s + n);
            evidence[k] = r * evidence[k] + (1 - r) * neutral;
        }

        // Likelihood of each candidate rate: evidence at f plus its harmonic at 2f.
        var like = scratch.Slice(3 * width, _states);
        double maxLike = 0;
        for (var s = 0; s < _states; s++)
        {
            var h = 2 * (s + _lo) - _lo;       // offset of 2f from _lo
            // A pulse's fundamental outweighs its harmonic, so the harmonic may support f only up to
            // f's own evidence: this stops f/2 from winning on the strength of a peak at f.
            var v = evidence[s] + (h < width ? _tuning.HarmonicWeight * Math.Min(evidence[h], evidence[s]) : 0);
            like[s] = v;
            if (v > maxLike) maxLike = v;
        }
        for (var s = 0; s < _states; s++)
            like[s] = (maxLike > 0 ? like[s] / maxLike : 0) + _tuning.LikelihoodFloor;

        // HMM forward step: predict with the rate-change kernel, then weight by the likelihood.
        var predicted = scratch.Slice(3 * width + _states, _states);
        Predict(predicted);
        double total = 0;
        for (var s = 0; s < _states; s++) total += predicted[s] *= like[s];
        var mode = 0;
        for (var s = 0; s < _states; s++)
        {
            _posterior[s] = (float)(predicted[s] / total);
            if (_posterior[s] > _posterior[mode]) mode = s;
        }
        _started = true;

        // Posterior centroid within ±3 bins of the mode, the estimate when no spectral peak is near.
        double wsum = 0, csum = 0;
        for (var s = Math.Max(0, mode - 3); s <= Math.Min(_states - 1, mode + 3); s++) { wsum += _posterior[s]; csum += _posterior[s] * s; }
        var bin = _lo + (wsum > 0 ? csum / wsum : mode);
        {
            // Move to the raw PPG spectrum's peak near the mode (parabolic interpolation): the filtered
            // mode lags a changing rate; the spectral peak in the same neighbourhood does not.
            var reach = (int)Math.Round(_tuning.RefineReachBpm / 60 / BinHz);
            var best = mode;
            for (var s = Math.Max(1, mode - reach); s <= Math.Min(_states - 2, mode + reach); s++) if (raw[s] > raw[best]) best = s;
            if (best > 0 && best < _states - 1 && raw[best] >= raw[best - 1] && raw[best] >= raw[best + 1])
            {
                double a = raw[best - 1], b = raw[best], c = raw[best + 1];
                var den = a - 2 * b + c;
                var delta = den < 0 ? 0.5 * (a - c) / den : 0;
                bin = _lo + best + Math.Clamp(delta, -0.5, 0.5);
            }
        }
        var bpm = bin * BinHz * 60;

        var halfBins = (int)Math.Round(_tuning.ConfidenceHalfWidthBpm / 60 / BinHz);
        double mass = 0;
        for (var s = Math.Max(0, mode - halfBins); s <= Math.Min(_states - 1, mode + halfBins); s++) mass += _posterior[s];

        return new TrackerEstimate(bpm, Math.Clamp(mass, 0, 1), Quality(raw, mode));
    }

    private void ComputeSpectra(SpectralWorkspace ws, int ppgChannels, ReadOnlySpan<bool> ppgUsable, int length)
    {
        // Pair real channels two per complex FFT: PPG channels first, then the accelerometer axes.
        Span<int> order = stackalloc int[6];
        var count = 0;
        for (var c = 0; c < ppgChannels; c++) if (ppgUsable[c]) order[count++] = c;
        order[count++] = 3; order[count++] = 4; order[count++] = 5;
        for (var i = 0; i < count; i += 2)
            ws.PowerSpectra(order[i], i + 1 < count ? order[i + 1] : -1, length);
    }

    private void AddNormalised(double[] power, Span<double> dest, double weight)
    {
        double max = 0;
        for (var k = _lo; k < _bandEnd; k++) if (power[k] > max) max = power[k];
        if (max <= 0) return;
        var scale = weight / max;
        for (var k = _lo; k < _bandEnd; k++) dest[k - _lo] += power[k] * scale;
    }

    private static void Normalise(Span<double> x)
    {
        double max = 0;
        foreach (var v in x) if (v > max) max = v;
        if (max <= 0) return;
        for (var k = 0; k < x.Length; k++) x[k] /= max;
    }

    private void Predict(Span<double> predicted)
    {
        if (!_started)
        {
            // Population prior on the first window: broad Gaussian around a resting-to-active rate.
            for (var s = 0; s < _states; s++)
            {
                var bpm = (s + _lo) * BinHz * 60;
                var z = (bpm - _tuning.PriorCentreBpm) / _tuning.PriorWidthBpm;
                predicted[s] = Math.Exp(-0.5 * z * z) + 0.05;
            }
            return;
        }
        var half = _kernel.Length / 2;
        var jump = _tuning.JumpProbability / _states;
        for (var s = 0; s < _states; s++)
        {
            double acc = 0;
            var from = Math.Max(0, s - half);
            var to = Math.Min(_states - 1, s + half);
            for (var r = from; r <= to; r++) acc += _posterior[r] * _kernel[s - r + half];
            predicted[s] = (1 - _tuning.JumpProbability) * acc + jump;
        }
    }

    private double Quality(ReadOnlySpan<double> raw, int mode)
    {
        // Fraction of the (unenhanced) PPG band power within ±2 bins of f and 2f.
        double total = 0, peak = 0;
        for (var k = 0; k < raw.Length; k++) total += raw[k];
        if (total <= 0) return 0;
        peak += BandSum(raw, mode) + BandSum(raw, 2 * (mode + _lo) - _lo);
        return Math.Clamp(peak / total, 0, 1);
    }

    // x^γ, with the common integer exponents done by multiplication (Math.Pow is slow per bin).
    private static double Power(double x, double gamma) => gamma switch
    {
        4 => x * x * (x * x),
        2 => x * x,
        1 => x,
        _ => Math.Pow(x, gamma),
    };

    private static double BandSum(ReadOnlySpan<double> x, int centre)
    {
        double sum = 0;
        for (var k = Math.Max(0, centre - 2); k <= Math.Min(x.Length - 1, centre + 2); k++) sum += x[k];
        return sum;
    }

    /// <summary>Scratch length <see cref="Update"/> needs.</summary>
    public int ScratchLength => 3 * (_bandEnd - _lo) + 2 * _states;
}
