using System.Globalization;
using TorchSharp;
using Vigil.Infrared.ActionUnits;
using Vigil.Models.Cards;
using Vigil.Models.Training;
using Vigil.Models.Training.Adaptation;
using static TorchSharp.torch;

namespace Vigil.Infrared.Training.ActionUnits;

/// <summary>Settings of <see cref="AuStudentTraining.Run"/>.</summary>
public sealed class AuStudentOptions
{
    /// <summary>The shared folder (<c>../shared</c>).</summary>
    public string Shared { get; init; } = "";
    /// <summary>The landmarker card (<c>models/face/mediapipe-face-landmarker.card.json</c>).</summary>
    public string LandmarkerCard { get; init; } = "";
    /// <summary>The blendshape → FACS mapping (<c>models/action-units/blendshapes-to-facs.json</c>).</summary>
    public string Mapping { get; init; } = "";
    /// <summary>Where to write the student's card (<c>NAME.card.json</c>); null writes none.</summary>
    public string? OutCard { get; init; }
    /// <summary>Side of the square greyscale crop (default 32).</summary>
    public int ImageSize { get; init; } = 32;
    /// <summary>ADDA settings.</summary>
    public AddaOptions Adda { get; init; } = new() { BatchSize = 32, SourceSteps = 400, AdversarialSteps = 600, ReportEvery = 100 };
    /// <summary>The command line, recorded in the card.</summary>
    public string Command { get; init; } = "";
}

/// <summary>How the student agreed with the teacher on the evaluation pairs.</summary>
/// <param name="ActionUnits">AU names.</param>
/// <param name="SourceImages">Labelled RGB crops (mirrors included).</param>
/// <param name="TargetImages">Unlabelled thermal crops.</param>
/// <param name="Pairs">Evaluation pairs used.</param>
/// <param name="SkippedPairs">Evaluation pairs without a teacher face.</param>
/// <param name="ConstantMae">MAE of always answering the source labels' mean (the floor any student must beat).</param>
/// <param name="Constant">Per AU, the agreement of always answering the source labels' mean.</param>
/// <param name="SourceOnlyVisible">Source-only student on the visible crop (in-domain imitation).</param>
/// <param name="SourceOnlyThermal">Source-only student on the thermal crop.</param>
/// <param name="AddaThermal">ADDA student on the thermal crop.</param>
/// <param name="FinalDiscriminatorAccuracy">The discriminator's accuracy at the end of stage 2.</param>
/// <param name="Card">The card written, if any.</param>
public sealed record AuStudentResult(IReadOnlyList<string> ActionUnits, int SourceImages, int TargetImages, int Pairs, IReadOnlyList<string> SkippedPairs,
    double ConstantMae, IReadOnlyList<AuAgreement> SourceOnlyVisible, IReadOnlyList<AuAgreement> SourceOnlyThermal, IReadOnlyList<AuAgreement> AddaThermal,
    double FinalDiscriminatorAccuracy, ModelCard? Card, IReadOnlyList<AuAgreement>? Constant = null);

/// <summary>
/// The infrared AU student: the teacher labels RGB face crops, ADDA adapts a LeNet encoder to thermal
/// crops, and the student's AU intensities on the thermal half of each evaluation pair are compared
/// with the teacher's on the visible half, source-only and after ADDA side by side.
/// </summary>
public static class AuStudentTraining
{
    /// <summary>Builds the data, trains, evaluates and (optionally) writes the card.</summary>
    public static AuStudentResult Run(AuStudentOptions options, TextWriter log, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var size = options.ImageSize;
        using var teacher = ActionUnitTeacher.Open(options.LandmarkerCard, options.Mapping, options.Shared);
        var data = AuStudentData.Build(teacher, options.Shared, size, log);
        if (data.SourceCrops.Count < 8) throw new InvalidDataException($"{options.Shared}: the teacher labelled only {data.SourceCrops.Count} RGB crops; too few to train.");
        if (data.Pairs.Count < 2) throw new InvalidDataException($"{options.Shared}: only {data.Pairs.Count} evaluation pairs had a teacher face.");
        var aus = teacher.Mapping.ActionUnits;
        var k = aus.Count;

        using var sx = AdaptationImages.Stack(data.SourceCrops, size);
        using var sy = tensor(data.SourceLabels.SelectMany(r => r).ToArray(), [data.SourceLabels.Count, k]);
        using var tx = AdaptationImages.Stack(data.TargetCrops, size);
        using var ev = AdaptationImages.Stack(data.Pairs.Select(p => p.Visible).ToList(), size);
        using var et = AdaptationImages.Stack(data.Pairs.Select(p => p.Thermal).ToList(), size);
        var teacherRows = data.Pairs.Select(p => p.Teacher).ToList();
        var mean = Enumerable.Range(0, k).Select(j => (float)data.SourceLabels.Average(r => r[j])).ToArray();
        var constant = AuAgreement.Measure(aus, teacherRows, teacherRows.Select(_ => mean).ToList());
        var constantMae = constant.Average(a => a.Mae);

        var o = options.Adda;
        var progress = new LogProgress(log);
        using var adda = new AddaTrainer(() => LeNet.Encoder(size), () => LeNet.Classifier(k), LeNet.FeatureSize, o,
            (output, labels) => nn.functional.binary_cross_entropy_with_logits(output, labels));
        adda.TrainSource(sx, sy, progress, cancellation);
        var sourceVisible = AuAgreement.Measure(aus, teacherRows, Rows(adda.Predict(ev, throughTarget: false)));
        var sourceThermal = AuAgreement.Measure(aus, teacherRows, Rows(adda.Predict(et, throughTarget: false)));
        adda.Adapt(sx, tx, progress, cancellation);
        var addaThermal = AuAgreement.Measure(aus, teacherRows, Rows(adda.Predict(et, throughTarget: true)));
        var lastD = adda.History.LastOrDefault(h => h.Stage == AddaStage.Adversarial)?.DiscriminatorAccuracy ?? double.NaN;

        ModelCard? card = null;
        if (options.OutCard is { } outCard)
            card = WriteCard(options, outCard, adda, teacher, data, aus, constantMae, sourceThermal, addaThermal);
        return new AuStudentResult(aus, data.SourceCrops.Count, data.TargetCrops.Count, data.Pairs.Count, data.SkippedPairs, constantMae,
            sourceVisible, sourceThermal, addaThermal, lastD, card, constant);
    }

