using OpenCvSharp;
using Vigil.Infrared.Faces;
using Vigil.Infrared.Thermal;

namespace Vigil.Infrared.Breathing;

/// <summary>
/// The breathing chain's face finder backed by an image face detector from Infrared/Faces (by default the
/// adapted thermal detector of a model card, <see cref="Open"/>): each frame's temperatures become the
/// white-hot grey image the detector reads (stretched between the frame's 1st and 99th percentiles, as
/// <see cref="ThermalImages.FromTemperatures"/> does), the detector runs at its card's threshold, and the
/// highest-scoring face is the patient's. Two departures from that mapping: a frame whose 1st–99th
/// percentile span is under <see cref="MinContrastCelsius"/> is not stretched to full contrast (stretched
/// sensor noise on an empty bed is texture the detector takes for faces). A detector's box jitters by a
/// pixel or two from frame to frame, which the nostril and mouth regions (a few pixels each, on a face
/// with sharp temperature edges) read as breathing, talking or head motion; so the box is smoothed
/// (<see cref="Smoothing"/>: an exponential average of detections that overlap it; one that does not
/// overlap restarts it), the reported box moves only when the smoothed one has moved by more than
/// <see cref="Deadband"/> of the face width (a still face keeps a pixel-stable region), and the box is
/// held through up to <see cref="MaxMissedFrames"/> frames without a detection (scores near the
/// threshold flicker).
/// Optionally the detector runs on every <see cref="DetectEvery"/>-th frame only, holding its box in
/// between. Not thread-safe: one instance per stream, disposed with it.
/// </summary>
public sealed class CardFaceDetector : IThermalFaceDetector, IDisposable
{
    private readonly Faces.IThermalFaceDetector _inner;
    private readonly float _minScore;
    private readonly int _detectEvery;
    private readonly Mat _grey;
    private readonly Mat _bgr;
    private long _frames;
    private FaceBox? _held;
    private FaceBox? _smooth;
    private int _missed;

