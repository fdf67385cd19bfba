using Vigil.Ppg.Numerics;
using Vigil.Ppg.Pipeline;
using Vigil.Ppg.Tracking;

namespace Vigil.Ppg;

/// <summary>
/// Everything one patient's heart-rate estimation needs, self-contained so that a stream
/// substream or a keyed entity can own it: it accepts raw samples at any rate from 25 to 256 Hz
/// (derived from the timestamps), low-passes and resamples them to 25 Hz, keeps the last window
/// in a ring buffer, and every hop emits a <see cref="PpgWindowResult"/> from the causal
/// spectral tracker together with quality checks (dropout, invalid samples, flat or clipped
/// PPG, motion). Not thread-safe: one patient's samples arrive in order on one thread at a time.
/// </summary>
public sealed class PatientPpgTracker
{
    private const int WarmupSamples = 16;
    private const double MinRateHz = 20, MaxRateHz = 1024;
    private readonly PpgTrackerOptions _options;
    private readonly int _ppgChannels;
    private readonly string _provenance;
    private readonly int _windowN, _hopN, _blocksPerWindow;
    private float[][] _ring;
    private bool? _gyroscope;          // fixed by the first batch
    private readonly SpectralHmmTracker _tracker;
    private readonly BlockStatistics _blocks;

    private Biquad[] _filters = Array.Empty<Biquad>();
    private double _rate;
    private bool _filtering;
    private double _t0 = double.NaN, _prevT = double.NaN;
    private readonly double[] _prevY = new double[9];
    private readonly double[] _offset = new double[9];
    private long _nextOut;             // index of the next 25 Hz output sample (time t0 + k/25)
    private long _lastInvalidOut = -1; // last output index interpolated across a dropout
    private long _nextWindow;
    private double _gravity;
    private long _accepted;
    private double _lastT = double.NaN; // last accepted timestamp (validation)
    private List<(double T, float[] V)>? _warmup = new();
    private double _previousBpm = double.NaN;

    /// <summary>Sees every window's result with the refinement features behind it (training data extraction).</summary>
    internal Action<PpgWindowResult, float[]>? WindowObserver { get; set; }

    /// <summary>Creates the tracker for <paramref name="patientId"/>.</summary>
    /// <param name="patientId">Patient (or device) key.</param>
    /// <param name="ppgChannels">Number of PPG channels per sample (1 to 3).</param>
    /// <param name="options">Window and range settings; defaults when null.</param>
    /// <param name="sampleRateHz">Known sampling rate; when null it is derived from the first timestamps.</param>
    /// <param name="inputIdentity">Identity of the input (file and hash, or stream name) carried in every result's provenance.</param>
    public PatientPpgTracker(string patientId, int ppgChannels, PpgTrackerOptions? options = null, double? sampleRateHz = null, string? inputIdentity = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        if (ppgChannels is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(ppgChannels), ppgChannels, "1 to 3 PPG channels.");
        _options = options ?? PpgTrackerOptions.Default;
        _options.Validate();
        PatientId = patientId;
        _ppgChannels = ppgChannels;
        _windowN = (int)Math.Round(_options.WindowSeconds * InternalRate.Hz);
        _hopN = (int)Math.Round(_options.HopSeconds * InternalRate.Hz);
        _blocksPerWindow = _windowN / _hopN;
        _ring = new float[3 + ppgChannels][];
        for (var c = 0; c < _ring.Length; c++) _ring[c] = new float[_windowN];
        _tracker = new SpectralHmmTracker(_options.MinBpm, _options.MaxBpm, _options.HopSeconds);
        _blocks = new BlockStatistics(_blocksPerWindow, ppgChannels);
        var refinement = _options.Refinement is { } model ? $" refinement={model.Provenance}" : "";
        _provenance = $"{PpgProvenance.TrackerId} cfg={PpgProvenance.ConfigurationHash(_options)}{refinement} input={inputIdentity ?? "live:" + patientId}";
        if (sampleRateHz is { } fs) Start(fs);
    }

    /// <summary>Patient key.</summary>
    public string PatientId { get; }

    /// <summary>Sampling rate in Hz once known (given or derived from the first timestamps), else null.</summary>
    public double? SampleRateHz => _rate > 0 ? _rate : null;

    /// <summary>Samples accepted so far.</summary>
    public long SamplesAccepted => _accepted;

    /// <summary>Approximate bytes of state this patient holds (ring buffers, tracker state, block statistics).</summary>
    public int StateBytes => _ring.Length * (_windowN * 4 + 24) + _tracker.StateBytes + _blocks.StateBytes + 6 * 8 + _filters.Length * 56 + 256;

