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
/// boxes, then greedy NMS. When the card's <c>upscale</c> parameter is above 1, the image also runs
/// at that many times the card's size (the network is fully convolutional) and the boxes of that
/// pass narrower than <c>upscale_max_width</c> source pixels join the first pass's before the NMS:
/// faces of a few pixels are boxed more tightly when seen larger.
/// </summary>
public sealed class ThermalFaceDetector : IThermalFaceDetector
{
    /// <summary>Postprocessing kind the card must name.</summary>
    public const string Kind = "thermal-face-centres";

    private readonly OnnxSession _session;
    private readonly IReadOnlyList<OnnxSession> _members;
    private readonly float _fusionIoU;
    private readonly int _width;
    private readonly int _height;
    private readonly float _scale;
    private readonly float _mean;
    private readonly float _std;
    private readonly float _nms;
    private readonly int _upWidth;
    private readonly int _upHeight;
    private readonly float _upMaxWidth;

    private ThermalFaceDetector(ModelCard card, OnnxSession session, IReadOnlyList<OnnxSession> members, ThermalFacePasses passes)
    {
        Card = card;
        _session = session;
        _members = members;
        var p = card.Preprocessing!;
        _width = p.Width;
        _height = p.Height;
        _scale = (float)p.Scale;
        _mean = (float)p.Mean[0];
        _std = (float)p.Std[0];
        var parameters = card.Postprocessing!.Parameters;
        ScoreThreshold = (float)parameters.GetValueOrDefault("score_threshold", 0.5);
        _nms = (float)parameters.GetValueOrDefault("nms_iou_threshold", 0.3);
        _fusionIoU = (float)parameters.GetValueOrDefault(FusionIoUParameter, 0.5);
        Passes = passes;
        _upWidth = UpscaledSide(_width, passes.Upscale);
        _upHeight = UpscaledSide(_height, passes.Upscale);
        _upMaxWidth = (float)passes.UpscaleMaxWidth;
    }

    /// <summary>Card parameter: factor of the second, upscaled pass (1 or absent: one pass at the card's size).</summary>
    public const string UpscaleParameter = "upscale";

    /// <summary>Card parameter: the upscaled pass keeps only boxes narrower than this, in source pixels (absent: all).</summary>
    public const string UpscaleMaxWidthParameter = "upscale_max_width";

    /// <summary>Card parameter: 1 runs the mirrored image too and fuses its boxes with the image's (absent or 0: not).</summary>
    public const string FlipParameter = "flip";

    /// <summary>Card parameter: IoU above which boxes of different views (mirror, ensemble members) fuse into one (absent: 0.5).</summary>
    public const string FusionIoUParameter = "fusion_iou";

    /// <summary>Number of models run (the card's file and its <c>postprocessing.members</c>).</summary>
    public int Models => 1 + _members.Count;

    /// <summary>The passes the detector runs (the card's, unless <see cref="Open(string, ThermalFacePasses?)"/> was given others).</summary>
    public ThermalFacePasses Passes { get; }

    /// <summary>The pass setting a card names (one pass when it names none).</summary>
    public static ThermalFacePasses PassesOf(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var parameters = card.Postprocessing?.Parameters ?? new Dictionary<string, double>();
        return new ThermalFacePasses(parameters.GetValueOrDefault(UpscaleParameter, 1), parameters.GetValueOrDefault(UpscaleMaxWidthParameter, double.PositiveInfinity),
            parameters.GetValueOrDefault(FlipParameter, 0) >= 0.5);
    }

    /// <summary>The card the detector was opened from.</summary>
    public ModelCard Card { get; }

    /// <summary>The card's operating threshold (chosen on the validation split).</summary>
    public float ScoreThreshold { get; }

    /// <inheritdoc />
    public string Name => (Passes == ThermalFacePasses.Single ? $"{Card.Id} (adapted, palette" : $"{Card.Id} (adapted, palette, {Passes}")
        + (_members.Count > 0 ? $", ensemble of {Models})" : ")");

    /// <inheritdoc />
    public ModelProvenance Provenance => Card.Provenance;

