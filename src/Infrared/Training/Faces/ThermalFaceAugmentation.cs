using OpenCvSharp;
using Vigil.Infrared.Faces;

namespace Vigil.Infrared.Training.Faces;

/// <summary>
/// Training-time changes of a thermal image and its boxes, all drawn from one seeded
/// <see cref="Random"/>: a scale (0.75–1.35 unless given) with a shift (faces of other sizes and places), a
/// horizontal flip, and palette changes — the grey image re-coloured with another OpenCV colour map
/// (jet, hot, inferno, rainbow, ...), a channel permutation, grey or inverted grey — and brightness/contrast
/// jitter, so the detector does not learn one palette.
/// </summary>
public static class ThermalFaceAugmentation
{
    private static readonly ColormapTypes[] Maps =
        [ColormapTypes.Jet, ColormapTypes.Hot, ColormapTypes.Inferno, ColormapTypes.Rainbow, ColormapTypes.Magma, ColormapTypes.Plasma, ColormapTypes.Turbo, ColormapTypes.Bone, ColormapTypes.Autumn];

    /// <summary>An augmented copy of <paramref name="bgr"/> (same size) and its boxes; boxes whose centre leaves the image are dropped.</summary>
    public static (Mat Image, List<ThermalFace> Faces) Apply(Mat bgr, IReadOnlyList<ThermalFace> faces, Random random) =>
        Apply(bgr, faces, random, 0.75, 1.35);

    /// <summary>An augmented copy of <paramref name="bgr"/> (same size) and its boxes, the scale drawn from <paramref name="scaleMin"/>..<paramref name="scaleMax"/>; boxes whose centre leaves the image are dropped.</summary>
    public static (Mat Image, List<ThermalFace> Faces) Apply(Mat bgr, IReadOnlyList<ThermalFace> faces, Random random, double scaleMin, double scaleMax)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        ArgumentNullException.ThrowIfNull(random);
        int w = bgr.Width, h = bgr.Height;
        var s = scaleMin + random.NextDouble() * (scaleMax - scaleMin);
        var flip = random.NextDouble() < 0.5;
        var tx = (random.NextDouble() - 0.5) * 0.3 * w + (1 - s) * w / 2;
        var ty = (random.NextDouble() - 0.5) * 0.3 * h + (1 - s) * h / 2;
        var a = flip ? -s : s;
        var bx = flip ? w * s + tx : tx;
        using var m = Mat.FromPixelData(2, 3, MatType.CV_64FC1, new double[] { a, 0, bx, 0, s, ty });
        var image = new Mat();
        Cv2.WarpAffine(bgr, image, m, new OpenCvSharp.Size(w, h), InterpolationFlags.Linear, BorderTypes.Reflect101);
        var moved = new List<ThermalFace>();
        foreach (var f in faces)
        {
            var x1 = a * f.X + bx;
            var x2 = a * (f.X + f.Width) + bx;
            var y1 = s * f.Y + ty;
            var y2 = s * (f.Y + f.Height) + ty;
            var (l, r) = x1 < x2 ? (x1, x2) : (x2, x1);
            var cx = (l + r) / 2;
            var cy = (y1 + y2) / 2;
            if (cx < 0 || cy < 0 || cx >= w || cy >= h) continue;
            moved.Add(ThermalFace.FromCorners((float)l, (float)y1, (float)r, (float)y2, 1));
        }
        Recolour(image, random);
        return (image, moved);
    }

    private static void Recolour(Mat image, Random random)
    {
        var pick = random.NextDouble();
        if (pick < 0.35)
        {
            using var grey = new Mat();
            Cv2.CvtColor(image, grey, ColorConversionCodes.BGR2GRAY);
            if (pick < 0.2) Cv2.ApplyColorMap(grey, image, Maps[random.Next(Maps.Length)]);
            else
            {
                if (pick < 0.27) Cv2.BitwiseNot(grey, grey);
                Cv2.CvtColor(grey, image, ColorConversionCodes.GRAY2BGR);
            }
        }
        else if (pick < 0.55)
        {
            var channels = Cv2.Split(image);
            var order = new[] { 0, 1, 2 };
            random.Shuffle(order);
            Cv2.Merge([channels[order[0]], channels[order[1]], channels[order[2]]], image);
            foreach (var c in channels) c.Dispose();
        }
        var contrast = 0.7 + random.NextDouble() * 0.6;
        var brightness = (random.NextDouble() - 0.5) * 50;
        image.ConvertTo(image, MatType.CV_8UC3, contrast, brightness + (1 - contrast) * 128);
    }
}
