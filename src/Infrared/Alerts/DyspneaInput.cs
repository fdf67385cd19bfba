using Vigil.Infrared.Breathing;

namespace Vigil.Infrared.Alerts;

/// <summary>What the dyspnea alert stage consumes: breathing windows and AU intensities, keyed by patient.</summary>
/// <param name="PatientId">Patient the input belongs to.</param>
public abstract record DyspneaInput(string PatientId)
{
    /// <summary>A breathing window as input.</summary>
    public static DyspneaInput Of(BreathingWindow window) => new BreathingInput(window);

    /// <summary>AU intensities as input.</summary>
    public static DyspneaInput Of(ActionUnitIntensities sample) => new ActionUnitInput(sample);
}

/// <summary>A breathing window for the alert stage.</summary>
/// <param name="Window">The window.</param>
public sealed record BreathingInput(BreathingWindow Window) : DyspneaInput(Window.PatientId);

/// <summary>AU intensities for the alert stage.</summary>
/// <param name="Sample">The intensities.</param>
public sealed record ActionUnitInput(ActionUnitIntensities Sample) : DyspneaInput(Sample.PatientId);
