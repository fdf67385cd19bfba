using System.Globalization;
using System.Text.Json;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vigil.Infrared.Breathing;
using Vigil.Infrared.Breathing.Synthetic;
using Vigil.Infrared.Thermal;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil ir breathing</c>: breathing rate per window from thermal frames (a folder of 16-bit PNG/TIFF, a raw
/// Y16 file, a palette-image folder, a video) or from a generated sequence (scored against its truth).
/// </summary>
internal static class IrBreathingCommand
{
    public const string Usage = "breathing (--input DIR|FILE.y16|VIDEO | --generate SEED) --out F.csv [--fps 10] [--width 160 --height 120] [--card CARD.json] [--palette NAME] [--patient ID] [--seconds 240] [--face-detector centernet|warm-region|known-geometry|CARD.json] [--detect-every 1] [--json]";

    /// <summary>The shipped adapted thermal face detector's card, relative to the repository root.</summary>
    public static string CenternetCard => Path.Combine(RepositoryPaths.Root, "models", "ir-face-centernet", "ir-face-centernet.card.json");

    /// <summary>
    /// The face detector named on the command line. Default: the adapted detector (centernet) for real frames
    /// (--input), the warm-region detector for generated sequences (--generate): the generator draws an
    /// elliptic synthetic face that the adapted detector boxes 20 % off, and on real frames the warm-region
    /// detector boxes the warmest blob (head with neck, bodies) rather than the face (docs/infrared.md).
    /// </summary>
    public static IThermalFaceDetector OpenDetector(string? name, bool generated, ThermalFaceSequence? sequence, int detectEvery)
    {
        name ??= generated ? "warm-region" : "centernet";
        if (detectEvery < 1) throw new CommandLineException($"--detect-every must be at least 1, not {detectEvery}");
        return name switch
        {
            "warm-region" => new WarmRegionFaceDetector(),
            "known-geometry" => sequence?.KnownGeometry ?? throw new CommandLineException("--face-detector known-geometry needs --generate (only a generated sequence knows its face geometry)"),
            "centernet" => CardFaceDetector.Open(CenternetCard, detectEvery),
            _ when name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) => File.Exists(name)
                ? CardFaceDetector.Open(name, detectEvery)
                : throw new CommandLineException($"--face-detector: card '{name}' not found"),
            _ => throw new CommandLineException($"--face-detector must be centernet, warm-region, known-geometry or a thermal-face card (.json), not '{name}'"),
        };
    }

    // JSON has no NaN: a score over no reported window is null.
    private static string Number(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "null";

    private static readonly string[] VideoExtensions = [".avi", ".mp4", ".mkv", ".mov", ".webm"];

    public static async Task<int> RunAsync(string[] args)
    {
        var a = new CommandArguments(args, "json");
        var input = a.Get("input");
        var generate = a.Get("generate");
        var outPath = a.Require("out");
        var fps = a.GetDouble("fps", 10);
        var width = a.GetInt("width", 160);
        var height = a.GetInt("height", 120);
        var cardPath = a.Get("card");
        var paletteName = a.Get("palette");
        var patient = a.Get("patient") ?? "patient";
        var seconds = a.GetDouble("seconds", 240);
        var detectorName = a.Get("face-detector") ?? a.Get("detector");
        var detectEvery = a.GetInt("detect-every", 1);
        var json = a.Flag("json");
        a.RejectUnknown();
        if ((input is null) == (generate is null)) throw new CommandLineException("give exactly one of --input and --generate");
        var card = cardPath is null ? ThermalCameraCard.CentiKelvin : ThermalCameraCard.Load(cardPath);

        ThermalFaceSequence? sequence = null;
        Source<ThermalFrame, Akka.NotUsed> source;
        if (generate is not null)
        {
            if (!int.TryParse(generate, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)) throw new CommandLineException($"--generate expects an integer seed, got '{generate}'");
            sequence = new ThermalFaceSequence(ThermalFaceScenario.Random(seed, seconds, fps) with { Width = width, Height = height });
            source = ThermalSources.FromFrames(sequence.Frames($"generated-{seed}"));
        }
        else if (Directory.Exists(input))
        {
            source = paletteName is null
                ? ThermalSources.RadiometricFolder(input!, fps, card)
                : ThermalSources.PaletteFolder(input!, fps, ThermalPalette.FromName(paletteName), card);
        }
        else if (VideoExtensions.Contains(Path.GetExtension(input!).ToLowerInvariant()))
            source = ThermalSources.Video(input!, ThermalPalette.FromName(paletteName ?? "white-hot"), card);
        else
            source = ThermalSources.RawY16(input!, width, height, fps, card);

        var detector = OpenDetector(detectorName, generate is not null, sequence, detectEvery);
        using var owned = detector as IDisposable;
        if (detector is CardFaceDetector) Console.Error.WriteLine($"vigil ir breathing: face detector {detector.Name}; NOT FOR CLINICAL USE");

        using var system = ActorSystem.Create("vigil-ir-breathing", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        IReadOnlyList<BreathingWindow> windows;
        try
        {
            windows = await source.Via(BreathingFlows.BreathingRate(patient, detector)).RunWith(Sink.Seq<BreathingWindow>(), system.Materializer());
        }
        finally
        {
            await system.Terminate();
        }
        BreathingCsv.Write(outPath, windows, sequence is null ? null : sequence.MeanRate);
        var reported = windows.Count(w => w.Status == BreathingStatus.Ok);
        var summary = FormattableString.Invariant($"{windows.Count} windows, {reported} with a rate ({(windows.Count == 0 ? 0 : 100.0 * reported / windows.Count):0}%), written to {outPath}");
        if (sequence is null)
        {
            Console.WriteLine(json ? JsonSerializer.Serialize(new { detector = detector.Name, windows = windows.Count, reported, @out = outPath }) : summary);
            return 0;
        }
        var score = BreathingScore.Of(windows, sequence);
        Console.WriteLine(json
            ? FormattableString.Invariant($"{{\"seed\": {generate}, \"detector\": \"{detector.Name}\", \"windows\": {score.Windows}, \"reported\": {score.Reported}, \"coverage\": {score.Coverage:0.000}, \"clean_windows\": {score.CleanWindows}, \"clean_coverage\": {score.CleanCoverage:0.000}, \"artefact_windows_reported\": {score.ArtefactWindowsReported}, \"mae_bpm\": {Number(score.MaeBpm)}, \"max_error_bpm\": {Number(score.MaxErrorBpm)}}}")
            : summary + FormattableString.Invariant($"; against the truth: MAE {score.MaeBpm:0.00} /min (max {score.MaxErrorBpm:0.00}), coverage {score.Coverage:P0} of all windows, {score.CleanCoverage:P0} of artefact-free ones"));
        return 0;
    }
}
