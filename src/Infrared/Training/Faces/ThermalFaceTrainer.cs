using System.Diagnostics;
using System.Globalization;
using OpenCvSharp;
using TorchSharp;
using Vigil.Infrared.Faces;
using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.Training;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;
using Scalar = TorchSharp.Scalar;

namespace Vigil.Infrared.Training.Faces;

/// <summary>What one training run gave.</summary>
/// <param name="CardPath">The card written.</param>
/// <param name="Epochs">Loss and validation F1 per epoch.</param>
/// <param name="BestEpoch">The epoch whose weights were kept (best validation F1).</param>
/// <param name="Threshold">The operating threshold chosen on the validation split.</param>
/// <param name="Validation">Validation figures of the exported model.</param>
/// <param name="Test">Held-out test figures of the exported model (measured once, after every choice was made).</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record ThermalFaceTrainingReport(string CardPath, IReadOnlyList<EpochSummary> Epochs, int BestEpoch, double Threshold,
    DetectorFigures Validation, DetectorFigures? Test, TimeSpan Elapsed);

/// <summary>
/// Trains the thermal face detector from scratch on the chips training split with TorchSharp
/// (CenterNet-style: penalty-reduced focal loss on the centre heat map, L1 on offset and log-size at
/// centre cells; AdamW, cosine schedule, augmentation by <see cref="ThermalFaceAugmentation"/>),
/// keeps the epoch with the best validation F1, chooses the operating threshold on validation
/// (highest recall at precision ≥ 0.85), exports ONNX and writes the card. The test split is read
/// only at the end, to record its figures in the card.
/// </summary>
public static class ThermalFaceTrainer
{
    /// <summary>Runs training; progress lines go to <paramref name="log"/>.</summary>
    public static ThermalFaceTrainingReport Train(ThermalFaceTrainingOptions o, TextWriter log, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(log);
        o.Validate();
        var clock = Stopwatch.StartNew();
        TorchDeterminism.Seed(o.Seed);
        torch.set_num_threads(1);
        var dataset = ChipsDataset.Load(o.Data);
        var trainImages = dataset.Part(ChipsPart.Train).Where(i => i.Labelled).ToList();
        var valImages = dataset.Part(ChipsPart.Validation).Where(i => i.Labelled).ToList();
        if (o.Limit > 0)
        {
            trainImages = trainImages.Take(o.Limit).ToList();
            valImages = valImages.Take(Math.Max(2, o.Limit / 4)).ToList();
        }
        if (trainImages.Count == 0 || valImages.Count == 0)
            throw new InvalidDataException($"{o.Data}: the split has {trainImages.Count} labelled training and {valImages.Count} validation images; both must be non-empty.");
        log.WriteLine($"ir faces train: {trainImages.Count} training, {valImages.Count} validation images ({ChipsSplit.Description}); seed {o.Seed}, {o.Epochs} epochs");
        var train = trainImages.Select(i => Load(i, o.Width, o.Height)).ToList();
        var random = new Random(o.Seed);
        using var module = new ThermalFaceModule();
        var optimizer = optim.AdamW(module.parameters(), o.LearningRate, weight_decay: 1e-4);
        var loop = new TrainingLoop(new TrainingOptions { Epochs = o.Epochs, BatchSize = o.BatchSize, Seed = o.Seed, LearningRate = o.LearningRate });
        var bestF1 = -1.0;
        var bestEpoch = 0;
        var best = new Dictionary<string, Tensor>();
        try
        {
            var epochs = loop.Run(train.Count, optimizer,
                indices => BatchLoss(module, train, indices, random, o),
                epoch =>
                {
                    var f1 = Validate(module, valImages, o.Width, o.Height).BestF1()?.F1 ?? 0;
                    if (f1 > bestF1)
                    {
                        bestF1 = f1;
                        bestEpoch = epoch;
                        foreach (var t in best.Values) t.Dispose();
                        best = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                    }
                    return f1;
                },
                new Progress(log), cancellation);
            foreach (var e in epochs)
                log.WriteLine($"epoch {e.Epoch}/{o.Epochs}: loss {e.TrainLoss:F4}, validation F1 {e.Validation:F3} ({e.Duration.TotalSeconds:F0} s)");
            module.load_state_dict(best);
            module.eval();
            Directory.CreateDirectory(o.OutDirectory);
            var onnxFile = o.Id + ".onnx";
            File.WriteAllBytes(Path.Combine(o.OutDirectory, onnxFile), ThermalFaceOnnxExport.ToOnnx(module, o.Width, o.Height));
            // A provisional card to run the exported file exactly as serving will.
            var cardPath = WriteCard(o, onnxFile, 0.5, ThermalFacePasses.Single, dataset, new Dictionary<string, double>());
            var (choice, validation, test) = ChooseAndMeasure(cardPath, dataset, valImages, includeTest: o.Limit == 0, log);
            var threshold = choice.Threshold;
            cardPath = WriteCard(o, onnxFile, threshold, choice.Passes, dataset, Metrics(bestEpoch, validation, test));
            log.WriteLine($"wrote {cardPath}: {choice.Passes}, threshold {threshold:F3}; validation recall {validation.AtOperatingThreshold!.Recall:F3} precision {validation.AtOperatingThreshold.Precision:F3}"
                + (test is null ? "" : $"; test recall {test.AtOperatingThreshold!.Recall:F3} precision {test.AtOperatingThreshold.Precision:F3}"));
            return new ThermalFaceTrainingReport(cardPath, epochs, bestEpoch, threshold, validation, test, clock.Elapsed);
        }
        finally
        {
            foreach (var t in best.Values) t.Dispose();
            foreach (var (image, _) in train) image.Dispose();
            optimizer.Dispose();
        }
    }