    private static List<float[]> Rows(Tensor logits)
    {
        using (logits)
        using (var p = logits.sigmoid())
        {
            var k = (int)p.shape[1];
            var flat = p.data<float>().ToArray();
            return Enumerable.Range(0, (int)p.shape[0]).Select(i => flat.AsSpan(i * k, k).ToArray()).ToList();
        }
    }

    private static ModelCard WriteCard(AuStudentOptions options, string outCard, AddaTrainer adda, ActionUnitTeacher teacher, AuStudentData data,
        IReadOnlyList<string> aus, double constantMae, IReadOnlyList<AuAgreement> sourceThermal, IReadOnlyList<AuAgreement> addaThermal)
    {
        if (!outCard.EndsWith(".card.json", StringComparison.Ordinal)) throw new InvalidDataException($"{outCard}: the card path must end in .card.json.");
        var size = options.ImageSize;
        var id = Path.GetFileName(outCard)[..^".card.json".Length];
        var model = nn.Sequential(("encoder", adda.TargetEncoder!), ("classifier", adda.Classifier));
        var lm = teacher.Landmarker;
        return TrainedModelCard.Save(model, Path.GetDirectoryName(Path.GetFullPath(outCard))!, new ModelCard
        {
            Id = id,
            Version = DateTime.UtcNow.ToString("yyyy.MM.dd", CultureInfo.InvariantCulture),
            Task = "facial-action-units-thermal",
            Description = "Infrared action-unit student: LeNet encoder adapted by ADDA from RGB face crops (labelled by the MediaPipe blendshape teacher) to thermal face crops; the module is Sequential(encoder = target encoder, classifier); sigmoid of the outputs are AU intensities.",
            Inputs = [new CardTensor { Name = "face", ElementType = "float32", Shape = [CardDimension.Named("batch"), CardDimension.Fixed(1), CardDimension.Fixed(size), CardDimension.Fixed(size)], Meaning = $"Thermal face crop: the face box widened by {FaceCrops.Margin:0.##} per side, squared, greyscale, {size}x{size}, pixel / 127.5 - 1." }],
            Outputs = [new CardTensor { Name = "au_logits", ElementType = "float32", Shape = [CardDimension.Named("batch"), CardDimension.Fixed(aus.Count)], Meaning = "AU logits in the order of labels; sigmoid gives intensities in [0, 1] on the teacher's scale." }],
            Labels = aus,
            IntendedUse = new CardIntendedUse
            {
                Summary = "Research demonstration of RGB-to-thermal transfer of facial action units. NOT FOR CLINICAL USE.",
                NotForClinicalUse = true,
                Limitations =
                [
                    $"Trained on {data.SourceOrigins.Values.Sum()} RGB faces from a handful of clips and images (few people, mostly neutral expressions) and evaluated on {data.Pairs.Count} paired faces: the figures show the pipeline runs, not that the student reads AUs.",
                    "The teacher is MediaPipe blendshapes mapped to AUs, not FACS coding; the student can be no better than it.",
                    "Thermal crops come from false-colour palette images converted to grey, not radiometric temperature.",
                ],
            },
            Origin = new CardOrigin
            {
                Source = "trained by vigil adapt au (ADDA, Tzeng et al. CVPR 2017)",
                Licence = "research terms of the training data (Intel sample videos CC-BY-4.0; Chips Thermal Face Dataset non-commercial; SpeakingFaces, Eurecom and IRIS research terms)",
                Notes = $"teacher {lm.Id}@{lm.Version} sha256 {lm.Sha256}, mapping {teacher.Mapping.Id}@{teacher.Mapping.Version}",
            },
            Training = new CardTraining
            {
                Dataset = "source: " + string.Join(", ", data.SourceOrigins.Select(p => $"{p.Key} ({p.Value})")) + $"; target: ../shared/data/thermal-faces/chips face boxes + SpeakingFaces thermal ids {string.Join(",", AuStudentData.TrainingSpeakingFaces)} ({data.TargetCrops.Count} crops)",
                Split = $"evaluation on {data.Pairs.Count} visible/thermal pairs never trained on (visible_thermal_pairs Eurecom + IRIS strips, SpeakingFaces ids 5-8)",
                Seed = options.Adda.Seed,
                Epochs = 0,
                Command = options.Command,
                Metrics = new Dictionary<string, double>
                {
                    ["constant_mae"] = Math.Round(constantMae, 4),
                    ["source_only_thermal_mae"] = Math.Round(sourceThermal.Average(a => a.Mae), 4),
                    ["adda_thermal_mae"] = Math.Round(addaThermal.Average(a => a.Mae), 4),
                },
                Notes = $"ADDA: {options.Adda.SourceSteps} source steps, {options.Adda.AdversarialSteps} adversarial steps, batch {options.Adda.BatchSize}; MAE is the mean over AUs of the mean absolute difference from the teacher on the visible half.",
            },
        });
    }

    private sealed class LogProgress(TextWriter log) : IProgress<AddaProgress>
    {
        public void Report(AddaProgress value) => log.WriteLine("au student: " + value);
    }
}
