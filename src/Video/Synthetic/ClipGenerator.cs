using OpenCvSharp;
using Vigil.Video.Segments;

namespace Vigil.Video.Synthetic;

/// <summary>
/// Generates labelled clips: a stick figure on a textured background that stands, walks, waves an
/// arm (also while walking) and falls, in random order and durations from a seed. Ground truth is
/// exact: every segment starts and ends on the frames the generator drew it. Clips are MJPG in AVI,
/// which OpenCV writes without external codecs.
/// </summary>
public sealed class ClipGenerator
{
    /// <summary>Frame side in pixels.</summary>
    public int Size { get; init; } = 128;

    /// <summary>Frames per second.</summary>
    public double FramesPerSecond { get; init; } = 8;

    /// <summary>Frames per clip before the optional fall.</summary>
    public int Frames { get; init; } = 96;

    private enum Phase { Idle, Walk, Wave, WalkWave }

    /// <summary>Writes clip <paramref name="seed"/> into <paramref name="directory"/> and returns it with its ground truth.</summary>
    public SyntheticClip Write(string directory, int seed)
    {
        Directory.CreateDirectory(directory);
        var name = $"clip-{seed:D4}.avi";
        var path = System.IO.Path.Combine(directory, name);
        var random = new Random(seed);
        var script = Script(random);
        using var background = Background(random);
        var figure = new Figure(random, Size);
        using var writer = new VideoWriter(path, FourCC.MJPG, FramesPerSecond, new OpenCvSharp.Size(Size, Size));
        if (!writer.IsOpened()) throw new InvalidOperationException($"{name}: OpenCV could not open an MJPG writer");
        var active = new List<(string Label, int Frame)>();
        for (var f = 0; f < script.Count; f++)
        {
            var (walk, wave, fall) = script[f];
            figure.Step(walk, wave, fall);
            using var frame = background.Clone();
            figure.Draw(frame);
            writer.Write(frame);
            if (walk) active.Add((ActionLabels.Walk, f));
            if (wave) active.Add((ActionLabels.Wave, f));
            if (fall) active.Add((ActionLabels.Fall, f));
        }
        return new SyntheticClip(name, path, FramesPerSecond, script.Count, Segments(active, FramesPerSecond));
    }

    private List<(bool Walk, bool Wave, bool Fall)> Script(Random random)
    {
        var frames = new List<(bool, bool, bool)>();
        var previous = Phase.Idle;
        frames.AddRange(Enumerable.Repeat((false, false, false), random.Next(6, 12)));
        while (frames.Count < Frames)
        {
            Phase phase;
            do phase = (Phase)random.Next(4); while (phase == previous);
            previous = phase;
            var length = phase == Phase.Idle ? random.Next(8, 16) : random.Next(16, 32);
            length = Math.Min(length, Frames - frames.Count);
            var item = (phase is Phase.Walk or Phase.WalkWave, phase is Phase.Wave or Phase.WalkWave, false);
            frames.AddRange(Enumerable.Repeat(item, length));
        }
        if (random.NextDouble() < 0.6)
        {
            // A fall: 12 frames (1.5 s at 8 fps) of falling, then lying still.
            frames.AddRange(Enumerable.Repeat((false, false, true), 12));
            frames.AddRange(Enumerable.Repeat((false, false, false), 8));
        }
        return frames;
    }

    private Mat Background(Random random)
    {
        var bg = new Mat(Size, Size, MatType.CV_8UC3, new Scalar(random.Next(90, 170), random.Next(90, 170), random.Next(90, 170)));
        for (var i = 0; i < 6; i++)
        {
            var colour = new Scalar(random.Next(40, 220), random.Next(40, 220), random.Next(40, 220));
            var x = random.Next(Size);
            var y = random.Next(Size);
            Cv2.Rectangle(bg, new Rect(x, y, random.Next(10, 40), random.Next(10, 40)), colour, -1);
        }
        // Noise from the clip's own generator (OpenCV's Randu draws from a process-wide RNG).
        var noiseBytes = new byte[Size * Size * 3];
        random.NextBytes(noiseBytes);
        for (var i = 0; i < noiseBytes.Length; i++) noiseBytes[i] = (byte)(noiseBytes[i] % 24);
        using var noise = Mat.FromPixelData(Size, Size, MatType.CV_8UC3, noiseBytes);
        Cv2.Add(bg, noise, bg);
        Cv2.GaussianBlur(bg, bg, new OpenCvSharp.Size(3, 3), 0);
        return bg;
    }

