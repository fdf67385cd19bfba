namespace Vigil.Imaging;

/// <summary>Patient sex as the Greulich &amp; Pyle reference distinguishes it.</summary>
public enum PatientSex
{
    /// <summary>Not recorded, or a value the reference has no table for.</summary>
    Unknown,
    /// <summary>Male ("M").</summary>
    Male,
    /// <summary>Female ("F").</summary>
    Female,
}
