using Akka.Streams;
using Vigil.Models.Catalog;
using Vigil.Video.Motion;

namespace Vigil.Video.Backbone;

/// <summary>
/// Per-clip feature files, so the frozen backbone runs once per clip however often adapters are
/// trained: <c>{clip sha256}-{backbone sha256 prefix}-{fps}-{motion}.features</c> (with the pooled
/// hidden state <c>…-{motion}-pooled.features</c>), holding frames, dimension and the values. The
/// motion and hidden-state choices are part of the key, so features of one choice are never read for another.
/// </summary>
public static class FeatureCache
{
    /// <summary>
    /// The clip's features at <paramref name="framesPerSecond"/> with motion signal <paramref name="motion"/>
    /// (and the pooled hidden state when <paramref name="hidden"/> says so), from the cache or computed and stored.
    /// </summary>
    public static async Task<float[][]> GetOrComputeAsync(string clipPath, double framesPerSecond, IFrameBackbone backbone, string cacheDirectory, IMaterializer materializer,
        CancellationToken cancellation = default, MotionFeature motion = MotionFeature.AmFlow, HiddenStates hidden = HiddenStates.None)
    {
        var path = Path.Combine(cacheDirectory, Key(ModelFileHash.Sha256OfFile(clipPath), backbone.Model.SourceSha256, framesPerSecond, motion, hidden));
        var dimension = MotionFeatures.Dimension(motion, backbone.Spec.Grid) + (hidden == HiddenStates.Pooled ? backbone.Spec.HiddenValues : 0);
        if (File.Exists(path)) return Read(path, dimension);
        var features = await VideoFlows.ExtractAsync(clipPath, framesPerSecond, backbone, materializer, cancellation, motion, hidden);
        var values = features.Select(f => f.Values).ToArray();
        Directory.CreateDirectory(cacheDirectory);
        var temp = path + $".{Environment.ProcessId}.tmp";
        using (var w = new BinaryWriter(File.Create(temp)))
        {
            w.Write(values.Length);
            w.Write(values.Length == 0 ? 0 : values[0].Length);
            foreach (var row in values) foreach (var v in row) w.Write(v);
        }
        File.Move(temp, path, overwrite: true);
        return values;
    }

    /// <summary>The cache file name of a clip's features (without the hidden state, the name used before that option existed).</summary>
    public static string Key(string clipSha256, string backboneSha256, double framesPerSecond, MotionFeature motion, HiddenStates hidden = HiddenStates.None) =>
        FormattableString.Invariant($"{clipSha256}-{backboneSha256[..16]}-{framesPerSecond:0.###}-{MotionFeatures.Name(motion)}{(hidden == HiddenStates.None ? "" : "-" + HiddenStateFeatures.Name(hidden))}.features");

    private static float[][] Read(string path, int expectedDimension)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        var frames = r.ReadInt32();
        var dimension = r.ReadInt32();
        if (frames < 0 || dimension < 0 || (long)frames * dimension * 4 + 8 != r.BaseStream.Length)
            throw new InvalidDataException($"{Path.GetFileName(path)}: feature cache file is truncated or corrupt (delete it)");
        if (frames > 0 && dimension != expectedDimension)
            throw new InvalidDataException($"{Path.GetFileName(path)}: feature cache holds {dimension} values per frame, expected {expectedDimension} (delete it)");
        var values = new float[frames][];
        for (var i = 0; i < frames; i++)
        {
            values[i] = new float[dimension];
            for (var k = 0; k < dimension; k++) values[i][k] = r.ReadSingle();
        }
        return values;
    }
}
