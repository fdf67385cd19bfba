using System.Text.Json;
using Akka.Streams;
using Akka.Streams.Dsl;
using OpenCvSharp;
using Vigil.Models.Catalog;
using Vigil.Video.Backbone;
using Vigil.Video.Motion;
using Vigil.Video.Segments;
using Vigil.Video.Sources;

namespace Vigil.Video.Reporting;

/// <summary>
/// One untrimmed video to action segments: frames sampled, attention tapped from the frozen
/// backbone, the features the adapter was trained on (AM flow and/or the heat maps' optical flow, as its config names), adapter windows, hysteresis segments. Writes <c>segments.csv</c>
/// (<c>label,start_s,end_s,confidence</c>), <c>events.json</c> (one event per segment with provenance),
/// <c>observations.json</c> (a FHIR R4 Bundle of one Observation per segment) and heat-map strips: <c>heatmap.png</c> over the whole video and
/// <c>segment-N-LABEL.png</c> per segment, and the motion the adapter reads (<c>amflow.png</c>, <c>opticalflow.png</c>).
/// </summary>
public static class VideoAnalysis
{
    /// <summary>Frames per heat-map strip.</summary>
    public const int StripFrames = 8;

    /// <summary>Analyses <paramref name="input"/> into <paramref name="outDirectory"/>; with <paramref name="overlayVideo"/> also <c>heatmap.mp4</c>.</summary>
    public static async Task<VideoReport> RunAsync(string input, IFrameBackbone backbone, IActionAdapter? adapter, AdapterIdentity? identity,
        double framesPerSecond, string outDirectory, IMaterializer materializer, CancellationToken cancellation = default, bool overlayVideo = false)
    {
        var sha = ModelFileHash.Sha256OfFile(input);
        // The motion signal the adapter was trained on (its config names it); AM flow without an adapter.
        var motion = adapter?.Motion ?? MotionFeature.AmFlow;
        var hidden = adapter?.HiddenStates ?? HiddenStates.None;
        var features = await VideoFlows.ExtractAsync(input, framesPerSecond, backbone, materializer, cancellation, motion, hidden);
        if (identity is not null) identity = identity with { Motion = MotionFeatures.Name(motion) };
        if (features.Count == 0) throw new InvalidDataException($"{Path.GetFileName(input)}: no frames could be decoded");
        Directory.CreateDirectory(outDirectory);
        var files = new List<string>();
        string? withheld = null;
        IReadOnlyList<ActionSegment> segments = [];
        var fps = framesPerSecond > 0 ? framesPerSecond : EffectiveRate(features);
        if (adapter is null) withheld = "no adapter card given (--model) or found; heat maps only";
        else if (identity is not null && identity.BackboneSha256.Length > 0 && !string.Equals(identity.BackboneSha256, backbone.Model.SourceSha256, StringComparison.OrdinalIgnoreCase))
            withheld = $"the adapter was trained on backbone sha256 {identity.BackboneSha256[..12]}…, this backbone is {backbone.Model.SourceSha256[..12]}…";
        else if (features[0].Values.Length != adapter.FeatureDimension)
            withheld = $"the adapter reads {adapter.FeatureDimension} values per frame, {MotionFeatures.Name(motion)} on this backbone's grid gives {features[0].Values.Length}";
        else if (features.Count < 2) withheld = "fewer than 2 frames: no motion to analyse";
        else
        {
            var scores = WindowScorer.Score(adapter, features.Select(f => f.Values).ToList(), Math.Max(1, adapter.WindowFrames / 4));
            segments = new HysteresisSegmenter().Segment(scores, adapter.Labels, fps);
        }
        var csv = Path.Combine(outDirectory, "segments.csv");
        SegmentCsv.WriteSegments(csv, segments);
        files.Add(csv);
        var events = Path.Combine(outDirectory, "events.json");
        WriteEvents(events, input, sha, segments, withheld, identity, backbone, motion, hidden);
        files.Add(events);
        var observations = Path.Combine(outDirectory, "observations.json");
        File.WriteAllText(observations, FhirActionObservations.ToJson(FhirActionObservations.BuildBundle(segments, input, sha, backbone, identity, DateTimeOffset.UtcNow)));
        files.Add(observations);

        // Heat maps: the whole video, then each segment.
        var wanted = new Dictionary<string, int[]> { ["heatmap.png"] = Spread(0, features.Count, StripFrames) };
        for (var i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            var from = Math.Clamp((int)Math.Floor(s.StartSeconds * fps), 0, features.Count - 1);
            var to = Math.Clamp((int)Math.Ceiling(s.EndSeconds * fps), from + 1, features.Count);
            wanted[$"segment-{i + 1:D2}-{s.Label}.png"] = Spread(from, to, StripFrames);
        }
        var needed = wanted.Values.SelectMany(v => v).ToHashSet();
        var grid = backbone.Spec.Grid;
        var images = new Dictionary<int, Mat>();
        var overlayPath = Path.Combine(outDirectory, "heatmap.mp4");
        HeatVideo? video = null;
        try
        {
            // One more decoding pass: the strip frames are kept, every frame goes to the overlay video when asked.
            await VideoSources.File(input, framesPerSecond).RunForeach(f =>
            {
                using (f)
                {
                    if (overlayVideo && f.Index < features.Count)
                    {
                        video ??= new HeatVideo(overlayPath, fps, f.Image.Width, f.Image.Height);
                        video.Write(f.Image, features[f.Index].Heat, grid.Rows, grid.Columns);
                    }
                    if (needed.Contains(f.Index)) images[f.Index] = f.Image.Clone();
                }
            }, materializer).WaitAsync(cancellation);
            if (video is not null)
            {
                video.Dispose();
                video = null;
                files.Add(overlayPath);
            }
            foreach (var (name, indices) in wanted)
            {
                var tiles = indices.Where(images.ContainsKey).Select(i => (images[i], features[i].Heat)).ToList();
                if (tiles.Count == 0) continue;
                var path = Path.Combine(outDirectory, name);
                HeatStrip.Write(path, tiles, grid.Rows, grid.Columns);
                files.Add(path);
            }
            // What the adapter sees besides the heat (the first frame has no motion): where the attention
            // relations changed (AM flow − 1) and/or how far the heat moved (the optical flow's length).
            var motionFrames = wanted["heatmap.png"].Where(i => i > 0 && images.ContainsKey(i)).ToList();
            if (motionFrames.Count > 0 && MotionFeatures.HasAmFlow(motion))
            {
                var path = Path.Combine(outDirectory, "amflow.png");
                HeatStrip.Write(path, motionFrames.Select(i => (images[i], features[i].Values[..grid.Patches])).ToList(), grid.Rows, grid.Columns);
                files.Add(path);
            }
            if (motionFrames.Count > 0 && MotionFeatures.HasOpticalFlow(motion))
            {
                var path = Path.Combine(outDirectory, "opticalflow.png");
                var dx = MotionFeatures.HorizontalFlowBlock(motion) * grid.Patches;
                HeatStrip.Write(path, motionFrames.Select(i => (images[i], FlowLength(features[i].Values, dx, grid.Patches))).ToList(), grid.Rows, grid.Columns);
                files.Add(path);
            }
        }
        finally
        {
            video?.Dispose();
            foreach (var m in images.Values) m.Dispose();
        }
        return new VideoReport(input, sha, features.Count, segments, withheld, files);
    }

