using Vigil.Imaging;
using Vigil.BoneAge.Preprocessing;

namespace Vigil.BoneAge.Scoring;

/// <summary>One image on its way through the pipeline; <see cref="Failure"/> set means it stops at the report.</summary>
internal sealed class ScoringItem
{
    public required string Path { get; init; }
    public int Index { get; init; }
    public byte[]? Bytes { get; set; }
    public string Sha256 { get; set; } = "";
    public string? Failure { get; set; }
    public bool Skip { get; set; }
    public PatientSex Sex { get; set; }
    public double? AgeMonths { get; set; }
    public string AgeSource { get; set; } = "";
    public string SopInstanceUid { get; set; } = "";
    /// <summary>DICOM Study Date, if the image has one.</summary>
    public DateOnly? StudyDate { get; set; }
    public string Format { get; set; } = "";
    public PreprocessedImage? Prepared { get; set; }
}
