using Vigil.Imaging;

namespace Vigil.BoneAge.Reference;

/// <summary>
/// Standard deviations of skeletal age by sex and chronological age for the Greulich &amp; Pyle
/// standard (Greulich WW, Pyle SI. Radiographic Atlas of Skeletal Development of the Hand and
/// Wrist, 2nd ed., Stanford University Press, 1959; Brush Foundation Study data), as commonly
/// reproduced in bone-age reporting. Between tabulated ages the SD is interpolated linearly;
/// outside the table no SD is given and the z-score is withheld. The values agree entry for entry
/// with an independent public transcription of the Brush Foundation table; docs/boneage.md says
/// how they were checked and what is still to check.
/// </summary>
public static class GreulichPyleReference
{
    /// <summary>Tabulated chronological ages (months) and SDs (months), boys.</summary>
    internal static readonly (double AgeMonths, double Sd)[] Boys =
    [
        (3, 0.69), (6, 1.13), (9, 1.43), (12, 1.97), (18, 3.52), (24, 3.92), (30, 4.52), (36, 5.08),
        (42, 5.40), (48, 6.66), (54, 8.36), (60, 8.79), (72, 9.17), (84, 8.91), (96, 9.10), (108, 9.00),
        (120, 9.79), (132, 10.09), (144, 10.38), (156, 10.44), (168, 10.72), (180, 11.32), (192, 12.86), (204, 13.05),
    ];

    /// <summary>Tabulated chronological ages (months) and SDs (months), girls.</summary>
    internal static readonly (double AgeMonths, double Sd)[] Girls =
    [
        (3, 0.72), (6, 1.16), (9, 1.36), (12, 1.77), (18, 3.49), (24, 4.64), (30, 5.37), (36, 5.97),
        (42, 7.48), (48, 8.98), (54, 10.73), (60, 11.65), (72, 10.23), (84, 9.64), (96, 10.23), (108, 10.74),
        (120, 11.73), (132, 11.94), (144, 10.24), (156, 10.67), (168, 11.30), (180, 9.23), (192, 7.31),
    ];

    /// <summary>
    /// The reference SD in months for <paramref name="sex"/> at <paramref name="chronologicalAgeMonths"/>,
    /// or null with the reason when the table does not cover the case.
    /// </summary>
    public static (double? Sd, string? Reason) StandardDeviation(PatientSex sex, double chronologicalAgeMonths)
    {
        var table = sex switch
        {
            PatientSex.Male => Boys,
            PatientSex.Female => Girls,
            _ => null,
        };
        if (table is null) return (null, "sex unknown: the Greulich & Pyle reference is sex-specific");
        if (!double.IsFinite(chronologicalAgeMonths) || chronologicalAgeMonths < table[0].AgeMonths || chronologicalAgeMonths > table[^1].AgeMonths)
            return (null, $"chronological age {chronologicalAgeMonths:0.#} months is outside the Greulich & Pyle SD table for {(sex == PatientSex.Male ? "boys" : "girls")} ({table[0].AgeMonths:0}-{table[^1].AgeMonths:0} months)");
        for (var i = 1; i < table.Length; i++)
        {
            if (chronologicalAgeMonths > table[i].AgeMonths) continue;
            var (a0, s0) = table[i - 1];
            var (a1, s1) = table[i];
            return (s0 + (s1 - s0) * (chronologicalAgeMonths - a0) / (a1 - a0), null);
        }
        return (table[^1].Sd, null);
    }
}
