namespace Vigil.Imaging;

/// <summary>
/// Chooses, from an image's stored size, the integer factor a decoder may box-shrink it by while
/// decoding (1 for none). Preprocessing passes its own choice so a large radiograph is never held
/// at full size (bone age passes <c>Preprocessor.ReductionFor</c>).
/// </summary>
/// <param name="width">Stored width in pixels.</param>
/// <param name="height">Stored height in pixels.</param>
public delegate int DecodeReduction(int width, int height);