    /// <summary>
    /// Re-chooses the pass setting and threshold of an existing card on the validation split
    /// (<see cref="ThermalFaceCalibration"/>), re-exports its weights with a symbolic input size when
    /// the file has a fixed one (weights unchanged), measures the held-out test split once, and
    /// rewrites the card as <paramref name="version"/> with the new sha256, parameters and figures.
    /// </summary>
    /// <param name="cardPath">The card, rewritten in place.</param>
    /// <param name="data">The chips folder.</param>
    /// <param name="version">The version the rewritten card gets.</param>
    /// <param name="log">One line per candidate setting.</param>
    /// <param name="flip">Every candidate also runs the mirrored image (card parameter <c>flip</c>).</param>
    /// <param name="includeTest">Measure the held-out split (false: validation only, the card's test figures are dropped).</param>
    /// <returns>The choice and the validation and test figures at it.</returns>
    public static (ThermalFaceOperatingChoice Choice, DetectorFigures Validation, DetectorFigures? Test) Recalibrate(string cardPath, string data, string version, TextWriter log, bool flip = false, bool includeTest = true)
    {
        ArgumentNullException.ThrowIfNull(log);
        var card = ModelCardReader.Read(cardPath);
        if (card.Postprocessing?.Kind != ThermalFaceDetector.Kind || card.Training is null)
            throw new ModelCardException(cardPath, "postprocessing.kind", $"is \"{card.Postprocessing?.Kind}\"; a trained \"{ThermalFaceDetector.Kind}\" card expected.");
        using (var probe = ThermalFaceDetector.Open(cardPath)) { } // checks the sha256 before anything is rewritten
        var graph = Vigil.Models.Training.OnnxImport.OnnxGraph.Read(card.ModelPath);
        File.WriteAllBytes(card.ModelPath, ThermalFaceOnnxExport.ToOnnx(graph));
        var dataset = ChipsDataset.Load(data);
        var valImages = dataset.Part(ChipsPart.Validation).Where(i => i.Labelled).ToList();
        var rewritten = Rewrite(card, version, 0.5, ThermalFacePasses.Single, card.Training.Metrics);
        File.WriteAllText(cardPath, ModelCardReader.Write(rewritten) + "\n");
        var candidates = ThermalFacePasses.Candidates.Select(c => c with { Flip = flip }).ToList();
        var (choice, validation, test) = ChooseAndMeasure(cardPath, dataset, valImages, includeTest, log, candidates);
        var bestEpoch = (int)card.Training.Metrics.GetValueOrDefault("best_epoch", 0);
        File.WriteAllText(cardPath, ModelCardReader.Write(Rewrite(card, version, choice.Threshold, choice.Passes, Metrics(bestEpoch, validation, test))) + "\n");
        return (choice, validation, test);
    }

