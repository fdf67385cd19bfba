namespace Vigil.Ppg;

/// <summary>
/// Input that cannot be accepted (malformed file, non-finite value, timestamps that go back,
/// absurd sampling rate). The message names the input (file and line, or patient and sample)
/// and what is wrong.
/// </summary>
public sealed class PpgInputException : Exception
{
    /// <summary>Creates the exception with its full message.</summary>
    public PpgInputException(string message) : base(message) { }
}
