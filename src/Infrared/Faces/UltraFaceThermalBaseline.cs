using OpenCvSharp;
using Vigil.Models.Cards;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Infrared.Faces;

/// <summary>
/// UltraFace RFB-320 as it is, on a thermal image after a <see cref="ThermalPreprocessing"/>: the
/// image stretched to 320×240, RGB (pixel − 127) / 128; boxes are normalised corners, greedy NMS at 0.3.
/// (An upscale changes nothing but the resampling, since the network's input size is fixed.)
/// </summary>
public sealed class UltraFaceThermalBaseline : IThermalFaceDetector
{
    private readonly OnnxSession _session;
    private readonly ThermalPreprocessing _preprocessing;

    /// <summary>Opens <c>ultraface_version-RFB-320.onnx</c> from <paramref name="modelsDirectory"/>.</summary>
    public UltraFaceThermalBaseline(string modelsDirectory, ThermalPreprocessing preprocessing)
    {
        (_session, Provenance) = RgbDetectorFiles.Open(Path.Combine(modelsDirectory, "ultraface_version-RFB-320.onnx"), "ultraface-rfb-320", "1.0.0", "34cd7e60aeff2874");
        _preprocessing = preprocessing;
    }

    /// <inheritdoc />
    public string Name => $"ultraface ({_preprocessing})";

    /// <inheritdoc />
    public ModelProvenance Provenance { get; }

    /// <inheritdoc />
    public IReadOnlyList<ThermalFace> Detect(Mat bgr, float minScore)
    {
        ImageTensors.RequireBgr(bgr);
        using var shown = _preprocessing.Apply(bgr);
        using var resized = new Mat();
        Cv2.Resize(shown, resized, new OpenCvSharp.Size(320, 240), 0, 0, InterpolationFlags.Linear);
        using var input = DenseTensor<float>.Wrap(ImageTensors.Nchw(resized, rgb: true, 1, 127, 128), 1, 3, 240, 320);
        using var result = _session.Run("input", input);
        var scores = result.Get<float>("scores").Span;
        var boxes = result.Get<float>("boxes").Span;
        var faces = new List<ThermalFace>();
        for (var i = 0; i < scores.Length / 2; i++)
        {
            var s = scores[2 * i + 1];
            if (s < minScore) continue;
            faces.Add(ThermalFace.FromCorners(boxes[4 * i] * bgr.Width, boxes[4 * i + 1] * bgr.Height, boxes[4 * i + 2] * bgr.Width, boxes[4 * i + 3] * bgr.Height, s));
        }
        return ThermalFace.Suppress(faces, 0.3f);
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
