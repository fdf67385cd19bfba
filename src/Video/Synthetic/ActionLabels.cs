namespace Vigil.Video.Synthetic;

/// <summary>The actions the synthetic clip generator performs (multi-label: walk and wave can overlap).</summary>
public static class ActionLabels
{
    /// <summary>The figure walks across the scene.</summary>
    public const string Walk = "walk";

    /// <summary>The figure waves one arm above its head.</summary>
    public const string Wave = "wave";

    /// <summary>The figure falls to the ground.</summary>
    public const string Fall = "fall";

    /// <summary>All labels, in model output order.</summary>
    public static IReadOnlyList<string> All { get; } = [Walk, Wave, Fall];
}
