namespace Vigil.Infrared.Faces;

/// <summary>
/// The layout of the thermal face network's output, shared by training (targets) and serving
/// (decoding): a map [N, 5, H/4, W/4] whose channels per cell are the face logit, the box centre's
/// offset from the cell centre (x, y, in cells) and log(width / 4), log(height / 4).
/// </summary>
public static class ThermalFaceNetwork
{
    /// <summary>Pixels per output cell.</summary>
    public const int Stride = 4;

    /// <summary>Channels per output cell.</summary>
    public const int Channels = 5;

    /// <summary>Boxes of every cell of one image's map (channel-major [5, rows, cols]) whose face probability is at least <paramref name="minScore"/>, in network-input pixels.</summary>
    public static List<ThermalFace> Decode(ReadOnlySpan<float> map, int rows, int cols, float minScore)
    {
        var plane = rows * cols;
        if (map.Length < Channels * plane)
            throw new ArgumentException($"the map holds {map.Length} values; {Channels}x{rows}x{cols} expected.", nameof(map));
        var faces = new List<ThermalFace>();
        for (var i = 0; i < plane; i++)
        {
            var score = 1f / (1f + MathF.Exp(-Math.Clamp(map[i], -80f, 80f)));
            if (score < minScore) continue;
            var cx = (i % cols + 0.5f + map[plane + i]) * Stride;
            var cy = (i / cols + 0.5f + map[2 * plane + i]) * Stride;
            var w = MathF.Exp(Math.Clamp(map[3 * plane + i], -4f, 6f)) * Stride;
            var h = MathF.Exp(Math.Clamp(map[4 * plane + i], -4f, 6f)) * Stride;
            faces.Add(new ThermalFace(cx - w / 2, cy - h / 2, w, h, score));
        }
        return faces;
    }
}
