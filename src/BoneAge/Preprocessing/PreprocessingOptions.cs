using System.Globalization;
using Vigil.Models.Cards;

namespace Vigil.BoneAge.Preprocessing;

/// <summary>
/// The bone-age preprocessing recipe, read from a model card's <c>preprocessing</c> section:
/// width, height, layout, channel order, scale, mean and std come from their fields; the steps come
/// from the <c>steps</c> list, e.g.
/// <c>["invert-monochrome1", "percentiles(low=1,high=99)", "crop-hand(margin=0.05)", "clahe(tiles=8,clip=2)", "letterbox"]</c>
/// (cards without it may give the same steps <c>;</c>-separated in <c>resize</c>).
/// Steps always run in the fixed order of the properties below, whatever order they are written in.
/// </summary>
public sealed record PreprocessingOptions
{
    /// <summary>
    /// Large images are first box-shrunk by an integer factor to no less than this many times the
    /// model's resolution (step <c>working-scale(factor=..)</c>; 0 turns it off). Default 2.
    /// </summary>
    public double WorkingScale { get; init; } = 2;

    /// <summary>Invert MONOCHROME1 images so bone is bright (step <c>invert-monochrome1</c>).</summary>
    public bool InvertMonochrome1 { get; init; } = true;

    /// <summary>Apply the file's VOI window before normalising (step <c>voi-window</c>).</summary>
    public bool ApplyVoiWindow { get; init; }

    /// <summary>Lower percentile mapped to 0 (step <c>percentiles(low=..,high=..)</c>).</summary>
    public double LowPercentile { get; init; } = 1;

    /// <summary>Upper percentile mapped to 1.</summary>
    public double HighPercentile { get; init; } = 99;

    /// <summary>Crop to the hand (step <c>crop-hand(threshold=..,margin=..,min-fraction=..)</c>).</summary>
    public bool CropHand { get; init; } = true;

    /// <summary>Foreground threshold in normalised units; null for Otsu's.</summary>
    public float? CropThreshold { get; init; }

    /// <summary>Margin around the hand, as a fraction of its box.</summary>
    public double CropMargin { get; init; } = 0.05;

    /// <summary>Minimum foreground fraction for a row or column to count as hand.</summary>
    public double CropMinFraction { get; init; } = 0.02;

    /// <summary>Contrast equalisation (steps <c>equalise</c> or <c>clahe(tiles=..,clip=..)</c>).</summary>
    public EqualisationMethod Equalisation { get; init; } = EqualisationMethod.None;

    /// <summary>CLAHE tiles per side.</summary>
    public int ClaheTiles { get; init; } = 8;

    /// <summary>CLAHE clip limit (multiple of the mean bin height).</summary>
    public double ClaheClipLimit { get; init; } = 2.0;

    /// <summary>Keep the aspect ratio and pad (step <c>letterbox</c>) rather than stretch (step <c>stretch</c>).</summary>
    public bool Letterbox { get; init; } = true;

    /// <summary>Padding value in normalised units.</summary>
    public float PadValue { get; init; }

    /// <summary>Model input width.</summary>
    public int Width { get; init; } = 224;

    /// <summary>Model input height.</summary>
    public int Height { get; init; } = 224;

    /// <summary>NCHW or NHWC.</summary>
    public string Layout { get; init; } = "NCHW";

    /// <summary>GRAY (one channel) or RGB/BGR (the grey value replicated into three).</summary>
    public string ChannelOrder { get; init; } = "GRAY";

    /// <summary>Card semantics: <c>value = (pixel × Scale − Mean[c]) / Std[c]</c> with pixel in 0..255.</summary>
    public double Scale { get; init; } = 1.0 / 255;

    /// <summary>Per-channel mean.</summary>
    public IReadOnlyList<double> Mean { get; init; } = [0];

    /// <summary>Per-channel std.</summary>
    public IReadOnlyList<double> Std { get; init; } = [1];

    /// <summary>Channels of the model input.</summary>
    public int Channels => ChannelOrder == "GRAY" ? 1 : 3;

    /// <summary>Reads the recipe from a card's preprocessing section; a clear error for unknown steps or parameters.</summary>
    public static PreprocessingOptions FromCard(CardPreprocessing card)
    {
        var o = new PreprocessingOptions
        {
            Width = card.Width, Height = card.Height, Layout = card.Layout, ChannelOrder = card.ChannelOrder,
            Scale = card.Scale, Mean = card.Mean, Std = card.Std,
            InvertMonochrome1 = false, CropHand = false, Letterbox = false, LowPercentile = 0, HighPercentile = 100,
        };
        var steps = card.Steps.Count > 0 ? card.Steps
            : card.Resize.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var raw in steps) o = o.WithStep(raw.Trim());
        // With typed steps, "resize" is the human summary of the fit: it must not contradict them.
        if (card.Steps.Count > 0 && card.Resize is "letterbox" or "stretch" && (card.Resize == "letterbox") != o.Letterbox)
            throw new FormatException($"preprocessing.resize says '{card.Resize}' but preprocessing.steps {(o.Letterbox ? "letterbox" : "stretch")}");
        return o;
    }

    private PreprocessingOptions WithStep(string step)
    {
        var open = step.IndexOf('(');
        var name = (open < 0 ? step : step[..open]).Trim();
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        if (open >= 0)
        {
            if (!step.EndsWith(')')) throw new FormatException($"preprocessing step '{step}' lacks its closing ')'");
            foreach (var kv in step[(open + 1)..^1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = kv.IndexOf('=');
                if (eq <= 0) throw new FormatException($"preprocessing step '{name}': parameter '{kv}' is not name=value");
                args[kv[..eq].Trim()] = kv[(eq + 1)..].Trim();
            }
        }
        double Num(string key, double fallback)
        {
            if (!args.Remove(key, out var v)) return fallback;
            return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? d : throw new FormatException($"preprocessing step '{name}': {key}='{v}' is not a number");
        }
        var next = name switch
        {
            "invert-monochrome1" => this with { InvertMonochrome1 = true },
            "working-scale" => this with { WorkingScale = Num("factor", 2) },
            "voi-window" => this with { ApplyVoiWindow = true },
            "percentiles" => this with { LowPercentile = Num("low", 1), HighPercentile = Num("high", 99) },
            "crop-hand" => this with
            {
                CropHand = true,
                CropThreshold = args.ContainsKey("threshold") ? (float)Num("threshold", 0) : null,
                CropMargin = Num("margin", 0.05),
                CropMinFraction = Num("min-fraction", 0.02),
            },
            "equalise" => this with { Equalisation = EqualisationMethod.Histogram },
            "clahe" => this with { Equalisation = EqualisationMethod.Clahe, ClaheTiles = (int)Num("tiles", 8), ClaheClipLimit = Num("clip", 2) },
            "letterbox" => this with { Letterbox = true, PadValue = (float)Num("pad", 0) },
            "stretch" => this with { Letterbox = false },
            _ => throw new FormatException(
                $"unknown preprocessing step '{name}' (known: working-scale, invert-monochrome1, voi-window, percentiles, crop-hand, equalise, clahe, letterbox, stretch)"),
        };
        if (args.Count > 0) throw new FormatException($"preprocessing step '{name}' has unknown parameter(s): {string.Join(", ", args.Keys)}");
        if (next.LowPercentile < 0 || next.HighPercentile > 100 || next.LowPercentile >= next.HighPercentile)
            throw new FormatException($"preprocessing step '{name}': percentiles must satisfy 0 <= low < high <= 100");
        return next;
    }
}
