namespace Vigil.WardConsole.Reports;

/// <summary>One <c>vigil video run</c> result folder.</summary>
public sealed record VideoRun
{
    /// <summary>The folder's name.</summary>
    public required string Id { get; init; }

    /// <summary>The folder (not served).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Folder { get; init; } = "";

    /// <summary>The video analysed (file name).</summary>
    public string? Input { get; init; }

    /// <summary>sha256 of the video.</summary>
    public string? InputSha256 { get; init; }

    /// <summary>Backbone name and sha256.</summary>
    public string? Backbone { get; init; }

    /// <summary>Adapter id, version and sha256.</summary>
    public string? Adapter { get; init; }

    /// <summary>The adapter's held-out figures.</summary>
    public string? Validation { get; init; }

    /// <summary>True unless events.json says the adapter is for clinical use.</summary>
    public bool NotForClinicalUse { get; init; } = true;

    /// <summary>The run's notice (NOT FOR CLINICAL USE ...).</summary>
    public string? Notice { get; init; }

    /// <summary>Why no segments were reported, or null.</summary>
    public string? Withheld { get; init; }

    /// <summary>Detected action segments.</summary>
    public IReadOnlyList<VideoSegment> Segments { get; init; } = [];

    /// <summary>Heat-map strips in the folder (file names).</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>What is wrong with the folder, or null.</summary>
    public string? Error { get; init; }
}
