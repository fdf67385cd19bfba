using Akka.Streams;
using Vigil.Models.Catalog;

namespace Vigil.Video.Backbone;

/// <summary>
/// Per-clip feature files, so the frozen backbone runs once per clip however often adapters are
/// trained: <c>{clip sha256}-{backbone sha256 prefix}-{fps}.features</c>, holding frames, dimension and the values.
/// </summary>
public static class FeatureCache
{
    /// <summary>The clip's features at <paramref name="framesPerSecond"/>, from the cache or computed and stored.</summary>
    public static async Task<float[][]> GetOrComputeAsync(string clipPath, double framesPerSecond, IFrameBackbone backbone, string cacheDirectory, IMaterializer materializer, CancellationToken cancellation = default)
    {
        var key = $"{ModelFileHash.Sha256OfFile(clipPath)}-{backbone.Model.SourceSha256[..16]}-{framesPerSecond:0.###}.features";
        var path = Path.Combine(cacheDirectory, key);
        if (File.Exists(path)) return Read(path);
        var features = await VideoFlows.ExtractAsync(clipPath, framesPerSecond, backbone, materializer, cancellation);
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

    private static float[][] Read(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        var frames = r.ReadInt32();
        var dimension = r.ReadInt32();
        if (frames < 0 || dimension < 0 || (long)frames * dimension * 4 + 8 != r.BaseStream.Length)
            throw new InvalidDataException($"{Path.GetFileName(path)}: feature cache file is truncated or corrupt (delete it)");
        var values = new float[frames][];
        for (var i = 0; i < frames; i++)
        {
            values[i] = new float[dimension];
            for (var k = 0; k < dimension; k++) values[i][k] = r.ReadSingle();
        }
        return values;
    }
}
