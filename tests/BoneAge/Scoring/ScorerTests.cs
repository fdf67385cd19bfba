using System.Globalization;
using System.Text.Json.Nodes;
using Vigil.BoneAge.Demo;
using Vigil.Imaging.Dicom;
using Vigil.Imaging;
using Vigil.BoneAge.Preprocessing;
using Vigil.BoneAge.Reference;
using Vigil.BoneAge.Reporting;
using Vigil.BoneAge.Scoring;
using Vigil.Imaging.Tests.Dicom;
using Vigil.Tests.Common;

namespace Vigil.BoneAge.Tests.Scoring;

/// <summary>End-to-end scoring with the demonstration ONNX model, checked against the same function in C#.</summary>
public sealed class ScorerTests : IDisposable
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-score-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Radiograph(string file) => SharedData.Require("assets/radiographs/" + file);

    private static readonly string[] RealImages =
        ["rsna_2182.png", "rsna_1541.png", "rsna_1440.png", "rsna_2608.png", "rsna_1437.png", "rsna_1638.png", "rsna_4498.png", "rsna_4360.png"];

    private static List<Dictionary<string, string>> ReadReport(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => Csv.Split(l)).Select(f => header.Zip(f).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static double Expected(string path, PatientSex sex, BoneAgeModel model)
    {
        var input = new Preprocessor(model.Preprocessing).Run(RadiographLoader.Load(path)).Input;
        return BoneAgeDemoModel.Expected(input, sex == PatientSex.Male ? 1 : 0);
    }

    private async Task<(ScoreSummary Summary, List<Dictionary<string, string>> Rows)> Score(IReadOnlyList<string> inputs, Manifest manifest, long maxPixels = 40_000_000)
    {
        await using var model = BoneAgeModel.Open(DemoModelFilesTests.CardPath, maxBatchSize: 4);
        var summary = await new BoneAgeScorer(model, new ScoreOptions
        {
            Inputs = inputs, Manifest = manifest, OutputDirectory = Path.Combine(_dir, "out"), MaxPixels = maxPixels,
            DecodeParallelism = 2, MaxInFlight = 8, FlushEvery = 3,
        }).RunAsync().WaitAsync(Safety);
        return (summary, ReadReport(Path.Combine(_dir, "out", "report.csv")));
    }

    private string WriteManifest(params (string Image, string Sex, double Age)[] rows)
    {
        var path = Path.Combine(_dir, "manifest.csv");
        File.WriteAllLines(path, ["image,sex,age_months", .. rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Image},{r.Sex},{r.Age}"))]);
        return path;
    }

    [Fact]
    public async Task Score_RealRadiographs_EveryNumberEqualsTheCSharpComputation()
    {
        var ages = new Dictionary<string, (string Sex, double Age)>
        {
            ["rsna_2182.png"] = ("F", 70), ["rsna_1541.png"] = ("M", 30), ["rsna_1440.png"] = ("M", 40), ["rsna_2608.png"] = ("F", 100),
            ["rsna_1437.png"] = ("F", 130), ["rsna_1638.png"] = ("F", 170), ["rsna_4498.png"] = ("F", 84), ["rsna_4360.png"] = ("M", 160),
        };
        var manifest = Manifest.Read(WriteManifest(ages.Select(kv => (kv.Key, kv.Value.Sex, kv.Value.Age)).ToArray()));
        var inputs = RealImages.Select(Radiograph).ToArray();

        var (summary, rows) = await Score(inputs, manifest);

        Assert.Equal(8, summary.Scored);
        Assert.Equal(0, summary.Failed);
        Assert.True(summary.NotForClinicalUse);
        await using var model = BoneAgeModel.Open(DemoModelFilesTests.CardPath);
        foreach (var row in rows)
        {
            var file = Path.GetFileName(row["image"]);
            var (sexCode, age) = ages[file];
            var sex = sexCode == "M" ? PatientSex.Male : PatientSex.Female;
            var expected = Expected(row["image"], sex, model);
            var months = double.Parse(row["bone_age_months"], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(expected - months) < 1e-3, $"{file}: report {months}, C# {expected}");
            var a = BoneAgeAssessment.Assess(expected, sex, age);
            Assert.Equal(a.ZScore!.Value, double.Parse(row["z_score"], CultureInfo.InvariantCulture), 3);
            Assert.Equal(a.Flag, row["flag"]);
            Assert.Equal("ok", row["status"]);
            Assert.Equal(ReportRow.NotForClinicalUseLabel, row["clinical_use"]);
            Assert.Equal("boneage-demo", row["model_id"]);
            Assert.Equal(model.Card.Sha256, row["model_sha256"]);
            Assert.Equal(64, row["sha256"].Length);
            Assert.Equal("manifest", row["age_source"]);
        }
        var observations = Directory.GetFiles(Path.Combine(_dir, "out", "observations"));
        Assert.Equal(8, observations.Length);
        foreach (var file in observations)
        {
            // Parsed back by the Firely SDK, strictly: a malformed resource throws here.
            var obs = FhirObservation.Parse(File.ReadAllText(file));
            Assert.Equal("85151-9", obs.Code!.Coding[0].Code);
            Assert.Equal("mo", Assert.IsType<Hl7.Fhir.Model.Quantity>(obs.Value).Code);
            Assert.Contains(obs.Note, n => n.Text!.Contains("NOT FOR CLINICAL USE", StringComparison.Ordinal));
        }
        Assert.True(File.Exists(Path.Combine(_dir, "out", "summary.json")));
    }

    [Fact]
    public async Task Score_BadInputs_EachFailsWithAClearReasonAndTheBatchGoesOn()
    {
        var good = Radiograph("rsna_1381_preprocessed_by_repo.png");
        // A valid 12-bit MONOCHROME1 DICOM made from a real radiograph, sex and age from its tags.
        var png = RadiographLoader.Load(good);
        var values = png.Image.Pixels.Select(v => (int)(4095 - v * 16)).ToArray();
        var dicom = new DicomTestWriter().String(DicomTag.PatientBirthDate, "DA", "20150301").String(DicomTag.StudyDate, "DA", "20240301")
            .String(DicomTag.PatientSex, "CS", "M").Image(png.Image.Width, png.Image.Height, 16, 12, 11, false, "MONOCHROME1", [])
            .PixelData(DicomTestWriter.U16(values)).Save(_dir, "hand_mono1.dcm");
        var truncated = Path.Combine(_dir, "truncated.dcm");
        File.WriteAllBytes(truncated, File.ReadAllBytes(dicom)[..5000]);
        var bigEndian = new DicomTestWriter(TransferSyntax.ExplicitVrBigEndian).Image(4, 4, 16, 16, 15, false, "MONOCHROME2", [])
            .PixelData(new byte[32]).Save(_dir, "bigendian.dcm");
        var empty = Path.Combine(_dir, "empty.png");
        File.WriteAllBytes(empty, []);
        var duplicate = Path.Combine(_dir, "copy_of_1381.png");
        File.Copy(good, duplicate);
        var huge = Radiograph("rsna_2182.png");
        var noManifest = Radiograph("rsna_1381_original.png");
        var manifest = Manifest.Read(WriteManifest(("rsna_1381_preprocessed_by_repo.png", "F", 80), ("copy_of_1381.png", "F", 80),
            ("rsna_2182.png", "F", 70), ("empty.png", "F", 70), ("truncated.dcm", "M", 100), ("bigendian.dcm", "M", 100)));
        var inputs = new[] { good, dicom, truncated, bigEndian, empty, duplicate, huge, noManifest };

        var (summary, rows) = await Score(inputs, manifest, maxPixels: 3_000_000);

        string Reason(string file) => rows.Single(r => Path.GetFileName(r["image"]) == file)["reason"];
        string Status(string file) => rows.Single(r => Path.GetFileName(r["image"]) == file)["status"];
        Assert.Equal(8, rows.Count);
        Assert.Equal(2, summary.Scored);
        Assert.Equal(6, summary.Failed);
        Assert.Equal("ok", Status("rsna_1381_preprocessed_by_repo.png"));
        Assert.Equal("ok", Status("hand_mono1.dcm"));
        Assert.Contains("truncated", Reason("truncated.dcm"));
        Assert.Contains("big endian", Reason("bigendian.dcm"));
        Assert.Contains("file is empty", Reason("empty.png"));
        Assert.Contains("duplicate of", Reason("copy_of_1381.png"));
        Assert.Contains("over the limit of 3000000", Reason("rsna_2182.png"));
        Assert.Contains("sex is unknown", Reason("rsna_1381_original.png"));
        Assert.All(rows.Where(r => r["status"] == "failed"), r => Assert.StartsWith(Path.GetFileName(r["image"]), r["reason"]));

        // The DICOM row: MONOCHROME1 inverted, sex and age (9 years) from the tags, numbers as in C#.
        var dicomRow = rows.Single(r => r["image"] == dicom);
        Assert.Equal(("M", "dicom-dates", "108"), (dicomRow["sex"], dicomRow["age_source"], dicomRow["chronological_age_months"]));
        await using var model = BoneAgeModel.Open(DemoModelFilesTests.CardPath);
        Assert.Equal(Expected(dicom, PatientSex.Male, model), double.Parse(dicomRow["bone_age_months"], CultureInfo.InvariantCulture), 3);
    }

    [Fact]
    public async Task Score_Rerun_SkipsImagesAlreadyScoredAndAppendsOnlyNewOnes()
    {
        var manifest = Manifest.Read(WriteManifest(("rsna_1381_preprocessed_by_repo.png", "F", 80), ("rsna_1381_original.png", "F", 80)));
        var first = await Score([Radiograph("rsna_1381_preprocessed_by_repo.png")], manifest);
        Assert.Equal(1, first.Summary.Scored);

        var second = await Score([Radiograph("rsna_1381_preprocessed_by_repo.png"), Radiograph("rsna_1381_original.png")], manifest);

        Assert.Equal(1, second.Summary.Skipped);
        Assert.Equal(1, second.Summary.Scored);
        Assert.Equal(2, second.Rows.Count);
        Assert.Equal(2, second.Rows.Select(r => r["sha256"]).Distinct().Count());
    }
}
