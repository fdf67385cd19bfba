using OpenCvSharp;
using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.Onnx;
using Vigil.Models.Runtimes;
using Vigil.Models.Tensors;

namespace Vigil.Infrared.Faces;

/// <summary>
/// The face detector trained on thermal images (<c>vigil ir faces train</c>), served by ONNX
/// Runtime from its card. The network (<see cref="ThermalFaceNetwork"/>) maps an image resized to the
/// card's width × height to a centre map at stride 4: per cell a face logit, the centre's offset
/// from the cell centre and log width/height in stride units. Cells above the threshold become
/// boxes, then greedy NMS.
/// </summary>
public sealed class ThermalFaceDetector : IThermalFaceDetector
{
    /// <summary>Postprocessing kind the card must name.</summary>
    public const string Kind = "thermal-face-centres";

    private readonly OnnxSession _session;
    private readonly int _width;
    private readonly int _height;
    private readonly float _scale;
    private readonly float _mean;
    private readonly float _std;
    private readonly float _nms;

    private ThermalFaceDetector(ModelCard card, OnnxSession session)
    {
        Card = card;
        _session = session;
        var p = card.Preprocessing!;
        _width = p.Width;
        _height = p.Height;
        _scale = (float)p.Scale;
        _mean = (float)p.Mean[0];
        _std = (float)p.Std[0];
        var parameters = card.Postprocessing!.Parameters;
        ScoreThreshold = (float)parameters.GetValueOrDefault("score_threshold", 0.5);
        _nms = (float)parameters.GetValueOrDefault("nms_iou_threshold", 0.3);
    }

    /// <summary>The card the detector was opened from.</summary>
    public ModelCard Card { get; }

    /// <summary>The card's operating threshold (chosen on the validation split).</summary>
    public float ScoreThreshold { get; }

    /// <inheritdoc />
    public string Name => $"{Card.Id} (adapted, palette)";

    /// <inheritdoc />
    public ModelProvenance Provenance => Card.Provenance;

    /// <summary>Opens the card at <paramref name="cardPath"/> after checking its runtime, kind, preprocessing and sha256.</summary>
    /// <exception cref="ModelCardException">The card is not a thermal-face ONNX card, or the file is missing or altered.</exception>
    public static ThermalFaceDetector Open(string cardPath)
    {
        var card = ModelCardReader.Read(cardPath);
        if (card.Runtime != ModelRuntimeNames.OnnxRuntime)
            throw new ModelCardException(card.CardPath, "runtime", $"is \"{card.Runtime}\"; the thermal face detector is served by \"{ModelRuntimeNames.OnnxRuntime}\".");
        if (card.Postprocessing?.Kind != Kind)
            throw new ModelCardException(card.CardPath, "postprocessing.kind", $"is \"{card.Postprocessing?.Kind}\"; \"{Kind}\" expected.");
        if (card.Preprocessing is not { Width: > 0, Height: > 0 } p || p.Width % ThermalFaceNetwork.Stride != 0 || p.Height % ThermalFaceNetwork.Stride != 0 || p.Mean.Count < 1 || p.Std.Count < 1)
            throw new ModelCardException(card.CardPath, "preprocessing", $"needs a width and height divisible by {ThermalFaceNetwork.Stride}, a mean and a std.");
        return new ThermalFaceDetector(card, OpenSession(card));
    }

    private static OnnxSession OpenSession(ModelCard card)
    {
        if (!File.Exists(card.ModelPath)) throw new ModelFileMissingException(card.CardPath, card.ModelPath, card.File);
        var bytes = File.ReadAllBytes(card.ModelPath);
        var sha = ModelFileHash.Sha256Of(bytes);
        if (!string.Equals(sha, card.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelCardException(card.CardPath, "sha256", $"{card.ModelPath} has sha256 {sha}, the card says {card.Sha256}.");
        return OnnxSession.Load(bytes, card.Id, new OnnxSessionOptions { IntraOpThreads = 1, ModelId = card.Id });
    }

    /// <summary>Faces at the card's operating threshold.</summary>
    public IReadOnlyList<ThermalFace> Detect(Mat bgr) => Detect(bgr, ScoreThreshold);

    /// <inheritdoc />
    public IReadOnlyList<ThermalFace> Detect(Mat bgr, float minScore)
    {
        ImageTensors.RequireBgr(bgr);
        using var resized = new Mat();
        Cv2.Resize(bgr, resized, new OpenCvSharp.Size(_width, _height), 0, 0, InterpolationFlags.Area);
        using var input = DenseTensor<float>.Wrap(ImageTensors.Nchw(resized, rgb: true, _scale, _mean, _std), 1, 3, _height, _width);
        using var result = _session.Run(_session.Inputs[0].Name, input);
        var map = result.Get<float>(0).Span;
        var faces = ThermalFaceNetwork.Decode(map, _height / ThermalFaceNetwork.Stride, _width / ThermalFaceNetwork.Stride, minScore);
        var sx = bgr.Width / (float)_width;
        var sy = bgr.Height / (float)_height;
        return ThermalFace.Suppress(faces.Select(f => f.Scaled(sx, sy)), _nms);
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