    /// <summary>Wraps <paramref name="inner"/> (owned: disposed with this) at <paramref name="minScore"/>.</summary>
    /// <param name="inner">The image face detector.</param>
    /// <param name="minScore">Detections below this score are ignored.</param>
    /// <param name="detectEvery">Run the detector on every n-th frame and hold its box in between (1: every frame).</param>
    public CardFaceDetector(Faces.IThermalFaceDetector inner, float minScore, int detectEvery = 1)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(detectEvery, 1);
        _inner = inner;
        _minScore = minScore;
        _detectEvery = detectEvery;
        _grey = new Mat();
        _bgr = new Mat();
        Name = $"{inner.Provenance}" + (detectEvery > 1 ? $", every {detectEvery} frames" : "");
    }

    /// <summary>Opens the adapted thermal face detector of the card at <paramref name="cardPath"/> (sha256 checked) at the card's threshold.</summary>
    /// <exception cref="Vigil.Models.Cards.ModelCardException">The card is not a thermal-face card, or its model file is missing or altered.</exception>
    public static CardFaceDetector Open(string cardPath, int detectEvery = 1)
    {
        var detector = Faces.ThermalFaceDetector.Open(cardPath);
        return new CardFaceDetector(detector, detector.ScoreThreshold, detectEvery);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>The frame interval between detector runs.</summary>
    public int DetectEvery => _detectEvery;

    /// <summary>Weight of a new detection in the smoothed box (1: no smoothing). Default 0.2: about a 0.5 s time constant at 10 frames/s.</summary>
    public float Smoothing { get; init; } = 0.2f;

    /// <summary>Frames without a detection through which the last box is still reported.</summary>
    public int MaxMissedFrames { get; init; } = 3;

    /// <summary>The reported box follows the smoothed one only when an edge or the size has moved by more than this share of the face width.</summary>
    public float Deadband { get; init; } = 0.06f;

    /// <summary>Smallest temperature span (°C, or the frame's unit) stretched onto the 8-bit range: flatter frames keep their low contrast.</summary>
    public float MinContrastCelsius { get; init; } = 2f;

    /// <inheritdoc/>
    public FaceBox? Detect(ThermalFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (_frames++ % _detectEvery != 0) return _held;
        WhiteHot(frame);
        var faces = _inner.Detect(_bgr, _minScore);
        if (faces.Count == 0)
        {
            if (++_missed > MaxMissedFrames) _held = _smooth = null;
            return _held;
        }
        _missed = 0;
        var best = faces[0];
        foreach (var f in faces) if (f.Score > best.Score) best = f;
        var box = new FaceBox(best.X, best.Y, best.Width, best.Height, best.Score);
        if (_smooth is not { } s || _held is not { } held || Overlap(s, box) <= 0.3f) return _held = _smooth = box;
        var a = Math.Clamp(Smoothing, 0f, 1f);
        var next = new FaceBox(s.X + a * (box.X - s.X), s.Y + a * (box.Y - s.Y), s.Width + a * (box.Width - s.Width), s.Height + a * (box.Height - s.Height), box.Score);
        _smooth = next;
        var limit = Deadband * held.Width;
        var moved = Math.Abs(next.X - held.X) > limit || Math.Abs(next.Y - held.Y) > limit
            || Math.Abs(next.Width - held.Width) > limit || Math.Abs(next.Height - held.Height) > limit;
        return _held = moved ? next : held with { Score = box.Score };
    }

    private static float Overlap(FaceBox a, FaceBox b)
    {
        var w = Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X);
        var h = Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y);
        if (w <= 0 || h <= 0) return 0;
        var inter = w * h;
        return inter / (a.Width * a.Height + b.Width * b.Height - inter);
    }

    // The same mapping as ThermalImages.FromTemperatures (percentiles 1 and 99, NaN black), written into
    // reused buffers with a histogram instead of a sort: the chain converts every frame.
    private unsafe void WhiteHot(ThermalFrame frame)
    {
        var t = frame.Celsius;
        float min = float.MaxValue, max = float.MinValue;
        var finite = 0;
        foreach (var v in t)
        {
            if (!float.IsFinite(v)) continue;
            finite++;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        float lo = 0, hi = 1;
        if (finite > 0 && max > min)
        {
            const int bins = 4096;
            Span<int> histogram = stackalloc int[bins];
            var scale = (bins - 1) / (max - min);
            foreach (var v in t) if (float.IsFinite(v)) histogram[(int)((v - min) * scale)]++;
            int low = (int)(0.01 * (finite - 1)), high = (int)(0.99 * (finite - 1)), seen = 0;
            lo = float.NaN;
            for (var i = 0; i < bins; i++)
            {
                seen += histogram[i];
                if (float.IsNaN(lo) && seen > low) lo = min + i / scale;
                if (seen > high) { hi = min + (i + 1) / scale; break; }
            }
        }
        else if (finite > 0) { lo = min; hi = min + 1; }
        if (hi - lo < MinContrastCelsius)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = (mid - MinContrastCelsius / 2, mid + MinContrastCelsius / 2);
        }
        var range = hi - lo;
        _grey.Create(frame.Height, frame.Width, MatType.CV_8UC1);
        for (var y = 0; y < frame.Height; y++)
        {
            var row = (byte*)_grey.Ptr(y);
            var src = t.AsSpan(y * frame.Width, frame.Width);
            for (var x = 0; x < src.Length; x++)
                row[x] = float.IsFinite(src[x]) ? (byte)Math.Clamp((src[x] - lo) / range * 255f + 0.5f, 0, 255) : (byte)0;
        }
        Cv2.CvtColor(_grey, _bgr, ColorConversionCodes.GRAY2BGR);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _inner.Dispose();
        _grey.Dispose();
        _bgr.Dispose();
    }
}
