namespace Vigil.Ppg;

/// <summary>
/// A run of consecutive samples from one patient's watch: timestamps in seconds, one to three
/// PPG channels (any units) and a 3-axis accelerometer (any units), all of equal length.
/// </summary>
public sealed class PpgSampleBatch
{
    /// <summary>Creates a batch; throws <see cref="PpgInputException"/> when the shapes disagree.</summary>
    public PpgSampleBatch(string patientId, double[] timeSeconds, float[][] ppg, float[] accX, float[] accY, float[] accZ)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        PatientId = patientId;
        TimeSeconds = timeSeconds ?? throw new ArgumentNullException(nameof(timeSeconds));
        Ppg = ppg ?? throw new ArgumentNullException(nameof(ppg));
        AccX = accX ?? throw new ArgumentNullException(nameof(accX));
        AccY = accY ?? throw new ArgumentNullException(nameof(accY));
        AccZ = accZ ?? throw new ArgumentNullException(nameof(accZ));
        if (ppg.Length is < 1 or > 3)
            throw new PpgInputException($"patient '{patientId}': a batch needs 1 to 3 PPG channels, got {ppg.Length}.");
        var n = timeSeconds.Length;
        for (var c = 0; c < ppg.Length; c++)
            if (ppg[c] is null || ppg[c].Length != n)
                throw new PpgInputException($"patient '{patientId}': PPG channel {c + 1} has {ppg[c]?.Length ?? 0} samples, timestamps {n}.");
        if (accX.Length != n || accY.Length != n || accZ.Length != n)
            throw new PpgInputException($"patient '{patientId}': accelerometer axes have {accX.Length}/{accY.Length}/{accZ.Length} samples, timestamps {n}.");
    }

    /// <summary>Whose samples these are.</summary>
    public string PatientId { get; }

    /// <summary>Sample times in seconds, strictly increasing.</summary>
    public double[] TimeSeconds { get; }

    /// <summary>PPG channels (1 to 3), each <see cref="Count"/> samples.</summary>
    public float[][] Ppg { get; }

    /// <summary>Accelerometer x axis.</summary>
    public float[] AccX { get; }

    /// <summary>Accelerometer y axis.</summary>
    public float[] AccY { get; }

    /// <summary>Accelerometer z axis.</summary>
    public float[] AccZ { get; }

    /// <summary>Number of samples.</summary>
    public int Count => TimeSeconds.Length;
}
