using System.Globalization;

namespace Vigil.Models.Training.Adaptation;

/// <summary>The two stages of ADDA.</summary>
public enum AddaStage
{
    /// <summary>Stage 1: source encoder and classifier trained on labelled source data.</summary>
    Source,
    /// <summary>Stage 2: target encoder trained against the domain discriminator.</summary>
    Adversarial,
}

/// <summary>Where an ADDA run stands, reported every <see cref="AddaOptions.ReportEvery"/> steps and at the end of each stage.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Step">Steps done in this stage.</param>
/// <param name="Steps">Steps in this stage.</param>
/// <param name="SourceLoss">Stage 1: mean source loss since the last report; NaN in stage 2.</param>
/// <param name="DiscriminatorLoss">Stage 2: mean discriminator loss since the last report; NaN in stage 1.</param>
/// <param name="TargetLoss">Stage 2: mean target-encoder (inverted-label) loss since the last report; NaN in stage 1.</param>
/// <param name="DiscriminatorAccuracy">Stage 2: the discriminator's mean accuracy on both domains since the last report; NaN in stage 1.</param>
/// <param name="Elapsed">Time since the stage started.</param>
public sealed record AddaProgress(AddaStage Stage, int Step, int Steps, double SourceLoss, double DiscriminatorLoss, double TargetLoss, double DiscriminatorAccuracy, TimeSpan Elapsed)
{
    /// <summary>One line, e.g. <c>adversarial 400/4000  d_loss 0.652  t_loss 0.801  d_acc 0.61  elapsed 0:20  ETA 3:00</c>.</summary>
    public override string ToString()
    {
        var eta = Step == 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)(Elapsed.Ticks / (double)Step * (Steps - Step)));
        return Stage == AddaStage.Source
            ? string.Create(CultureInfo.InvariantCulture, $"source {Step}/{Steps}  loss {SourceLoss:0.###}  elapsed {Format(Elapsed)}  ETA {Format(eta)}")
            : string.Create(CultureInfo.InvariantCulture, $"adversarial {Step}/{Steps}  d_loss {DiscriminatorLoss:0.###}  t_loss {TargetLoss:0.###}  d_acc {DiscriminatorAccuracy:0.00}  elapsed {Format(Elapsed)}  ETA {Format(eta)}");
    }

    private static string Format(TimeSpan t) => t.ToString(t.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
