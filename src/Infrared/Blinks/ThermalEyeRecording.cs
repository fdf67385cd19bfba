namespace Vigil.Infrared.Blinks;

/// <summary>
/// A thermal eye-region recording in the thermal-eye folder format (<c>&lt;name&gt;.i16</c>, <c>.frames.csv</c>,
/// <c>.meta.txt</c>, optionally <c>.blinks.csv</c>); read with <see cref="ThermalEyeFolder"/>.
/// </summary>
public sealed class ThermalEyeRecording
{
    /// <summary>The recording's name (file names without extension), e.g. <c>mild__sjw_indoor_mild_20250701_174602_342</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Group before the <c>__</c> (normal, mild, severe, slow); empty when the name has none.</summary>
    public required string Group { get; init; }

    /// <summary>Subject: the first word after the group (e.g. <c>sjw</c>); the unit of leave-one-subject-out.</summary>
    public required string Subject { get; init; }

    /// <summary>Frame width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Frame height in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>Frames in frame order, each <c>Width × Height</c> temperatures in °C.</summary>
    public required IReadOnlyList<float[]> Frames { get; init; }

    /// <summary>Timestamp of each frame in ms from the recording start (the recording's own clock).</summary>
    public required IReadOnlyList<double> TimestampsMs { get; init; }

    /// <summary>Labelled blinks on the label file's own clock; null when the recording has no label file.</summary>
    public IReadOnlyList<BlinkEvent>? Labels { get; init; }

    /// <summary>Wall-clock time written in the recording's name.</summary>
    public DateTime? NameTime { get; init; }

    /// <summary>Wall-clock time written in the label file's name (from <c>meta.txt</c>).</summary>
    public DateTime? LabelNameTime { get; init; }

    /// <summary>Wall-clock time of the first frame (<c>t0</c> in <c>meta.txt</c>).</summary>
    public DateTime? FirstFrameTime { get; init; }

    /// <summary>The frames as a sequence of <see cref="EyeFrame"/>s.</summary>
    public IEnumerable<EyeFrame> EyeFrames()
    {
        for (var i = 0; i < Frames.Count; i++) yield return new EyeFrame(TimestampsMs[i], Frames[i], Width, Height);
    }
}
