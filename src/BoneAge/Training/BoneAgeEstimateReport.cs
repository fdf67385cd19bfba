using System.Globalization;
using System.Security.Cryptography;
using Vigil.Imaging;
using Vigil.BoneAge.Reference;
using Vigil.BoneAge.Reporting;
using Vigil.BoneAge.Scoring;

namespace Vigil.BoneAge.Training;

/// <summary>
/// <c>vigil boneage score</c> with a trained (TorchSharp) card: every image estimated by
/// <see cref="BoneAgeEstimator"/>, written to <c>report.csv</c> (with the 90 % interval and the
/// card's validation figures) and one FHIR Observation per scored image, like the ONNX scorer.
/// </summary>
public static class BoneAgeEstimateReport
{
    /// <summary>The card's validation line, e.g. <c>5-fold CV MAD 9.8 months on 999 RSNA radiographs (rsna-999)</c>.</summary>
    public static string ValidationOf(Vigil.Models.Cards.ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var t = card.Training;
        if (t is null || !t.Metrics.TryGetValue("cv_mad_months", out var mad)) return "no validation figures in the card";
        var within = t.Metrics.TryGetValue("cv_within_12_months", out var w) ? string.Create(CultureInfo.InvariantCulture, $", {w:P0} within 12 months") : "";
        return string.Create(CultureInfo.InvariantCulture, $"out-of-fold CV MAD {mad:0.0} months{within}; {t.Split}; {t.Dataset}");
    }

    /// <summary>Scores <paramref name="files"/>; returns (scored, withheld, report path).</summary>
    public static (int Scored, int Withheld, string Report) Run(BoneAgeEstimator estimator, IReadOnlyList<string> files, Manifest manifest, string outputDirectory, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(progress);
        Directory.CreateDirectory(outputDirectory);
        var reportPath = Path.Combine(outputDirectory, "report.csv");
        var card = estimator.Card;
        var validation = ValidationOf(card);
        var issued = DateTimeOffset.UtcNow;
        int scored = 0, withheld = 0;
        using var writer = new ReportCsvWriter(reportPath);
        foreach (var file in files)
        {
            string sha;
            using (var s = File.OpenRead(file)) sha = Convert.ToHexStringLower(SHA256.HashData(s));
            if (writer.AlreadyScored.Contains(sha)) continue;
            var entry = manifest.Find(file);
            var sex = entry?.Sex ?? PatientSex.Unknown;
            var age = entry?.AgeMonths;
            var row = new ReportRow
            {
                Image = file, Sha256 = sha, Status = ReportRow.Failed, Sex = sex switch { PatientSex.Male => "M", PatientSex.Female => "F", _ => "" },
                ChronologicalAgeMonths = age, AgeSource = age is null ? "" : "manifest",
                ModelId = card.Id, ModelVersion = card.Version, ModelSha256 = card.Provenance.Sha256,
                ClinicalUse = card.NotForClinicalUse ? ReportRow.NotForClinicalUseLabel : "", Validation = validation,
                Format = Path.GetExtension(file).TrimStart('.').ToLowerInvariant(),
            };
            if (sex == PatientSex.Unknown)
                row = row with { Reason = "withheld: the patient's sex is unknown (give it in --manifest); the model needs it" };
            else
            {
                var p = estimator.Estimate(file, sex == PatientSex.Male);
                if (p.Withheld is { } why) row = row with { Reason = "withheld: " + why };
                else
                {
                    var a = age is { } chrono ? BoneAgeAssessment.Assess(p.Months, sex, chrono) : null;
                    row = row with
                    {
                        Status = ReportRow.Ok, BoneAgeMonths = Math.Round(p.Months, 2), BoneAgeLowMonths = Math.Round(p.Low, 2), BoneAgeHighMonths = Math.Round(p.High, 2),
                        DifferenceMonths = a?.DifferenceMonths, ReferenceSdMonths = a?.ReferenceSdMonths, ZScore = a?.ZScore, Flag = a?.Flag ?? "",
                        Reason = a?.ZScoreWithheldReason is { } z ? "z-score withheld: " + z : "",
                    };
                }
            }
            writer.Append([row]);
            if (row.Status == ReportRow.Ok)
            {
                scored++;
                FhirObservation.Write(row, Path.Combine(outputDirectory, "fhir"), issued);
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(file)}: bone age {row.BoneAgeMonths:0.0} months (90% {row.BoneAgeLowMonths:0}-{row.BoneAgeHighMonths:0}){(age is { } c ? $", chronological {c:0}" : "")} [{row.ClinicalUse}; {validation}]"));
            }
            else
            {
                withheld++;
                progress.WriteLine($"{Path.GetFileName(file)}: {row.Reason}");
            }
        }
        return (scored, withheld, reportPath);
    }
}
