// The SDK's model types are not nullable-annotated; these tests read fields they just built.
#nullable disable warnings
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Vigil.BoneAge.Demo;
using Vigil.BoneAge.Reporting;
using Vigil.BoneAge.Scoring;
using Vigil.Tests.Common;

namespace Vigil.BoneAge.Tests.Scoring;

public sealed class ReportingTests
{
    private static ReportRow Row(double? z, string flag) => new()
    {
        Image = "/in/hand.png", Sha256 = new string('a', 64), Status = ReportRow.Ok, Sex = "F", ChronologicalAgeMonths = 120,
        BoneAgeMonths = 150, DifferenceMonths = 30, ReferenceSdMonths = 11.73, ZScore = z, Flag = flag,
        ModelId = "boneage-demo", ModelVersion = "1.0.0", ModelSha256 = new string('b', 64), ClinicalUse = ReportRow.NotForClinicalUseLabel,
    };

    [Fact]
    public void FhirObservation_AdvancedRow_SerialisedBySdkAndParsedBackWithEveryField()
    {
        var row = Row(2.558, "advanced") with { StudyDate = new DateOnly(2024, 3, 1) };
        var json = FhirObservation.ToJson(FhirObservation.Build(row, DateTimeOffset.UnixEpoch));
        var obs = FhirObservation.Parse(json);
        Assert.Equal("Observation", JsonNode.Parse(json)!["resourceType"]!.GetValue<string>());
        Assert.Equal(ObservationStatus.Preliminary, obs.Status);
        Assert.Equal(("http://loinc.org", "85151-9"), (obs.Code.Coding[0].System, obs.Code.Coding[0].Code));
        var value = Assert.IsType<Quantity>(obs.Value);
        Assert.Equal((150m, "mo", "http://unitsofmeasure.org"), (value.Value, value.Code, value.System));
        Assert.Equal("2024-03-01", Assert.IsType<FhirDateTime>(obs.Effective).Value);
        Assert.Equal(DateTimeOffset.UnixEpoch, obs.Issued);
        Assert.Equal("H", obs.Interpretation[0].Coding[0].Code);
        Assert.Equal("85150-1", obs.Component[0].Code.Coding[0].Code);
        Assert.Equal(120m, Assert.IsType<Quantity>(obs.Component[1].Value).Value);
        Assert.Equal(2.558m, Assert.IsType<Quantity>(obs.Component[2].Value).Value);
        Assert.Equal(new string('a', 64), obs.Subject.Identifier.Value);
        Assert.Equal(new string('b', 64), obs.Device.Identifier.Value);
        Assert.Contains("boneage-demo 1.0.0", obs.Device.Display);
        Assert.Equal("urn:vigil:image-sha256", obs.DerivedFrom[0].Identifier.System);
        Assert.Contains(obs.Note, n => n.Text.StartsWith("NOT FOR CLINICAL USE", StringComparison.Ordinal));
    }

    [Fact]
    public void FhirObservation_DicomRowWithoutZScore_DerivedFromTheSopInstanceAndNoInterpretation()
    {
        var row = Row(null, "") with { SopInstanceUid = "1.2.826.0.1.3680043.2.1125.1", Reason = "z-score withheld: outside the reference table", ClinicalUse = "" };
        var obs = FhirObservation.Parse(FhirObservation.ToJson(FhirObservation.Build(row, DateTimeOffset.UnixEpoch)));
        Assert.Equal("urn:oid:1.2.826.0.1.3680043.2.1125.1", obs.DerivedFrom[0].Identifier.Value);
        Assert.Empty(obs.Interpretation);
        Assert.Null(obs.Effective);
        Assert.DoesNotContain(obs.Note, n => n.Text.Contains("NOT FOR CLINICAL USE", StringComparison.Ordinal));
        Assert.Contains(obs.Note, n => n.Text.Contains("no study date", StringComparison.Ordinal));
        Assert.Contains(obs.Note, n => n.Text.StartsWith("z-score withheld", StringComparison.Ordinal));
    }

    [Fact]
    public void FhirObservation_Parse_RefusesAnInvalidResource()
    {
        // status must be one of the FHIR codes: the SDK's strict parser says so.
        var json = FhirObservation.ToJson(FhirObservation.Build(Row(1, ""), DateTimeOffset.UnixEpoch)).Replace("\"preliminary\"", "\"guess\"", StringComparison.Ordinal);
        Assert.ThrowsAny<Exception>(() => FhirObservation.Parse(json));
    }

    [Fact]
    public void FhirObservation_FailedRow_IsRefused() =>
        Assert.Throws<ArgumentException>(() => FhirObservation.Build(Row(null, "") with { Status = ReportRow.Failed, BoneAgeMonths = null }, DateTimeOffset.UnixEpoch));

    [Fact]
    public void Csv_FieldsWithCommasAndQuotes_RoundTrip()
    {
        string[] fields = ["a,b", "say \"hi\"", "plain", ""];
        Assert.Equal(fields, Csv.Split(Csv.Line(fields)));
    }

