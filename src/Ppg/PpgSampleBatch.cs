namespace Vigil.Ppg;

/// <summary>
/// A run of consecutive samples from one patient's watch: timestamps in seconds, one to three
/// PPG channels (any units), a 3-axis accelerometer (any units) and, when the device has one, a
/// 3-axis gyroscope (any units), all of equal length. The sampling rate is carried by the
/// timestamps (25-256 Hz devices); <see cref="SampleRateHz"/> may state the nominal rate.
/// </summary>
public sealed class PpgSampleBatch
{
    /// <summary>Creates a batch without a gyroscope; throws <see cref="PpgInputException"/> when the shapes disagree.</summary>
    public PpgSampleBatch(string patientId, double[] timeSeconds, float[][] ppg, float[] accX, float[] accY, float[] accZ)
        : this(patientId, timeSeconds, ppg, accX, accY, accZ, null) { }

    /// <summary>Creates a batch; <paramref name="gyro"/> is null or three axes; throws <see cref="PpgInputException"/> when the shapes disagree.</summary>
    public PpgSampleBatch(string patientId, double[] timeSeconds, float[][] ppg, float[] accX, float[] accY, float[] accZ, float[][]? gyro, double? sampleRateHz = null)
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
        if (gyro is not null)
        {
            if (gyro.Length != 3)
                throw new PpgInputException($"patient '{patientId}': a gyroscope needs 3 axes, got {gyro.Length}.");
            for (var a = 0; a < 3; a++)
                if (gyro[a] is null || gyro[a].Length != n)
                    throw new PpgInputException($"patient '{patientId}': gyroscope axis {a + 1} has {gyro[a]?.Length ?? 0} samples, timestamps {n}.");
        }
        if (sampleRateHz is { } fs && !(fs > 0 && double.IsFinite(fs)))
            throw new PpgInputException($"patient '{patientId}': nominal sampling rate {fs} Hz is not a positive number.");
        Gyro = gyro;
        SampleRateHz = sampleRateHz;
    }

    /// <summary>Whose samples these are.</summary>
    public string PatientId { get; }

    /// <summary>Sample times in seconds, strictly increasing.</summary>
    public double[] TimeSeconds { get; }

    /// <summary>PPG channels (1 to 3), each <see cref="Count"/> samples.</summary>
    public float[][] Ppg { get; }

    /// <summary>Number of PPG channels (1 to 3).</summary>
    public int PpgChannels => Ppg.Length;

    /// <summary>Accelerometer x axis.</summary>
    public float[] AccX { get; }

    /// <summary>Accelerometer y axis.</summary>
    public float[] AccY { get; }

    /// <summary>Accelerometer z axis.</summary>
    public float[] AccZ { get; }

    /// <summary>Gyroscope axes x, y, z when the device has one, else null.</summary>
    public float[][]? Gyro { get; }

    /// <summary>Whether <see cref="Gyro"/> is present.</summary>
    public bool HasGyroscope => Gyro is not null;

    /// <summary>Nominal device sampling rate when the sender states it; the tracker derives the rate from the timestamps otherwise.</summary>
    public double? SampleRateHz { get; }

    /// <summary>Number of samples.</summary>
    public int Count => TimeSeconds.Length;
}
