using System.Globalization;

namespace Vigil.BoneAge.Reporting;

/// <summary>One image's line in report.csv: the result or the reason it failed, with provenance.</summary>
public sealed record ReportRow
{
    /// <summary>Status of a scored image.</summary>
    public const string Ok = "ok";
    /// <summary>Status of an image that could not be scored.</summary>
    public const string Failed = "failed";
    /// <summary>Written in every row produced by a model whose card says it is not for clinical use.</summary>
    public const string NotForClinicalUseLabel = "NOT FOR CLINICAL USE";

    /// <summary>Input file path as given.</summary>
    public required string Image { get; init; }
    /// <summary>sha256 of the input file's bytes (empty when it could not be read).</summary>
    public string Sha256 { get; init; } = "";
    /// <summary><see cref="Ok"/> or <see cref="Failed"/>.</summary>
    public required string Status { get; init; }
    /// <summary>Why the image failed, or why the z-score is withheld.</summary>
    public string Reason { get; init; } = "";
    /// <summary>M, F or empty.</summary>
    public string Sex { get; init; } = "";
    /// <summary>Chronological age in months.</summary>
    public double? ChronologicalAgeMonths { get; init; }
    /// <summary>Where sex and age came from (manifest, dicom-dates, dicom-age).</summary>
    public string AgeSource { get; init; } = "";
    /// <summary>Model output, months.</summary>
    public double? BoneAgeMonths { get; init; }
    /// <summary>Bone age minus chronological age, months.</summary>
    public double? DifferenceMonths { get; init; }
    /// <summary>Greulich &amp; Pyle reference SD, months.</summary>
    public double? ReferenceSdMonths { get; init; }
    /// <summary>z-score.</summary>
    public double? ZScore { get; init; }
    /// <summary>advanced, delayed or empty.</summary>
    public string Flag { get; init; } = "";
    /// <summary>Model id.</summary>
    public string ModelId { get; init; } = "";
    /// <summary>Model version.</summary>
    public string ModelVersion { get; init; } = "";
    /// <summary>Model file sha256.</summary>
    public string ModelSha256 { get; init; } = "";
    /// <summary><see cref="NotForClinicalUseLabel"/> for demonstration models.</summary>
    public string ClinicalUse { get; init; } = "";
    /// <summary>DICOM SOP Instance UID, if any.</summary>
    public string SopInstanceUid { get; init; } = "";
    /// <summary>Decoded format.</summary>
    public string Format { get; init; } = "";
    /// <summary>Hand crop in source pixels (WxH+X+Y).</summary>
    public string Crop { get; init; } = "";
    /// <summary>Study date from the image (DICOM Study Date), if any: the Observation's effective time. Not a CSV column.</summary>
    public DateOnly? StudyDate { get; init; }

    /// <summary>Lower end of the estimate's 90 % interval, months (models that give one).</summary>
    public double? BoneAgeLowMonths { get; init; }
    /// <summary>Upper end of the estimate's 90 % interval, months.</summary>
    public double? BoneAgeHighMonths { get; init; }
    /// <summary>The model's validation figures, printed beside every result (e.g. "5-fold CV MAD 9.8 months").</summary>
    public string Validation { get; init; } = "";

    /// <summary>The CSV header.</summary>
    public static readonly string[] Columns =
    [
        "image", "sha256", "status", "reason", "sex", "chronological_age_months", "age_source", "bone_age_months",
        "difference_months", "reference_sd_months", "z_score", "flag", "model_id", "model_version", "model_sha256",
        "clinical_use", "sop_instance_uid", "format", "crop", "bone_age_low_months", "bone_age_high_months", "validation",
    ];

    /// <summary>The fields in <see cref="Columns"/> order.</summary>
    public string[] Fields() =>
    [
        Image, Sha256, Status, Reason, Sex, Num(ChronologicalAgeMonths), AgeSource, Num(BoneAgeMonths), Num(DifferenceMonths),
        Num(ReferenceSdMonths), Num(ZScore), Flag, ModelId, ModelVersion, ModelSha256, ClinicalUse, SopInstanceUid, Format, Crop,
        Num(BoneAgeLowMonths), Num(BoneAgeHighMonths), Validation,
    ];

    private static string Num(double? v) => v is { } d ? d.ToString("0.####", CultureInfo.InvariantCulture) : "";
}
