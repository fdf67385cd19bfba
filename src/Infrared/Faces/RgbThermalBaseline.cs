using OpenCvSharp;
using Vigil.Models.Cards;
using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Infrared.Faces;

/// <summary>
/// What the RGB face detectors run as they are on thermal images share: the shared model file opened
/// with its MANIFEST sha256 checked, the <see cref="ThermalPreprocessing"/> applied before the network,
/// boxes brought back from the preprocessed image to the source image, and greedy NMS at 0.3. A
/// subclass only turns the preprocessed image into boxes.
/// </summary>
public abstract class RgbThermalBaseline : IThermalFaceDetector
{
    private readonly string _family;

    /// <summary>Opens <paramref name="path"/> as model <paramref name="id"/>, checking its sha256 starts with <paramref name="sha256Prefix"/>.</summary>
    private protected RgbThermalBaseline(string family, string path, string id, string version, string sha256Prefix, ThermalPreprocessing preprocessing)
    {
        _family = family;
        (Session, Provenance) = RgbDetectorFiles.Open(path, id, version, sha256Prefix);
        Preprocessing = preprocessing;
    }

    /// <summary>The ONNX Runtime session of the model.</summary>
    private protected OnnxSession Session { get; }

    /// <summary>How the thermal image is shown to the detector.</summary>
    public ThermalPreprocessing Preprocessing { get; }

    /// <inheritdoc />
    public string Name => $"{_family} ({Preprocessing})";

    /// <inheritdoc />
    public ModelProvenance Provenance { get; }

    /// <inheritdoc />
    public IReadOnlyList<ThermalFace> Detect(Mat bgr, float minScore)
    {
        ImageTensors.RequireBgr(bgr);
        using var shown = Preprocessing.Apply(bgr);
        var back = 1f / Preprocessing.Upscale;
        return ThermalFace.Suppress(Decode(shown, minScore).Select(f => f.Scaled(back, back)), 0.3f);
    }

    /// <summary>Boxes scoring at least <paramref name="minScore"/> in <paramref name="shown"/> (the preprocessed image), in its pixels, before NMS.</summary>
    private protected abstract List<ThermalFace> Decode(Mat shown, float minScore);

    /// <inheritdoc />
    public void Dispose()
    {
        Session.Dispose();
        GC.SuppressFinalize(this);
    }
}
