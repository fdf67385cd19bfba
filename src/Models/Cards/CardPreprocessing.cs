namespace Vigil.Models.Cards;

/// <summary>
/// How an image becomes the model's input: resize to <see cref="Width"/>×<see cref="Height"/>,
/// order channels, then per channel <c>value = (pixel × Scale − Mean[c]) / Std[c]</c> with
/// pixels in 0..255, laid out as <see cref="Layout"/>.
/// </summary>
public sealed class CardPreprocessing
{
    /// <summary>Input width in pixels.</summary>
    public int Width { get; init; }
    /// <summary>Input height in pixels.</summary>
    public int Height { get; init; }
    /// <summary>NCHW or NHWC.</summary>
    public string Layout { get; init; } = "NCHW";
    /// <summary>RGB, BGR or GRAY.</summary>
    public string ChannelOrder { get; init; } = "RGB";
    /// <summary>Multiplier applied to 0..255 pixels before mean and std.</summary>
    public double Scale { get; init; } = 1.0;
    /// <summary>Per-channel mean subtracted after scaling.</summary>
    public IReadOnlyList<double> Mean { get; init; } = [0, 0, 0];
    /// <summary>Per-channel divisor applied last.</summary>
    public IReadOnlyList<double> Std { get; init; } = [1, 1, 1];
    /// <summary>How the image is fitted (stretch, letterbox, crop around a face box, paste top-left...).</summary>
    public string Resize { get; init; } = "stretch";
    /// <summary>
    /// Machine-readable steps, in order, for modalities whose recipe is more than a resize (e.g. bone
    /// age: <c>["invert-monochrome1", "percentiles(low=1,high=99)", "crop-hand(margin=0.05)", "letterbox"]</c>).
    /// Each modality defines and validates its own step names; empty when the card has none.
    /// </summary>
    public IReadOnlyList<string> Steps { get; init; } = [];
}
