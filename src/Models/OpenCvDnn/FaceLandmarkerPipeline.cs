using System.Runtime.InteropServices;
using OpenCvSharp;
using OpenCvSharp.Dnn;
using Vigil.Models.Cards;
using Vigil.Models.Onnx;
using Vigil.Models.Runtimes;
using Vigil.Models.Tensors;

namespace Vigil.Models.OpenCvDnn;

/// <summary>
/// MediaPipe's face landmarker as one model: detector → rotated face crop → 478 landmarks →
/// 52 blendshapes, three TFLite networks run by OpenCV DNN (card postprocessing kind
/// <c>mediapipe-face-landmarker</c>, stages <c>detector</c>, <c>landmarks</c>, <c>blendshapes</c>).
/// Input: one RGB image, uint8 [1,height,width,3]. Outputs carry a leading <c>faces</c>
/// dimension that is 1 when a face was found and confirmed by the landmark model's presence
/// score, 0 otherwise (results withheld rather than guessed). Coordinates are source-image pixels.
/// </summary>
internal sealed class FaceLandmarkerPipeline : IInferenceSession
{
    public const string Kind = "mediapipe-face-landmarker";
    private const int CropSize = 256;
    private const int LandmarkCount = 478;
    private const int BlendshapeCount = 52;

    private readonly DnnStage _detector;
    private readonly DnnStage _landmarks;
    private readonly DnnStage _blendshapes;
    private readonly int[] _subset;
    private readonly float _scoreThreshold;
    private readonly float _nmsThreshold;
    private readonly float _roiScale;
    private readonly float _presenceThreshold;
    private readonly OnnxTensorInfo[] _inputs;
    private readonly OnnxTensorInfo[] _outputs;
    // 1 once disposed.
    private int _disposed;

    public FaceLandmarkerPipeline(ModelCard card, IReadOnlyDictionary<string, DnnStage> stages)
    {
        ModelId = card.Id;
        DnnStage Stage(string name) => stages.TryGetValue(name, out var s) ? s
            : throw new ModelCardException(card.CardPath, "stages", $"a {Kind} pipeline needs a stage named '{name}' (has: {string.Join(", ", stages.Keys)}).");
        _detector = Stage("detector");
        _landmarks = Stage("landmarks");
        _blendshapes = Stage("blendshapes");
        _subset = _blendshapes.Card.Indices.ToArray();
        if (_subset.Length == 0 || _subset.Any(i => i >= LandmarkCount))
            throw new ModelCardException(card.CardPath, "stages[blendshapes].indices", $"must list the landmark indices (0..{LandmarkCount - 1}) the blendshape model reads.");
        var p = card.Postprocessing?.Parameters ?? new Dictionary<string, double>();
        float Param(string name, double fallback) => (float)(p.TryGetValue(name, out var v) ? v : fallback);
        _scoreThreshold = Param("score_threshold", 0.5);
        _nmsThreshold = Param("nms_iou_threshold", 0.3);
        _roiScale = Param("roi_scale", 1.5);
        _presenceThreshold = Param("presence_threshold", 0.5);
        _inputs = [new OnnxTensorInfo("image", TensorElementType.UInt8, [new(1, null), new(-1, "height"), new(-1, "width"), new(3, null)])];
        var faces = new OnnxDimension(-1, "faces");
        _outputs =
        [
            new OnnxTensorInfo("face_box", TensorElementType.Float32, [faces, new(4, null)]),
            new OnnxTensorInfo("face_score", TensorElementType.Float32, [faces]),
            new OnnxTensorInfo("landmarks", TensorElementType.Float32, [faces, new(LandmarkCount, null), new(3, null)]),
            new OnnxTensorInfo("face_presence", TensorElementType.Float32, [faces]),
            new OnnxTensorInfo("blendshapes", TensorElementType.Float32, [faces, new(_subset.Length == 146 ? BlendshapeCount : BlendshapeCount, null)]),
        ];
    }

    public string ModelId { get; }

    public string Runtime => ModelRuntimeNames.OpenCvDnn;

    public IReadOnlyList<OnnxTensorInfo> Inputs => _inputs;

    public IReadOnlyList<OnnxTensorInfo> Outputs => _outputs;

    public IReadOnlyList<string> ExecutionProviders { get; } = ["CPU"];

