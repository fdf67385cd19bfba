using Vigil.Imaging;

namespace Vigil.BoneAge.Reference;

/// <summary>
/// A bone age set against the chronological age: difference, z-score against the Greulich &amp;
/// Pyle SD for the sex and age, and a flag when |z| exceeds <see cref="FlagThreshold"/>.
/// </summary>
public sealed record BoneAgeAssessment
{
    /// <summary>|z| above which a result is flagged as advanced or delayed.</summary>
    public const double FlagThreshold = 2.0;

    /// <summary>Bone age in months (model output).</summary>
    public required double BoneAgeMonths { get; init; }

    /// <summary>Chronological age in months.</summary>
    public required double ChronologicalAgeMonths { get; init; }

    /// <summary>Bone age minus chronological age, months.</summary>
    public double DifferenceMonths => BoneAgeMonths - ChronologicalAgeMonths;

    /// <summary>Reference SD in months; null when the table does not cover the case.</summary>
    public double? ReferenceSdMonths { get; init; }

    /// <summary>(bone age − chronological age) / SD; null when withheld.</summary>
    public double? ZScore => ReferenceSdMonths is { } sd ? DifferenceMonths / sd : null;

    /// <summary>"advanced" or "delayed" when |z| &gt; 2, "" when within, null when z is withheld.</summary>
    public string? Flag => ZScore switch
    {
        null => null,
        > FlagThreshold => "advanced",
        < -FlagThreshold => "delayed",
        _ => "",
    };

    /// <summary>Why the z-score is withheld, if it is.</summary>
    public string? ZScoreWithheldReason { get; init; }

    /// <summary>Assesses <paramref name="boneAgeMonths"/> for a patient of <paramref name="sex"/> aged <paramref name="chronologicalAgeMonths"/>.</summary>
    public static BoneAgeAssessment Assess(double boneAgeMonths, PatientSex sex, double chronologicalAgeMonths)
    {
        var (sd, reason) = GreulichPyleReference.StandardDeviation(sex, chronologicalAgeMonths);
        return new BoneAgeAssessment
        {
            BoneAgeMonths = boneAgeMonths,
            ChronologicalAgeMonths = chronologicalAgeMonths,
            ReferenceSdMonths = sd,
            ZScoreWithheldReason = reason,
        };
    }
}
