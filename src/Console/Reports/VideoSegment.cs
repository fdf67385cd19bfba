namespace Vigil.WardConsole.Reports;

/// <summary>One action segment of a run, with its heat-map strip when the run wrote one.</summary>
/// <param name="Number">Segment number from 1 (as in the strip's file name).</param>
/// <param name="Label">The action.</param>
/// <param name="Start">Start offset in the video, s.</param>
/// <param name="End">End offset, s.</param>
/// <param name="Confidence">Mean adapter probability over the segment.</param>
/// <param name="HeatMap">The strip's file name, or null.</param>
public sealed record VideoSegment(int Number, string Label, double Start, double End, double Confidence, string? HeatMap);
