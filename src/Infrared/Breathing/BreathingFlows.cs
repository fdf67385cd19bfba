using Akka;
using Akka.Streams.Dsl;
using Vigil.Infrared.Thermal;

namespace Vigil.Infrared.Breathing;

/// <summary>
/// The breathing chain as Akka.Streams flows: thermal frame → face (any <see cref="IThermalFaceDetector"/>)
/// → nostril region (<see cref="NostrilRegionRule"/>) → mean temperature → windows of rate and pattern.
/// All stages are synchronous and fuse into one island; they emit one element per frame or per
/// completed window, backpressure when downstream does, complete with upstream.
/// </summary>
public static class BreathingFlows
{
    /// <summary>Frame → nostril-region sample (NaN with the reason when no face or no usable region).</summary>
    public static Flow<ThermalFrame, RegionSample, NotUsed> NostrilSignal(IThermalFaceDetector detector, NostrilRegionRule? rule = null)
    {
        var r = rule ?? new NostrilRegionRule();
        return Flow.Create<ThermalFrame>().Select(frame => Sample(frame, detector, r));
    }

    /// <summary>Region samples → breathing windows for one patient (a fresh tracker per materialization).</summary>
    public static Flow<RegionSample, BreathingWindow, NotUsed> Windows(string patientId, BreathingOptions? options = null, string provenance = "") =>
        Flow.Create<RegionSample>().StatefulSelectMany<RegionSample, RegionSample, BreathingWindow, NotUsed>(() =>
        {
            var tracker = new BreathingRateTracker(patientId, options, provenance);
            return sample => tracker.Push(sample);
        });

    /// <summary>The whole chain for one camera: frames → breathing windows.</summary>
    public static Flow<ThermalFrame, BreathingWindow, NotUsed> BreathingRate(string patientId, IThermalFaceDetector detector, BreathingOptions? options = null, NostrilRegionRule? rule = null) =>
        NostrilSignal(detector, rule).Via(Windows(patientId, options, Provenance(detector)));

    /// <summary>Provenance string of windows produced with <paramref name="detector"/>.</summary>
    public static string Provenance(IThermalFaceDetector detector) =>
        $"vigil-ir-breathing 1 (nostril-region Lomb-Scargle, face detector {detector.Name}); NOT FOR CLINICAL USE";

    /// <summary>One frame's nostril-region sample.</summary>
    public static RegionSample Sample(ThermalFrame frame, IThermalFaceDetector detector, NostrilRegionRule rule)
    {
        var face = detector.Detect(frame);
        if (face is null) return new RegionSample(frame.Timestamp, double.NaN, null, "no face found");
        var (region, refusal) = rule.RegionFor(face.Value, frame.Width, frame.Height);
        if (region is null) return new RegionSample(frame.Timestamp, double.NaN, face, refusal);
        var mean = frame.MeanCelsius(region.Value);
        return double.IsFinite(mean)
            ? new RegionSample(frame.Timestamp, mean, face, null, frame.MeanCelsius(NostrilRegionRule.MouthRegionFor(face.Value)))
            : new RegionSample(frame.Timestamp, double.NaN, face, "non-finite temperature in the region");
    }
}
