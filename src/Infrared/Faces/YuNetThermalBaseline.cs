using OpenCvSharp;
using Vigil.Models.Tensors;

namespace Vigil.Infrared.Faces;

/// <summary>
/// YuNet (opencv_zoo 2023mar, dynamic-size export) as it is, on a thermal image after a
/// <see cref="ThermalPreprocessing"/>: BGR 0..255 pasted top-left on a canvas rounded up to a
/// multiple of 32, decoded as OpenCV's FaceDetectorYN does (score = √(cls·obj), boxes from strides 8/16/32).
/// </summary>
public sealed class YuNetThermalBaseline : RgbThermalBaseline
{
    /// <summary>Opens <c>yunet_s_dynamic.onnx</c> from <paramref name="modelsDirectory"/>.</summary>
    public YuNetThermalBaseline(string modelsDirectory, ThermalPreprocessing preprocessing)
        : base("yunet", Path.Combine(modelsDirectory, "yunet_s_dynamic.onnx"), "yunet-s-dynamic", "2023mar", "daede24002cc8590", preprocessing)
    {
    }

    private protected override List<ThermalFace> Decode(Mat shown, float minScore)
    {
        var w = (shown.Width + 31) / 32 * 32;
        var h = (shown.Height + 31) / 32 * 32;
        using var canvas = new Mat();
        Cv2.CopyMakeBorder(shown, canvas, 0, h - shown.Height, 0, w - shown.Width, BorderTypes.Constant, Scalar.All(0));
        using var input = DenseTensor<float>.Wrap(ImageTensors.Nchw(canvas, rgb: false, 1, 0, 1), 1, 3, h, w);
        using var result = Session.Run(Session.Inputs[0].Name, input);
        var faces = new List<ThermalFace>();
        foreach (var stride in new[] { 8, 16, 32 })
        {
            var cols = w / stride;
            var cls = result.Get<float>($"cls_{stride}").Span;
            var obj = result.Get<float>($"obj_{stride}").Span;
            var box = result.Get<float>($"bbox_{stride}").Span;
            for (var i = 0; i < cls.Length; i++)
            {
                var score = MathF.Sqrt(Math.Clamp(cls[i], 0, 1) * Math.Clamp(obj[i], 0, 1));
                if (score < minScore) continue;
                var cx = (i % cols + box[4 * i]) * stride;
                var cy = (i / cols + box[4 * i + 1]) * stride;
                var bw = MathF.Exp(box[4 * i + 2]) * stride;
                var bh = MathF.Exp(box[4 * i + 3]) * stride;
                faces.Add(new ThermalFace(cx - bw / 2, cy - bh / 2, bw, bh, score));
            }
        }
        return faces;
    }
}
