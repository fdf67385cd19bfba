using System.Text.Json;
using OpenCvSharp;
using Vigil.BoneAge.Reporting;
using Vigil.Video.Reporting;
using Vigil.Video.Segments;

namespace Vigil.WardConsole.Tests.Fixtures;

/// <summary>Inputs the console reads from other rooms' outputs: a bone-age report.csv and video-run folders.</summary>
internal static class ModalityInputs
{
    /// <summary>A scored row for <paramref name="image"/> (values as <c>vigil boneage score</c> writes them).</summary>
    public static ReportRow Scored(string image, string sha256, double months, double low, double high) => new()
    {
        Image = image, Sha256 = sha256, Status = ReportRow.Ok, Sex = "F", ChronologicalAgeMonths = 72, AgeSource = "manifest",
        BoneAgeMonths = months, DifferenceMonths = months - 72, ReferenceSdMonths = 10.5, ZScore = (months - 72) / 10.5, Flag = "",
        ModelId = "boneage-resnet18", ModelVersion = "1.0", ModelSha256 = new string('a', 64), ClinicalUse = ReportRow.NotForClinicalUseLabel,
        Format = "PNG", BoneAgeLowMonths = low, BoneAgeHighMonths = high, Validation = "5-fold CV MAD 9.8 months",
    };

    /// <summary>A row of an image the scorer could not read.</summary>
    public static ReportRow Failed(string image, string reason) => new() { Image = image, Status = ReportRow.Failed, Reason = reason };

    /// <summary>Writes <paramref name="rows"/> as report.csv with Vigil.BoneAge's writer; returns its path.</summary>
    public static string WriteReport(string folder, params ReportRow[] rows)
    {
        var path = Path.Combine(folder, "report.csv");
        using (var w = new ReportCsvWriter(path)) w.Append(rows);
        return path;
    }

    /// <summary>
    /// A <c>vigil video run</c> result folder (segments.csv with Video's SegmentCsv, per-segment heat-map strips
    /// with Video's HeatStrip over drawn frames, events.json as VideoAnalysis writes it) under <paramref name="root"/>/<paramref name="id"/>.
    /// </summary>
    public static IReadOnlyList<ActionSegment> WriteVideoRun(string root, string id)
    {
        var dir = Path.Combine(root, id);
        Directory.CreateDirectory(dir);
        ActionSegment[] segments = [new("walk", 0.5, 6.25, 0.91), new("wave", 3.0, 5.5, 0.74), new("fall", 9.0, 10.5, 0.83)];
        SegmentCsv.WriteSegments(Path.Combine(dir, "segments.csv"), segments);
        for (var i = 0; i < segments.Length; i++) WriteStrip(Path.Combine(dir, $"segment-{i + 1:D2}-{segments[i].Label}.png"), i);
        WriteStrip(Path.Combine(dir, "heatmap.png"), 7);
        File.WriteAllText(Path.Combine(dir, "events.json"), JsonSerializer.Serialize(new
        {
            input = id + ".avi",
            input_sha256 = new string('b', 64),
            backbone = new { name = "vittrack", sha256 = new string('c', 64) },
            adapter = new { id = "video-actions", version = "1", sha256 = new string('d', 64), validation = "eval_frame_accuracy=0.95" },
            not_for_clinical_use = true,
            notice = "NOT FOR CLINICAL USE: research demonstration adapter trained on generated clips.",
            withheld = (string?)null,
            events = segments.Select(s => new { code = s.Label, start_s = s.StartSeconds, end_s = s.EndSeconds, confidence = s.Confidence }),
        }));
        return segments;
    }

    // Four 64×64 frames of a moving disc with a heat map peaked on it.
    private static void WriteStrip(string path, int seed)
    {
        var frames = new List<(Mat, float[])>();
        try
        {
            for (var k = 0; k < 4; k++)
            {
                var m = new Mat(64, 64, MatType.CV_8UC3, new Scalar(40, 60, 50));
                var cx = 10 + 12 * k + seed % 3;
                Cv2.Circle(m, new Point(cx, 32), 8, new Scalar(230, 230, 230), -1);
                var heat = new float[16 * 16];
                for (var y = 0; y < 16; y++)
                    for (var x = 0; x < 16; x++)
                        heat[y * 16 + x] = (float)Math.Exp(-((x - cx / 4.0) * (x - cx / 4.0) + (y - 8) * (y - 8)) / 6);
                frames.Add((m, heat));
            }
            HeatStrip.Write(path, frames, 16, 16, height: 96);
        }
        finally
        {
            foreach (var (m, _) in frames) m.Dispose();
        }
    }
}
