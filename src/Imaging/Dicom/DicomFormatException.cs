namespace Vigil.Imaging.Dicom;

/// <summary>
/// A DICOM file that cannot be read: not Part 10, truncated, malformed, or encoded in a way this
/// reader refuses. The message names the file and what is wrong with it.
/// </summary>
public sealed class DicomFormatException : Exception
{
    /// <summary>Creates the exception with a message that names the file and the problem.</summary>
    public DicomFormatException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the underlying cause.</summary>
    public DicomFormatException(string message, Exception inner) : base(message, inner) { }
}
