using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Vigil.Imaging.Dicom;
using Vigil.Imaging;
using Vigil.BoneAge.Preprocessing;
using Vigil.BoneAge.Reference;
using Vigil.BoneAge.Reporting;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Vigil.BoneAge.Scoring;

/// <summary>
/// Scores a batch of hand radiographs as one stream graph: read and hash (in order: duplicates and
/// already-scored images are decided deterministically), decode and preprocess in parallel
/// (bounded: at most <see cref="ScoreOptions.DecodeParallelism"/> full-size images in memory),
/// inference through the model's dynamic batcher with a bounded number in flight, then rows
/// appended and flushed per group with one FHIR Observation per scored image. A bad image becomes
/// a failed row with the reason; the run goes on. The graph runs on Akka.Streams: on the given
/// materializer (a host's), or on a private ActorSystem started for the run.
/// </summary>
/// <param name="model">The model and its batcher.</param>
/// <param name="options">Inputs, output and bounds.</param>
/// <param name="materializer">The host's materializer; null starts a private ActorSystem for each run.</param>
public sealed class BoneAgeScorer(BoneAgeModel model, ScoreOptions options, IMaterializer? materializer = null)
{
    private readonly Preprocessor _preprocessor = new(model.Preprocessing);

    /// <summary>Runs the batch and returns the summary (also written to summary.json).</summary>
    public async Task<ScoreSummary> RunAsync(CancellationToken cancellation = default)
    {
        if (materializer is not null) return await RunAsync(materializer, cancellation).ConfigureAwait(false);
        using var system = ActorSystem.Create("vigil-boneage", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING"));
        try
        {
            return await RunAsync(system.Materializer(), cancellation).ConfigureAwait(false);
        }
        finally
        {
            await system.Terminate().ConfigureAwait(false);
        }
    }

    private async Task<ScoreSummary> RunAsync(IMaterializer streams, CancellationToken cancellation)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var reportPath = Path.Combine(options.OutputDirectory, "report.csv");
        var observations = Path.Combine(options.OutputDirectory, "observations");
        using var report = new ReportCsvWriter(reportPath);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var progress = new ProgressReporter(options.Progress, options.Inputs.Count, options.InteractiveProgress, options.TimeProvider);
        var start = options.TimeProvider.GetTimestamp();
        int scored = 0, failed = 0, skipped = 0, flagged = 0;
        var reasons = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var pending = new List<ReportRow>(options.FlushEvery);
        var lastFlush = start;

        var (killSwitch, done) = Source.From(options.Inputs.Select((path, i) => new ScoringItem { Path = path, Index = i }))
            .Select(item => ReadAndHash(item, report.AlreadyScored, seen))
            .Where(item =>
            {
                // Images an earlier run scored leave the stream here, counted.
                if (item.Skip) skipped++;
                return !item.Skip;
            })
            .SelectAsync(options.DecodeParallelism, item => Task.Run(() => Prepare(item), cancellation))
            .SelectAsync(options.MaxInFlight, item => ScoreAsync(item, cancellation))
            .ViaMaterialized(KillSwitches.Single<ReportRow>(), Keep.Right)
            .ToMaterialized(Sink.ForEach<ReportRow>(row =>
            {
                pending.Add(row);
                // Rows are written and flushed in groups: every FlushEvery rows, or when a second
                // has passed since the last flush, so a crash loses at most one unflushed group.
                if (pending.Count >= options.FlushEvery || options.TimeProvider.GetElapsedTime(lastFlush) >= TimeSpan.FromSeconds(1))
                    WriteGroup();
            }), Keep.Both)
            .Run(streams);
        // Cancelling the run stops the graph too, not only the wait.
        await using var stop = cancellation.Register(() => killSwitch.Abort(new OperationCanceledException(cancellation)));
        void WriteGroup()
        {
            if (pending.Count == 0) return;
            report.Append(pending);
            foreach (var row in pending)
            {
                if (row.Status == ReportRow.Ok)
                {
                    scored++;
                    if (row.Flag.Length > 0) flagged++;
                    if (options.WriteObservations) FhirObservation.Write(row, observations, options.TimeProvider.GetUtcNow());
                }
                else
                {
                    failed++;
                    reasons.AddOrUpdate(ReasonKind(row.Reason), 1, (_, n) => n + 1);
                }
            }
            pending.Clear();
            lastFlush = options.TimeProvider.GetTimestamp();
            progress.Report(scored + failed + skipped, failed);
        }
        await done.WaitAsync(cancellation).ConfigureAwait(false);
        WriteGroup();
        progress.Report(scored + failed + skipped, failed, final: true);

        var elapsed = options.TimeProvider.GetElapsedTime(start).TotalSeconds;
        var summary = new ScoreSummary
        {
            Total = options.Inputs.Count,
            Scored = scored,
            Failed = failed,
            Skipped = skipped,
            Flagged = flagged,
            ElapsedSeconds = elapsed,
            ImagesPerSecond = elapsed > 0 ? (scored + failed) / elapsed : 0,
            Model = model.Card.Provenance,
            NotForClinicalUse = model.Card.NotForClinicalUse,
            MeanBatchSize = model.Statistics.MeanBatchSize,
            FailureReasons = new SortedDictionary<string, int>(reasons, StringComparer.Ordinal),
            Report = reportPath,
        };
        await File.WriteAllTextAsync(Path.Combine(options.OutputDirectory, "summary.json"),
            JsonSerializer.Serialize(summary, SummaryJson), cancellation).ConfigureAwait(false);
        return summary;
    }

