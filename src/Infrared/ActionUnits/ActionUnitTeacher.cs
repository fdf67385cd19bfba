using OpenCvSharp;
using Vigil.Models.Cards;
using Vigil.Models.Catalog;
using Vigil.Models.Tensors;

namespace Vigil.Infrared.ActionUnits;

/// <summary>
/// The RGB action-unit teacher: MediaPipe's face landmarker (detector, 478 landmarks, 52 blendshapes,
/// run through OpenCV DNN by the model catalog) followed by the blendshape → FACS table of
/// <see cref="AuMapping"/>. One face per image (the most confident); no face, no reading.
/// Not FACS coding: a demonstration teacher, NOT FOR CLINICAL USE.
/// </summary>
public sealed class ActionUnitTeacher : IDisposable
{
    private readonly ModelCatalog _catalog;
    private readonly ModelLease _lease;

    private ActionUnitTeacher(ModelCatalog catalog, ModelLease lease, AuMapping mapping)
    {
        _catalog = catalog;
        _lease = lease;
        Mapping = mapping;
    }

    /// <summary>The blendshape → AU table.</summary>
    public AuMapping Mapping { get; }

    /// <summary>The landmarker card (id, version, sha256) every reading comes from.</summary>
    public ModelCard Landmarker => _lease.Card;

    /// <summary>Loads the landmarker card (<c>models/face/mediapipe-face-landmarker.card.json</c>) and the mapping file.</summary>
    /// <param name="landmarkerCard">Path of the landmarker card.</param>
    /// <param name="mappingPath">Path of the mapping JSON.</param>
    /// <param name="sharedFolder">What <c>${VIGIL_SHARED}</c> in the card stands for.</param>
    public static ActionUnitTeacher Open(string landmarkerCard, string mappingPath, string sharedFolder)
    {
        var catalog = new ModelCatalog(new ModelCatalogOptions { PathVariables = new Dictionary<string, string> { ["VIGIL_SHARED"] = sharedFolder } });
        try
        {
            var loaded = catalog.Load(landmarkerCard);
            var mapping = AuMapping.Load(mappingPath, loaded.Card.Labels);
            return new ActionUnitTeacher(catalog, catalog.Acquire(loaded.Card.Id), mapping);
        }
        catch
        {
            catalog.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the face in a BGR image (OpenCV's order). <paramref name="pad"/> adds a black border of that
    /// fraction of the image's size on every side first, for tight face crops where the detector needs
    /// context; the box is returned in the original image's pixels.
    /// </summary>
    /// <returns>The reading, or null when no face was found and confirmed.</returns>
    public AuReading? Read(Mat bgr, double pad = 0)
    {
        ArgumentNullException.ThrowIfNull(bgr);
        if (bgr.Empty() || bgr.Type() != MatType.CV_8UC3) throw new ArgumentException($"expects an 8-bit 3-channel BGR image, got {bgr.Type()} {bgr.Width}x{bgr.Height}.", nameof(bgr));
        int px = (int)Math.Round(bgr.Width * pad), py = (int)Math.Round(bgr.Height * pad);
        using var padded = new Mat();
        Cv2.CopyMakeBorder(bgr, padded, py, py, px, px, BorderTypes.Constant, Scalar.All(0));
        using var rgb = new Mat();
        Cv2.CvtColor(padded, rgb, ColorConversionCodes.BGR2RGB);
        var pixels = new byte[rgb.Rows * rgb.Cols * 3];
        System.Runtime.InteropServices.Marshal.Copy(rgb.Data, pixels, 0, pixels.Length);
        using var input = DenseTensor<byte>.Wrap(pixels, 1, rgb.Rows, rgb.Cols, 3);
        using var result = _lease.Session.Run("image", input);
        var box = result.Get<float>("face_box");
        if (box.Shape[0] == 0) return null;
        var blend = result.Get<float>("blendshapes").ToArray();
        return new AuReading(box[0] - px, box[1] - py, box[2] - px, box[3] - py,
            result.Get<float>("face_score")[0], result.Get<float>("face_presence")[0], Mapping.Apply(blend), blend);
    }

    /// <summary>Reads the face in the image file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file cannot be decoded.</exception>
    public AuReading? Read(string path, double pad = 0)
    {
        using var bgr = Cv2.ImRead(path, ImreadModes.Color);
        if (bgr.Empty()) throw new InvalidDataException($"{path}: not an image OpenCV can decode.");
        return Read(bgr, pad);
    }

    /// <summary>Releases the landmarker.</summary>
    public void Dispose()
    {
        _lease.Dispose();
        _catalog.Dispose();
    }
}
