namespace Vigil.WardConsole.Live;

/// <summary>A live event that belongs to one patient (so a client following that patient receives it).</summary>
public interface IPatientEvent
{
    /// <summary>Whose event.</summary>
    string PatientId { get; }
}
