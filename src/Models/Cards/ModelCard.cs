using System.Text.Json.Serialization;

namespace Vigil.Models.Cards;

/// <summary>
/// A model card: the JSON description that travels with an <c>.onnx</c> file (identity,
/// checksum, signature with meanings, preprocessing, labels, post-processing, intended use and
/// provenance). Read with <see cref="ModelCardReader"/>; the catalog verifies the file against it.
/// </summary>
public sealed class ModelCard
{
    /// <summary>Card format identifier; currently <c>vigil.model-card/1</c>.</summary>
    public string Schema { get; init; } = "";
    /// <summary>Stable model id (lower-case, e.g. <c>ultraface-rfb-320</c>).</summary>
    public string Id { get; init; } = "";
    /// <summary>Version of this model (a new file is a new version).</summary>
    public string Version { get; init; } = "";
    /// <summary>Path of the .onnx file, relative to the card's folder; may start with <c>${VARIABLE}</c>.</summary>
    public string File { get; init; } = "";
    /// <summary>Expected sha256 of the file (hex).</summary>
    public string Sha256 { get; init; } = "";
    /// <summary>Task, e.g. face-detection, face-landmarks, image-classification.</summary>
    public string Task { get; init; } = "";
    /// <summary>A short description.</summary>
    public string Description { get; init; } = "";
    /// <summary>Graph inputs.</summary>
    public IReadOnlyList<CardTensor> Inputs { get; init; } = [];
    /// <summary>Graph outputs.</summary>
    public IReadOnlyList<CardTensor> Outputs { get; init; } = [];
    /// <summary>Image preprocessing; null for non-image models.</summary>
    public CardPreprocessing? Preprocessing { get; init; }
    /// <summary>Class labels in output order (empty when not a classifier).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
    /// <summary>How outputs become results.</summary>
    public CardPostprocessing? Postprocessing { get; init; }
    /// <summary>Intended use and the not-for-clinical-use flag.</summary>
    public CardIntendedUse? IntendedUse { get; init; }
    /// <summary>Source and licence.</summary>
    [JsonPropertyName("provenance")]
    public CardOrigin? Origin { get; init; }

    /// <summary>
    /// The runtime that executes <see cref="File"/>: <c>onnxruntime</c> (default), <c>opencv-dnn</c> or
    /// <c>torchsharp</c> (TorchSharp weights saved by <c>Module.save</c>).
    /// </summary>
    public string Runtime { get; init; } = "onnxruntime";
    /// <summary>How the model was trained, for models the team trained; null for imported models.</summary>
    public CardTraining? Training { get; init; }

    /// <summary>Full path of the card file it was read from (not serialised).</summary>
    [JsonIgnore]
    public string CardPath { get; internal set; } = "";

    /// <summary>Full path of the model file, resolved against the card's folder (not serialised).</summary>
    [JsonIgnore]
    public string ModelPath { get; internal set; } = "";

    /// <summary>True when results must be labelled "not for clinical use".</summary>
    [JsonIgnore]
    public bool NotForClinicalUse => IntendedUse?.NotForClinicalUse ?? true;

    /// <summary>The identity every result from this model carries.</summary>
    [JsonIgnore]
    public ModelProvenance Provenance => new(Id, Version, Sha256.ToLowerInvariant());

    /// <inheritdoc />
    public override string ToString() => $"{Id}@{Version}";
}
