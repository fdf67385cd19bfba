namespace Vigil.Ppg.Data;

/// <summary>
/// One recording (from a CSV file or a generator): validated, with its sampling rate derived from
/// <c>t_s</c>, 1 to 3 PPG channels, a 3-axis accelerometer and an optional 3-axis gyroscope.
/// </summary>
public sealed class PpgRecording
{
    /// <summary>Creates a recording; throws <see cref="PpgInputException"/> naming it when the shapes disagree.</summary>
    public PpgRecording(string name, string identity, double sampleRateHz, double[] time, float[][] ppg, float[] accX, float[] accY, float[] accZ, float[][]? gyro = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(ppg);
        if (ppg.Length is < 1 or > 3) throw new PpgInputException($"{name}: 1 to 3 PPG channels, got {ppg.Length}.");
        if (ppg.Any(p => p.Length != time.Length) || accX.Length != time.Length || accY.Length != time.Length || accZ.Length != time.Length)
            throw new PpgInputException($"{name}: every channel must have {time.Length} samples (one per timestamp).");
        if (gyro is not null && (gyro.Length != 3 || gyro.Any(g => g.Length != time.Length)))
            throw new PpgInputException($"{name}: a gyroscope needs 3 axes of {time.Length} samples.");
        Name = name; Identity = identity; SampleRateHz = sampleRateHz;
        TimeSeconds = time; Ppg = ppg; AccX = accX; AccY = accY; AccZ = accZ; Gyro = gyro;
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

    /// <summary>Number of PPG channels (1 to 3).</summary>
    public int PpgChannels => Ppg.Length;

    /// <summary>Accelerometer x.</summary>
    public float[] AccX { get; }

    /// <summary>Accelerometer y.</summary>
    public float[] AccY { get; }

    /// <summary>Accelerometer z.</summary>
    public float[] AccZ { get; }

    /// <summary>Gyroscope x, y, z when recorded, else null.</summary>
    public float[][]? Gyro { get; }

    /// <summary>Whether a gyroscope was recorded.</summary>
    public bool HasGyroscope => Gyro is not null;

    /// <summary>Number of samples.</summary>
    public int Count => TimeSeconds.Length;

    /// <summary>Samples [start, start + count) as a batch for <paramref name="patientId"/>.</summary>
    public PpgSampleBatch Slice(string patientId, int start, int count) => new(
        patientId,
        TimeSeconds.AsSpan(start, count).ToArray(),
        Ppg.Select(p => p.AsSpan(start, count).ToArray()).ToArray(),
        AccX.AsSpan(start, count).ToArray(),
        AccY.AsSpan(start, count).ToArray(),
        AccZ.AsSpan(start, count).ToArray(),
        Gyro?.Select(g => g.AsSpan(start, count).ToArray()).ToArray(),
        SampleRateHz);
}
