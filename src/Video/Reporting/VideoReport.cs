using Vigil.Video.Segments;

namespace Vigil.Video.Reporting;

/// <summary>What <see cref="VideoAnalysis"/> found in one video, with provenance.</summary>
/// <param name="Input">The video file.</param>
/// <param name="InputSha256">sha256 of the file.</param>
/// <param name="Frames">Sampled frames analysed.</param>
/// <param name="Segments">Detected actions (empty when withheld).</param>
/// <param name="WithheldReason">Why no segments are reported (no adapter, too few frames, backbone mismatch), or null.</param>
/// <param name="Files">Files written (segments.csv, events.json, heat-map strips).</param>
public sealed record VideoReport(string Input, string InputSha256, int Frames, IReadOnlyList<ActionSegment> Segments, string? WithheldReason, IReadOnlyList<string> Files);
