using OpenCvSharp;
using static TorchSharp.torch;

namespace Vigil.Models.Training.Adaptation;

/// <summary>
/// Images for adaptation: read as greyscale, resized to a square (area interpolation), scaled to
/// [-1, 1], stacked as float tensors [N, 1, size, size].
/// </summary>
public static class AdaptationImages
{
    /// <summary>File extensions read as images.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".pgm", ".tif", ".tiff" };

    /// <summary>Image files under <paramref name="directory"/> (all subfolders), in ordinal order.</summary>
    public static string[] List(string directory) => Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
        .Where(f => Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Greyscale pixels of a <paramref name="size"/>×<paramref name="size"/> copy of <paramref name="grey"/>, in [-1, 1].</summary>
    public static float[] Pixels(Mat grey, int size)
    {
        ArgumentNullException.ThrowIfNull(grey);
        if (grey.Type() != MatType.CV_8UC1)
            throw new ArgumentException($"expects an 8-bit single-channel image, got {grey.Type()}.", nameof(grey));
        using var small = new Mat();
        Cv2.Resize(grey, small, new OpenCvSharp.Size(size, size), 0, 0, InterpolationFlags.Area);
        var bytes = new byte[size * size];
        using var continuous = small.IsContinuous() ? null : small.Clone();
        System.Runtime.InteropServices.Marshal.Copy((continuous ?? small).Data, bytes, 0, bytes.Length);
        var result = new float[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) result[i] = bytes[i] / 127.5f - 1f;
        return result;
    }

    /// <summary>Reads <paramref name="path"/> as greyscale and returns <see cref="Pixels"/>.</summary>
    /// <exception cref="InvalidDataException">The file cannot be decoded; the message names it.</exception>
    public static float[] Read(string path, int size)
    {
        using var grey = Cv2.ImRead(path, ImreadModes.Grayscale);
        if (grey.Empty()) throw new InvalidDataException($"{path}: not an image OpenCV can decode.");
        return Pixels(grey, size);
    }

    /// <summary>Stacks equally sized pixel arrays into a tensor [N, 1, size, size].</summary>
    public static Tensor Stack(IReadOnlyList<float[]> images, int size)
    {
        ArgumentNullException.ThrowIfNull(images);
        TorchSharpNative.EnsureLoaded();
        var all = new float[images.Count * size * size];
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Length != size * size) throw new ArgumentException($"image {i} has {images[i].Length} pixels, {size * size} expected.", nameof(images));
            images[i].CopyTo(all, i * size * size);
        }
        return tensor(all, [images.Count, 1, size, size]);
    }
}
