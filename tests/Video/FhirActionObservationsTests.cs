using Hl7.Fhir.Model;
using Vigil.Video.Backbone;
using Vigil.Video.Reporting;
using Vigil.Video.Segments;
using Vigil.Video.Tests.Fixtures;

namespace Vigil.Video.Tests;

/// <summary>FHIR R4 events of <c>vigil video run</c>: one Observation per segment, serialised by the Firely SDK and parsed back.</summary>
public sealed class FhirActionObservationsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-fhir-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Bundle_TwoSegments_ParsesBackWithCodesOffsetsConfidenceAndProvenance()
    {
        var model = Path.Combine(_dir, "vit.onnx");
        File.WriteAllBytes(model, DinoShapedVit.Build());
        using var backbone = VitBackbone.Load(model, BackboneSpec.ClassTokenVit("dinov2-shaped", "pixel_values", 64, 8, 4), Path.Combine(_dir, "cache"));
        var adapter = new AdapterIdentity("video-actions", "1.0.0", new string('a', 64), "eval_frame_accuracy=0.972", backbone.Model.SourceSha256, NotForClinicalUse: true) { Motion = "optical-flow" };
        var sha = new string('5', 64);
        ActionSegment[] segments = [new("walk", 0.5, 3.25, 0.81234), new("fall", 4, 5.5, 0.7)];
        var issued = new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero);

        var json = FhirActionObservations.ToJson(FhirActionObservations.BuildBundle(segments, "/clips/ward-7.mp4", sha, backbone, adapter, issued));
        var bundle = FhirActionObservations.Parse(json);

        Assert.Equal(Bundle.BundleType.Collection, bundle.Type);
        var observations = bundle.Entry.Select(e => Assert.IsType<Observation>(e.Resource)).ToList();
        Assert.Equal(2, observations.Count);
        Assert.Equal(2, bundle.Entry.Select(e => e.FullUrl).Distinct().Count());
        for (var i = 0; i < 2; i++)
        {
            var o = observations[i];
            Assert.Equal(ObservationStatus.Preliminary, o.Status);
            Assert.Equal(FhirActionObservations.ActionSystem, o.Code.Coding[0].System);
            Assert.Equal(segments[i].Label, o.Code.Coding[0].Code);
            Assert.Equal("activity", o.Category[0].Coding[0].Code);
            Assert.Equal(true, Assert.IsType<FhirBoolean>(o.Value).Value);
            var quantities = o.Component.Select(c => Assert.IsType<Quantity>(c.Value)).ToList();
            Assert.Equal((decimal)segments[i].StartSeconds, quantities[0].Value);
            Assert.Equal("s", quantities[0].Code);
            Assert.Equal((decimal)segments[i].EndSeconds, quantities[1].Value);
            Assert.Equal((decimal)Math.Round(segments[i].Confidence, 4), quantities[2].Value);
            Assert.Equal(sha, o.Subject!.Identifier!.Value);
            Assert.Equal(sha, o.DerivedFrom[0].Identifier!.Value);
            Assert.Equal(adapter.Sha256, o.Device!.Identifier!.Value);
            Assert.Contains("video-actions 1.0.0", o.Device!.Display);
            Assert.Contains("optical-flow features", o.Device.Display);
            Assert.Contains($"dinov2-shaped (sha256 {backbone.Model.SourceSha256})", o.Device.Display);
            Assert.Contains(o.Note, n => n.Text!.StartsWith("NOT FOR CLINICAL USE", StringComparison.Ordinal));
            Assert.Contains(o.Note, n => n.Text!.Contains("eval_frame_accuracy=0.972", StringComparison.Ordinal));
            Assert.Equal(issued, o.Issued);
        }
    }

    [Fact]
    public void Parse_NotABundle_Throws()
    {
        Assert.ThrowsAny<Exception>(() => FhirActionObservations.Parse("{\"resourceType\":\"Bundle\",\"type\":\"no-such-type\"}"));
    }
}
