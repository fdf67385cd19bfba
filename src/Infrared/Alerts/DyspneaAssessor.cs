using Vigil.Infrared.Breathing;

namespace Vigil.Infrared.Alerts;

/// <summary>
/// One patient's dyspnea alert as a state machine driven by breathing windows, AU intensities and dropout
/// notices (the stage's timer). A window whose region was not tracked counts towards "face lost"; a
/// tracked window whose rate is withheld (talking, weak signal) decides nothing unless it shows an apnoea;
/// an assessed window's evidence score moves the onset or recovery count. While monitoring is
/// interrupted an active alert stays active: a lost face is not a recovery.
/// </summary>
public sealed class DyspneaAssessor
{
    private readonly DyspneaAlertCard _card;
    private readonly string _patientId;
    private ActionUnitIntensities? _latestAu;
    private int _onset;
    private int _recovery;
    private TimeSpan? _lastTrackedEnd;
    private TimeSpan _lastDataTime;
    private bool _interrupted;

    /// <summary>Creates the assessor of <paramref name="patientId"/> under <paramref name="card"/>.</summary>
    public DyspneaAssessor(string patientId, DyspneaAlertCard card)
    {
        _patientId = patientId;
        _card = card;
    }

    /// <summary>True while the alert is active.</summary>
    public bool Active { get; private set; }

    /// <summary>True while monitoring is interrupted (face lost or sensor dropout).</summary>
    public bool Interrupted => _interrupted;

    /// <summary>Time of the latest input on the windows' clock.</summary>
    public TimeSpan LastDataTime => _lastDataTime;

    private string Provenance(string inputs) => $"dyspnea card {_card.Id} v{_card.Version}; {inputs}; NOT FOR CLINICAL USE";

    /// <summary>Takes AU intensities (used by later windows within <see cref="DyspneaAlertCard.AuMaxAgeSeconds"/>).</summary>
    public IReadOnlyList<DyspneaEvent> OnActionUnits(ActionUnitIntensities sample)
    {
        if (sample.Intensities.Values.All(double.IsFinite)) _latestAu = sample;
        if (sample.Time > _lastDataTime) _lastDataTime = sample.Time;
        return [];
    }

    /// <summary>Takes a breathing window; returns the events it causes.</summary>
    public IReadOnlyList<DyspneaEvent> OnBreathing(BreathingWindow w)
    {
        var events = new List<DyspneaEvent>();
        if (w.End > _lastDataTime) _lastDataTime = w.End;
        _lastTrackedEnd ??= w.Start;
        if (!w.RegionTracked(_card.MinTrackedFraction))
        {
            var lostFor = (w.End - _lastTrackedEnd.Value).TotalSeconds;
            if (!_interrupted && lostFor >= _card.LostFaceSeconds)
            {
                _interrupted = true;
                events.Add(new DyspneaEvent(_patientId, DyspneaEventKind.MonitoringLost, w.End, Active, double.NaN, [],
                    $"face lost for {lostFor:0} s ({w.Reason}){(Active ? "; alert held" : "")}", Provenance(w.Provenance)));
            }
            return events;
        }
        _lastTrackedEnd = w.End;
        if (_interrupted)
        {
            _interrupted = false;
            events.Add(new DyspneaEvent(_patientId, DyspneaEventKind.MonitoringResumed, w.End, Active, double.NaN, [], "face tracked again", Provenance(w.Provenance)));
        }

        var evidence = Evidence(w);
        var score = evidence.Where(e => e.Met).Sum(e => e.Weight);
        var apnoea = evidence.Any(e => e.Kind == "apnoea" && e.Met);
        // A withheld rate decides nothing (talking, weak signal) unless the window shows an apnoea.
        if (w.Status != BreathingStatus.Ok && !apnoea) return events;
        var inputs = _latestAu is null ? w.Provenance : $"{w.Provenance}; AU {_latestAu.Provenance}";
        if (!Active)
        {
            _onset = score >= _card.RaiseScore ? _onset + 1 : 0;
            if (apnoea || _onset >= _card.OnsetWindows)
            {
                Active = true;
                _recovery = 0;
                var met = string.Join(", ", evidence.Where(e => e.Met).Select(e => e.Kind));
                events.Add(new DyspneaEvent(_patientId, DyspneaEventKind.AlertRaised, w.End, true, score, evidence,
                    apnoea ? $"apnoea: no breath for {w.LongestPauseSeconds:0} s" : $"evidence score {score:0.#} ≥ {_card.RaiseScore:0.#} for {_onset} windows ({met})", Provenance(inputs)));
            }
        }
        else
        {
            _recovery = score <= _card.ClearScore ? _recovery + 1 : 0;
            if (_recovery >= _card.RecoveryWindows)
            {
                Active = false;
                _onset = 0;
                events.Add(new DyspneaEvent(_patientId, DyspneaEventKind.AlertCleared, w.End, false, score, evidence,
                    $"evidence score ≤ {_card.ClearScore:0.#} for {_recovery} windows", Provenance(inputs)));
            }
        }
        return events;
    }

