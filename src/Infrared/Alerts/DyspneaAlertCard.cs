using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.Infrared.Alerts;

/// <summary>
/// The dyspnea alert's thresholds, as a JSON card (snake_case fields, documented in docs/infrared.md,
/// "Dyspnea alert card"). Each criterion has an onset threshold and a laxer recovery threshold used while
/// the alert is active (hysteresis); met criteria add their weight to a score; the alert is raised when
/// the score reaches <see cref="RaiseScore"/> in <see cref="OnsetWindows"/> consecutive assessed windows
/// (at once for apnoea) and cleared when it stays at or below <see cref="ClearScore"/> for
/// <see cref="RecoveryWindows"/>. The defaults are a research starting point, NOT clinically validated.
/// </summary>
public sealed record DyspneaAlertCard
{
    /// <summary>Card identity.</summary>
    public string Id { get; init; } = "vigil-dyspnea-default";

    /// <summary>Card version.</summary>
    public string Version { get; init; } = "1";

    /// <summary>Tachypnea onset, breaths/min (adult resting rate is 12–20).</summary>
    public double TachypneaOnsetBpm { get; init; } = 24;

    /// <summary>Tachypnea threshold while the alert is active.</summary>
    public double TachypneaRecoveryBpm { get; init; } = 21;

    /// <summary>Irregularity onset: coefficient of variation of breath intervals.</summary>
    public double IrregularityOnsetCv { get; init; } = 0.35;

    /// <summary>Irregularity threshold while the alert is active.</summary>
    public double IrregularityRecoveryCv { get; init; } = 0.25;

    /// <summary>Longest pause without a breath that counts as apnoea, s.</summary>
    public double ApnoeaSeconds { get; init; } = 20;

    /// <summary>AUs whose mean intensity measures respiratory struggle (brow lowerer, cheek raiser, lid tightener, nose wrinkler, jaw drop, mouth stretch).</summary>
    public IReadOnlyList<int> StruggleActionUnits { get; init; } = [4, 6, 7, 9, 26, 27];

    /// <summary>AU activity onset: mean intensity (0–5) of the struggle AUs.</summary>
    public double AuOnsetIntensity { get; init; } = 2.0;

    /// <summary>AU activity threshold while the alert is active.</summary>
    public double AuRecoveryIntensity { get; init; } = 1.5;

    /// <summary>AU intensities older than this, relative to the window's end, are not used, s.</summary>
    public double AuMaxAgeSeconds { get; init; } = 10;

    /// <summary>Score weight of tachypnea.</summary>
    public double TachypneaWeight { get; init; } = 2;

    /// <summary>Score weight of irregular breathing.</summary>
    public double IrregularityWeight { get; init; } = 1;

    /// <summary>Score weight of AU activity.</summary>
    public double AuWeight { get; init; } = 1;

    /// <summary>Score weight of apnoea.</summary>
    public double ApnoeaWeight { get; init; } = 3;

    /// <summary>Score that raises the alert.</summary>
    public double RaiseScore { get; init; } = 3;

    /// <summary>Score at or below which a window counts towards recovery.</summary>
    public double ClearScore { get; init; } = 1;

    /// <summary>Consecutive windows at the raise score needed to raise (apnoea raises at once).</summary>
    public int OnsetWindows { get; init; } = 2;

    /// <summary>Consecutive windows at or below the clear score needed to clear.</summary>
    public int RecoveryWindows { get; init; } = 3;

    /// <summary>A window whose tracked share is below this counts as face lost.</summary>
    public double MinTrackedFraction { get; init; } = 0.8;

    /// <summary>Face lost this long (since the last tracked window's end) interrupts monitoring, s.</summary>
    public double LostFaceSeconds { get; init; } = 20;

    /// <summary>No input at all for this long (on the scheduler's clock) is a sensor dropout, s.</summary>
    public double DropoutSeconds { get; init; } = 30;

    /// <summary>Checks the card; throws <see cref="InvalidDataException"/> naming <paramref name="origin"/> and the first bad field.</summary>
    public DyspneaAlertCard Validate(string origin)
    {
        void Check(bool ok, string what) { if (!ok) throw new InvalidDataException($"{origin}: dyspnea card {what}"); }
        Check(!string.IsNullOrWhiteSpace(Id), "has no 'id'");
        Check(TachypneaRecoveryBpm > 0 && TachypneaRecoveryBpm <= TachypneaOnsetBpm, "'tachypnea_recovery_bpm' must be positive and at most 'tachypnea_onset_bpm'");
        Check(IrregularityRecoveryCv > 0 && IrregularityRecoveryCv <= IrregularityOnsetCv, "'irregularity_recovery_cv' must be positive and at most 'irregularity_onset_cv'");
        Check(AuRecoveryIntensity >= 0 && AuRecoveryIntensity <= AuOnsetIntensity && AuOnsetIntensity <= 5, "AU thresholds must satisfy 0 ≤ recovery ≤ onset ≤ 5");
        Check(ApnoeaSeconds > 0 && LostFaceSeconds > 0 && DropoutSeconds > 0 && AuMaxAgeSeconds > 0, "durations must be positive");
        Check(ClearScore < RaiseScore, "'clear_score' must be below 'raise_score'");
        Check(OnsetWindows >= 1 && RecoveryWindows >= 1, "'onset_windows' and 'recovery_windows' must be at least 1");
        Check(MinTrackedFraction is > 0 and <= 1, "'min_tracked_fraction' must be in (0, 1]");
        Check(StruggleActionUnits.Count > 0, "'struggle_action_units' is empty");
        return this;
    }

    /// <summary>Reads and validates a card file; a malformed one gives one line naming the file.</summary>
    public static DyspneaAlertCard Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses and validates card JSON (absent fields keep their defaults).</summary>
    public static DyspneaAlertCard Parse(string json, string origin)
    {
        try
        {
            return (JsonSerializer.Deserialize<DyspneaAlertCard>(json, Options) ?? throw new InvalidDataException($"{origin}: dyspnea card is empty")).Validate(origin);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{origin}: dyspnea card is not valid JSON ({e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>The card as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };
}
