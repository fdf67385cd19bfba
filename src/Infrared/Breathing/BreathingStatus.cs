namespace Vigil.Infrared.Breathing;

/// <summary>Whether a breathing window carries a rate.</summary>
public enum BreathingStatus
{
    /// <summary>A rate supported by the signal.</summary>
    Ok,

    /// <summary>No rate: the window's <see cref="BreathingWindow.Reason"/> says why.</summary>
    Withheld,
}