    // Per patch, the length of the optical flow whose dx block starts at offset (dy follows it).
    private static float[] FlowLength(float[] values, int offset, int patches) =>
        Enumerable.Range(0, patches).Select(k => MathF.Sqrt(values[offset + k] * values[offset + k] + values[offset + patches + k] * values[offset + patches + k])).ToArray();

    private static double EffectiveRate(IReadOnlyList<FrameFeatures> features)
    {
        if (features.Count < 2) return 1;
        var span = (features[^1].Position - features[0].Position).TotalSeconds;
        return span > 0 ? (features.Count - 1) / span : 1;
    }

    private static int[] Spread(int from, int to, int count)
    {
        var n = to - from;
        if (n <= count) return Enumerable.Range(from, n).ToArray();
        return Enumerable.Range(0, count).Select(i => from + (int)Math.Round(i * (n - 1) / (double)(count - 1))).Distinct().ToArray();
    }

    private static void WriteEvents(string path, string input, string sha, IReadOnlyList<ActionSegment> segments, string? withheld, AdapterIdentity? identity, IFrameBackbone backbone, MotionFeature motion, HiddenStates hidden)
    {
        var document = new
        {
            input = Path.GetFileName(input),
            input_sha256 = sha,
            backbone = new { name = backbone.Spec.Name, sha256 = backbone.Model.SourceSha256 },
            motion = MotionFeatures.Name(motion),
            hidden_states = HiddenStateFeatures.Name(hidden),
            adapter = identity is null ? null : new { id = identity.Id, version = identity.Version, sha256 = identity.Sha256, validation = identity.Validation },
            not_for_clinical_use = identity?.NotForClinicalUse ?? true,
            notice = "NOT FOR CLINICAL USE: research demonstration adapter trained on generated clips.",
            withheld,
            events = segments.Select(s => new { code = s.Label, start_s = Math.Round(s.StartSeconds, 3), end_s = Math.Round(s.EndSeconds, 3), confidence = Math.Round(s.Confidence, 3) }),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