    /// <summary>
    /// Accepts a batch, appending any completed windows' results to <paramref name="results"/>.
    /// The whole batch is validated first (channel count, strictly increasing timestamps after
    /// the last accepted one); an invalid batch throws <see cref="PpgInputException"/> and changes
    /// nothing. Non-finite values inside a valid batch are dropped and flag their windows.
    /// </summary>
    public void Push(PpgSampleBatch batch, ICollection<PpgWindowResult> results)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Ppg.Length != _ppgChannels)
            throw new PpgInputException($"patient '{PatientId}': batch has {batch.Ppg.Length} PPG channels, the stream started with {_ppgChannels}.");
        if (_gyroscope is { } hasGyro && hasGyro != batch.HasGyroscope)
            throw new PpgInputException($"patient '{PatientId}': batch {(batch.HasGyroscope ? "has" : "lacks")} a gyroscope, the stream started {(hasGyro ? "with" : "without")} one.");
        var prev = _lastT;
        var t = batch.TimeSeconds;
        for (var i = 0; i < t.Length; i++)
        {
            if (!double.IsFinite(t[i]))
                throw new PpgInputException($"patient '{PatientId}': sample {_accepted + i} has a non-finite timestamp.");
            if (!(t[i] > prev) && !double.IsNaN(prev))
                throw new PpgInputException($"patient '{PatientId}': sample {_accepted + i} timestamp {t[i]:R} s is {(t[i] == prev ? "a duplicate of" : "before")} the previous one ({prev:R} s); timestamps must strictly increase.");
            prev = t[i];
        }
        if (_gyroscope is null) UseGyroscope(batch.HasGyroscope);
        Span<float> v = stackalloc float[9];
        var channels = _ppgChannels + 3 + (batch.Gyro is null ? 0 : 3);
        for (var i = 0; i < t.Length; i++)
        {
            for (var c = 0; c < _ppgChannels; c++) v[c] = batch.Ppg[c][i];
            v[_ppgChannels] = batch.AccX[i];
            v[_ppgChannels + 1] = batch.AccY[i];
            v[_ppgChannels + 2] = batch.AccZ[i];
            if (batch.Gyro is { } g)
                for (var a = 0; a < 3; a++) v[_ppgChannels + 3 + a] = g[a][i];
            Accept(t[i], v[..channels], results);
        }
    }

    // The first batch says whether the device has a gyroscope: three more ring buffers and filters if so.
    private void UseGyroscope(bool present)
    {
        _gyroscope = present;
        if (!present) return;
        _ring = [.. _ring, new float[_windowN], new float[_windowN], new float[_windowN]];
        if (_filtering) CreateFilters();
    }

    private int InputChannels => _ppgChannels + 3 + (_gyroscope == true ? 3 : 0);

    private void Accept(double t, ReadOnlySpan<float> v, ICollection<PpgWindowResult> results)
    {
        _accepted++;
        _lastT = t;
        if (_rate > 0) { Process(t, v, results); return; }
        // Rate not known yet: hold the first samples, then derive it from their median spacing.
        _warmup!.Add((t, v.ToArray()));
        if (_warmup.Count < WarmupSamples) return;
        var dts = new double[_warmup.Count - 1];
        for (var i = 1; i < _warmup.Count; i++) dts[i - 1] = _warmup[i].T - _warmup[i - 1].T;
        Array.Sort(dts);
        var pending = _warmup;
        try { Start(1 / dts[dts.Length / 2]); }
        catch (PpgInputException) { _warmup = new(); throw; }
        foreach (var (pt, pv) in pending) Process(pt, pv, results);
    }

    private void Start(double rate)
    {
        if (!(rate >= MinRateHz && rate <= MaxRateHz))
            throw new PpgInputException($"patient '{PatientId}': sampling rate {rate:0.###} Hz is outside the supported {MinRateHz}-{MaxRateHz} Hz (25-256 Hz devices).");
        _rate = rate;
        _warmup = null;
        // Anti-aliasing before resampling to 25 Hz: 4th-order Butterworth at 10 Hz (below the 12.5 Hz Nyquist).
        _filtering = rate >= 30;
        if (_filtering) CreateFilters();
    }

    private void CreateFilters()
    {
        var cutoff = Math.Min(10, 0.4 * _rate);
        _filters = new Biquad[2 * InputChannels];
        for (var c = 0; c < InputChannels; c++)
        {
            _filters[2 * c] = Biquad.LowPass(_rate, cutoff, 0.5412);
            _filters[2 * c + 1] = Biquad.LowPass(_rate, cutoff, 1.3066);
        }
    }

    private void Process(double t, ReadOnlySpan<float> v, ICollection<PpgWindowResult> results)
    {
        if (double.IsNaN(_t0)) _t0 = t;
        var block = (long)Math.Floor((t - _t0) / _options.HopSeconds);
        foreach (var x in v)
            if (!float.IsFinite(x)) { _blocks.AddInvalid(block); return; }
        _blocks.Add(block, v[.._ppgChannels]);

        var channels = v.Length;
        Span<double> y = stackalloc double[9];
        for (var c = 0; c < channels; c++)
        {
            double s = v[c];
            if (double.IsNaN(_prevT) && c < _ppgChannels) _offset[c] = s; // accelerometer keeps gravity (motion index)
            if (_filtering)
            {
                if (double.IsNaN(_prevT)) { _filters[2 * c].Prime(s); _filters[2 * c + 1].Prime(s); }
                s = _filters[2 * c + 1].Step(_filters[2 * c].Step(s));
            }
            // PPG relative to its first sample: keeps large ADC offsets out of the float ring buffer's precision.
            y[c] = s - _offset[c];
        }
        if (double.IsNaN(_prevT))
        {
            // The first sample defines output sample 0 exactly.
            Emit(y[..channels], results);
        }
        else
        {
            var gap = t - _prevT > Math.Max(5 / _rate, 0.2);
            Span<double> o = stackalloc double[9];
            while (true)
            {
                var tk = _t0 + _nextOut / InternalRate.Hz;
                if (tk > t) break;
                if (gap) _lastInvalidOut = _nextOut;
                var frac = (tk - _prevT) / (t - _prevT);
                for (var c = 0; c < channels; c++) o[c] = _prevY[c] + frac * (y[c] - _prevY[c]);
                Emit(o[..channels], results);
            }
        }
        _prevT = t;
        for (var c = 0; c < channels; c++) _prevY[c] = y[c];
    }

    private void Emit(ReadOnlySpan<double> o, ICollection<PpgWindowResult> results)
    {
        var slot = (int)(_nextOut % _windowN);
        // Ring order: accelerometer in 0..2, PPG in 3.., gyroscope last.
        for (var c = 0; c < _ppgChannels; c++) _ring[3 + c][slot] = (float)o[c];
        for (var a = 0; a < 3; a++) _ring[a][slot] = (float)o[_ppgChannels + a];
        if (o.Length > _ppgChannels + 3)
            for (var a = 0; a < 3; a++) _ring[3 + _ppgChannels + a][slot] = (float)o[_ppgChannels + 3 + a];
        _nextOut++;
        var windowEnd = _nextWindow * _hopN + _windowN;
        if (_nextOut == windowEnd)
        {
            results.Add(CloseWindow(_nextWindow));
            _nextWindow++;
        }
    }

    private PpgWindowResult CloseWindow(long index)
    {
        var ws = SpectralWorkspace.ForCurrentThread;
        var start = index * _hopN;
        // Unroll the ring into the workspace: PPG channels 0..2, accelerometer 3..5, gyroscope 6..8.
        for (var c = 0; c < _ppgChannels; c++) Unroll(_ring[3 + c], start, ws.Samples[c]);
        for (var a = 0; a < 3; a++) Unroll(_ring[a], start, ws.Samples[3 + a]);
        var gyro = _gyroscope == true;
        if (gyro) for (var a = 0; a < 3; a++) Unroll(_ring[3 + _ppgChannels + a], start, ws.Samples[6 + a]);

        Span<bool> flat = stackalloc bool[3];
        Span<bool> clipped = stackalloc bool[3];
        var facts = _blocks.Summarise(index, _blocksPerWindow, flat, clipped);
        Span<bool> usable = stackalloc bool[3];
        var anyUsable = false;
        for (var c = 0; c < _ppgChannels; c++) anyUsable |= usable[c] = !flat[c] && !clipped[c] && !DuplicateOfEarlier(ws, c);
        if (!anyUsable)
            for (var c = 0; c < _ppgChannels; c++) usable[c] = !flat[c] && !DuplicateOfEarlier(ws, c);

        var motion = MotionIndex(ws);
        var scratch = ArrayPoolScratch(_tracker.ScratchLength);
        var estimate = _tracker.Update(ws, _ppgChannels, usable, gyro, _windowN, motion, scratch);
        Span<float> features = stackalloc float[RefinementFeatures.Count];
        RefinementFeatures.Fill(features, estimate, motion, _previousBpm, index);
        _previousBpm = estimate.Bpm;
        var probability = double.NaN;
        if (_options.Refinement is { } model)
        {
            Span<float> mlp = stackalloc float[2 * model.MaxWidth];
            probability = model.Probability(features, mlp);
        }

        var allFlat = true; var allClipped = true;
        for (var c = 0; c < _ppgChannels; c++) { allFlat &= flat[c]; allClipped &= flat[c] || clipped[c]; }
        var dropout = facts.MissingBlock || _lastInvalidOut >= start;
        (PpgStatus status, string? reason) = (dropout, facts.Invalid > 0, allFlat, allClipped) switch
        {
            (true, _, _, _) => (PpgStatus.Withheld, "dropout: samples missing in the window"),
            (_, true, _, _) => (PpgStatus.Withheld, $"invalid samples: {facts.Invalid} non-finite value(s) in the window"),
            (_, _, true, _) => (PpgStatus.Withheld, "flat signal: PPG constant over the window"),
            (_, _, _, true) => (PpgStatus.Withheld, "clipping: PPG pinned at its range limit"),
            _ => double.IsNaN(probability) ? Grade(estimate, motion) : GradeRefined(estimate, probability, motion),
        };
        var t0 = _t0 + index * _options.HopSeconds;
        var result = new PpgWindowResult(PatientId, index, t0, t0 + _options.WindowSeconds, estimate.Bpm,
            double.IsNaN(probability) ? estimate.Confidence : probability, estimate.SignalQuality, motion, status, reason, _provenance);
        WindowObserver?.Invoke(result, features.ToArray());
        return result;
    }

    private (PpgStatus, string?) Grade(TrackerEstimate e, double motion)
    {
        var moving = motion >= 0.3;
        if (e.Confidence < _options.WithholdConfidenceThreshold && moving)
            return (PpgStatus.Withheld, $"motion: pulse not separable from movement (confidence {e.Confidence:0.00}, motion {motion:0.00})");
        if (e.Confidence < _options.LowConfidenceThreshold)
            return (PpgStatus.LowConfidence, moving
                ? $"motion: confidence {e.Confidence:0.00} during movement (motion {motion:0.00})"
                : $"weak pulse: confidence {e.Confidence:0.00}");
        return (PpgStatus.Ok, null);
    }

    // With the learned refinement: its probability that the estimate is within 5 BPM decides.
    private (PpgStatus, string?) GradeRefined(TrackerEstimate e, double p, double motion)
    {
        var withholdBelow = _options.RefinedWithholdProbability ?? _options.Refinement?.WithholdBelow ?? PpgTrackerOptions.DefaultRefinedWithholdProbability;
        if (p < withholdBelow)
            return (PpgStatus.Withheld, e.Disputed || e.OnMotion
                ? $"lock uncertain: P(within 5 BPM) {p:0.00}; evidence also at {e.ChallengerBpm:0} BPM (motion {motion:0.00})"
                : $"low confidence: P(within 5 BPM) {p:0.00} (motion {motion:0.00})");
        if (p < Math.Max(withholdBelow, _options.RefinedLowProbability))
            return (PpgStatus.LowConfidence, motion >= 0.3 ? $"motion: P(within 5 BPM) {p:0.00} (motion {motion:0.00})" : $"weak pulse: P(within 5 BPM) {p:0.00}");
        return (PpgStatus.Ok, null);
    }

    private double MotionIndex(SpectralWorkspace ws)
    {
        // Dynamic acceleration (RMS about the window mean) relative to gravity, estimated as the
        // running magnitude of the mean acceleration vector: unit-free, so counts or g both work.
        double m2 = 0, var = 0;
        for (var a = 3; a < 6; a++)
        {
            var x = ws.Samples[a].AsSpan(0, _windowN);
            double s = 0, ss = 0;
            foreach (var q in x) s += q;
            var mean = s / x.Length;
            foreach (var q in x) ss += (q - mean) * (q - mean);
            m2 += mean * mean;
            var += ss / x.Length;
        }
        var g = Math.Sqrt(m2);
        _gravity = _gravity <= 0 ? g : 0.9 * _gravity + 0.1 * g;
        return _gravity > 0 ? Math.Min(10, Math.Sqrt(var) / _gravity) : 0;
    }

    private bool DuplicateOfEarlier(SpectralWorkspace ws, int channel)
    {
        // A single-channel device repeats ppg1 in ppg2: use it once.
        for (var e = 0; e < channel; e++)
            if (ws.Samples[e].AsSpan(0, _windowN).SequenceEqual(ws.Samples[channel].AsSpan(0, _windowN))) return true;
        return false;
    }

    private void Unroll(float[] ring, long start, float[] dest)
    {
        var s = (int)(start % _windowN);
        var head = _windowN - s;
        Array.Copy(ring, s, dest, 0, head);
        Array.Copy(ring, 0, dest, head, s);
    }

    [ThreadStatic] private static double[]? _scratch;

    private static Span<double> ArrayPoolScratch(int length)
    {
        if (_scratch is null || _scratch.Length < length) _scratch = new double[length];
        return _scratch.AsSpan(0, length);
    }
}
