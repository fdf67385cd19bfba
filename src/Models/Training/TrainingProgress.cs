using System.Globalization;

namespace Vigil.Models.Training;

/// <summary>Where a training run stands, reported after every optimiser step.</summary>
/// <param name="Epoch">Current epoch, 1-based.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Batch">Batches done in this epoch, 1-based.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Mean training loss over this epoch's batches so far.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Remaining">Estimated time to the end of the run, from the mean step time so far.</param>
public sealed record TrainingProgress(int Epoch, int Epochs, int Batch, int Batches, double Loss, TimeSpan Elapsed, TimeSpan Remaining)
{
    /// <summary>Formats as <c>epoch 3/20  batch 10/25  loss 12.345  elapsed 0:42  ETA 5:10</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"epoch {Epoch}/{Epochs}  batch {Batch}/{Batches}  loss {Loss:0.###}  elapsed {Format(Elapsed)}  ETA {Format(Remaining)}");

    private static string Format(TimeSpan t) => t.TotalHours >= 1
        ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
        : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
