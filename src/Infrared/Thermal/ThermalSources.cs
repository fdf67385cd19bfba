using Akka;
using Akka.Streams.Dsl;
using Akka.Util;

namespace Vigil.Infrared.Thermal;

/// <summary>
/// Akka.Streams sources of <see cref="ThermalFrame"/>s from files. Each reads one frame per pull
/// (<c>Source.UnfoldResource</c> on Akka's blocking-IO dispatcher), so a slow consumer backpressures
/// the file: nothing is read ahead beyond the stage's buffer. Malformed input fails the stream with
/// one <see cref="InvalidDataException"/> line naming the file and the fault.
/// <list type="bullet">
/// <item>emits when: downstream pulls and the file holds another frame</item>
/// <item>backpressures when: downstream does not pull</item>
/// <item>completes when: the last frame was emitted</item>
/// <item>fails when: a file is missing or malformed</item>
/// </list>
/// </summary>
public static class ThermalSources
{
    /// <summary>Extensions of 16-bit radiometric image frames.</summary>
    public static IReadOnlyList<string> RadiometricExtensions { get; } = [".png", ".tif", ".tiff"];

    /// <summary>Extensions of 8-bit palette image frames.</summary>
    public static IReadOnlyList<string> PaletteExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff"];

    /// <summary>
    /// Raw Y16: headerless little-endian 16-bit counts, frame after frame, each <paramref name="width"/> ×
    /// <paramref name="height"/>; frame i is stamped i / <paramref name="fps"/> s.
    /// </summary>
    public static Source<ThermalFrame, NotUsed> RawY16(string path, int width, int height, double fps, ThermalCameraCard card) =>
        FromReader(() => new RawY16Reader(path, width, height, fps, card));

    /// <summary>A folder of 1-channel 16-bit PNG/TIFF frames in file-name order; frame i is stamped i / <paramref name="fps"/> s.</summary>
    public static Source<ThermalFrame, NotUsed> RadiometricFolder(string directory, double fps, ThermalCameraCard card) =>
        FromReader(() => new ImageFolderReader(directory, fps, card, null));

    /// <summary>A folder of 8-bit palette images in file-name order: relative temperatures through <paramref name="palette"/> and the card's palette span, not radiometric.</summary>
    public static Source<ThermalFrame, NotUsed> PaletteFolder(string directory, double fps, ThermalPalette palette, ThermalCameraCard card) =>
        FromReader(() => new ImageFolderReader(directory, fps, card, palette));

    /// <summary>A video file decoded by OpenCV (8-bit colour frames through <paramref name="palette"/>, not radiometric), stamped by the video's frame rate.</summary>
    public static Source<ThermalFrame, NotUsed> Video(string path, ThermalPalette palette, ThermalCameraCard card) =>
        FromReader(() => new VideoReader(path, palette, card));

    /// <summary>Frames already in memory (generated sequences, tests), one per pull.</summary>
    public static Source<ThermalFrame, NotUsed> FromFrames(IEnumerable<ThermalFrame> frames) => Source.From(frames);

    private static Source<ThermalFrame, NotUsed> FromReader(Func<IThermalFrameReader> open) =>
        Source.UnfoldResource<ThermalFrame, IThermalFrameReader>(
            open,
            reader => reader.Next() is { } frame ? Option<ThermalFrame>.Create(frame) : Option<ThermalFrame>.None,
            reader => reader.Dispose());

    internal static void CheckFps(double fps, string origin)
    {
        if (!double.IsFinite(fps) || fps <= 0) throw new ArgumentException($"{origin}: frame rate must be a positive number of frames per second, not {fps}");
    }
}
