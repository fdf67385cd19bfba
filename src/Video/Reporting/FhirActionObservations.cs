using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Vigil.Video.Backbone;
using Vigil.Video.Segments;

namespace Vigil.Video.Reporting;

/// <summary>
/// FHIR R4 events for a video's action segments, built as Firely SDK objects: one
/// <see cref="Observation"/> per segment (category activity, code the action label in Vigil's
/// action code system, value true, components start/end offset in the video and confidence),
/// the subject the person(s) seen in the video (identified by its sha256, which is also the
/// derivedFrom), the adapter and backbone as device with their sha256, the adapter's held-out
/// figures and NOT FOR CLINICAL USE as notes; all in a collection <see cref="Bundle"/>.
/// </summary>
public static class FhirActionObservations
{
    /// <summary>The code system of the action labels.</summary>
    public const string ActionSystem = "urn:vigil:video-action";

    private const string Ucum = "http://unitsofmeasure.org";

    /// <summary>The SDK's JSON settings for R4 resources (strict both ways: what it writes, it parses back).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new JsonSerializerOptions { WriteIndented = true }.ForFhir();

    /// <summary>The Observation for segment number <paramref name="number"/> (from 1) of the video.</summary>
    public static Observation Build(ActionSegment segment, int number, string input, string inputSha256, IFrameBackbone backbone, AdapterIdentity? adapter, DateTimeOffset issued)
    {
        var name = Path.GetFileName(input);
        var backboneText = $"backbone {backbone.Spec.Name} (sha256 {backbone.Model.SourceSha256})";
        var obs = new Observation
        {
            Id = $"video-{inputSha256[..Math.Min(16, inputSha256.Length)]}-{number:D2}",
            Status = ObservationStatus.Preliminary,
            Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/observation-category", "activity", "Activity")],
            Code = new CodeableConcept(ActionSystem, segment.Label, segment.Label, $"Action: {segment.Label}"),
            // The input identifies a video, not a patient: the subject is "the person(s) in this video".
            Subject = new ResourceReference { Identifier = new Identifier("urn:vigil:video-sha256", inputSha256), Display = $"person(s) seen in {name}" },
            Issued = issued,
            Value = new FhirBoolean(true),
            Device = new ResourceReference
            {
                Identifier = new Identifier("urn:vigil:model-sha256", adapter?.Sha256 ?? backbone.Model.SourceSha256),
                Display = adapter is null ? backboneText : $"{adapter.Id} {adapter.Version} (sha256 {adapter.Sha256}, {adapter.Motion} features) on {backboneText}",
            },
            DerivedFrom = [new ResourceReference { Identifier = new Identifier("urn:vigil:video-sha256", inputSha256), Display = $"{name} (sha256 {inputSha256})" }],
        };
        obs.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept { Text = "start offset in the video" }, Value = Seconds(segment.StartSeconds) });
        obs.Component.Add(new Observation.ComponentComponent { Code = new CodeableConcept { Text = "end offset in the video" }, Value = Seconds(segment.EndSeconds) });
        obs.Component.Add(new Observation.ComponentComponent
        {
            Code = new CodeableConcept { Text = "confidence (mean adapter probability over the segment)" },
            Value = new Quantity { Value = (decimal)Math.Round(segment.Confidence, 4), Unit = "1", System = Ucum, Code = "1" },
        });
        if (adapter?.NotForClinicalUse ?? true)
            obs.Note.Add(new Annotation { Text = new Markdown("NOT FOR CLINICAL USE: research demonstration adapter trained on generated clips.") });
        if (adapter is { Validation.Length: > 0 }) obs.Note.Add(new Annotation { Text = new Markdown("Adapter validation (held-out generated clips): " + adapter.Validation) });
        obs.Note.Add(new Annotation { Text = new Markdown("effective time unknown: offsets are relative to the start of the video") });
        return obs;
    }

    /// <summary>A collection bundle of one Observation per segment (empty when none).</summary>
    public static Bundle BuildBundle(IReadOnlyList<ActionSegment> segments, string input, string inputSha256, IFrameBackbone backbone, AdapterIdentity? adapter, DateTimeOffset issued)
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Collection, Timestamp = issued };
        for (var i = 0; i < segments.Count; i++)
        {
            var obs = Build(segments[i], i + 1, input, inputSha256, backbone, adapter, issued);
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"urn:uuid:{DeterministicGuid(obs.Id ?? "")}", Resource = obs });
        }
        return bundle;
    }

    /// <summary>The SDK's JSON for a bundle.</summary>
    public static string ToJson(Bundle bundle) => JsonSerializer.Serialize(bundle, JsonOptions);

    /// <summary>Parses a bundle with the SDK (throws on anything that is not valid R4 JSON for one).</summary>
    public static Bundle Parse(string json) =>
        JsonSerializer.Deserialize<Bundle>(json, JsonOptions) ?? throw new FormatException("the JSON holds no Bundle");

    private static Quantity Seconds(double s) => new() { Value = (decimal)Math.Round(s, 3), Unit = "s", System = Ucum, Code = "s" };

    // A stable uuid per observation id, so rerunning on the same video gives the same fullUrls.
    private static Guid DeterministicGuid(string id)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id));
        return new Guid(hash.AsSpan(0, 16));
    }
}
