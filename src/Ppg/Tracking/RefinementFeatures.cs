namespace Vigil.Ppg.Tracking;

/// <summary>
/// The per-window inputs of the learned refinement: the tracker's view of its own estimate
/// (posterior mass, spectral evidence at the rate, its harmonic and subharmonic, the best rival,
/// the challenger's disagreement, motion). Unit-free, so any device gives the same scale.
/// </summary>
internal static class RefinementFeatures
{
    /// <summary>Number of features.</summary>
    public const int Count = 16;

    /// <summary>Feature names, in order (written into the model card).</summary>
    public static readonly string[] Names =
    [
        "confidence", "signal_quality", "log_motion", "likelihood", "reliability", "fundamental", "harmonic", "subharmonic",
        "rival_likelihood", "motion_spectrum", "dispute", "challenger_gap", "on_motion", "rate_change", "bpm", "warmup",
    ];

    /// <summary>Fills <paramref name="x"/> (length <see cref="Count"/>) for one window.</summary>
    public static void Fill(Span<float> x, in TrackerEstimate e, double motion, double previousBpm, long windowIndex)
    {
        var v = e.Evidence;
        x[0] = (float)e.Confidence;
        x[1] = (float)e.SignalQuality;
        x[2] = (float)Math.Log(1 + motion);
        x[3] = (float)v.Likelihood;
        x[4] = (float)v.Reliability;
        x[5] = (float)v.Fundamental;
        x[6] = (float)v.Harmonic;
        x[7] = (float)v.Subharmonic;
        x[8] = (float)v.RivalLikelihood;
        x[9] = (float)v.Motion;
        x[10] = (float)Math.Min(10, v.Dispute) / 10;
        x[11] = double.IsNaN(e.ChallengerBpm) ? 0 : (float)Math.Min(1, Math.Abs(e.ChallengerBpm - e.Bpm) / 60);
        x[12] = e.OnMotion ? 1 : 0;
        x[13] = double.IsNaN(previousBpm) ? 0 : (float)Math.Min(1, Math.Abs(e.Bpm - previousBpm) / 20);
        x[14] = (float)(e.Bpm / 200);
        x[15] = (float)Math.Max(0, 1 - windowIndex / 8.0);
    }
}