    [Fact]
    public void ProgressReporter_PlainOutput_PrintsRateAndEtaAtMostEveryFiveSeconds()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        var progress = new ProgressReporter(output, total: 100, interactive: false, clock);
        clock.Advance(TimeSpan.FromSeconds(10));
        progress.Report(20, 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        progress.Report(22, 1);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Equal("boneage: 20/100 images (1 failed)  2.0 img/s  ETA 0:00:40", lines[0]);
        clock.Advance(TimeSpan.FromSeconds(5));
        progress.Report(30, 1);
        Assert.Equal(2, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void ProgressReporter_Terminal_DrawsABarInPlace()
    {
        var clock = new ManualClock();
        var output = new StringWriter();
        var progress = new ProgressReporter(output, total: 10, interactive: true, clock);
        clock.Advance(TimeSpan.FromSeconds(5));
        progress.Report(5, 0);
        Assert.StartsWith("\r[###############...............] 5/10", output.ToString());
    }

    [Theory]
    [InlineData("patient,dob\nx.png,2020-01-01\n", "is not a manifest layout: expected image,sex,age_months (Vigil) or id,boneage,male (RSNA)")]
    [InlineData("", "file is empty")]
    [InlineData("image,sex,age_months\nx.png,Q,10\n", "line 2: sex 'Q' is not M or F")]
    [InlineData("image,sex,age_months\nx.png,F,-3\n", "line 2: age_months '-3' is not a number of months")]
    [InlineData("image,sex,age_months\nx.png,F,ten\n", "line 2: age_months 'ten' is not a number of months")]
    [InlineData("image,sex,age_months\nx.png,F\n", "line 2: 2 fields, expected 3")]
    [InlineData("image,sex,age_months\nx.png,F,10\nx.png,M,12\n", "line 3: x.png is listed twice (first on line 2)")]
    [InlineData("id,boneage,male\n1377,180,maybe\n", "line 2: male 'maybe' is not True or False")]
    [InlineData("id,boneage,male\n1377,NaN,True\n", "line 2: boneage 'NaN' is not a number of months")]
    public void Manifest_Malformed_ErrorNamesTheLine(string text, string expected)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, text);
            var message = Assert.Throws<FormatException>(() => Manifest.Read(path)).Message;
            Assert.StartsWith($"manifest {path}", message);
            Assert.Contains(expected, message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Manifest_Missing_ErrorNamesTheFile() =>
        Assert.Equal("manifest /nonexistent/m.csv: file not found", Assert.Throws<FormatException>(() => Manifest.Read("/nonexistent/m.csv")).Message);

    [Fact]
    public void Manifest_RsnaLayout_SexFromMaleAndBoneAgeAsReferenceNotAge()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "id,boneage,male\n1377,180,True\n1394,57,False\n");
            var m = Manifest.Read(path);
            Assert.Equal(2, m.Count);
            Assert.Equal(new ManifestEntry(Vigil.Imaging.PatientSex.Male, null, 180), m.Find("/data/1377.png"));
            Assert.Equal(new ManifestEntry(Vigil.Imaging.PatientSex.Female, null, 57), m.Find("/data/rsna_1394.jpg"));
            Assert.Null(m.Find("/data/1395.png"));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Manifest_SharedRsna999Labels_Read()
    {
        // ../shared's RSNA set: image,sex,boneage_months (the reading, not the chronological age).
        var m = Manifest.Read(SharedData.Require("data/boneage/rsna-999/labels.csv"));
        Assert.Equal(999, m.Count);
        Assert.Equal(new ManifestEntry(Vigil.Imaging.PatientSex.Female, null, 180), m.Find("rsna_1377.jpg"));
    }

    [Fact]
    public async Task BoneAgeDemo_RunAsync_TrainedEstimatesBesideLabels_ThenTwoOkScorerRows()
    {
        SharedData.Require("assets/radiographs/rsna_2182.png");
        var output = new StringWriter();
        var rc = await BoneAgeDemo.RunAsync(output, SharedData.RepositoryRoot, SharedData.Root).WaitAsync(TimeSpan.FromSeconds(300));
        var text = output.ToString();
        Assert.True(rc == 0, text);
        Assert.Contains("NOT FOR CLINICAL USE", text);
        Assert.Contains("trained model boneage-resnet18@", text);
        // One line per bundled radiograph (nine), its label beside the shipped model's estimate, or
        // beside the reason it was withheld; most are estimated.
        var lines = text.Split('\n').Where(l => l.Contains(".png") && l.Contains(" label ")).ToList();
        Assert.Equal(9, lines.Count);
        Assert.All(lines, l => Assert.True(l.Contains(" estimate ") || l.Contains(" withheld ("), l));
        Assert.InRange(lines.Count(l => l.Contains(" estimate ")), 6, 9);
        Assert.Contains(lines, l => l.Contains("rsna_2182.png") && l.Contains("label  69 mo"));
        Assert.Contains("MAD ", text);
        Assert.Equal(2, text.Split('\n').Count(l => l.Contains(": ok bone age")));
    }
}