    private static ModelCard Rewrite(ModelCard card, string version, double threshold, ThermalFacePasses passes, IReadOnlyDictionary<string, double> metrics) => new()
    {
        Schema = card.Schema, Id = card.Id, Version = version, Runtime = card.Runtime, File = card.File,
        Sha256 = ModelFileHash.Sha256OfFile(card.ModelPath), Task = card.Task, Description = card.Description,
        Inputs = [.. card.Inputs.Select(i => new CardTensor { Name = i.Name, ElementType = i.ElementType, Shape = [CardDimension.Named("N"), CardDimension.Fixed(3), CardDimension.Named("H"), CardDimension.Named("W")], Meaning = i.Meaning })],
        Outputs = [.. card.Outputs.Select(o => new CardTensor { Name = o.Name, ElementType = o.ElementType, Shape = [CardDimension.Named("N"), CardDimension.Fixed(ThermalFaceNetwork.Channels), CardDimension.Named("H/4"), CardDimension.Named("W/4")], Meaning = o.Meaning })],
        Stages = card.Stages, Preprocessing = card.Preprocessing, Labels = card.Labels,
        Postprocessing = Postprocessing(threshold, passes, card.Postprocessing?.Members), IntendedUse = card.IntendedUse, Origin = card.Origin,
        Training = new CardTraining
        {
            Dataset = card.Training!.Dataset, DatasetSha256 = card.Training.DatasetSha256, Split = card.Training.Split, Seed = card.Training.Seed,
            Epochs = card.Training.Epochs, Command = card.Training.Command, Metrics = metrics, Notes = card.Training.Notes,
        },
    };

    // The validation choice of passes and threshold for the card at cardPath, then its figures at that choice (test read once, last).
    private static (ThermalFaceOperatingChoice Choice, DetectorFigures Validation, DetectorFigures? Test) ChooseAndMeasure(
        string cardPath, ChipsDataset dataset, IReadOnlyList<ChipsImage> valImages, bool includeTest, TextWriter log, IReadOnlyList<ThermalFacePasses>? candidates = null)
    {
        var choice = ThermalFaceCalibration.Choose(cardPath, valImages, candidates ?? ThermalFacePasses.Candidates, log);
        using var detector = ThermalFaceDetector.Open(cardPath, choice.Passes);
        var validation = ThermalFaceEvaluation.Evaluate(detector, valImages, choice.Threshold);
        var testImages = dataset.Part(ChipsPart.Test).Where(i => i.Labelled).ToList();
        var test = !includeTest || testImages.Count == 0 ? null : ThermalFaceEvaluation.Evaluate(detector, testImages, choice.Threshold);
        return (choice, validation, test);
    }

    private static Dictionary<string, double> Metrics(int bestEpoch, DetectorFigures validation, DetectorFigures? test)
    {
        var metrics = new Dictionary<string, double>
        {
            ["best_epoch"] = bestEpoch,
            ["validation_recall"] = Math.Round(validation.AtOperatingThreshold!.Recall, 4),
            ["validation_precision"] = Math.Round(validation.AtOperatingThreshold.Precision, 4),
        };
        if (test is not null)
        {
            metrics["test_recall_iou05"] = Math.Round(test.AtOperatingThreshold!.Recall, 4);
            metrics["test_precision_iou05"] = Math.Round(test.AtOperatingThreshold.Precision, 4);
            metrics["test_faces"] = test.Faces;
            metrics["test_images"] = test.Images;
        }
        return metrics;
    }

    private static CardPostprocessing Postprocessing(double threshold, ThermalFacePasses passes, IReadOnlyList<CardMemberModel>? members = null)
    {
        var parameters = new Dictionary<string, double> { ["score_threshold"] = Math.Round(threshold, 4), ["nms_iou_threshold"] = 0.3 };
        if (passes.Upscale > 1)
        {
            parameters[ThermalFaceDetector.UpscaleParameter] = passes.Upscale;
            if (!double.IsPositiveInfinity(passes.UpscaleMaxWidth)) parameters[ThermalFaceDetector.UpscaleMaxWidthParameter] = passes.UpscaleMaxWidth;
        }
        if (passes.Flip) parameters[ThermalFaceDetector.FlipParameter] = 1;
        if (passes.Flip || members is { Count: > 0 }) parameters[ThermalFaceDetector.FusionIoUParameter] = 0.5;
        return new CardPostprocessing
        {
            Kind = ThermalFaceDetector.Kind,
            Description = "Cells whose sigmoid(logit) reaches score_threshold become boxes (centre = (cell + 0.5 + offset) * 4, size = exp(log-size) * 4), scaled back to the source image. "
                + "When upscale is present, the image also runs at upscale times the input size (160x120 -> 320x240 for 2) and that pass's boxes narrower than upscale_max_width source pixels (all when absent) join the first pass's. "
                + "When flip is 1 the mirrored image runs too, and with members every listed model file runs as well; the boxes of each view (model x orientation, un-mirrored) are fused by weighted box fusion at fusion_iou (score-weighted mean corners, score = sum of scores / views). "
                + "Then greedy NMS at nms_iou_threshold. The pass setting and threshold are the highest-recall point at precision >= 0.85 on the validation split (vigil ir faces calibrate).",
            Parameters = parameters,
            Members = members,
        };
    }

