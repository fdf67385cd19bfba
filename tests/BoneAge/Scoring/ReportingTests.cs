using System.Text.Json.Nodes;
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
    public void FhirObservation_AdvancedRow_HasLoincMonthsInterpretationAndNotForClinicalUse()
    {
        var obs = FhirObservation.Build(Row(2.558, "advanced"), DateTimeOffset.UnixEpoch);
        Assert.Equal("http://loinc.org", (string?)obs["code"]!["coding"]![0]!["system"]);
        Assert.Equal("85151-9", (string?)obs["code"]!["coding"]![0]!["code"]);
        Assert.Equal(150.0, (double)obs["valueQuantity"]!["value"]!);
        Assert.Equal("mo", (string?)obs["valueQuantity"]!["code"]);
        Assert.Equal("H", (string?)obs["interpretation"]![0]!["coding"]![0]!["code"]);
        Assert.Equal("85150-1", (string?)obs["component"]![0]!["code"]!["coding"]![0]!["code"]);
        Assert.Contains("NOT FOR CLINICAL USE", obs["note"]!.ToJsonString());
        Assert.Contains(new string('b', 64), (string?)obs["device"]!["display"]);
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
    [InlineData("image,sex\nx.png,F\n", "header must name image, sex and age_months")]
    [InlineData("image,sex,age_months\nx.png,Q,10\n", "sex 'Q' is not M or F")]
    [InlineData("image,sex,age_months\nx.png,F,-3\n", "not a non-negative number")]
    public void Manifest_Malformed_ErrorNamesTheLine(string text, string expected)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, text);
            Assert.Contains(expected, Assert.Throws<FormatException>(() => Manifest.Read(path)).Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task BoneAgeDemo_RunAsync_PrintsTwoOkRowsLabelledNotForClinicalUse()
    {
        SharedData.Require("assets/radiographs/rsna_2182.png");
        var output = new StringWriter();
        var rc = await BoneAgeDemo.RunAsync(output, SharedData.RepositoryRoot, SharedData.Root).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(0, rc);
        var text = output.ToString();
        Assert.Contains("NOT FOR CLINICAL USE", text);
        Assert.Equal(2, text.Split('\n').Count(l => l.Contains(": ok bone age")));
    }
}
