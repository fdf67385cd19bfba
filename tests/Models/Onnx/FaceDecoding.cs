using System.Text.Json;

namespace Vigil.Models.Tests.Onnx;

/// <summary>A face box in source-image pixels, with optional landmarks.</summary>
internal sealed record FaceBox(float Score, float X1, float Y1, float X2, float Y2, (float X, float Y)[] Landmarks)
{
    public float Area => Math.Max(0, X2 - X1) * Math.Max(0, Y2 - Y1);

    public float IoU(FaceBox o)
    {
        var w = Math.Min(X2, o.X2) - Math.Max(X1, o.X1);
        var h = Math.Min(Y2, o.Y2) - Math.Max(Y1, o.Y1);
        if (w <= 0 || h <= 0) return 0;
        var inter = w * h;
        return inter / (Area + o.Area - inter);
    }

    public override string ToString() => $"{Score:F3} [{X1:F1},{Y1:F1},{X2:F1},{Y2:F1}]";
}

/// <summary>
/// Post-processing used to check the face models against the recipes in
/// expected/face_models_expected.json (UltraFace and YuNet decoding, greedy NMS).
/// </summary>
internal static class FaceDecoding
{
    /// <summary>Greedy non-maximum suppression: highest score first, drop boxes overlapping a kept one above the threshold.</summary>
    public static List<FaceBox> Nms(IEnumerable<FaceBox> boxes, float iouThreshold)
    {
        var kept = new List<FaceBox>();
        foreach (var b in boxes.OrderByDescending(b => b.Score))
            if (kept.All(k => k.IoU(b) <= iouThreshold)) kept.Add(b);
        return kept;
    }

    /// <summary>UltraFace: keep face score above the threshold, scale normalised x1y1x2y2 by the source size, NMS.</summary>
    public static List<FaceBox> UltraFace(ReadOnlySpan<float> scores, ReadOnlySpan<float> boxes, int width, int height,
        float threshold = 0.7f, float iou = 0.3f)
    {
        var list = new List<FaceBox>();
        var n = scores.Length / 2;
        for (var i = 0; i < n; i++)
        {
            var s = scores[2 * i + 1];
            if (s <= threshold) continue;
            list.Add(new FaceBox(s, boxes[4 * i] * width, boxes[4 * i + 1] * height, boxes[4 * i + 2] * width, boxes[4 * i + 3] * height, []));
        }
        return Nms(list, iou);
    }

    /// <summary>YuNet (OpenCV FaceDetectorYN decode) over the 12 outputs named cls/obj/bbox/kps_{8,16,32}.</summary>
    public static List<FaceBox> YuNet(Func<string, float[]> output, int inputSize = 640, float threshold = 0.6f, float iou = 0.3f)
    {
        var list = new List<FaceBox>();
        foreach (var stride in new[] { 8, 16, 32 })
        {
            var cols = inputSize / stride;
            var cls = output($"cls_{stride}");
            var obj = output($"obj_{stride}");
            var bbox = output($"bbox_{stride}");
            var kps = output($"kps_{stride}");
            for (var idx = 0; idx < cls.Length; idx++)
            {
                var score = MathF.Sqrt(Math.Clamp(cls[idx], 0, 1) * Math.Clamp(obj[idx], 0, 1));
                if (score <= threshold) continue;
                var r = idx / cols;
                var c = idx % cols;
                var cx = (c + bbox[4 * idx]) * stride;
                var cy = (r + bbox[4 * idx + 1]) * stride;
                var w = MathF.Exp(bbox[4 * idx + 2]) * stride;
                var h = MathF.Exp(bbox[4 * idx + 3]) * stride;
                var marks = new (float, float)[5];
                for (var j = 0; j < 5; j++)
                    marks[j] = ((kps[10 * idx + 2 * j] + c) * stride, (kps[10 * idx + 2 * j + 1] + r) * stride);
                list.Add(new FaceBox(score, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, marks));
            }
        }
        return Nms(list, iou);
    }

    /// <summary>The expected detections of <paramref name="model"/> on <paramref name="tag"/> from face_models_expected.json.</summary>
    public static List<FaceBox> Expected(string model, string tag)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedAssets.Expected("face_models_expected.json")));
        var section = doc.RootElement.EnumerateObject().First(p => p.Name.StartsWith(model, StringComparison.Ordinal)).Value;
        var result = new List<FaceBox>();
        foreach (var d in section.GetProperty("detections").GetProperty(tag).EnumerateArray())
        {
            var b = d.GetProperty("box_xyxy").EnumerateArray().Select(x => x.GetSingle()).ToArray();
            var marks = d.TryGetProperty("landmarks5_xy", out var lm)
                ? lm.EnumerateArray().Select(p => (p[0].GetSingle(), p[1].GetSingle())).ToArray()
                : [];
            result.Add(new FaceBox(d.GetProperty("score").GetSingle(), b[0], b[1], b[2], b[3], marks));
        }
        return result;
    }

    /// <summary>Asserts each expected box has a detection with IoU ≥ 0.9 and a close score, and no extra detections.</summary>
    public static void AssertMatches(List<FaceBox> expected, List<FaceBox> actual, float landmarkTolerancePx = 2f)
    {
        Assert.True(expected.Count == actual.Count,
            $"expected {expected.Count} faces [{string.Join("; ", expected)}], got {actual.Count} [{string.Join("; ", actual)}]");
        foreach (var e in expected)
        {
            var best = actual.MaxBy(a => a.IoU(e))!;
            Assert.True(best.IoU(e) >= 0.9f, $"no detection with IoU >= 0.9 for {e}; best {best} IoU {best.IoU(e):F3}");
            Assert.True(Math.Abs(best.Score - e.Score) < 0.01f, $"score {best.Score} vs expected {e.Score}");
            for (var j = 0; j < e.Landmarks.Length; j++)
            {
                var dx = best.Landmarks[j].X - e.Landmarks[j].X;
                var dy = best.Landmarks[j].Y - e.Landmarks[j].Y;
                Assert.True(MathF.Sqrt(dx * dx + dy * dy) <= landmarkTolerancePx, $"landmark {j} off by ({dx:F2},{dy:F2}) px");
            }
        }
    }

    /// <summary>Largest absolute difference between two equally long arrays.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        return max;
    }
}
