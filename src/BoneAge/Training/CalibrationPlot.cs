using System.Globalization;
using OpenCvSharp;

namespace Vigil.BoneAge.Training;

/// <summary>Writes the calibration plot (estimate against reported bone age, identity line, ±12 months band) as a PNG.</summary>
public static class CalibrationPlot
{
    /// <summary>Draws the predictions that have a reported age and were not withheld into <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<BoneAgePrediction> predictions, string title)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        const int size = 640, margin = 60;
        const double max = 240;
        using var img = new Mat(size, size, MatType.CV_8UC3, Scalar.White);
        Point At(double reported, double estimate) => new(
            margin + (int)(Math.Clamp(reported, 0, max) / max * (size - 2 * margin)),
            size - margin - (int)(Math.Clamp(estimate, 0, max) / max * (size - 2 * margin)));
        Cv2.FillConvexPoly(img, [At(0, 12), At(0, 0), At(12, 0), At(max, max - 12), At(max, max), At(max - 12, max)], new Scalar(235, 235, 235));
        Cv2.Rectangle(img, At(0, max), At(max, 0), Scalar.Black);
        for (var m = 0; m <= max; m += 24)
        {
            var label = (m / 12).ToString(CultureInfo.InvariantCulture);
            Cv2.Line(img, At(m, 0), At(m, 0) + new Point(0, 5), Scalar.Black);
            Cv2.PutText(img, label, At(m, 0) + new Point(-6, 22), HersheyFonts.HersheySimplex, 0.45, Scalar.Black);
            Cv2.Line(img, At(0, m), At(0, m) - new Point(5, 0), Scalar.Black);
            Cv2.PutText(img, label, At(0, m) + new Point(-30, 5), HersheyFonts.HersheySimplex, 0.45, Scalar.Black);
        }
        Cv2.Line(img, At(0, 0), At(max, max), new Scalar(120, 120, 120), 1, LineTypes.AntiAlias);
        foreach (var p in predictions.Where(p => p.Withheld is null && !double.IsNaN(p.Reported)))
            Cv2.Circle(img, At(p.Reported, p.Months), 3, p.Male ? new Scalar(200, 90, 20) : new Scalar(40, 40, 220), -1, LineTypes.AntiAlias);
        Cv2.PutText(img, title, new Point(margin, 30), HersheyFonts.HersheySimplex, 0.5, Scalar.Black);
        Cv2.PutText(img, "reported bone age (years); blue male, red female; grey band +/-12 months", new Point(margin, size - 15), HersheyFonts.HersheySimplex, 0.42, Scalar.Black);
        Cv2.PutText(img, "estimate (years)", new Point(5, margin - 10), HersheyFonts.HersheySimplex, 0.42, Scalar.Black);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (!Cv2.ImWrite(path, img)) throw new IOException($"{path}: could not write the calibration plot.");
    }
}
