namespace Vigil.Models.Cards;

/// <summary>How the raw outputs become a result: a kind, a description and named numeric parameters.</summary>
public sealed class CardPostprocessing
{
    /// <summary>e.g. softmax-classes, ssd-boxes-nms, yunet-decode-nms, landmarks-normalised.</summary>
    public string Kind { get; init; } = "";
    /// <summary>The steps in words.</summary>
    public string Description { get; init; } = "";
    /// <summary>Thresholds and constants, e.g. score_threshold, nms_iou_threshold.</summary>
    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>();
    /// <summary>Further model files of an ensemble, merged with the card's own (absent: one model).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CardMemberModel>? Members { get; init; }
}
