namespace Vigil.Infrared.Thermal;

/// <summary>Reads one frame at a time from a file or folder; null at the end. Disposing closes the file.</summary>
internal interface IThermalFrameReader : IDisposable
{
    /// <summary>The next frame, or null when there is none.</summary>
    ThermalFrame? Next();
}
