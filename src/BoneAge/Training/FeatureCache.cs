using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Vigil.BoneAge.Training;

/// <summary>
/// Backbone features of every radiograph of a data set under one augmentation per copy, computed
/// once and kept on disk (float16), because the frozen backbone costs far more than training the
/// head: <c>[N, 768, S/32, S/32]</c> per copy.
/// </summary>
public static class FeatureCache
{
    /// <summary>
    /// Returns the features of <paramref name="items"/> under <paramref name="augmentationOf"/>,
    /// reading <paramref name="cacheFile"/> when present (and of the right count), else computing and writing it.
    /// </summary>
    public static Tensor GetOrCompute(string? cacheFile, IReadOnlyList<LabelledRadiograph> items, int size,
        Func<int, RadiographAugmentation> augmentationOf, Func<ResNet18Backbone> backbone, IProgress<string>? progress = null, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(augmentationOf);
        ArgumentNullException.ThrowIfNull(backbone);
        if (cacheFile is not null && File.Exists(cacheFile))
        {
            using var reader = new BinaryReader(File.OpenRead(cacheFile));
            var cached = Tensor.Load(reader);
            if (cached.shape[0] == items.Count) return cached;
            cached.Dispose();
        }
        var prep = new RadiographPreprocessing(size);
        var net = backbone();
        var parts = new List<Tensor>();
        var clock = Stopwatch.StartNew();
        for (var start = 0; start < items.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, items.Count - start);
            var input = new float[count * 3 * size * size];
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, j =>
            {
                using var gray = RadiographPreprocessing.Decode(items[start + j].Image);
                prep.Prepare(gray, augmentationOf(start + j)).CopyTo(input, j * 3 * size * size);
            });
            using var batch = tensor(input, [count, 3, size, size]);
            using var features = net.Features(batch);
            parts.Add(features.to(ScalarType.Float16));
            var done = start + count;
            progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"features {done}/{items.Count}  {clock.Elapsed.TotalSeconds:0}s  ETA {clock.Elapsed.TotalSeconds / done * (items.Count - done):0}s"));
        }
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        if (cacheFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(cacheFile))!);
            var temp = cacheFile + ".tmp";
            using (var writer = new BinaryWriter(File.Create(temp))) all.Save(writer);
            File.Move(temp, cacheFile, overwrite: true);
        }
        return all;
    }
}