    private static List<ActionSegment> Segments(List<(string Label, int Frame)> active, double fps)
    {
        var segments = new List<ActionSegment>();
        foreach (var group in active.GroupBy(a => a.Label))
        {
            var frames = group.Select(a => a.Frame).Order().ToList();
            var start = frames[0];
            for (var i = 1; i <= frames.Count; i++)
            {
                if (i < frames.Count && frames[i] == frames[i - 1] + 1) continue;
                segments.Add(new ActionSegment(group.Key, start / fps, (frames[i - 1] + 1) / fps));
                if (i < frames.Count) start = frames[i];
            }
        }
        return segments;
    }

    /// <summary>The stick figure's state between frames.</summary>
    private sealed class Figure
    {
        private readonly int _size;
        private readonly float _height;
        private readonly Scalar _colour;
        private readonly int _thickness;
        private float _x;
        private float _direction;
        private float _stride;
        private float _wavePhase;
        private float _fallAngle;
        private bool _fallen;
        private bool _waving;

        public Figure(Random random, int size)
        {
            _size = size;
            _height = size * (0.38f + 0.1f * random.NextSingle());
            _colour = new Scalar(random.Next(0, 60), random.Next(0, 60), random.Next(0, 60));
            if (random.Next(2) == 0) _colour = new Scalar(255 - _colour.Val0, 255 - _colour.Val1, 255 - _colour.Val2);
            _thickness = Math.Max(2, size / 40);
            _x = size * (0.3f + 0.4f * random.NextSingle());
            _direction = random.Next(2) == 0 ? -1 : 1;
        }

        public void Step(bool walk, bool wave, bool fall)
        {
            if (fall)
            {
                _fallAngle = MathF.Min(90, _fallAngle + 90f / 10);
                _fallen = true;
            }
            else if (_fallen) return;
            if (walk)
            {
                var speed = _size / 48f;
                _x += _direction * speed;
                if (_x < _size * 0.2f || _x > _size * 0.8f) _direction = -_direction;
                _stride += 0.9f;
            }
            _waving = wave;
            if (wave) _wavePhase += 1.6f;
        }

        public void Draw(Mat frame)
        {
            var ground = _size * 0.88f;
            var h = _height;
            var theta = _fallAngle * MathF.PI / 180 * (_direction > 0 ? 1 : -1);
            Point2f P(float dx, float dy)
            {
                // Figure coordinates: dx right, dy up from the feet; rotated about the feet when falling.
                var rx = dx * MathF.Cos(theta) + dy * MathF.Sin(theta);
                var ry = -dx * MathF.Sin(theta) + dy * MathF.Cos(theta);
                return new Point2f(_x + rx, ground - ry);
            }
            void Line(Point2f a, Point2f b) => Cv2.Line(frame, (Point)a, (Point)b, _colour, _thickness, LineTypes.AntiAlias);
            var swing = MathF.Sin(_stride) * h * 0.18f;
            var hip = P(0, h * 0.5f);
            var neck = P(0, h * 0.8f);
            Line(P(swing, 0), hip);
            Line(P(-swing, 0), hip);
            Line(hip, neck);
            Cv2.Circle(frame, (Point)P(0, h * 0.9f), (int)(h * 0.1f), _colour, -1, LineTypes.AntiAlias);
            var shoulder = new Vector2(0, h * 0.75f);
            // Left arm hangs, swinging against the legs.
            Line(P(shoulder.X, shoulder.Y), P(-swing * 0.8f - h * 0.05f, h * 0.45f));
            if (_waving)
            {
                var elbow = new Vector2(h * 0.15f, h * 0.95f);
                var angle = MathF.Sin(_wavePhase) * 0.8f;
                var hand = new Vector2(elbow.X + MathF.Sin(angle) * h * 0.2f, elbow.Y + MathF.Cos(angle) * h * 0.2f);
                Line(P(shoulder.X, shoulder.Y), P(elbow.X, elbow.Y));
                Line(P(elbow.X, elbow.Y), P(hand.X, hand.Y));
            }
            else Line(P(shoulder.X, shoulder.Y), P(swing * 0.8f + h * 0.05f, h * 0.45f));
        }

        private readonly record struct Vector2(float X, float Y);
    }
}
