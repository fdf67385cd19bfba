namespace Vigil.BoneAge.Scoring;

/// <summary>What <see cref="BoneAgeScorer"/> scores and how.</summary>
public sealed record ScoreOptions
{
    /// <summary>Input files (DICOM, PNG, JPEG), in report order.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Sex and age per image (takes precedence over DICOM tags).</summary>
    public Manifest Manifest { get; init; } = Manifest.Empty;

    /// <summary>Output folder: report.csv, observations/, summary.json.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Images with more pixels are refused before decoding (default 40 megapixels).</summary>
    public long MaxPixels { get; init; } = 40_000_000;

    /// <summary>
    /// Images decoded and preprocessed at once (default: one per core). Each holds its file's bytes
    /// and its already-shrunk image, so memory stays bounded by this times the largest file.
    /// </summary>
    public int DecodeParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Preprocessed images waiting for or in inference at once.</summary>
    public int MaxInFlight { get; init; } = 32;

    /// <summary>Rows written and flushed together (at most this many, or what is ready within a second).</summary>
    public int FlushEvery { get; init; } = 8;

    /// <summary>Write one FHIR Observation per scored image.</summary>
    public bool WriteObservations { get; init; } = true;

    /// <summary>Where progress goes (null: nowhere).</summary>
    public TextWriter? Progress { get; init; }

    /// <summary>Draw a live bar (stdout is a terminal) rather than plain lines.</summary>
    public bool InteractiveProgress { get; init; }

    /// <summary>Score repeated files again instead of failing them as duplicates (benchmarks only).</summary>
    internal bool AllowDuplicates { get; init; }

    /// <summary>Sex and age used when neither manifest nor tags give them (benchmarks only).</summary>
    internal (Vigil.Imaging.PatientSex Sex, double AgeMonths)? AssumedPatient { get; init; }

    /// <summary>Clock for rates, ETA and timestamps.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
