using System.Globalization;
using System.Security.Cryptography;

namespace Vigil.BoneAge.Training;

/// <summary>One labelled radiograph of a training set.</summary>
/// <param name="Image">Full path of the image.</param>
/// <param name="Male">True for male.</param>
/// <param name="Months">The radiologists' bone age in months (the target).</param>
public sealed record LabelledRadiograph(string Image, bool Male, double Months);

/// <summary>
/// A bone-age training folder: <c>labels.csv</c> (<c>image,sex,boneage_months</c>, sex M or F) and
/// <c>images/</c>, the layout of <c>../shared/data/boneage/rsna-999</c>.
/// </summary>
public sealed class BoneAgeDataset
{
    /// <summary>The folder.</summary>
    public string Directory { get; }
    /// <summary>The examples in file order.</summary>
    public IReadOnlyList<LabelledRadiograph> Items { get; }
    /// <summary>sha256 of labels.csv (lower-case hex), recorded in model cards.</summary>
    public string LabelsSha256 { get; }

    private BoneAgeDataset(string directory, IReadOnlyList<LabelledRadiograph> items, string sha)
    {
        Directory = directory;
        Items = items;
        LabelsSha256 = sha;
    }

    /// <summary>Reads <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">The folder or a line is not in the expected layout; the message names the file and line.</exception>
    public static BoneAgeDataset Load(string directory)
    {
        var dir = Path.GetFullPath(directory);
        var labels = Path.Combine(dir, "labels.csv");
        if (!File.Exists(labels)) throw new InvalidDataException($"{labels}: not found (a training folder holds labels.csv and images/).");
        var lines = File.ReadAllLines(labels);
        if (lines.Length < 2 || lines[0].Trim() != "image,sex,boneage_months")
            throw new InvalidDataException($"{labels}: the header must be 'image,sex,boneage_months', got '{(lines.Length > 0 ? lines[0] : "")}'.");
        var items = new List<LabelledRadiograph>(lines.Length - 1);
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var parts = lines[i].Split(',');
            if (parts.Length != 3 || parts[1] is not ("M" or "F")
                || !double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var months) || !(months is >= 0 and <= 300))
                throw new InvalidDataException($"{labels}:{i + 1}: expected 'image,M|F,months (0-300)', got '{lines[i]}'.");
            var image = Path.Combine(dir, "images", parts[0]);
            if (!File.Exists(image)) throw new InvalidDataException($"{labels}:{i + 1}: image {image} not found.");
            items.Add(new LabelledRadiograph(image, parts[1] == "M", months));
        }
        using var stream = File.OpenRead(labels);
        return new BoneAgeDataset(dir, items, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    /// <summary>
    /// Fold of each example for K-fold cross-validation: stratified by age (sorted by months, dealt
    /// round-robin after a seeded shuffle within each block of K), so every fold spans all ages.
    /// </summary>
    public static int[] Folds(IReadOnlyList<LabelledRadiograph> items, int k, int seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        var random = new Random(seed);
        var order = Enumerable.Range(0, items.Count).OrderBy(i => items[i].Months).ThenBy(i => i).ToArray();
        var folds = new int[items.Count];
        for (var start = 0; start < order.Length; start += k)
        {
            var block = Enumerable.Range(0, k).ToArray();
            random.Shuffle(block);
            for (var j = 0; j < k && start + j < order.Length; j++) folds[order[start + j]] = block[j];
        }
        return folds;
    }
}
