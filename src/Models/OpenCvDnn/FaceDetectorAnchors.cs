namespace Vigil.Models.OpenCvDnn;

/// <summary>
/// The SSD anchors of MediaPipe's short-range face detector (BlazeFace, 128×128 input): strides
/// 8, 16, 16, 16 with two anchors per cell per layer, consecutive layers of equal stride sharing
/// their grid, fixed anchor size, centres at cell centres. That gives 16×16×2 + 8×8×6 = 896
/// anchors, in the order the model's 896 outputs use.
/// </summary>
internal static class FaceDetectorAnchors
{
    public const int InputSize = 128;

    /// <summary>Anchor centres (x, y) in [0, 1], one per detector output row.</summary>
    public static (float X, float Y)[] Centres { get; } = Build();

    private static (float X, float Y)[] Build()
    {
        int[] strides = [8, 16, 16, 16];
        var result = new List<(float, float)>(896);
        var layer = 0;
        while (layer < strides.Length)
        {
            // Layers with the same stride share one grid: two anchors each per cell.
            var last = layer;
            while (last + 1 < strides.Length && strides[last + 1] == strides[layer]) last++;
            var perCell = 2 * (last - layer + 1);
            var grid = InputSize / strides[layer];
            for (var y = 0; y < grid; y++)
                for (var x = 0; x < grid; x++)
                    for (var a = 0; a < perCell; a++)
                        result.Add(((x + 0.5f) / grid, (y + 0.5f) / grid));
            layer = last + 1;
        }
        return result.ToArray();
    }
}
