namespace Vigil.Ppg.Data;

/// <summary>One recording loaded from a CSV file: validated, with its sampling rate derived from <c>t_s</c>.</summary>
public sealed class PpgRecording
{
    internal PpgRecording(string name, string identity, double sampleRateHz, double[] time, float[][] ppg, float[] accX, float[] accY, float[] accZ)
    {
        Name = name; Identity = identity; SampleRateHz = sampleRateHz;
        TimeSeconds = time; Ppg = ppg; AccX = accX; AccY = accY; AccZ = accZ;
    }

    /// <summary>Recording name (file name without <c>.csv</c>).</summary>
    public string Name { get; }

    /// <summary>File name and SHA-256 prefix of its bytes (provenance).</summary>
    public string Identity { get; }

    /// <summary>Sampling rate derived from the median timestamp spacing.</summary>
    public double SampleRateHz { get; }

    /// <summary>Timestamps (s).</summary>
    public double[] TimeSeconds { get; }

    /// <summary>PPG channels (1 to 3).</summary>
    public float[][] Ppg { get; }

    /// <summary>Accelerometer x.</summary>
    public float[] AccX { get; }

    /// <summary>Accelerometer y.</summary>
    public float[] AccY { get; }

    /// <summary>Accelerometer z.</summary>
    public float[] AccZ { get; }

    /// <summary>Number of samples.</summary>
    public int Count => TimeSeconds.Length;

    /// <summary>Samples [start, start + count) as a batch for <paramref name="patientId"/>.</summary>
    public PpgSampleBatch Slice(string patientId, int start, int count) => new(
        patientId,
        TimeSeconds.AsSpan(start, count).ToArray(),
        Ppg.Select(p => p.AsSpan(start, count).ToArray()).ToArray(),
        AccX.AsSpan(start, count).ToArray(),
        AccY.AsSpan(start, count).ToArray(),
        AccZ.AsSpan(start, count).ToArray());
}
