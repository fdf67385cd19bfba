namespace Vigil.Ppg.Training;

/// <summary>One window as a training example of the refinement.</summary>
/// <param name="Group">Subject (recording) the window comes from: leave-one-subject-out splits on it; generated recordings are their own groups.</param>
/// <param name="Features">The tracker's features for the window.</param>
/// <param name="ErrorBpm">Absolute error of the tracker's estimate against the truth.</param>
public sealed record RefinementExample(string Group, float[] Features, double ErrorBpm)
{
    /// <summary>Within 5 BPM: what the refinement predicts the probability of.</summary>
    public bool Correct => ErrorBpm <= 5;
}
