using Vigil.Imaging;

namespace Vigil.BoneAge.Preprocessing;

/// <summary>
/// Runs the preprocessing recipe on a decoded radiograph, deterministically, in this order:
/// MONOCHROME1 inversion, VOI window, percentile normalisation to [0, 1], hand crop, contrast
/// equalisation, resize (letterbox or stretch), then the card's scale/mean/std and layout.
/// The radiograph's pixels are modified in place (the caller hands it over).
/// </summary>
public sealed class Preprocessor(PreprocessingOptions options)
{
    /// <summary>The recipe.</summary>
    public PreprocessingOptions Options { get; } = options;

    /// <summary>Number of floats in one image's model input.</summary>
    public int InputLength => Options.Channels * Options.Width * Options.Height;

    /// <summary>Preprocesses <paramref name="radiograph"/>.</summary>
    public PreprocessedImage Run(Radiograph radiograph)
    {
        var o = Options;
        // A decoder may already have shrunk the image (given ReductionFor); otherwise shrink here.
        var image = radiograph.Image;
        var factor = radiograph.Reduction;
        if (factor <= 1)
        {
            factor = ReductionFor(image.Width, image.Height);
            image = image.ShrinkBy(factor);
            if (image == radiograph.Image) factor = 1;
        }
        if (o.InvertMonochrome1 && radiograph.Photometric == Photometric.Monochrome1) IntensitySteps.Invert(image);
        if (o.ApplyVoiWindow && radiograph.Window is { } window)
        {
            // The window is in MONOCHROME2 sense; an inverted MONOCHROME1 image needs it mirrored.
            if (o.InvertMonochrome1 && radiograph.Photometric == Photometric.Monochrome1)
            {
                var (min, max) = image.Range();
                window = window with { Center = min + max - window.Center };
            }
            IntensitySteps.ApplyWindow(image, window);
        }
        var range = IntensitySteps.NormalisePercentiles(image, o.LowPercentile, o.HighPercentile);
        var crop = new CropBox(0, 0, image.Width, image.Height);
        if (o.CropHand)
        {
            crop = HandCrop.Find(image, o.CropThreshold, o.CropMargin, o.CropMinFraction);
            image = HandCrop.Extract(image, crop);
        }
        switch (o.Equalisation)
        {
            case EqualisationMethod.Histogram: Equalisation.Histogram(image); break;
            case EqualisationMethod.Clahe: Equalisation.Clahe(image, o.ClaheTiles, o.ClaheClipLimit); break;
        }
        GrayImage sized;
        CropBox content;
        if (o.Letterbox) (sized, content) = Resampler.Letterbox(image, o.Width, o.Height, o.PadValue);
        else { sized = Resampler.Resize(image, o.Width, o.Height); content = new CropBox(0, 0, o.Width, o.Height); }
        // Area weights sum to 1 only up to rounding: keep the [0, 1] contract exact.
        System.Numerics.Tensors.TensorPrimitives.Clamp(sized.Pixels, 0f, 1f, sized.Pixels);
        // Report the crop in the source image's pixels.
        crop = new CropBox(crop.X * factor, crop.Y * factor, crop.Width * factor, crop.Height * factor);
        return new PreprocessedImage { Input = ToModelInput(sized), Crop = crop, IntensityRange = range, Content = content };
    }

    /// <summary>
    /// The integer factor images are first shrunk by: the largest that keeps at least
    /// <see cref="PreprocessingOptions.WorkingScale"/> times the model's resolution, so cropping and
    /// resampling still have detail to work with while a 1600×2080 radiograph costs a fraction.
    /// </summary>
    /// <remarks>Pass it to the decoders (<see cref="RadiographLoader.Decode"/>) so they shrink while
    /// decoding and never hold the full-size image; the result is the same either way.</remarks>
    public int ReductionFor(int width, int height) => Options.WorkingScale <= 0 ? 1
        : Math.Max(1, (int)Math.Min(width / (Options.WorkingScale * Options.Width), height / (Options.WorkingScale * Options.Height)));

    /// <summary>Applies the card's per-channel affine map (pixels in 0..255) and lays the channels out.</summary>
    internal float[] ToModelInput(GrayImage image)
    {
        var o = Options;
        var c = o.Channels;
        var plane = o.Width * o.Height;
        var input = new float[c * plane];
        for (var ch = 0; ch < c; ch++)
        {
            var mean = (float)(ch < o.Mean.Count ? o.Mean[ch] : o.Mean[0]);
            var std = (float)(ch < o.Std.Count ? o.Std[ch] : o.Std[0]);
            var gain = (float)(255 * o.Scale) / std;
            var offset = -mean / std;
            for (var i = 0; i < plane; i++)
            {
                var v = image.Pixels[i] * gain + offset;
                if (o.Layout == "NHWC") input[i * c + ch] = v; else input[ch * plane + i] = v;
            }
        }
        return input;
    }
}
