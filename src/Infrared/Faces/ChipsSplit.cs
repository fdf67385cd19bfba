using System.Globalization;
using System.Text;

namespace Vigil.Infrared.Faces;

/// <summary>Which part of the chips split an image belongs to.</summary>
public enum ChipsPart
{
    /// <summary>Used to train the adapted detector.</summary>
    Train,
    /// <summary>Used to choose the training epoch and the operating point.</summary>
    Validation,
    /// <summary>Held out: only evaluation ever reads it.</summary>
    Test,
}

/// <summary>
/// The deterministic split of the chips folder by image name. Names are <c>participant_number</c>
/// and consecutive numbers are the same scene in other palettes or a moment later, so images are
/// grouped by participant and block of <see cref="BlockSize"/> consecutive numbers; a group's FNV-1a
/// hash decides its part (70 % train, 15 % validation, 15 % test). No randomness, no seed: the
/// same name is always in the same part.
/// </summary>
public static class ChipsSplit
{
    /// <summary>Consecutive image numbers grouped together.</summary>
    public const int BlockSize = 25;

    /// <summary>A one-line description for cards and reports.</summary>
    public const string Description = "chips split by group = participant + image number / 25, FNV-1a(group) % 100: < 70 train, < 85 validation, else test";

    /// <summary>The group an image name belongs to (e.g. <c>group1_107</c> → <c>group1/4</c>).</summary>
    public static string GroupOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stem = Path.GetFileNameWithoutExtension(name);
        var cut = stem.LastIndexOf('_');
        if (cut > 0 && int.TryParse(stem.AsSpan(cut + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return $"{stem[..cut]}/{number / BlockSize}";
        return stem;
    }

    /// <summary>The part <paramref name="name"/> belongs to.</summary>
    public static ChipsPart PartOf(string name)
    {
        var bucket = Fnv1a(GroupOf(name)) % 100;
        return bucket < 70 ? ChipsPart.Train : bucket < 85 ? ChipsPart.Validation : ChipsPart.Test;
    }

    private static uint Fnv1a(string s)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(s)) hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
