namespace Vigil.Models.Cards;

/// <summary>
/// One network of a multi-stage card (e.g. the MediaPipe face landmarker's detector, landmark and
/// blendshape models): where it is inside the card's file, its checksum and its own signature.
/// The card's top-level <c>inputs</c>/<c>outputs</c> describe the whole pipeline.
/// </summary>
public sealed class CardStage
{
    /// <summary>The stage's name in the pipeline (e.g. <c>detector</c>).</summary>
    public string Name { get; init; } = "";

    /// <summary>The entry inside the card's file when that file is an archive (zip / .task); empty when the file is the network itself.</summary>
    public string Entry { get; init; } = "";

    /// <summary>Expected sha256 of the stage's network bytes (hex).</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>The network's inputs as the runtime takes them.</summary>
    public IReadOnlyList<CardTensor> Inputs { get; init; } = [];

    /// <summary>The network's outputs.</summary>
    public IReadOnlyList<CardTensor> Outputs { get; init; } = [];

    /// <summary>Indices this stage reads from the previous stage's output, in order (e.g. the 146 landmarks the blendshape model takes); empty when none.</summary>
    public IReadOnlyList<int> Indices { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => Entry.Length > 0 ? $"{Name} ({Entry})" : Name;
}