    internal static readonly JsonSerializerOptions SummaryJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The reason without the file name, for grouping in the summary.</summary>
    private static string ReasonKind(string reason)
    {
        var colon = reason.IndexOf(": ", StringComparison.Ordinal);
        var kind = colon >= 0 && colon < 80 ? reason[(colon + 2)..] : reason;
        return kind.Length > 60 ? kind[..60] : kind;
    }

    private ScoringItem ReadAndHash(ScoringItem item, IReadOnlySet<string> alreadyScored, Dictionary<string, string> seen)
    {
        try
        {
            var info = new FileInfo(item.Path);
            // A file so large it cannot hold an image under the pixel limit is refused unread.
            if (info.Exists && info.Length > options.MaxPixels * 8 + (1 << 20))
            {
                item.Failure = $"{info.Name}: file is {info.Length} bytes, too large for an image under the limit of {options.MaxPixels} pixels";
                return item;
            }
            item.Bytes = File.ReadAllBytes(item.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            item.Failure = $"{Path.GetFileName(item.Path)}: cannot be read ({e.Message})";
            return item;
        }
        item.Sha256 = Convert.ToHexStringLower(SHA256.HashData(item.Bytes));
        if (alreadyScored.Contains(item.Sha256)) { item.Skip = true; item.Bytes = null; return item; }
        if (!options.AllowDuplicates && seen.TryGetValue(item.Sha256, out var first))
        {
            item.Failure = $"{Path.GetFileName(item.Path)}: duplicate of {first} (same sha256); scored once";
            item.Bytes = null;
            return item;
        }
        seen.TryAdd(item.Sha256, item.Path);
        return item;
    }

    private ScoringItem Prepare(ScoringItem item)
    {
        if (item.Failure is not null || item.Bytes is null) return item;
        var name = Path.GetFileName(item.Path);
        try
        {
            var radiograph = RadiographLoader.Decode(item.Bytes, item.Path, options.MaxPixels, _preprocessor.ReductionFor);
            item.Bytes = null;
            item.Format = radiograph.Format;
            item.SopInstanceUid = radiograph.Metadata.SopInstanceUid ?? "";
            item.StudyDate = radiograph.Metadata.StudyDate;
            ResolvePatient(item, radiograph.Metadata);
            if (item.Sex == PatientSex.Unknown)
                item.Failure = $"{name}: patient sex is unknown (no manifest entry with sex, no DICOM Patient's Sex): the reference is sex-specific";
            else if (item.AgeMonths is null)
                item.Failure = $"{name}: chronological age is unknown (no manifest entry with age_months, no DICOM Patient's Age or birth and study dates)";
            else
                item.Prepared = _preprocessor.Run(radiograph);
        }
        catch (Exception e) when (e is DicomFormatException or ImageFormatException)
        {
            item.Failure = e.Message;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OutOfMemoryException or FormatException)
        {
            item.Failure = $"{name}: could not be preprocessed ({e.Message})";
        }
        item.Bytes = null;
        return item;
    }

    private void ResolvePatient(ScoringItem item, ImageMetadata tags)
    {
        var entry = options.Manifest.Find(item.Path);
        item.Sex = entry?.Sex is { } s && s != PatientSex.Unknown ? s : tags.Sex;
        if (entry?.AgeMonths is { } age) { item.AgeMonths = age; item.AgeSource = "manifest"; }
        else if (tags.BirthDate is not null && tags.StudyDate is not null && tags.ChronologicalAgeMonths is { } d) { item.AgeMonths = d; item.AgeSource = "dicom-dates"; }
        else if (tags.ChronologicalAgeMonths is { } a) { item.AgeMonths = a; item.AgeSource = "dicom-age"; }
        if (options.AssumedPatient is { } assumed && (item.Sex == PatientSex.Unknown || item.AgeMonths is null))
        {
            item.Sex = assumed.Sex;
            item.AgeMonths = assumed.AgeMonths;
            item.AgeSource = "assumed-for-benchmark";
        }
    }

    private async Task<ReportRow> ScoreAsync(ScoringItem item, CancellationToken cancellation)
    {
        if (item.Failure is not null || item.Prepared is null) return FailedRow(item, item.Failure ?? "not prepared");
        try
        {
            var (months, provenance, notClinical) = await model.PredictAsync(item.Sha256, item.Prepared.Input, item.Sex, cancellation).ConfigureAwait(false);
            var a = BoneAgeAssessment.Assess(months, item.Sex, item.AgeMonths!.Value);
            return new ReportRow
            {
                Image = item.Path,
                Sha256 = item.Sha256,
                Status = ReportRow.Ok,
                Reason = a.ZScoreWithheldReason is { } why ? "z-score withheld: " + why : "",
                Sex = SexCode(item.Sex),
                ChronologicalAgeMonths = a.ChronologicalAgeMonths,
                AgeSource = item.AgeSource,
                BoneAgeMonths = a.BoneAgeMonths,
                DifferenceMonths = a.DifferenceMonths,
                ReferenceSdMonths = a.ReferenceSdMonths,
                ZScore = a.ZScore,
                Flag = a.Flag ?? "",
                ModelId = provenance.ModelId,
                ModelVersion = provenance.Version,
                ModelSha256 = provenance.Sha256,
                ClinicalUse = notClinical ? ReportRow.NotForClinicalUseLabel : "",
                SopInstanceUid = item.SopInstanceUid,
                Format = item.Format,
                Crop = item.Prepared.Crop.ToString(),
                StudyDate = item.StudyDate,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return FailedRow(item, $"{Path.GetFileName(item.Path)}: inference failed ({e.Message})");
        }
        finally
        {
            item.Prepared = null;
        }
    }

    private ReportRow FailedRow(ScoringItem item, string reason) => new()
    {
        Image = item.Path,
        Sha256 = item.Sha256,
        Status = ReportRow.Failed,
        Reason = reason,
        Sex = SexCode(item.Sex),
        ChronologicalAgeMonths = item.AgeMonths,
        AgeSource = item.AgeSource,
        ModelId = model.Card.Id,
        ModelVersion = model.Card.Version,
        ModelSha256 = model.Card.Provenance.Sha256,
        ClinicalUse = model.Card.NotForClinicalUse ? ReportRow.NotForClinicalUseLabel : "",
        SopInstanceUid = item.SopInstanceUid,
        Format = item.Format,
    };

    private static string SexCode(PatientSex sex) => sex switch { PatientSex.Male => "M", PatientSex.Female => "F", _ => "" };
}