    /// <summary>The loss of one batch (focal heat-map loss + L1 box loss), the images augmented with <paramref name="random"/>.</summary>
    internal static Tensor BatchLoss(ThermalFaceModule module, IReadOnlyList<(Mat Image, List<ThermalFace> Faces)> data, long[] indices, Random random, int width, int height) =>
        BatchLoss(module, data, indices, random, new ThermalFaceTrainingOptions { Data = "", OutDirectory = "", Width = width, Height = height });

    /// <summary>The loss of one batch (focal heat-map loss + L1 box loss + the options' IoU box loss), the images augmented with <paramref name="random"/>.</summary>
    internal static Tensor BatchLoss(ThermalFaceModule module, IReadOnlyList<(Mat Image, List<ThermalFace> Faces)> data, long[] indices, Random random, ThermalFaceTrainingOptions o)
    {
        int width = o.Width, height = o.Height;
        var n = indices.Length;
        int plane = width * height, cells = plane / (ThermalFaceNetwork.Stride * ThermalFaceNetwork.Stride);
        var pixels = new float[n * 3 * plane];
        var heat = new float[n * cells];
        var box = new float[n * 4 * cells];
        var mask = new float[n * cells];
        for (var k = 0; k < n; k++)
        {
            var (image, faces) = data[(int)indices[k]];
            var (augmented, moved) = ThermalFaceAugmentation.Apply(image, faces, random, o.ScaleMin, o.ScaleMax);
            using (augmented)
                ImageTensors.Nchw(augmented, rgb: true, 1 / 255f, 0.5f, 0.25f).CopyTo(pixels, k * 3 * plane);
            var t = ThermalFaceTargets.Of(moved, width, height);
            t.Heat.CopyTo(heat, k * cells);
            t.Box.CopyTo(box, k * 4 * cells);
            t.Mask.CopyTo(mask, k * cells);
        }
        int rows = height / ThermalFaceNetwork.Stride, cols = width / ThermalFaceNetwork.Stride;
        var input = tensor(pixels, [n, 3, height, width]);
        var output = module.forward(input);
        var logits = output.narrow(1, 0, 1);
        var reg = output.narrow(1, 1, 4);
        var y = tensor(heat, [n, 1, rows, cols]);
        var m = tensor(mask, [n, 1, rows, cols]);
        var target = tensor(box, [n, 4, rows, cols]);
        // Every scalar is an explicit local kept to the end: TorchSharp reads an implicit Scalar's handle and lets
        // the object go before the native call returns, so a GC in between frees it ("Unknown scalar type").
        using var c = new Constants();
        var positives = m.sum().clamp_min(c.One);
        var p = logits.sigmoid();
        var positive = F.logsigmoid(logits).mul(OneMinus(p, c).pow(c.Two)).mul(m);
        var negative = F.logsigmoid(logits.neg()).mul(p.pow(c.Two)).mul(OneMinus(y, c).pow(c.Four)).mul(OneMinus(m, c));
        var focal = positive.add(negative, c.One).sum().neg().div(positives);
        var l1 = reg.sub(target).abs().mul(m).sum().div(positives);
        var loss = focal.add(l1, c.One);
        if (o.IoULossWeight <= 0) return loss;
        using Scalar weight = (float)o.IoULossWeight;
        return loss.add(OneMinus(IoU(reg, target, c), c).mul(m).sum().div(positives), weight);
    }

