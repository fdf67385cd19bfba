using Vigil.Infrared.Thermal;

namespace Vigil.Infrared.Breathing;

/// <summary>Adapters that make any face-finding function an <see cref="IThermalFaceDetector"/>.</summary>
public static class ThermalFaceDetector
{
    /// <summary>A detector named <paramref name="name"/> that calls <paramref name="detect"/>.</summary>
    public static IThermalFaceDetector From(string name, Func<ThermalFrame, FaceBox?> detect) => new DelegateDetector(name, detect);

    private sealed class DelegateDetector(string name, Func<ThermalFrame, FaceBox?> detect) : IThermalFaceDetector
    {
        public string Name => name;

        public FaceBox? Detect(ThermalFrame frame) => detect(frame);
    }
}
