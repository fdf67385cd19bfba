namespace Vigil.Ppg.Synthetic;

/// <summary>The difficulty a generated recording is built around (each with known truth).</summary>
public enum StressCase
{
    /// <summary>Treadmill protocol rest → walk → run → walk → rest; heart rate lagging the workload.</summary>
    Treadmill,
    /// <summary>Running with the step cadence within a few BPM of the heart rate for minutes.</summary>
    CadenceNearHeartRate,
    /// <summary>A pulse whose second harmonic outweighs its fundamental (a double-rate lure).</summary>
    StrongHarmonic,
    /// <summary>Arm swing (half the cadence) near half the heart rate, strongly in the PPG (a half-rate lure).</summary>
    HalfRateLure,
    /// <summary>A high heart rate at rest from the first sample (start-up acquisition far from the population mean).</summary>
    HighStart,
    /// <summary>One PPG channel turns to noise, goes flat or saturates for stretches; others stay good.</summary>
    ChannelDropout,
    /// <summary>Sudden workload changes: heart rate rising fast while the cadence jumps.</summary>
    Transitions,
}
