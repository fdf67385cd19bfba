namespace Vigil.Infrared.Thermal;

/// <summary>The unit a camera's calibrated value (gain × count + offset) is in.</summary>
public enum TemperatureUnit
{
    /// <summary>Degrees Celsius.</summary>
    Celsius,

    /// <summary>Kelvin (e.g. FLIR Lepton TLinear: centikelvin counts, gain 0.01).</summary>
    Kelvin,

    /// <summary>Degrees Fahrenheit.</summary>
    Fahrenheit,
}
