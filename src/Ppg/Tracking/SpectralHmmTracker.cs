namespace Vigil.Ppg.Tracking;

/// <summary>
/// One patient's causal heart-rate tracker. Per window it (1) turns the PPG channels into
/// unit-free power spectra and averages them weighted by each channel's quality, (2) applies a
/// Wiener-style gain S/(S + N) where S is the running PPG spectrum and N the running motion
/// spectrum (accelerometer, and gyroscope when present), so frequencies where the wrist moves are
/// suppressed (after Temko 2017), (3) scores each candidate rate as a harmonic family: its
/// enhanced power, plus its second harmonic, minus power at f/2 and 3f/2 where a pulse at f has
/// none (so neither half nor double the rate wins on a harmonic), and (4) runs two HMM forward
/// filters over the rate grid: the main track (physiological rate-change prior, rare jumps) and a
/// free challenger (frequent jumps) that follows the evidence. When the challenger disagrees on
/// consistently stronger evidence for several windows, the main track is re-acquired from it.
/// Only this window and the filters' state are used: the tracker is causal.
/// State is a few kilobytes; the FFT buffers live in a shared <see cref="SpectralWorkspace"/>.
/// </summary>
internal sealed class SpectralHmmTracker
{
    private const double BinHz = InternalRate.Hz / InternalRate.FftSize;
    private const double BpmPerBin = BinHz * 60;
    private readonly SpectralTrackerTuning _tuning;
    private readonly int _lo;          // first candidate bin
    private readonly int _states;      // candidate bins lo .. lo + states - 1
    private readonly int _bandEnd;     // exclusive end of the bins used (covers 2 × max rate)
    private readonly float[] _ppgAverage;
    private readonly float[] _accAverage;
    private readonly float[] _posterior;
    private readonly float[] _free;
    private readonly float[] _kernel;
    private bool _started;
    private double _lastBpm = double.NaN;
    private int _lastChallenger = -1;
    private double _dispute;           // leaky sum of log(evidence at challenger / evidence at main)
    private int _disputedWindows;

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
        _free = new float[_states];
        // Gaussian rate-change kernel over ±3σ, σ in bins for one hop.
        var sigmaBins = _tuning.RateChangeBpmPerSecond * hopSeconds / 60 / BinHz;
        var half = Math.Max(1, (int)Math.Ceiling(3 * sigmaBins));
        _kernel = new float[2 * half + 1];
        double sum = 0;
        for (var d = -half; d <= half; d++) sum += _kernel[d + half] = (float)Math.Exp(-0.5 * d * d / (sigmaBins * sigmaBins));
        for (var d = 0; d < _kernel.Length; d++) _kernel[d] /= (float)sum;
    }

    /// <summary>Bytes of per-patient state (for the memory budget).</summary>
    public int StateBytes => 4 * (_ppgAverage.Length + _accAverage.Length + _posterior.Length + _free.Length + _kernel.Length) + 96;

    /// <summary>Scratch length <see cref="Update"/> needs.</summary>
    public int ScratchLength => 5 * (_bandEnd - _lo) + 3 * _states;

    /// <summary>
    /// Processes one window whose channels are in <paramref name="ws"/>.Samples: PPG channels
    /// 0..<paramref name="ppgChannels"/>-1 (those with <paramref name="ppgUsable"/> false are ignored),
    /// the accelerometer in 3..5 and, when <paramref name="gyroscope"/>, the gyroscope in 6..8.
    /// Returns the estimate; always produces a rate.
    /// </summary>
    public TrackerEstimate Update(SpectralWorkspace ws, int ppgChannels, ReadOnlySpan<bool> ppgUsable, bool gyroscope, int length, double motion, Span<double> scratch)
    {
        ComputeSpectra(ws, ppgChannels, ppgUsable, gyroscope, length);
        var width = _bandEnd - _lo;
        var raw = scratch[..width];
        CombineChannels(ws, ppgChannels, ppgUsable, raw);
        var acc = scratch.Slice(width, width);
        acc.Clear();
        for (var a = 3; a < 6; a++) AddNormalised(ws.Power[a], acc, 1.0);
        if (gyroscope) for (var a = 6; a < 9; a++) AddNormalised(ws.Power[a], acc, 1.0);
        Normalise(acc);

        // Running spectra for the Wiener gain (exponential average over windows).
        var alpha = _started ? _tuning.SpectrumSmoothing : 1.0;
        for (var k = 0; k < width; k++)
        {
            _ppgAverage[k] = (float)((1 - alpha) * _ppgAverage[k] + alpha * raw[k]);
            _accAverage[k] = (float)((1 - alpha) * _accAverage[k] + alpha * acc[k]);
        }
        // Reliability of each frequency: a Wiener-style gain S/(S + λ·m·N), with N the running
        // motion spectrum weighted by how much the wrist moves (m, relative to walking-level motion).
        var lambda = _tuning.MotionSuppression * Math.Min(1, motion / _tuning.MotionReference);
        var gain = scratch.Slice(2 * width, width);
        var enhanced = scratch.Slice(3 * width, width);
        for (var k = 0; k < width; k++)
        {
            double s = _ppgAverage[k] + _tuning.ReliabilityEpsilon, n = lambda * _accAverage[k];
            // Reliability: the Wiener gain with a floor below which the frequency is deemed motion only.
            gain[k] = Math.Clamp((s / (s + n) - _tuning.MotionGainFloor) / (1 - 2 * _tuning.MotionGainFloor), 0, 1);
            enhanced[k] = raw[k] * gain[k];
        }
        // Scale to the strongest reliable frequency, so that the remains of a large artefact at a
        // masked frequency cannot shrink a clean pulse peak elsewhere (masked bins are capped at 1).
        double reliableMax = 0, anyMax = 0;
        for (var k = 0; k < width; k++)
        {
            anyMax = Math.Max(anyMax, enhanced[k]);
            if (gain[k] >= 0.5) reliableMax = Math.Max(reliableMax, enhanced[k]);
        }
        var scale = reliableMax > 0.05 * anyMax ? reliableMax : anyMax;
        if (scale > 0) for (var k = 0; k < width; k++) enhanced[k] = Math.Min(1, enhanced[k] / scale);

        // Harmonic-family score of each candidate rate f: power at f and 2f, minus power at f/2 and
        // 3f/2 (present when the pulse is really at f/2, absent when it is at f).
        var family = scratch.Slice(4 * width, _states);
        double maxFamily = 0;
        for (var s = 0; s < _states; s++)
        {
            var f = s + _lo;
            var v = enhanced[s] + _tuning.HarmonicWeight * At(enhanced, 2 * f - _lo)
                    - _tuning.SubharmonicPenalty * (AtHalf(enhanced, f - 2 * _lo) * AtHalf(gain, f - 2 * _lo)
                                                    + AtHalf(enhanced, 3 * f - 2 * _lo) * AtHalf(gain, 3 * f - 2 * _lo));
            family[s] = Math.Max(0, v);
            if (family[s] > maxFamily && gain[s] >= 0.5) maxFamily = family[s];
        }
        if (maxFamily <= 0) foreach (var v in family) maxFamily = Math.Max(maxFamily, v);
        // Sharpen into a likelihood; where motion dominates the candidate's own bin, the PPG says
        // nothing about the pulse, so the likelihood falls back to a neutral level and the track
        // coasts on its prediction instead of being pushed away from a rate equal to the cadence.
        double mean = 0;
        // Scaled to the best reliable candidate (capped at 1), as for the spectrum above.
        for (var s = 0; s < _states; s++) mean += family[s] = maxFamily > 0 ? Power(Math.Min(1, family[s] / maxFamily), _tuning.FamilyExponent) : 0;
        // Neutral sits below any clear peak: a masked rate may coast, never outbid a clean pulse peak.
        var neutral = Math.Min(_tuning.MaskedLikelihood * mean / _states, _tuning.NeutralCap);
        var like = family; // in place
        double maxLike = 0;
        for (var s = 0; s < _states; s++)
        {
            // A candidate on a motion frequency (cadence, arm swing, their harmonics) cannot gain evidence there, only coast.
            var r = gain[s];
            like[s] = r * family[s] + (1 - r) * neutral;
            if (like[s] > maxLike) maxLike = like[s];
        }
        for (var s = 0; s < _states; s++)
            like[s] = (maxLike > 0 ? like[s] / maxLike : 0) + _tuning.LikelihoodFloor;

        // HMM forward steps: predict with the rate-change kernel, then weight by the likelihood.
        var predicted = scratch.Slice(4 * width + _states, _states);
        var mode = Step(_posterior, _tuning.JumpProbability, like, predicted);
        var challenger = Step(_free, _tuning.ChallengerJumpProbability, like, predicted);
        _started = true;

        // Lock-loss check: the challenger disagrees, stays put, and its evidence keeps beating the main track's.
        var reacquired = false;
        if (Math.Abs(challenger - mode) * BpmPerBin > _tuning.DisputeBpm)
        {
            var stable = _lastChallenger >= 0 && Math.Abs(challenger - _lastChallenger) * BpmPerBin <= _tuning.ChallengerStableBpm;
            var ratio = Math.Log(like[challenger] / like[mode]);
            if (stable) { _dispute = _tuning.DisputeLeak * _dispute + ratio; _disputedWindows++; }
            else { _dispute *= 0.5; _disputedWindows = 0; }
            // A challenger on a motion frequency (cadence, arm swing) is a lure, not a re-acquisition.
            var challengerOnMotion = lambda > 0 && gain[challenger] < 0.5;
            if (_disputedWindows >= _tuning.ReacquireWindows && _dispute > _tuning.ReacquireLogRatio && !challengerOnMotion)
            {
                Array.Copy(_free, _posterior, _states);
                mode = challenger;
                reacquired = true;
                _dispute = 0; _disputedWindows = 0;
            }
        }
        else { _dispute = 0; _disputedWindows = 0; }
        _lastChallenger = challenger;
        var disputed = _disputedWindows >= 2 && _dispute > 0.3 * _tuning.ReacquireLogRatio;

        // Posterior centroid within ±3 bins of the mode, the estimate when no spectral peak is near.
        double wsum = 0, csum = 0;
        for (var s = Math.Max(0, mode - 3); s <= Math.Min(_states - 1, mode + 3); s++) { wsum += _posterior[s]; csum += _posterior[s] * s; }
        var bin = _lo + (wsum > 0 ? csum / wsum : mode);
        {
            // Move to the raw PPG spectrum's peak near the mode (parabolic interpolation): the filtered
            // mode lags a changing rate; the spectral peak in the same neighbourhood does not.
            var reach = (int)Math.Round(_tuning.RefineReachBpm / BpmPerBin);
            var best = mode;
            var peaks = raw;
            for (var s = Math.Max(1, mode - reach); s <= Math.Min(_states - 2, mode + reach); s++) if (peaks[s] > peaks[best]) best = s;
            if (best > 0 && best < _states - 1 && peaks[best] >= peaks[best - 1] && peaks[best] >= peaks[best + 1])
            {
                double a = peaks[best - 1], b = peaks[best], c = peaks[best + 1];
                var den = a - 2 * b + c;
                var delta = den < 0 ? 0.5 * (a - c) / den : 0;
                bin = _lo + best + Math.Clamp(delta, -0.5, 0.5);
            }
        }
        var bpm = bin * BpmPerBin;
        _lastBpm = bpm;

        var halfBins = (int)Math.Round(_tuning.ConfidenceHalfWidthBpm / BpmPerBin);
        double mass = 0;
        for (var s = Math.Max(0, mode - halfBins); s <= Math.Min(_states - 1, mode + halfBins); s++) mass += _posterior[s];
        var onMotion = lambda > 0 && gain[mode] < 0.5;

        var rivalReach = (int)Math.Round(_tuning.DisputeBpm / BpmPerBin);
        double rival = 0;
        for (var s = 0; s < _states; s++) if (Math.Abs(s - mode) > rivalReach) rival = Math.Max(rival, like[s]);
        var modeBin = mode + _lo;
        var evidence = new EstimateEvidence(like[mode], gain[mode], enhanced[mode], At(enhanced, 2 * modeBin - _lo), AtHalf(enhanced, modeBin - 2 * _lo),
            rival, _accAverage[mode], Math.Max(0, _dispute));
        return new TrackerEstimate(bpm, Math.Clamp(mass, 0, 1), Quality(raw, mode), (challenger + _lo) * BpmPerBin, disputed, reacquired, onMotion, evidence);
    }

    private int Step(float[] posterior, double jumpProbability, ReadOnlySpan<double> like, Span<double> predicted)
    {
        Predict(posterior, jumpProbability, predicted);
        double total = 0;
        for (var s = 0; s < _states; s++) total += predicted[s] *= like[s];
        var mode = 0;
        for (var s = 0; s < _states; s++)
        {
            posterior[s] = (float)(predicted[s] / total);
            if (posterior[s] > posterior[mode]) mode = s;
        }
        return mode;
    }

    private void ComputeSpectra(SpectralWorkspace ws, int ppgChannels, ReadOnlySpan<bool> ppgUsable, bool gyroscope, int length)
    {
        // Pair real channels two per complex FFT: PPG channels first, then the motion axes.
        Span<int> order = stackalloc int[SpectralWorkspace.Channels];
        var count = 0;
        for (var c = 0; c < ppgChannels; c++) if (ppgUsable[c]) order[count++] = c;
        for (var a = 3; a < (gyroscope ? 9 : 6); a++) order[count++] = a;
        for (var i = 0; i < count; i += 2)
            ws.PowerSpectra(order[i], i + 1 < count ? order[i + 1] : -1, length);
    }

    // Average of the usable PPG channels' normalised spectra, each weighted by its quality: how
    // concentrated its power is (a pulse is a few sharp peaks, noise is broadband) and how much of
    // it lies at the current track and its harmonic. A channel far below the best one is dropped.
    private void CombineChannels(SpectralWorkspace ws, int ppgChannels, ReadOnlySpan<bool> ppgUsable, Span<double> raw)
    {
        Span<double> weight = stackalloc double[3];
        double best = 0;
        for (var c = 0; c < ppgChannels; c++)
        {
            if (!ppgUsable[c]) continue;
            var p = ws.Power[c];
            double total = 0, max = 0; var peak = _lo;
            for (var k = _lo; k < _bandEnd; k++) { total += p[k]; if (p[k] > max) { max = p[k]; peak = k; } }
            if (total <= 0) continue;
            var concentration = Band(p, peak, 2) / total;
            var agreement = double.IsNaN(_lastBpm) ? 0 : (Band(p, (int)Math.Round(_lastBpm / BpmPerBin), 3) + Band(p, (int)Math.Round(2 * _lastBpm / BpmPerBin), 2)) / total;
            weight[c] = Math.Pow(Math.Max(concentration, agreement), 2);
            best = Math.Max(best, weight[c]);
        }
        raw.Clear();
        double sum = 0;
        for (var c = 0; c < ppgChannels; c++)
        {
            if (!ppgUsable[c] || weight[c] < 0.25 * best || weight[c] <= 0) continue;
            AddNormalised(ws.Power[c], raw, weight[c]);
            sum += weight[c];
        }
        if (sum > 0) for (var k = 0; k < raw.Length; k++) raw[k] /= sum;
    }

    private double Band(double[] p, int centre, int half)
    {
        double s = 0;
        for (var k = Math.Max(_lo, centre - half); k <= Math.Min(_bandEnd - 1, centre + half); k++) s += p[k];
        return s;
    }

    private static double At(ReadOnlySpan<double> x, int i) => i >= 0 && i < x.Length ? x[i] : 0;

    // Value at half of an odd or even index (x at i/2), interpolating between bins.
    private static double AtHalf(ReadOnlySpan<double> x, int twice)
    {
        if (twice < 0) return 0;
        var i = twice >> 1;
        return (twice & 1) == 0 ? At(x, i) : 0.5 * (At(x, i) + At(x, i + 1));
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

    private void Predict(float[] posterior, double jumpProbability, Span<double> predicted)
    {
        if (!_started)
        {
            // Population prior on the first window: broad Gaussian around a resting-to-active rate.
            for (var s = 0; s < _states; s++)
            {
                var bpm = (s + _lo) * BpmPerBin;
                var z = (bpm - _tuning.PriorCentreBpm) / _tuning.PriorWidthBpm;
                predicted[s] = Math.Exp(-0.5 * z * z) + 0.05;
            }
            return;
        }
        var half = _kernel.Length / 2;
        var jump = jumpProbability / _states;
        for (var s = 0; s < _states; s++)
        {
            double acc = 0;
            var from = Math.Max(0, s - half);
            var to = Math.Min(_states - 1, s + half);
            for (var r = from; r <= to; r++) acc += posterior[r] * _kernel[s - r + half];
            predicted[s] = (1 - jumpProbability) * acc + jump;
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
}
