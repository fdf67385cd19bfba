using System.Runtime.InteropServices;
using OpenCvSharp;

namespace Vigil.Infrared.Faces;

/// <summary>8-bit BGR images to float NCHW/NHWC arrays, with per-channel (pixel·scale − mean) / std.</summary>
internal static class ImageTensors
{
    /// <summary>NCHW floats of <paramref name="bgr"/> (already at the network's size), channels RGB when <paramref name="rgb"/>.</summary>
    public static float[] Nchw(Mat bgr, bool rgb, float scale, float mean, float std)
    {
        int h = bgr.Height, w = bgr.Width, plane = h * w;
        var data = new float[3 * plane];
        var px = Bytes(bgr);
        for (var i = 0; i < plane; i++)
        {
            byte b = px[3 * i], g = px[3 * i + 1], r = px[3 * i + 2];
            data[i] = ((rgb ? r : b) * scale - mean) / std;
            data[plane + i] = (g * scale - mean) / std;
            data[2 * plane + i] = ((rgb ? b : r) * scale - mean) / std;
        }
        return data;
    }

    /// <summary>NHWC RGB floats of <paramref name="bgr"/>.</summary>
    public static float[] NhwcRgb(Mat bgr, float scale, float mean, float std)
    {
        int h = bgr.Height, w = bgr.Width;
        var data = new float[3 * h * w];
        var px = Bytes(bgr);
        for (var i = 0; i < data.Length; i += 3)
        {
            data[i] = (px[i + 2] * scale - mean) / std;
            data[i + 1] = (px[i + 1] * scale - mean) / std;
            data[i + 2] = (px[i] * scale - mean) / std;
        }
        return data;
    }

    /// <summary>The pixels of an 8-bit image, row by row without padding.</summary>
    public static byte[] Bytes(Mat image)
    {
        var bytes = new byte[checked((int)(image.Total() * image.ElemSize()))];
        using var continuous = image.IsContinuous() ? null : image.Clone();
        Marshal.Copy((continuous ?? image).Data, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>Throws a one-line <see cref="ArgumentException"/> unless <paramref name="image"/> is a non-empty 8-bit 3-channel image.</summary>
    public static void RequireBgr(Mat image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Empty() || image.Type() != MatType.CV_8UC3)
            throw new ArgumentException($"the image is {(image.Empty() ? "empty" : image.Type().ToString())}; an 8-bit 3-channel (BGR) image is needed.", nameof(image));
    }
}
