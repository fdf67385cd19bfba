namespace Vigil.Imaging;

/// <summary>An image file (PNG, JPEG) that cannot be decoded; the message names the file and the problem.</summary>
public sealed class ImageFormatException : Exception
{
    /// <summary>Creates the exception with a message that names the file and the problem.</summary>
    public ImageFormatException(string message) : base(message) { }

    /// <summary>Creates the exception wrapping the underlying cause.</summary>
    public ImageFormatException(string message, Exception inner) : base(message, inner) { }
}
