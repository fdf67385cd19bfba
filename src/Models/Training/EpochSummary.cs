namespace Vigil.Models.Training;

/// <summary>What one epoch of <see cref="TrainingLoop"/> did.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="Validation">The validation metric the caller computed after the epoch (NaN when none).</param>
/// <param name="Duration">Wall time of the epoch (training steps and validation).</param>
/// <param name="PeakWorkingSetBytes">The process's peak working set at the end of the epoch.</param>
public sealed record EpochSummary(int Epoch, double TrainLoss, double Validation, TimeSpan Duration, long PeakWorkingSetBytes);
