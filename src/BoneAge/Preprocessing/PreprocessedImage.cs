namespace Vigil.BoneAge.Preprocessing;

/// <summary>A radiograph ready for the model, with a record of what preprocessing did to it.</summary>
public sealed record PreprocessedImage
{
    /// <summary>The model input for one image: Channels × Height × Width (NCHW) or H × W × C (NHWC).</summary>
    public required float[] Input { get; init; }

    /// <summary>The hand crop in the source image's pixels (the whole image when cropping is off or found nothing).</summary>
    public CropBox Crop { get; init; }

    /// <summary>The intensities mapped to 0 and 1 by percentile normalisation.</summary>
    public (float Low, float High) IntensityRange { get; init; }

    /// <summary>Where the image content lies in the model input (letterboxing pads the rest).</summary>
    public CropBox Content { get; init; }
}
