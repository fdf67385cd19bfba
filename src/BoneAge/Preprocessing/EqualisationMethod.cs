namespace Vigil.BoneAge.Preprocessing;

/// <summary>Optional contrast equalisation after cropping.</summary>
public enum EqualisationMethod
{
    /// <summary>No equalisation.</summary>
    None,
    /// <summary>Global histogram equalisation.</summary>
    Histogram,
    /// <summary>Contrast-limited adaptive histogram equalisation (Zuiderveld, Graphics Gems IV, 1994).</summary>
    Clahe,
}