    private static Tensor OneMinus(Tensor t, Constants c) => t.neg().add(c.One, c.One);

    // IoU per cell of the predicted and target boxes given as offset x, y (cells) and log width, height (stride units):
    // both boxes are placed in the same cell, so the IoU measures only the regression, independent of the face's size.
    private static Tensor IoU(Tensor reg, Tensor target, Constants c)
    {
        Tensor Box(Tensor r, int i) => r.narrow(1, i, 1);
        var pw = Box(reg, 2).clamp(c.MinLog, c.MaxLog).exp();
        var ph = Box(reg, 3).clamp(c.MinLog, c.MaxLog).exp();
        var tw = Box(target, 2).exp();
        var th = Box(target, 3).exp();
        Tensor Overlap(Tensor pc, Tensor ps, Tensor tc, Tensor ts) =>
            torch.minimum(pc.add(ps.mul(c.Half), c.One), tc.add(ts.mul(c.Half), c.One))
                .sub(torch.maximum(pc.sub(ps.mul(c.Half)), tc.sub(ts.mul(c.Half)))).clamp_min(c.Zero);
        var inter = Overlap(Box(reg, 0), pw, Box(target, 0), tw).mul(Overlap(Box(reg, 1), ph, Box(target, 1), th));
        var union = pw.mul(ph).add(tw.mul(th), c.One).sub(inter).add(c.Epsilon, c.One);
        return inter.div(union);
    }

    // The scalars of the loss, alive until disposed.
    private sealed class Constants : IDisposable
    {
        public Scalar Zero { get; } = 0f;
        public Scalar Half { get; } = 0.5f;
        public Scalar One { get; } = 1f;
        public Scalar Two { get; } = 2f;
        public Scalar Four { get; } = 4f;
        public Scalar MinLog { get; } = -4f;
        public Scalar MaxLog { get; } = 6f;
        public Scalar Epsilon { get; } = 1e-6f;

        public void Dispose()
        {
            foreach (var s in new[] { Zero, Half, One, Two, Four, MinLog, MaxLog, Epsilon }) s.Dispose();
        }
    }

    private static DetectionCurve Validate(ThermalFaceModule module, IReadOnlyList<ChipsImage> images, int width, int height)
    {
        module.eval();
        var curve = new DetectionCurve();
        using (no_grad())
            foreach (var image in images)
            {
                var (bgr, faces) = Load(image, width, height);
                using (bgr)
                using (var scope = NewDisposeScope())
                {
                    var input = tensor(ImageTensors.Nchw(bgr, rgb: true, 1 / 255f, 0.5f, 0.25f), [1, 3, height, width]);
                    var map = module.forward(input).data<float>().ToArray();
                    var found = ThermalFace.Suppress(ThermalFaceNetwork.Decode(map, height / ThermalFaceNetwork.Stride, width / ThermalFaceNetwork.Stride, ThermalFaceEvaluation.CurveFloor), 0.3f);
                    curve.Add(found, faces);
                }
            }
        module.train();
        return curve;
    }

    // The image at the network's size, with its faces scaled alike.
    private static (Mat Image, List<ThermalFace> Faces) Load(ChipsImage image, int width, int height)
    {
        var bgr = ChipsDataset.ReadImage(image.Path);
        if (bgr.Width == width && bgr.Height == height) return (bgr, image.Faces.ToList());
        var resized = new Mat();
        Cv2.Resize(bgr, resized, new OpenCvSharp.Size(width, height), 0, 0, InterpolationFlags.Area);
        float sx = width / (float)bgr.Width, sy = height / (float)bgr.Height;
        bgr.Dispose();
        return (resized, image.Faces.Select(f => f.Scaled(sx, sy)).ToList());
    }

