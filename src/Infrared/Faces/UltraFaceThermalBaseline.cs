using OpenCvSharp;
using Vigil.Models.Tensors;

namespace Vigil.Infrared.Faces;

/// <summary>
/// UltraFace RFB-320 as it is, on a thermal image after a <see cref="ThermalPreprocessing"/>: the
/// image stretched to 320×240, RGB (pixel − 127) / 128; boxes are normalised corners, greedy NMS at 0.3.
/// (An upscale changes nothing but the resampling, since the network's input size is fixed.)
/// </summary>
public sealed class UltraFaceThermalBaseline : RgbThermalBaseline
{
    /// <summary>Opens <c>ultraface_version-RFB-320.onnx</c> from <paramref name="modelsDirectory"/>.</summary>
    public UltraFaceThermalBaseline(string modelsDirectory, ThermalPreprocessing preprocessing)
        : base("ultraface", Path.Combine(modelsDirectory, "ultraface_version-RFB-320.onnx"), "ultraface-rfb-320", "1.0.0", "34cd7e60aeff2874", preprocessing)
    {
    }

    private protected override List<ThermalFace> Decode(Mat shown, float minScore)
    {
        using var resized = new Mat();
        Cv2.Resize(shown, resized, new OpenCvSharp.Size(320, 240), 0, 0, InterpolationFlags.Linear);
        using var input = DenseTensor<float>.Wrap(ImageTensors.Nchw(resized, rgb: true, 1, 127, 128), 1, 3, 240, 320);
        using var result = Session.Run("input", input);
        var scores = result.Get<float>("scores").Span;
        var boxes = result.Get<float>("boxes").Span;
        var faces = new List<ThermalFace>();
        for (var i = 0; i < scores.Length / 2; i++)
        {
            var s = scores[2 * i + 1];
            if (s < minScore) continue;
            faces.Add(ThermalFace.FromCorners(boxes[4 * i] * shown.Width, boxes[4 * i + 1] * shown.Height, boxes[4 * i + 2] * shown.Width, boxes[4 * i + 3] * shown.Height, s));
        }
        return faces;
    }
}
