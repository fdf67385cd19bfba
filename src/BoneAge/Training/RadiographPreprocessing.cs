using OpenCvSharp;

namespace Vigil.BoneAge.Training;

/// <summary>
/// Decodes a hand radiograph with OpenCV and prepares it for the ResNet backbone: grey levels
/// stretched between the 1st and 99th percentiles, the augmentation applied, letterboxed to a square
/// of <see cref="Size"/> pixels on a black background, then as the ImageNet network expects: three
/// equal channels in BGR order, 0-255, minus the per-channel ImageNet mean.
/// </summary>
public sealed class RadiographPreprocessing(int size)
{
    // Per-channel means (B, G, R) of ResNetPreprocess.onnx's 224x224 mean image, shipped with the backbone.
    private static readonly float[] BgrMean = [103.06262f, 115.90288f, 123.15163f];

    /// <summary>Side of the square input in pixels.</summary>
    public int Size { get; } = size > 31 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "must be at least 32.");

    /// <summary>Decodes <paramref name="path"/> as 8-bit grey.</summary>
    /// <exception cref="InvalidDataException">The file is missing or not a decodable image; the message names it.</exception>
    public static Mat Decode(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"{path}: not found.");
        var mat = Cv2.ImRead(path, ImreadModes.Grayscale);
        if (mat.Empty())
        {
            mat.Dispose();
            throw new InvalidDataException($"{path}: not a decodable image (OpenCV could not read it).");
        }
        return mat;
    }

    /// <summary>Returns the backbone input for one image, <c>[3, Size, Size]</c> values, channel-major.</summary>
    public float[] Prepare(Mat gray, RadiographAugmentation augmentation)
    {
        ArgumentNullException.ThrowIfNull(gray);
        ArgumentNullException.ThrowIfNull(augmentation);
        using var stretched = Stretch(gray);
        using var changed = Apply(stretched, augmentation);
        using var boxed = Letterbox(changed, Size);
        var plane = new byte[Size * Size];
        boxed.GetArray(out byte[] pixels);
        Array.Copy(pixels, plane, plane.Length);
        var output = new float[3 * Size * Size];
        for (var c = 0; c < 3; c++)
        {
            var offset = c * plane.Length;
            var mean = BgrMean[c];
            for (var i = 0; i < plane.Length; i++) output[offset + i] = plane[i] - mean;
        }
        return output;
    }

    // Percentile stretch 1..99 to 0..255.
    private static Mat Stretch(Mat gray)
    {
        var histogram = new long[256];
        gray.GetArray(out byte[] pixels);
        foreach (var p in pixels) histogram[p]++;
        int Percentile(double q)
        {
            var target = (long)(q * pixels.Length);
            long sum = 0;
            for (var v = 0; v < 256; v++) { sum += histogram[v]; if (sum > target) return v; }
            return 255;
        }
        var low = Percentile(0.01);
        var high = Math.Max(low + 1, Percentile(0.99));
        var result = new Mat();
        gray.ConvertTo(result, MatType.CV_8UC1, 255.0 / (high - low), -low * 255.0 / (high - low));
        return result;
    }

    internal static Mat Apply(Mat image, RadiographAugmentation a)
    {
        var current = image.Clone();
        if (a.Invert) Cv2.BitwiseNot(current, current);
        if (Math.Abs(a.Gamma - 1) > 1e-9)
        {
            var lut = new byte[256];
            for (var i = 0; i < 256; i++) lut[i] = (byte)Math.Clamp(Math.Round(255 * Math.Pow(i / 255.0, a.Gamma)), 0, 255);
            using var table = Mat.FromPixelData(1, 256, MatType.CV_8UC1, lut);
            Cv2.LUT(current, table, current);
        }
        if (a.FlipHorizontal) Cv2.Flip(current, current, FlipMode.Y);
        if (Math.Abs(a.RotationDegrees) > 1e-9 || Math.Abs(a.Scale - 1) > 1e-9)
        {
            using var m = Cv2.GetRotationMatrix2D(new Point2f(current.Cols / 2f, current.Rows / 2f), a.RotationDegrees, a.Scale);
            var warped = new Mat();
            Cv2.WarpAffine(current, warped, m, current.Size(), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.Black);
            current.Dispose();
            current = warped;
        }
        if (a.Downscale < 1)
        {
            var small = new Mat();
            Cv2.Resize(current, small, new OpenCvSharp.Size(Math.Max(1, (int)(current.Cols * a.Downscale)), Math.Max(1, (int)(current.Rows * a.Downscale))), 0, 0, InterpolationFlags.Area);
            current.Dispose();
            current = small;
        }
        return current;
    }

    private static Mat Letterbox(Mat image, int size)
    {
        var scale = size / (double)Math.Max(image.Cols, image.Rows);
        var w = Math.Clamp((int)Math.Round(image.Cols * scale), 1, size);
        var h = Math.Clamp((int)Math.Round(image.Rows * scale), 1, size);
        using var resized = new Mat();
        Cv2.Resize(image, resized, new OpenCvSharp.Size(w, h), 0, 0, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        var canvas = new Mat(size, size, MatType.CV_8UC1, Scalar.Black);
        using (var roi = new Mat(canvas, new Rect((size - w) / 2, (size - h) / 2, w, h))) resized.CopyTo(roi);
        return canvas;
    }
}