    private static string WriteCard(ThermalFaceTrainingOptions o, string onnxFile, double threshold, ThermalFacePasses passes, ChipsDataset dataset, IReadOnlyDictionary<string, double> metrics)
    {
        var card = new ModelCard
        {
            Schema = ModelCardReader.SchemaName,
            Id = o.Id,
            Version = o.Version,
            Runtime = Vigil.Models.Runtimes.ModelRuntimeNames.OnnxRuntime,
            File = onnxFile,
            Sha256 = ModelFileHash.Sha256OfFile(Path.Combine(o.OutDirectory, onnxFile)),
            Task = "face-detection",
            Description = "Face detector for thermal (LWIR, false-colour or grey) images, trained from scratch with TorchSharp on the chips thermal face training split: six batch-normalised 3x3 convolutions (strides 2, 2; dilations 1, 2, 4, 8) and a 1x1 head giving a CenterNet-style centre map at stride 4. Batch norm folded into the convolutions at export.",
            Inputs = [new CardTensor { Name = "image", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(3), CardDimension.Named("H"), CardDimension.Named("W")], Meaning = $"N RGB images stretched to {o.Width}x{o.Height} (and to upscale times that for the second pass), NCHW, (pixel/255 - 0.5) / 0.25." }],
            Outputs = [new CardTensor { Name = "map", ElementType = "float32", Shape = [CardDimension.Named("N"), CardDimension.Fixed(ThermalFaceNetwork.Channels), CardDimension.Named("H/4"), CardDimension.Named("W/4")], Meaning = "Per stride-4 cell: face logit, centre offset x and y from the cell centre (cells), log(width/4), log(height/4)." }],
            Preprocessing = new CardPreprocessing { Width = o.Width, Height = o.Height, Layout = "NCHW", ChannelOrder = "RGB", Scale = 1 / 255.0, Mean = [0.5, 0.5, 0.5], Std = [0.25, 0.25, 0.25], Resize = "stretch" },
            Labels = ["face"],
            Postprocessing = Postprocessing(threshold, passes),
            IntendedUse = new CardIntendedUse
            {
                Summary = "Research: locating faces in thermal images to place regions (nostrils, eyes) for breathing and blink estimation. NOT FOR CLINICAL USE.",
                NotForClinicalUse = true,
                Limitations =
                [
                    "Trained on 8 young adults (FLIR Lepton 3.5, 160x120, indoor and outdoor scenes); not validated on patients, masks over the whole face, other cameras or resolutions.",
                    "Faces under about 8 px wide and strong profiles are the usual misses.",
                    "Chips data set terms: non-commercial research and teaching use only.",
                ],
            },
            Origin = new CardOrigin
            {
                Source = "Trained by Vigil (vigil ir faces train) on the Chips Thermal Face Dataset as carried by tanmayrainanda/ILGC-3-Project @ 99d1e4d5 (../shared/data/thermal-faces/chips).",
                Licence = "Weights: same as the Vigil repository; training data: non-commercial research and teaching use only, with citation.",
                Notes = "NOT FOR CLINICAL USE.",
            },
            Training = new CardTraining
            {
                Dataset = "thermal-faces/chips (" + dataset.Images.Count.ToString(CultureInfo.InvariantCulture) + " images)",
                DatasetSha256 = DatasetDigest(dataset),
                Split = ChipsSplit.Description + (o.Limit > 0 ? $"; limited to {o.Limit} training images" : ""),
                Seed = o.Seed,
                Epochs = o.Epochs,
                Command = o.Command,
                Metrics = metrics,
                Notes = string.Create(CultureInfo.InvariantCulture, $"Loss: focal + L1 + {o.IoULossWeight:0.##} x (1 - IoU) at centre cells; augmentation scale {o.ScaleMin:0.##}-{o.ScaleMax:0.##}. ")
                    + "Metrics at the card's score_threshold, IoU 0.5. Test figures were measured once after training; the test split chose nothing.",
            },
        };
        var path = Path.Combine(o.OutDirectory, o.Id + ".card.json");
        File.WriteAllText(path, ModelCardReader.Write(card) + "\n");
        return path;
    }

    // sha256 over the sorted names and label bytes: identifies the labelled set without hashing every image.
    private static string DatasetDigest(ChipsDataset dataset)
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var image in dataset.Images)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(image.Name + "\n"));
            var label = Path.Combine(dataset.Directory, "labels", Path.GetFileNameWithoutExtension(image.Name) + ".txt");
            if (File.Exists(label)) sha.AppendData(File.ReadAllBytes(label));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private sealed class Progress(TextWriter log) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Batch == value.Batches || value.Batch % 10 == 0)
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {value.Epoch}/{value.Epochs} batch {value.Batch}/{value.Batches} loss {value.Loss:F4} elapsed {value.Elapsed.TotalSeconds:F0} s eta {value.Remaining.TotalSeconds:F0} s"));
        }
    }
}
