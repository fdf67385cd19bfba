namespace Vigil.Imaging;

/// <summary>
/// A decoded radiograph: modality-unit intensities (rescale already applied), how to display them,
/// and what the file says about the patient.
/// </summary>
public sealed record Radiograph
{
    /// <summary>The pixels in modality units (after rescale slope/intercept).</summary>
    public required GrayImage Image { get; init; }

    /// <summary>
    /// The integer factor the decoder box-shrank the image by while decoding (1: full size). Each
    /// pixel of <see cref="Image"/> is then the mean of a <c>Reduction</c>² block of the stored image.
    /// </summary>
    public int Reduction { get; init; } = 1;

    /// <summary>Width of the image as stored in the file.</summary>
    public int SourceWidth => Image.Width * Reduction;

    /// <summary>Height of the image as stored in the file (whole blocks only when reduced).</summary>
    public int SourceHeight => Image.Height * Reduction;

    /// <summary>MONOCHROME1 images are inverted by preprocessing.</summary>
    public Photometric Photometric { get; init; } = Photometric.Monochrome2;

    /// <summary>The first VOI window from the file, if any.</summary>
    public VoiWindow? Window { get; init; }

    /// <summary>Bits per sample as stored (8 for 8-bit PNG, 12 for 12-bit DICOM, ...).</summary>
    public int BitsStored { get; init; } = 8;

    /// <summary>Patient and study metadata.</summary>
    public ImageMetadata Metadata { get; init; } = ImageMetadata.Empty;

    /// <summary>Format description for provenance ("PNG", "DICOM 1.2.840.10008.1.2.1", ...).</summary>
    public string Format { get; init; } = "";
}
