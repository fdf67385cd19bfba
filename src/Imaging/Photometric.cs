namespace Vigil.Imaging;

/// <summary>How intensities map to brightness (DICOM Photometric Interpretation).</summary>
public enum Photometric
{
    /// <summary>Low values are dark (MONOCHROME2; also PNG/JPEG grey).</summary>
    Monochrome2,
    /// <summary>Low values are bright (MONOCHROME1): inverted before use.</summary>
    Monochrome1,
}
