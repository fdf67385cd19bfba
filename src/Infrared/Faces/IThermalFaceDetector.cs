using OpenCvSharp;
using Vigil.Models.Cards;

namespace Vigil.Infrared.Faces;

/// <summary>
/// Finds faces in one thermal image. The image is 8-bit, BGR (a false-colour palette or grey
/// replicated in three channels, see <see cref="ThermalImages"/>); boxes come back in that image's
/// pixels, best first. Implementations are not thread-safe: one detector per stream.
/// </summary>
public interface IThermalFaceDetector : IDisposable
{
    /// <summary>Short name of the detector and its preprocessing, as reports show it.</summary>
    string Name { get; }

    /// <summary>The model behind the detector (id, version, sha256).</summary>
    ModelProvenance Provenance { get; }

    /// <summary>Faces in <paramref name="bgr"/> scoring at least <paramref name="minScore"/>, after non-maximum suppression.</summary>
    /// <exception cref="ArgumentException">The image is empty or not 8-bit with 1 or 3 channels.</exception>
    IReadOnlyList<ThermalFace> Detect(Mat bgr, float minScore);
}
