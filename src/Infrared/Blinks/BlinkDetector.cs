namespace Vigil.Infrared.Blinks;

/// <summary>
/// Finds blinks in a thermal eye-region stream, one frame at a time. A blink moves warm eyelid skin over
/// the cooler, evaporating ocular surface and back, so the eye region departs quickly from its slow
/// baseline and returns. Per pixel a baseline follows the temperature with time constant
/// <see cref="BlinkDetectorOptions.BaselineSeconds"/> (frozen during a departure, so a long closure is
/// not absorbed); the evidence is the RMS departure over the frame, averaged over a few frames, in units
/// of its own running noise deviation. Hysteresis on that score gives candidate departures; short ones are
/// noise, very long ones are a changed scene (the baseline restarts), close ones are merged. A small learned
/// classifier (<see cref="BlinkClassifier"/>) then keeps the candidates that look like this eye's blinks.
/// Output delay: an event is reported <see cref="BlinkDetectorOptions.MergeGapMs"/> after it ends.
/// Not thread-safe: one detector per stream.
/// </summary>
public sealed class BlinkDetector
{
    private readonly BlinkDetectorOptions _options;
    private readonly string _source;
    private float[]? _baseline;          // per-pixel slow baseline, °C
    private readonly Queue<double> _recent = new(); // last SmoothFrames raw evidence values
    private double _recentSum;
    private double _noiseLevel = double.NaN;  // running mean of the evidence outside events
    private double _noiseDev = double.NaN;    // running mean absolute deviation of the evidence outside events
    private double _firstMs = double.NaN;
    private double _lastMs = double.NaN;
    private long _frames;
    private bool _active;                // inside a departure
    private double _activeStart;         // onset of the current departure
    private double _activePeak;
    private double _lastCalmMs = double.NaN;  // last frame whose score was below the release level
    private Pending? _pending;           // ended, waiting MergeGapMs for a continuation
    private float[]? _residual;          // departure map of the current frame
    private float[]? _peakMap;           // departure map at the current departure's peak
    private readonly BlinkClassifier? _classifier; // null: every candidate is kept (candidate mode)
    private double[]? _template;         // running spatial pattern of departures, weighted by strength
    private readonly List<BlinkCandidate> _candidates = []; // finalised since the last Push/Complete

    private const double TemplateMemory = 0.8;

    private sealed record Pending(double Start, double End, double Peak, float[] Map);

    /// <summary>Creates a detector; <paramref name="source"/> names the stream in error messages.</summary>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="source">Names the stream in error messages.</param>
    /// <param name="classifier">Second stage; <see cref="BlinkClassifier.Default"/> when null.</param>
    public BlinkDetector(BlinkDetectorOptions? options = null, string source = "thermal stream", BlinkClassifier? classifier = null)
        : this(options, source, classifier ?? BlinkClassifier.Default, keepAll: false) { }

    private BlinkDetector(BlinkDetectorOptions? options, string source, BlinkClassifier? classifier, bool keepAll)
    {
        _options = (options ?? new BlinkDetectorOptions()).Validate();
        _source = source;
        _classifier = keepAll ? null : classifier;
    }

    /// <summary>Every candidate departure of a recording with its features, before the classifier (for training).</summary>
    public static IReadOnlyList<BlinkCandidate> Candidates(IEnumerable<EyeFrame> frames, BlinkDetectorOptions? options = null, string source = "thermal stream")
    {
        var detector = new BlinkDetector(options, source, null, keepAll: true);
        foreach (var f in frames) detector.PushCore(f);
        detector.CompleteCore();
        return detector._candidates;
    }

    /// <summary>The latest blink score (evidence in noise deviations above the noise level); NaN while warming up.</summary>
    public double LastScore { get; private set; } = double.NaN;

    /// <summary>Feeds one frame; returns the blinks that became final with it (usually none).</summary>
    /// <exception cref="InvalidDataException">The frame is malformed (wrong size, non-finite value, time going backwards).</exception>
    public IReadOnlyList<BlinkEvent> Push(EyeFrame frame)
    {
        _candidates.Clear();
        PushCore(frame);
        return Accepted();
    }

    private IReadOnlyList<BlinkEvent> Accepted()
    {
        if (_candidates.Count == 0) return [];
        var kept = _candidates.Where(c => _classifier is null || _classifier.Accepts(c.Features)).Select(c => c.Event).ToList();
        _candidates.Clear();
        return kept;
    }

