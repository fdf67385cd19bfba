using System.Globalization;
using OpenCvSharp;
using Vigil.Infrared.ActionUnits;

namespace Vigil.Infrared.Training.ActionUnits;

/// <summary>One evaluation pair: the teacher's AUs on the visible image and the thermal crop at the same box.</summary>
/// <param name="Name">Pair name, e.g. <c>PP_eur_real#3</c>.</param>
/// <param name="Teacher">Teacher AU intensities on the visible image.</param>
/// <param name="Visible">The visible face crop (student input size).</param>
/// <param name="Thermal">The thermal face crop at the same box.</param>
public sealed record AuEvalPair(string Name, float[] Teacher, float[] Visible, float[] Thermal);

/// <summary>
/// The AU student's data from the shared folders: labelled source (RGB face crops with the teacher's
/// AUs, mirrored copies added), unlabelled target (thermal face crops), and the paired evaluation
/// faces. Pairs used for evaluation never feed training: speakingfaces ids 1-4 train, ids 5-8 and
/// both visible_thermal_pairs strips evaluate.
/// </summary>
public sealed class AuStudentData
{
    /// <summary>SpeakingFaces ids whose halves are training data; the others are evaluation pairs.</summary>
    public static readonly int[] TrainingSpeakingFaces = [1, 2, 3, 4];

    /// <summary>
    /// RGB clips under assets/video read as labelled source: (path, every n-th frame, frames read at most).
    /// The first four are session 5's; the action clips (arm wrestling, drinking, falls, AVA-style scenes)
    /// and the walking clip add other people and strained expressions. None of them is an evaluation pair.
    /// </summary>
    public static readonly (string Clip, int Every, int MaxFrames)[] SourceClips =
    [
        ("head-pose-face-detection-female.gif", 1, 120), ("face-demographics-walking.gif", 1, 120), ("help.mkv", 2, 120), ("thanks.mkv", 2, 120),
        ("one-by-one-person-detection.mp4", 5, 1400),
        ("actions/demo.mp4", 3, 300), ("actions/test.avi", 3, 300), ("actions/S001C001P001R001A001_rgb.avi", 2, 300),
        ("actions/demo_skeleton.mp4", 2, 300), ("actions/test.mp4", 3, 300), ("actions/demo_spatiotemporal_det.mp4", 3, 300),
        ("actions/test_video_structuralize.mp4", 3, 300), ("actions/fall-01-cam0.mp4", 2, 300),
    ];

    /// <summary>Source crops (RGB, labelled by the teacher).</summary>
    public List<float[]> SourceCrops { get; } = [];
    /// <summary>Teacher AU intensities of each source crop.</summary>
    public List<float[]> SourceLabels { get; } = [];
    /// <summary>Where the source crops came from, for provenance (file → faces).</summary>
    public SortedDictionary<string, int> SourceOrigins { get; } = new(StringComparer.Ordinal);
    /// <summary>Target crops (thermal, unlabelled).</summary>
    public List<float[]> TargetCrops { get; } = [];
    /// <summary>Evaluation pairs.</summary>
    public List<AuEvalPair> Pairs { get; } = [];
    /// <summary>Evaluation pairs skipped because the teacher found no face on the visible image.</summary>
    public List<string> SkippedPairs { get; } = [];

    /// <summary>Reads everything from <paramref name="shared"/> with the teacher; progress lines go to <paramref name="log"/>.</summary>
    public static AuStudentData Build(ActionUnitTeacher teacher, string shared, int size, TextWriter log, int maxThermalFaces = 800)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        var d = new AuStudentData();
        string Need(string relative)
        {
            var p = Path.Combine(shared, relative);
            return File.Exists(p) || Directory.Exists(p) ? p : throw new FileNotFoundException($"{p}: shared data needed by the AU student is missing.", p);
        }

        foreach (var file in Directory.GetFiles(Need("assets/faces"), "*.png").Order(StringComparer.Ordinal))
        {
            using var image = Cv2.ImRead(file, ImreadModes.Color);
            d.AddSource(teacher, image, Path.GetFileName(file), 0, size);
        }
        foreach (var (clip, every, maxFrames) in SourceClips)
        {
            var path = Need(Path.Combine("assets/video", clip));
            using var capture = new VideoCapture(path);
            using var frame = new Mat();
            var index = 0;
            while (index < maxFrames && capture.Read(frame) && !frame.Empty())
            {
                if (index++ % every != 0) continue;
                using var bgr = frame.Channels() == 3 ? frame.Clone() : frame.CvtColor(ColorConversionCodes.BGRA2BGR);
                d.AddSource(teacher, bgr, clip, 0, size);
            }
            log.WriteLine($"au data: {clip}: {index} frames read, {d.SourceOrigins.GetValueOrDefault(clip)} faces labelled");
        }
        var pairs = Need("assets/thermal/speakingfaces_pairs");
        foreach (var id in TrainingSpeakingFaces)
        {
            using var visible = Cv2.ImRead(Path.Combine(pairs, $"sf_id{id}_visual.png"), ImreadModes.Color);
            using var thermal = Cv2.ImRead(Path.Combine(pairs, $"sf_id{id}_thermal.png"), ImreadModes.Color);
            var reading = d.AddSource(teacher, visible, $"sf_id{id}_visual.png", 0.3, size);
            var box = reading is null ? (0f, 0f, thermal.Width, thermal.Height) : Scale(reading, visible, thermal);
            d.TargetCrops.Add(FaceCrops.Crop(thermal, box.Item1, box.Item2, box.Item3, box.Item4, size));
        }

