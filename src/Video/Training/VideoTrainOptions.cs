namespace Vigil.Video.Training;

/// <summary>What <c>vigil video train</c> was asked to do.</summary>
public sealed class VideoTrainOptions
{
    /// <summary>Folder of training clips.</summary>
    public required string Clips { get; init; }

    /// <summary>Their labels (<c>clip,label,start_s,end_s</c>); default <c>Clips/labels.csv</c>.</summary>
    public required string Labels { get; init; }

    /// <summary>Held-out clips to report figures on (never trained on), or null.</summary>
    public string? EvalClips { get; init; }

    /// <summary>Their labels; default <c>EvalClips/labels.csv</c>.</summary>
    public string? EvalLabels { get; init; }

    /// <summary>The card to write.</summary>
    public required string OutCard { get; init; }

    /// <summary>The frozen backbone (ONNX ViT).</summary>
    public required string Backbone { get; init; }

    /// <summary>Feature and tapped-model cache folder.</summary>
    public required string Cache { get; init; }

    /// <summary>Adapter and training settings.</summary>
    public required AdapterTrainingOptions Training { get; init; }

    /// <summary>The command line, recorded in the card.</summary>
    public string Command { get; init; } = "";
}