    /// <summary>Notice that no input arrived for the dropout delay; returns the monitoring event (once per interruption).</summary>
    public IReadOnlyList<DyspneaEvent> OnDropout()
    {
        if (_interrupted) return [];
        _interrupted = true;
        return [new DyspneaEvent(_patientId, DyspneaEventKind.MonitoringLost, _lastDataTime + TimeSpan.FromSeconds(_card.DropoutSeconds), Active, double.NaN, [],
            $"sensor dropout: no data for {_card.DropoutSeconds:0} s{(Active ? "; alert held" : "")}", Provenance("no input"))];
    }

    private List<DyspneaEvidence> Evidence(BreathingWindow w)
    {
        var c = _card;
        var window = $"window {w.Start.TotalSeconds:0}–{w.End.TotalSeconds:0} s";
        var list = new List<DyspneaEvidence>();
        var rateThreshold = Active ? c.TachypneaRecoveryBpm : c.TachypneaOnsetBpm;
        list.Add(new("tachypnea", w.RateBpm, rateThreshold, "/min", w.Status == BreathingStatus.Ok && w.RateBpm >= rateThreshold, c.TachypneaWeight, $"breathing rate, {window}"));
        var cvThreshold = Active ? c.IrregularityRecoveryCv : c.IrregularityOnsetCv;
        list.Add(new("irregularity", w.BreathIntervalCv, cvThreshold, "1", double.IsFinite(w.BreathIntervalCv) && w.BreathIntervalCv >= cvThreshold, c.IrregularityWeight, $"breath-interval variation, {window}"));
        list.Add(new("apnoea", w.LongestPauseSeconds, c.ApnoeaSeconds, "s", double.IsFinite(w.LongestPauseSeconds) && w.LongestPauseSeconds >= c.ApnoeaSeconds, c.ApnoeaWeight, $"longest pause without a breath, {window}"));
        var auThreshold = Active ? c.AuRecoveryIntensity : c.AuOnsetIntensity;
        if (_latestAu is { } au && (w.End - au.Time).TotalSeconds <= c.AuMaxAgeSeconds && (au.Time - w.End).TotalSeconds <= c.AuMaxAgeSeconds)
        {
            var mean = c.StruggleActionUnits.Average(u => au.Intensities.TryGetValue(u, out var v) ? v : 0);
            list.Add(new("au-activity", mean, auThreshold, "intensity 0-5", mean >= auThreshold, c.AuWeight,
                $"mean of AU {string.Join("/", c.StruggleActionUnits)} at {au.Time.TotalSeconds:0} s"));
        }
        else
        {
            list.Add(new("au-activity", double.NaN, auThreshold, "intensity 0-5", false, c.AuWeight, "no AU intensities within the card's age limit"));
        }
        return list;
    }
}
