namespace Vigil.Imaging.Dicom;

/// <summary>
/// One top-level element of a parsed dataset: where its value lies in the file buffer. Values are
/// not copied; the dataset keeps the buffer alive.
/// </summary>
/// <param name="Tag">The attribute tag.</param>
/// <param name="Vr">The value representation ("UN" when the syntax is implicit and the tag unknown).</param>
/// <param name="Offset">Offset of the value in the buffer.</param>
/// <param name="Length">Length of the value in bytes; -1 for encapsulated (undefined-length) pixel data.</param>
public readonly record struct DicomElement(DicomTag Tag, string Vr, int Offset, int Length);
