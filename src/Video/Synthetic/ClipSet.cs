using Vigil.Video.Segments;

namespace Vigil.Video.Synthetic;

/// <summary>A folder of generated clips with their <c>labels.csv</c> (<c>clip,label,start_s,end_s</c>).</summary>
public static class ClipSet
{
    /// <summary>Writes <paramref name="count"/> clips with seeds <paramref name="firstSeed"/>, ... into <paramref name="directory"/> and the labels file; returns the clips.</summary>
    public static IReadOnlyList<SyntheticClip> Write(string directory, int count, int firstSeed, ClipGenerator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        generator ??= new ClipGenerator();
        var clips = Enumerable.Range(firstSeed, count).Select(seed => generator.Write(directory, seed)).ToList();
        SegmentCsv.WriteLabels(Path.Combine(directory, "labels.csv"), clips.SelectMany(c => c.Segments.Select(s => (c.Name, s))));
        return clips;
    }
}
