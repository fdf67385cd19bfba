using OpenCvSharp;
using Vigil.Models.Tensors;

namespace Vigil.Infrared.Faces;

/// <summary>
/// MediaPipe's short-range face detector (BlazeFace, 128×128, the ONNX export in the shared
/// assets) as it is: the image letterboxed to 128×128, RGB in [−1, 1], NHWC; 896 SSD anchors
/// (strides 8, 16, 16, 16), score = sigmoid, box centre = anchor + offset, greedy NMS at 0.3.
/// </summary>
public sealed class BlazeFaceThermalBaseline : RgbThermalBaseline
{
    private const int Side = 128;
    private static readonly (float X, float Y)[] Anchors = BuildAnchors();
    private readonly string _scoresName;
    private readonly string _boxesName;

    /// <summary>Opens <c>blazeface_front_128x128_barracuda.onnx</c> from <paramref name="modelsDirectory"/>.</summary>
    public BlazeFaceThermalBaseline(string modelsDirectory, ThermalPreprocessing preprocessing)
        : base("blazeface", Path.Combine(modelsDirectory, "blazeface_front_128x128_barracuda.onnx"), "blazeface-front-128", "1.2.0", "d388b1cf8a5f6f1a", preprocessing)
    {
        string Find(int last) => Session.Outputs.FirstOrDefault(o => o.Rank >= 2 && o.Dimensions[^1].Size == last)?.Name
            ?? throw new InvalidDataException($"blazeface: no output whose last dimension is {last} (outputs: {string.Join(", ", Session.Outputs.Select(o => o.ToString()))}).");
        _scoresName = Find(1);
        _boxesName = Find(16);
    }

    private protected override List<ThermalFace> Decode(Mat shown, float minScore)
    {
        var scale = (float)Side / Math.Max(shown.Width, shown.Height);
        var w = Math.Max(1, (int)MathF.Round(shown.Width * scale));
        var h = Math.Max(1, (int)MathF.Round(shown.Height * scale));
        int padX = (Side - w) / 2, padY = (Side - h) / 2;
        using var resized = new Mat();
        Cv2.Resize(shown, resized, new OpenCvSharp.Size(w, h), 0, 0, InterpolationFlags.Linear);
        using var boxed = new Mat();
        Cv2.CopyMakeBorder(resized, boxed, padY, Side - h - padY, padX, Side - w - padX, BorderTypes.Constant, Scalar.All(0));
        using var input = DenseTensor<float>.Wrap(ImageTensors.NhwcRgb(boxed, 1 / 127.5f, 1, 1), 1, Side, Side, 3);
        using var result = Session.Run(Session.Inputs[0].Name, input);
        var scores = result.Get<float>(_scoresName).Span;
        var boxes = result.Get<float>(_boxesName).Span;
        var faces = new List<ThermalFace>();
        for (var i = 0; i < Anchors.Length && i < scores.Length; i++)
        {
            var s = 1f / (1f + MathF.Exp(-Math.Clamp(scores[i], -80f, 80f)));
            if (s < minScore) continue;
            var cx = (boxes[16 * i] + Anchors[i].X * Side - padX) / scale;
            var cy = (boxes[16 * i + 1] + Anchors[i].Y * Side - padY) / scale;
            var bw = boxes[16 * i + 2] / scale;
            var bh = boxes[16 * i + 3] / scale;
            faces.Add(new ThermalFace(cx - bw / 2, cy - bh / 2, bw, bh, s));
        }
        return faces;
    }

    // Strides 8, 16, 16, 16; layers of equal stride share a grid, two anchors per layer per cell.
    private static (float X, float Y)[] BuildAnchors()
    {
        var result = new List<(float, float)>(896);
        foreach (var (grid, perCell) in new[] { (16, 2), (8, 6) })
            for (var y = 0; y < grid; y++)
                for (var x = 0; x < grid; x++)
                    for (var a = 0; a < perCell; a++)
                        result.Add(((x + 0.5f) / grid, (y + 0.5f) / grid));
        return [.. result];
    }
}