    /// <summary>Opens the card at <paramref name="cardPath"/> after checking its runtime, kind, preprocessing and sha256.</summary>
    /// <param name="cardPath">The card.</param>
    /// <param name="passes">Pass setting to use instead of the card's (calibration on the validation split); null for the card's.</param>
    /// <exception cref="ModelCardException">The card is not a thermal-face ONNX card, its pass setting is out of range, or the file is missing or altered.</exception>
    public static ThermalFaceDetector Open(string cardPath, ThermalFacePasses? passes = null)
    {
        var card = ModelCardReader.Read(cardPath);
        if (card.Runtime != ModelRuntimeNames.OnnxRuntime)
            throw new ModelCardException(card.CardPath, "runtime", $"is \"{card.Runtime}\"; the thermal face detector is served by \"{ModelRuntimeNames.OnnxRuntime}\".");
        if (card.Postprocessing?.Kind != Kind)
            throw new ModelCardException(card.CardPath, "postprocessing.kind", $"is \"{card.Postprocessing?.Kind}\"; \"{Kind}\" expected.");
        if (card.Preprocessing is not { Width: > 0, Height: > 0 } p || p.Width % ThermalFaceNetwork.Stride != 0 || p.Height % ThermalFaceNetwork.Stride != 0 || p.Mean.Count < 1 || p.Std.Count < 1)
            throw new ModelCardException(card.CardPath, "preprocessing", $"needs a width and height divisible by {ThermalFaceNetwork.Stride}, a mean and a std.");
        var chosen = passes ?? PassesOf(card);
        var upscale = chosen.Upscale;
        if (!(upscale >= 1 && upscale <= 4))
            throw new ModelCardException(card.CardPath, $"postprocessing.parameters.{UpscaleParameter}", $"is {upscale}; a factor from 1 (one pass) to 4 expected.");
        if (!(chosen.UpscaleMaxWidth > 0))
            throw new ModelCardException(card.CardPath, $"postprocessing.parameters.{UpscaleMaxWidthParameter}", $"is {chosen.UpscaleMaxWidth}; a positive width in pixels expected.");
        var sessions = new List<OnnxSession>();
        try
        {
            sessions.Add(OpenSession(card, card.File, card.ModelPath, card.Sha256, "sha256"));
            var members = card.Postprocessing!.Members ?? [];
            for (var i = 0; i < members.Count; i++)
            {
                var m = members[i];
                if (string.IsNullOrWhiteSpace(m.File) || Path.IsPathRooted(m.File) || m.File.Contains("..", StringComparison.Ordinal))
                    throw new ModelCardException(card.CardPath, $"postprocessing.members[{i}].file", $"is \"{m.File}\"; a file name in the card's folder expected.");
                sessions.Add(OpenSession(card, m.File, Path.Combine(Path.GetDirectoryName(card.CardPath)!, m.File), m.Sha256, $"postprocessing.members[{i}].sha256"));
            }
            foreach (var (session, i) in sessions.Select((s, i) => (s, i)))
            {
                var input = session.Inputs[0];
                var file = i == 0 ? card.File : members[i - 1].File;
                if (upscale > 1 && input.Rank == 4 && (input.Dimensions[2].IsFixed || input.Dimensions[3].IsFixed))
                    throw new ModelCardException(card.CardPath, $"postprocessing.parameters.{UpscaleParameter}",
                        $"asks for an upscaled pass, but {file} has a fixed input size {input.ShapeText}; re-export it with a symbolic height and width.");
            }
        }
        catch
        {
            foreach (var s in sessions) s.Dispose();
            throw;
        }
        return new ThermalFaceDetector(card, sessions[0], sessions.Skip(1).ToList(), chosen);
    }

    // The side of the upscaled pass, rounded to the network's stride.
    private static int UpscaledSide(int side, double factor) =>
        (int)Math.Round(side * factor / ThermalFaceNetwork.Stride) * ThermalFaceNetwork.Stride;

    private static OnnxSession OpenSession(ModelCard card, string file, string path, string expectedSha, string field)
    {
        if (!File.Exists(path)) throw new ModelFileMissingException(card.CardPath, path, file);
        var bytes = File.ReadAllBytes(path);
        var sha = ModelFileHash.Sha256Of(bytes);
        if (!string.Equals(sha, expectedSha, StringComparison.OrdinalIgnoreCase))
            throw new ModelCardException(card.CardPath, field, $"{path} has sha256 {sha}, the card says {expectedSha}.");
        return OnnxSession.Load(bytes, card.Id, new OnnxSessionOptions { IntraOpThreads = 1, ModelId = card.Id });
    }

    /// <summary>Faces at the card's operating threshold.</summary>
    public IReadOnlyList<ThermalFace> Detect(Mat bgr) => Detect(bgr, ScoreThreshold);

    /// <inheritdoc />
    public IReadOnlyList<ThermalFace> Detect(Mat bgr, float minScore)
    {
        ImageTensors.RequireBgr(bgr);
        if (!Passes.Flip && _members.Count == 0) return View(_session, bgr, minScore);
        // Views decode at a fixed low floor so that a fused score does not depend on the threshold asked for.
        var floor = Math.Min(minScore, ThermalFaceEvaluation.CurveFloor);
        var views = new List<IReadOnlyList<ThermalFace>>();
        using var mirrored = Passes.Flip ? new Mat() : null;
        if (mirrored is not null) Cv2.Flip(bgr, mirrored, FlipMode.Y);
        foreach (var session in _members.Prepend(_session))
        {
            views.Add(View(session, bgr, floor));
            if (mirrored is not null) views.Add(View(session, mirrored, floor).ConvertAll(f => ThermalFaceFusion.Mirrored(f, bgr.Width)));
        }
        return ThermalFace.Suppress(ThermalFaceFusion.Fuse(views, _fusionIoU).Where(f => f.Score >= minScore), _nms);
    }

    // One model on one image: its passes, merged by NMS.
    private List<ThermalFace> View(OnnxSession session, Mat bgr, float minScore)
    {
        var faces = Pass(session, bgr, _width, _height, minScore);
        if (Passes.Upscale > 1)
            faces.AddRange(Pass(session, bgr, _upWidth, _upHeight, minScore).Where(f => f.Width < _upMaxWidth));
        return ThermalFace.Suppress(faces, _nms);
    }

    // One pass of the network on the image resized to width × height; boxes in source pixels.
    private List<ThermalFace> Pass(OnnxSession session, Mat bgr, int width, int height, float minScore)
    {
        using var resized = new Mat();
        var enlarging = width > bgr.Width || height > bgr.Height;
        Cv2.Resize(bgr, resized, new OpenCvSharp.Size(width, height), 0, 0, enlarging && width > _width ? InterpolationFlags.Linear : InterpolationFlags.Area);
        using var input = DenseTensor<float>.Wrap(ImageTensors.Nchw(resized, rgb: true, _scale, _mean, _std), 1, 3, height, width);
        using var result = session.Run(session.Inputs[0].Name, input);
        var map = result.Get<float>(0).Span;
        var faces = ThermalFaceNetwork.Decode(map, height / ThermalFaceNetwork.Stride, width / ThermalFaceNetwork.Stride, minScore);
        float sx = bgr.Width / (float)width, sy = bgr.Height / (float)height;
        return faces.ConvertAll(f => f.Scaled(sx, sy));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        foreach (var m in _members) m.Dispose();
    }
}
