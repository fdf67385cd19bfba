namespace Vigil.Imaging;

/// <summary>What the image file says about the patient and the study (DICOM tags; empty for PNG/JPEG).</summary>
public sealed record ImageMetadata
{
    /// <summary>No metadata.</summary>
    public static readonly ImageMetadata Empty = new();

    /// <summary>Patient sex (0010,0040).</summary>
    public PatientSex Sex { get; init; } = PatientSex.Unknown;

    /// <summary>Raw Patient's Age (0010,1010), e.g. "010Y".</summary>
    public string? PatientAge { get; init; }

    /// <summary>Patient's Birth Date (0010,0030).</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>Study Date (0008,0020).</summary>
    public DateOnly? StudyDate { get; init; }

    /// <summary>SOP Instance UID (0008,0018).</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>
    /// Chronological age in months: from the birth and study dates when both are present (more
    /// precise), else from Patient's Age; null when neither is usable.
    /// </summary>
    public double? ChronologicalAgeMonths =>
        BirthDate is { } b && StudyDate is { } s && s >= b
            ? AgeMonths.Between(b, s)
            : PatientAge is { } a ? AgeMonths.FromDicomAgeString(a) : null;
}
