using System.Globalization;
using OpenCvSharp;

namespace Vigil.Infrared.Faces;

/// <summary>
/// Reads a chips-format folder: <c>images/*.jpeg|jpg|png</c> and optional <c>labels/NAME.txt</c> in
/// YOLO format (<c>class cx cy w h</c>, normalised to the image size, one face per line). Some
/// source lines glue the class to the x centre (<c>00.1625 0.279 0.05 0.09</c>): four fields
/// whose first starts with the class digit are read as class 0 and cx 0.1625.
/// </summary>
public sealed class ChipsDataset
{
    private static readonly string[] Extensions = [".jpeg", ".jpg", ".png", ".bmp"];

    private ChipsDataset(string directory, IReadOnlyList<ChipsImage> images)
    {
        Directory = directory;
        Images = images;
    }

    /// <summary>The folder read.</summary>
    public string Directory { get; }

    /// <summary>All images, ordered by name (ordinal).</summary>
    public IReadOnlyList<ChipsImage> Images { get; }

    /// <summary>The images of one part of the split.</summary>
    public IReadOnlyList<ChipsImage> Part(ChipsPart part) => Images.Where(i => i.Part == part).ToList();

    /// <summary>Reads <paramref name="directory"/> (the folder holding <c>images/</c>, or the images folder itself).</summary>
    /// <exception cref="InvalidDataException">No images, or a label line that cannot be read (the message names file and line).</exception>
    public static ChipsDataset Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!System.IO.Directory.Exists(directory)) throw new InvalidDataException($"{directory}: no such folder.");
        var imageDir = System.IO.Directory.Exists(Path.Combine(directory, "images")) ? Path.Combine(directory, "images") : directory;
        var labelDir = Path.Combine(directory, "labels");
        var images = new List<ChipsImage>();
        foreach (var path in System.IO.Directory.EnumerateFiles(imageDir).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var label = Path.Combine(labelDir, Path.GetFileNameWithoutExtension(path) + ".txt");
            if (!File.Exists(label))
            {
                images.Add(new ChipsImage(name, path, [], false));
                continue;
            }
            var (width, height) = ImageSize(path);
            images.Add(new ChipsImage(name, path, ReadLabels(label, width, height), true));
        }
        if (images.Count == 0) throw new InvalidDataException($"{imageDir}: no .jpeg/.jpg/.png/.bmp images.");
        return new ChipsDataset(Path.GetFullPath(directory), images);
    }

    /// <summary>Parses one YOLO label file into pixel boxes for an image of the given size.</summary>
    /// <exception cref="InvalidDataException">A line is not a face box (the message names file and line).</exception>
    public static List<ThermalFace> ReadLabels(string path, int width, int height)
    {
        var faces = new List<ThermalFace>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var fields = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            if (fields.Length == 4 && fields[0].Length > 2 && fields[0][0] is >= '0' and <= '9' && fields[0][1] == '0' && fields[0][2] == '.')
                fields = [fields[0][..1], fields[0][1..], fields[1], fields[2], fields[3]];
            if (fields.Length != 5)
                throw new InvalidDataException($"{path}:{lineNumber}: '{raw}' is not 'class cx cy w h'.");
            var v = new float[4];
            for (var k = 0; k < 4; k++)
                if (!float.TryParse(fields[k + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out v[k]) || !float.IsFinite(v[k]) || v[k] < 0 || v[k] > 1.5f)
                    throw new InvalidDataException($"{path}:{lineNumber}: '{fields[k + 1]}' is not a normalised coordinate.");
            faces.Add(new ThermalFace((v[0] - v[2] / 2) * width, (v[1] - v[3] / 2) * height, v[2] * width, v[3] * height, 1));
        }
        return faces;
    }

    /// <summary>Reads an image as 8-bit BGR.</summary>
    /// <exception cref="InvalidDataException">The file cannot be decoded.</exception>
    public static Mat ReadImage(string path)
    {
        var image = Cv2.ImRead(path, ImreadModes.Color);
        if (image.Empty())
        {
            image.Dispose();
            throw new InvalidDataException($"{path}: not a readable image.");
        }
        return image;
    }

    private static (int Width, int Height) ImageSize(string path)
    {
        using var image = ReadImage(path);
        return (image.Width, image.Height);
    }
}
