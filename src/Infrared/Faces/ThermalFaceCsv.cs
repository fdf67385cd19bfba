using System.Globalization;
using System.Text;

namespace Vigil.Infrared.Faces;

/// <summary>
/// <c>vigil ir faces</c>'s output: one row per detected face, <c>image,x,y,width,height,score</c>
/// (pixels of the image as stored, top-left corner), images in name order, faces best first.
/// A comment header names the model and says NOT FOR CLINICAL USE.
/// </summary>
public static class ThermalFaceCsv
{
    /// <summary>Column names, in order.</summary>
    public const string Header = "image,x,y,width,height,score";

    /// <summary>Detects faces in every image of <paramref name="dataset"/> and writes the CSV; returns (images, faces).</summary>
    public static (int Images, int Faces) Write(ThermalFaceDetector detector, ChipsDataset dataset, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(output);
        var p = detector.Provenance;
        output.WriteLine($"# model {p.ModelId}@{p.Version} sha256 {p.Sha256}, threshold {detector.ScoreThreshold.ToString("0.###", CultureInfo.InvariantCulture)}; NOT FOR CLINICAL USE");
        output.WriteLine(Header);
        var faces = 0;
        foreach (var image in dataset.Images)
        {
            using var bgr = ChipsDataset.ReadImage(image.Path);
            foreach (var f in detector.Detect(bgr))
            {
                output.WriteLine(Row(image.Name, f));
                faces++;
            }
        }
        return (dataset.Images.Count, faces);
    }

    /// <summary>One CSV row (names with commas or quotes are quoted).</summary>
    public static string Row(string image, ThermalFace f)
    {
        var name = image.Contains(',') || image.Contains('"') ? "\"" + image.Replace("\"", "\"\"") + "\"" : image;
        var sb = new StringBuilder(name);
        foreach (var v in new[] { f.X, f.Y, f.Width, f.Height })
            sb.Append(',').Append(v.ToString("0.#", CultureInfo.InvariantCulture));
        sb.Append(',').Append(f.Score.ToString("0.####", CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