    public OnnxRunResult Run(ReadOnlySpan<NamedTensor> inputs, IReadOnlyList<string>? outputNames = null, CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (inputs.Length != 1 || inputs[0].Name != "image")
            throw new OnnxInputException(ModelId, inputs.Length == 1 ? inputs[0].Name ?? "(null)" : "image",
                $"the pipeline takes exactly one input, {_inputs[0]}, got {inputs.Length}: [{string.Join(", ", inputs.ToArray().Select(i => i.Name))}].");
        var tensor = inputs[0].Tensor ?? throw new OnnxInputException(ModelId, "image", "is null.");
        if (_inputs[0].Mismatch(tensor.ElementType, tensor.Shape) is { } problem)
            throw new OnnxInputException(ModelId, "image", problem);
        var height = (int)tensor.Shape[1];
        var width = (int)tensor.Shape[2];
        if (height < 8 || width < 8)
            throw new OnnxInputException(ModelId, "image", $"is {width}x{height} pixels; at least 8x8 is needed.");
        cancellation.ThrowIfCancellationRequested();

        float[]? box = null, landmarks = null, blend = null;
        float score = 0, presence = 0;
        unsafe
        {
            using var pin = tensor.Pin();
            using var image = Mat.FromPixelData(height, width, MatType.CV_8UC3, (IntPtr)pin.Pointer);
            var face = Detect(image);
            if (face is not null)
            {
                var (matrix, size) = CropTransform(face);
                (landmarks, presence) = Landmarks(image, matrix, size);
                cancellation.ThrowIfCancellationRequested();
                if (presence >= _presenceThreshold)
                {
                    blend = Blendshapes(landmarks);
                    box = [face.X1, face.Y1, face.X2, face.Y2];
                    score = face.Score;
                }
            }
        }
        var found = box is not null ? 1 : 0;
        var all = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["face_box"] = Make(box, found, 4),
            ["face_score"] = Make(found == 1 ? [score] : null, found),
            ["landmarks"] = Make(found == 1 ? landmarks : null, found, LandmarkCount, 3),
            ["face_presence"] = Make(found == 1 ? [presence] : null, found),
            ["blendshapes"] = Make(blend, found, BlendshapeCount),
        };
        var names = outputNames?.ToArray() ?? _outputs.Select(o => o.Name).ToArray();
        foreach (var n in names)
            if (!all.ContainsKey(n))
            {
                foreach (var t in all.Values) t.Dispose();
                throw new ArgumentException($"Model '{ModelId}' has no output '{n}' (outputs: {string.Join(", ", all.Keys)}).", nameof(outputNames));
            }
        foreach (var (n, t) in all) if (!names.Contains(n)) t.Dispose();
        return new OnnxRunResult(ModelId, names, names.Select(n => (Tensor?)all[n]).ToArray());
    }

    private static DenseTensor<float> Make(float[]? data, int faces, params long[] rest)
    {
        var shape = new TensorShape([faces, .. rest]);
        return data is null || faces == 0 ? DenseTensor<float>.Allocate(shape) : DenseTensor<float>.CopyOf(data, shape);
    }

    // Letterboxes to 128×128 (aspect kept, centred), runs the detector, decodes the anchors and
    // blends the best cluster of overlapping boxes (MediaPipe's weighted NMS) into one face.
    private FaceDetection? Detect(Mat image)
    {
        const int n = FaceDetectorAnchors.InputSize;
        var scale = (float)n / Math.Max(image.Width, image.Height);
        var w = Math.Max(1, (int)Math.Round(image.Width * scale));
        var h = Math.Max(1, (int)Math.Round(image.Height * scale));
        var padX = (n - w) / 2;
        var padY = (n - h) / 2;
        using var resized = new Mat();
        Cv2.Resize(image, resized, new OpenCvSharp.Size(w, h), 0, 0, InterpolationFlags.Linear);
        using var boxed = new Mat();
        Cv2.CopyMakeBorder(resized, boxed, padY, n - h - padY, padX, n - w - padX, BorderTypes.Constant, Scalar.All(0));
        using var blob = CvDnn.BlobFromImage(boxed, 1 / 127.5, new OpenCvSharp.Size(n, n), new Scalar(127.5, 127.5, 127.5), swapRB: false, crop: false);
        var outs = _detector.Forward(blob);
        float[] scores, boxes;
        try
        {
            scores = Floats(outs[Array.IndexOf(_detector.OutputNames, "classificators")]);
            boxes = Floats(outs[Array.IndexOf(_detector.OutputNames, "regressors")]);
        }
        finally
        {
            foreach (var m in outs) m.Dispose();
        }
        var anchors = FaceDetectorAnchors.Centres;
        var candidates = new List<FaceDetection>();
        for (var i = 0; i < anchors.Length; i++)
        {
            var s = 1f / (1f + MathF.Exp(-Math.Clamp(scores[i], -100f, 100f)));
            if (s < _scoreThreshold) continue;
            var r = boxes.AsSpan(i * 16, 16);
            float ToX(float v) => ((v / n + anchors[i].X) * n - padX) / scale;
            float ToY(float v) => ((v / n + anchors[i].Y) * n - padY) / scale;
            var cx = ToX(r[0]);
            var cy = ToY(r[1]);
            var bw = r[2] / scale;
            var bh = r[3] / scale;
            var kps = new (float, float)[6];
            for (var k = 0; k < 6; k++) kps[k] = (ToX(r[4 + 2 * k]), ToY(r[5 + 2 * k]));
            candidates.Add(new FaceDetection(cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2, s, kps));
        }
        if (candidates.Count == 0) return null;
        var best = candidates.MaxBy(c => c.Score)!;
        var cluster = candidates.Where(c => c.IoU(best) > _nmsThreshold).ToList();
        var total = cluster.Sum(c => c.Score);
        float Avg(Func<FaceDetection, float> f) => cluster.Sum(c => f(c) * c.Score) / total;
        var keypoints = Enumerable.Range(0, 6).Select(k => (Avg(c => c.Keypoints[k].X), Avg(c => c.Keypoints[k].Y))).ToArray();
        return new FaceDetection(Avg(c => c.X1), Avg(c => c.Y1), Avg(c => c.X2), Avg(c => c.Y2), best.Score, keypoints);
    }

    // The 256×256 crop: a square of roi_scale × the box's long side around its centre, rotated so
    // the eyes (keypoints 0 and 1) are level. Returns the crop-pixel → image-pixel affine map.
    private (double[] Matrix, float Size) CropTransform(FaceDetection face)
    {
        var cx = (face.X1 + face.X2) / 2;
        var cy = (face.Y1 + face.Y2) / 2;
        var size = Math.Max(face.Width, face.Height) * _roiScale;
        var (x0, y0) = face.Keypoints[0];
        var (x1, y1) = face.Keypoints[1];
        var theta = -Math.Atan2(-(y1 - y0), x1 - x0);
        var c = Math.Cos(theta) * size / CropSize;
        var s = Math.Sin(theta) * size / CropSize;
        double[] m = [c, -s, cx - c * CropSize / 2 + s * CropSize / 2, s, c, cy - s * CropSize / 2 - c * CropSize / 2];
        return (m, size);
    }

    private (float[] Landmarks, float Presence) Landmarks(Mat image, double[] m, float size)
    {
        using var matrix = Mat.FromPixelData(2, 3, MatType.CV_64FC1, m);
        using var crop = new Mat();
        Cv2.WarpAffine(image, crop, matrix, new OpenCvSharp.Size(CropSize, CropSize),
            InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, BorderTypes.Constant, Scalar.All(0));
        using var blob = CvDnn.BlobFromImage(crop, 1 / 255.0, new OpenCvSharp.Size(CropSize, CropSize), new Scalar(0, 0, 0), swapRB: false, crop: false);
        var outs = _landmarks.Forward(blob);
        float[] raw;
        float logit;
        try
        {
            raw = Floats(outs[Array.IndexOf(_landmarks.OutputNames, "Identity")]);
            logit = Floats(outs[Array.IndexOf(_landmarks.OutputNames, "Identity_1")])[0];
        }
        finally
        {
            foreach (var o in outs) o.Dispose();
        }
        var result = new float[LandmarkCount * 3];
        for (var i = 0; i < LandmarkCount; i++)
        {
            double u = raw[3 * i], v = raw[3 * i + 1];
            result[3 * i] = (float)(m[0] * u + m[1] * v + m[2]);
            result[3 * i + 1] = (float)(m[3] * u + m[4] * v + m[5]);
            result[3 * i + 2] = raw[3 * i + 2] * size / CropSize;
        }
        return (result, 1f / (1f + MathF.Exp(-logit)));
    }

    private float[] Blendshapes(float[] landmarks)
    {
        var xy = new float[_subset.Length * 2];
        for (var k = 0; k < _subset.Length; k++)
        {
            xy[2 * k] = landmarks[3 * _subset[k]];
            xy[2 * k + 1] = landmarks[3 * _subset[k] + 1];
        }
        using var input = Mat.FromPixelData([1, _subset.Length, 2], MatType.CV_32F, xy);
        var outs = _blendshapes.Forward(input);
        try
        {
            var scores = Floats(outs[0]);
            if (scores.Length != BlendshapeCount)
                throw new InvalidOperationException($"Model '{ModelId}': the blendshape stage gave {scores.Length} values, {BlendshapeCount} expected.");
            return scores;
        }
        finally
        {
            foreach (var o in outs) o.Dispose();
        }
    }

    private static float[] Floats(Mat mat)
    {
        var total = checked((int)mat.Total());
        var data = new float[total];
        using var continuous = mat.IsContinuous() ? null : mat.Clone();
        Marshal.Copy((continuous ?? mat).Data, data, 0, total);
        return data;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _detector.Dispose();
        _landmarks.Dispose();
        _blendshapes.Dispose();
    }
}