    private void PushCore(EyeFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var px = frame.Celsius;
        if (px.Length != frame.Width * frame.Height || px.Length == 0)
            throw new InvalidDataException($"{_source}: frame {_frames} has {px.Length} values for {frame.Width}×{frame.Height} pixels");
        if (_baseline is not null && px.Length != _baseline.Length)
            throw new InvalidDataException($"{_source}: frame {_frames} has {px.Length} pixels, earlier frames {_baseline.Length}");
        if (!double.IsFinite(frame.TimestampMs) || frame.TimestampMs < _lastMs)
            throw new InvalidDataException($"{_source}: frame {_frames} has timestamp {frame.TimestampMs} ms after {_lastMs} ms");
        for (var p = 0; p < px.Length; p++)
            if (!float.IsFinite(px[p])) throw new InvalidDataException($"{_source}: frame {_frames} has a non-finite temperature at pixel {p}");

        var t = frame.TimestampMs;
        var dt = double.IsNaN(_lastMs) ? 0 : t - _lastMs;
        _lastMs = t;
        if (double.IsNaN(_firstMs)) _firstMs = t;
        _frames++;
        if (_baseline is null)
        {
            _baseline = (float[])px.Clone();
            _residual = new float[px.Length];
            _peakMap = new float[px.Length];
            return;
        }

        // Evidence: RMS departure from the baseline.
        double sum = 0;
        for (var p = 0; p < px.Length; p++) { var d = px[p] - _baseline[p]; _residual![p] = d; sum += d * d; }
        var raw = Math.Sqrt(sum / px.Length);
        _recent.Enqueue(raw); _recentSum += raw;
        if (_recent.Count > _options.SmoothFrames) _recentSum -= _recent.Dequeue();
        var evidence = _recentSum / _recent.Count;

        var warm = t - _firstMs >= _options.WarmupSeconds * 1000;
        if (double.IsNaN(_noiseLevel)) { _noiseLevel = evidence; _noiseDev = Math.Max(evidence, 1e-3); }
        var score = (evidence - _noiseLevel) / Math.Max(_noiseDev, _options.NoiseFloorCelsius);
        LastScore = warm ? score : double.NaN;
        var release = _options.Threshold * _options.ReleaseFraction;

        if (_active)
        {
            if (score > _activePeak) { _activePeak = score; Array.Copy(_residual!, _peakMap!, px.Length); }
            // A strong departure ends once it has fallen well below its own peak, not only at the noise release
            // level: with a frozen baseline, slow drift would otherwise hold it open.
            if (score < Math.Max(release, _options.PeakReleaseFraction * _activePeak))
            {
                _active = false;
                if (t - _activeStart >= _options.MinDurationMs) Close(new Pending(_activeStart, t, _activePeak, (float[])_peakMap!.Clone()));
            }
            else if (t - _activeStart > _options.MaxDurationMs)
            {
                // Not a blink: the scene changed. Start the baseline afresh from this frame.
                _active = false;
                Array.Copy(px, _baseline, px.Length);
                _recent.Clear(); _recentSum = 0;
            }
        }
        else if (warm && score > _options.Threshold)
        {
            _active = true;
            _activeStart = double.IsNaN(_lastCalmMs) ? t : _lastCalmMs;
            _activePeak = score;
            Array.Copy(_residual!, _peakMap!, px.Length);
        }

        if (!_active)
        {
            // Outside departures the baseline and the noise statistics follow the signal.
            var a = 1 - Math.Exp(-dt / (_options.BaselineSeconds * 1000));
            for (var p = 0; p < px.Length; p++) _baseline[p] += (float)(a * (px[p] - _baseline[p]));
            var n = 1 - Math.Exp(-dt / (_options.NoiseSeconds * 1000));
            if (!warm) n = Math.Max(n, 1.0 / _frames);  // settle fast at the start
            _noiseLevel += n * (evidence - _noiseLevel);
            _noiseDev += n * (Math.Abs(evidence - _noiseLevel) - _noiseDev);
            if (score < release) _lastCalmMs = t;
        }

        if (_pending is { } pending && !_active && t - pending.End > _options.MergeGapMs)
        {
            Finalise(pending);
            _pending = null;
        }
    }

    /// <summary>Ends the stream: returns the blink still waiting for a continuation, if any (a departure still open is dropped).</summary>
    public IReadOnlyList<BlinkEvent> Complete()
    {
        _candidates.Clear();
        CompleteCore();
        return Accepted();
    }

    private void CompleteCore()
    {
        if (_pending is { } p) Finalise(p);
        _pending = null;
        _active = false;
    }

    /// <summary>Runs a whole recording through a fresh detector.</summary>
    public static IReadOnlyList<BlinkEvent> Detect(IEnumerable<EyeFrame> frames, BlinkDetectorOptions? options = null, string source = "thermal stream",
        BlinkClassifier? classifier = null)
    {
        var detector = new BlinkDetector(options, source, classifier);
        var all = new List<BlinkEvent>();
        foreach (var f in frames) all.AddRange(detector.Push(f));
        all.AddRange(detector.Complete());
        return all;
    }

    private void Close(Pending e)
    {
        if (_pending is { } p && e.Start - p.End <= _options.MergeGapMs)
        {
            _pending = e.Peak > p.Peak ? e with { Start = p.Start } : p with { End = e.End };
            return;
        }
        if (_pending is { } old) Finalise(old);
        _pending = e;
    }

    // Features from this eye's own history only (label-free), then the history learns the candidate.
    private void Finalise(Pending c)
    {
        var peak = Math.Max(c.Peak, 1e-3);
        // The first departure of a stream is its own template (cosine 1): nothing to disagree with yet.
        double cosine = 1;
        if (_template is not null)
        {
            double dot = 0, a = 0, b = 0;
            for (var p = 0; p < c.Map.Length; p++) { dot += c.Map[p] * _template[p]; a += c.Map[p] * (double)c.Map[p]; b += _template[p] * _template[p]; }
            cosine = a > 0 && b > 0 ? dot / Math.Sqrt(a * b) : 0;
        }
        var features = new[] { Math.Log(peak), Math.Log(Math.Max(c.End - c.Start, 1) / 300), cosine };
        _candidates.Add(new BlinkCandidate(new BlinkEvent(c.Start, c.End, c.Peak), features));

        _template ??= new double[c.Map.Length];
        double norm = 0;
        foreach (var v in c.Map) norm += v * (double)v;
        norm = Math.Sqrt(norm);
        if (norm > 0)
            for (var p = 0; p < c.Map.Length; p++) _template[p] = TemplateMemory * _template[p] + (1 - TemplateMemory) * peak * c.Map[p] / norm;
    }
}