        var chips = Need("data/thermal-faces/chips");
        foreach (var label in Directory.GetFiles(Path.Combine(chips, "labels"), "*.txt").Order(StringComparer.Ordinal))
        {
            if (d.TargetCrops.Count >= maxThermalFaces) break;
            var image = Path.Combine(chips, "images", Path.GetFileNameWithoutExtension(label) + ".jpeg");
            if (!File.Exists(image)) continue;
            using var mat = Cv2.ImRead(image, ImreadModes.Color);
            if (mat.Empty()) throw new InvalidDataException($"{image}: not an image OpenCV can decode.");
            int width = mat.Width, height = mat.Height;
            foreach (var line in File.ReadAllLines(label))
            {
                if (ParseYolo(line) is not { } b) continue;
                var (x1, y1, x2, y2) = (b.Cx - b.W / 2, b.Cy - b.H / 2, b.Cx + b.W / 2, b.Cy + b.H / 2);
                if ((x2 - x1) * width < 12) continue; // too small to show a face's parts
                d.TargetCrops.Add(FaceCrops.Crop(mat, x1 * width, y1 * height, x2 * width, y2 * height, size));
            }
        }
        log.WriteLine($"au data: {d.SourceCrops.Count} labelled RGB crops (with mirrors), {d.TargetCrops.Count} thermal crops");

        var strips = Need("assets/thermal/visible_thermal_pairs");
        foreach (var set in new[] { "PP_eur_real", "PP_iris_real" })
        {
            using var a = Cv2.ImRead(Path.Combine(strips, set + "A.png"), ImreadModes.Color);
            using var b = Cv2.ImRead(Path.Combine(strips, set + "B.png"), ImreadModes.Color);
            if (a.Empty() || b.Empty() || a.Size() != b.Size() || a.Height == 0 || a.Width % a.Height != 0)
                throw new InvalidDataException($"{strips}: {set}A/B must be two equally sized strips of square pairs.");
            int side = a.Height, count = a.Width / side;
            for (var i = 0; i < count; i++)
            {
                using var va = new Mat(a, new Rect(i * side, 0, side, side));
                using var vb = new Mat(b, new Rect(i * side, 0, side, side));
                d.AddPair(teacher, $"{set}#{i + 1}", va, vb, size);
            }
        }
        foreach (var id in Enumerable.Range(1, 8).Except(TrainingSpeakingFaces))
        {
            using var visible = Cv2.ImRead(Path.Combine(pairs, $"sf_id{id}_visual.png"), ImreadModes.Color);
            using var thermal = Cv2.ImRead(Path.Combine(pairs, $"sf_id{id}_thermal.png"), ImreadModes.Color);
            d.AddPair(teacher, $"sf_id{id}", visible, thermal, size);
        }
        log.WriteLine($"au data: {d.Pairs.Count} evaluation pairs, {d.SkippedPairs.Count} skipped (no face on the visible image)");
        return d;
    }

    private AuReading? AddSource(ActionUnitTeacher teacher, Mat bgr, string origin, double pad, int size)
    {
        if (bgr.Empty()) throw new InvalidDataException($"{origin}: not an image OpenCV can decode.");
        var r = teacher.Read(bgr, pad);
        if (r is null || r.Width < 24) return null;
        var crop = FaceCrops.Crop(bgr, r.X1, r.Y1, r.X2, r.Y2, size);
        SourceCrops.Add(crop);
        SourceLabels.Add(r.Intensities);
        SourceCrops.Add(FaceCrops.Mirror(crop, size));
        SourceLabels.Add(r.Intensities);
        SourceOrigins[origin] = SourceOrigins.GetValueOrDefault(origin) + 1;
        return r;
    }

    private void AddPair(ActionUnitTeacher teacher, string name, Mat visible, Mat thermal, int size)
    {
        var r = teacher.Read(visible, 0.3);
        if (r is null)
        {
            SkippedPairs.Add(name);
            return;
        }
        var (x1, y1, x2, y2) = Scale(r, visible, thermal);
        Pairs.Add(new AuEvalPair(name, r.Intensities, FaceCrops.Crop(visible, r.X1, r.Y1, r.X2, r.Y2, size), FaceCrops.Crop(thermal, x1, y1, x2, y2, size)));
    }

    // The pairs are aligned: the visible face box maps to the thermal image by the ratio of sizes.
    private static (float, float, float, float) Scale(AuReading r, Mat visible, Mat thermal)
    {
        float sx = thermal.Width / (float)visible.Width, sy = thermal.Height / (float)visible.Height;
        return (r.X1 * sx, r.Y1 * sy, r.X2 * sx, r.Y2 * sy);
    }

    // YOLO "class cx cy w h", normalised; some source lines glue the class to cx ("00.1625 ...").
    internal static (float Cx, float Cy, float W, float H)? ParseYolo(string line)
    {
        var t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (t.Length == 4 && t[0].Length > 1 && t[0][0] == '0') t = ["0", t[0][1..], t[1], t[2], t[3]];
        if (t.Length != 5) return null;
        var v = new float[4];
        for (var i = 0; i < 4; i++)
            if (!float.TryParse(t[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !float.IsFinite(v[i])) return null;
        return v[2] > 0 && v[3] > 0 ? (v[0], v[1], v[2], v[3]) : null;
    }
}
