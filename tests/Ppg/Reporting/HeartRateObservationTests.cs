// The SDK's model types are not nullable-annotated; these tests read fields they just built.
#nullable disable warnings
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Vigil.Ppg.Reporting;

namespace Vigil.Ppg.Tests.Reporting;

public sealed class HeartRateObservationTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 8, 0, 0, TimeSpan.Zero);

    private static PpgWindowResult Result(PpgStatus status, string? reason = null, double bpm = 72.44) =>
        new("S1 wrist", 3, 6, 14, bpm, 0.93, 0.61, 0.05, status, reason, "vigil.ppg.wiener-hmm/1.0 cfg 0123456789ab; input S1.csv sha256 ab12");

    [Fact]
    public void Build_OkWindow_SerialisedBySdkAndParsedBackWithEveryField()
    {
        var json = HeartRateObservation.ToJson(HeartRateObservation.Build(Result(PpgStatus.Ok), Start, Start.AddMinutes(1)));
        Assert.Equal("Observation", JsonNode.Parse(json)!["resourceType"]!.GetValue<string>());
        var obs = HeartRateObservation.Parse(json);
        Assert.Equal(ObservationStatus.Final, obs.Status);
        Assert.Equal("vital-signs", obs.Category[0].Coding[0].Code);
        Assert.Equal(("http://loinc.org", "8867-4"), (obs.Code.Coding[0].System, obs.Code.Coding[0].Code));
        var value = Assert.IsType<Quantity>(obs.Value);
        Assert.Equal((72.4m, "/min", "http://unitsofmeasure.org"), (value.Value, value.Code, value.System));
        var period = Assert.IsType<Period>(obs.Effective);
        Assert.Equal(Start.AddSeconds(6), period.StartElement.ToDateTimeOffset(TimeSpan.Zero));
        Assert.Equal(Start.AddSeconds(14), period.EndElement.ToDateTimeOffset(TimeSpan.Zero));
        Assert.Equal("S1 wrist", obs.Subject.Identifier.Value);
        Assert.Equal("hr-S1-wrist-3", obs.Id);
        Assert.StartsWith("vigil.ppg.wiener-hmm/1.0", obs.Device.Display);
        Assert.Equal(0.93m, Assert.IsType<Quantity>(obs.Component[0].Value).Value);
        Assert.Contains(obs.Note, n => n.Text.StartsWith("NOT FOR CLINICAL USE", StringComparison.Ordinal));
        Assert.Null(obs.DataAbsentReason);
    }

    [Fact]
    public void Build_WithheldWindow_HasNoValueButADataAbsentReason()
    {
        var obs = HeartRateObservation.Parse(HeartRateObservation.ToJson(
            HeartRateObservation.Build(Result(PpgStatus.Withheld, "clipping in 40% of samples"), Start, Start, notForClinicalUse: false)));
        Assert.Null(obs.Value);
        Assert.Equal(ObservationStatus.Preliminary, obs.Status);
        Assert.Equal("unknown", obs.DataAbsentReason.Coding[0].Code);
        Assert.Contains("clipping in 40% of samples", obs.DataAbsentReason.Text);
        Assert.DoesNotContain(obs.Note, n => n.Text.Contains("NOT FOR CLINICAL USE", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_LowConfidenceWindow_IsPreliminaryWithTheReason()
    {
        var obs = HeartRateObservation.Build(Result(PpgStatus.LowConfidence, "motion"), Start, Start);
        Assert.Equal(ObservationStatus.Preliminary, obs.Status);
        Assert.NotNull(obs.Value);
        Assert.Equal("low confidence", obs.Interpretation[0].Text);
        Assert.Contains(obs.Note, n => n.Text == "low_confidence: motion");
    }

    [Fact]
    public void Build_BadWindowTimes_RefusedNamingThePatient()
    {
        var bad = Result(PpgStatus.Ok) with { WindowEndSeconds = double.NaN };
        Assert.Contains("patient S1 wrist window 3", Assert.Throws<ArgumentException>(() => HeartRateObservation.Build(bad, Start, Start)).Message);
    }
}
