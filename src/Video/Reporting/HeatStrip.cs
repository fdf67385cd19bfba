using OpenCvSharp;

namespace Vigil.Video.Reporting;

/// <summary>
/// Explanation images: frames side by side, each with the backbone's patch heat map laid over it
/// (JET colours, half transparent), so a reader sees where the model looked.
/// </summary>
public static class HeatStrip
{
    /// <summary>Writes a PNG strip of <paramref name="frames"/> (BGR) with their heat maps (rows×columns grid) at <paramref name="height"/> px per tile.</summary>
    public static void Write(string path, IReadOnlyList<(Mat Frame, float[] Heat)> frames, int rows, int columns, int height = 160)
    {
        if (frames.Count == 0) throw new ArgumentException("no frames for the heat-map strip");
        var tiles = new List<Mat>();
        try
        {
            foreach (var (frame, heat) in frames) tiles.Add(Overlay(frame, heat, rows, columns, height));
            using var strip = new Mat();
            Cv2.HConcat(tiles.ToArray(), strip);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            if (!Cv2.ImWrite(path, strip)) throw new IOException($"{path}: OpenCV could not write the PNG");
        }
        finally
        {
            foreach (var t in tiles) t.Dispose();
        }
    }

    // The frame at height px with the heat map (normalised per frame) laid over it in JET colours.
    internal static Mat Overlay(Mat frame, float[] heat, int rows, int columns, int height)
    {
        var width = (int)Math.Round(frame.Width * (double)height / frame.Height);
        var tile = new Mat();
        Cv2.Resize(frame, tile, new OpenCvSharp.Size(width, height));
        // Heat normalised per frame (min → 0, max → 255), so each tile shows its own focus.
        var min = heat.Min();
        var max = heat.Max();
        var scale = max > min ? 255f / (max - min) : 0f;
        var bytes = heat.Select(v => (byte)Math.Clamp((v - min) * scale, 0, 255)).ToArray();
        using var grid = Mat.FromPixelData(rows, columns, MatType.CV_8UC1, bytes);
        using var large = new Mat();
        Cv2.Resize(grid, large, new OpenCvSharp.Size(width, height), 0, 0, InterpolationFlags.Cubic);
        using var colour = new Mat();
        Cv2.ApplyColorMap(large, colour, ColormapTypes.Jet);
        Cv2.AddWeighted(tile, 0.5, colour, 0.5, 0, tile);
        return tile;
    }
}
