using Vigil.Infrared.Thermal;

namespace Vigil.Infrared.Breathing;

/// <summary>
/// Finds the patient's face on a thermal frame; the breathing stage takes any implementation
/// (the warm-region detector here, an adapted thermal face detector from Infrared/Faces, a generator's
/// known geometry in tests) or a delegate through <see cref="ThermalFaceDetector.From"/>.
/// </summary>
public interface IThermalFaceDetector
{
    /// <summary>Name carried into provenance.</summary>
    string Name { get; }

    /// <summary>The most likely face on <paramref name="frame"/>, or null when there is none.</summary>
    FaceBox? Detect(ThermalFrame frame);
}
