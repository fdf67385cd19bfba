using System.Buffers.Binary;
using Vigil.Imaging;

namespace Vigil.Imaging.Dicom;

/// <summary>
/// Turns native (uncompressed) pixel data into a <see cref="Radiograph"/>: unpacks BitsStored bits
/// at HighBit from 8- or 16-bit (or 32-bit) samples, sign-extends when PixelRepresentation is 1,
/// applies rescale slope/intercept, converts RGB to grey, and reads the patient tags. Only the
/// first frame of a multi-frame image is used.
/// </summary>
internal static class DicomPixelDecoder
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static Radiograph Decode(DicomDataset ds, long maxPixels, DecodeReduction? reduction = null)
    {
        var src = ds.Source;
        if (!ds.Contains(DicomTag.PixelData)) throw new DicomFormatException($"{src}: no Pixel Data (7FE0,0010): not an image");
        var rows = ds.GetUInt16(DicomTag.Rows) ?? throw new DicomFormatException($"{src}: Rows (0028,0010) is missing");
        var cols = ds.GetUInt16(DicomTag.Columns) ?? throw new DicomFormatException($"{src}: Columns (0028,0011) is missing");
        if (rows == 0 || cols == 0) throw new DicomFormatException($"{src}: image is empty ({cols}x{rows})");
        if ((long)rows * cols > maxPixels)
            throw new DicomFormatException($"{src}: image is {cols}x{rows} = {(long)rows * cols} pixels, over the limit of {maxPixels}");
        var bitsAllocated = ds.GetUInt16(DicomTag.BitsAllocated) ?? throw new DicomFormatException($"{src}: Bits Allocated (0028,0100) is missing");
        var bitsStored = ds.GetUInt16(DicomTag.BitsStored) ?? bitsAllocated;
        var highBit = ds.GetUInt16(DicomTag.HighBit) ?? (ushort)(bitsStored - 1);
        var signed = (ds.GetUInt16(DicomTag.PixelRepresentation) ?? 0) == 1;
        var samples = ds.GetUInt16(DicomTag.SamplesPerPixel) ?? 1;
        var planar = ds.GetUInt16(DicomTag.PlanarConfiguration) ?? 0;
        var photometricText = (ds.GetString(DicomTag.PhotometricInterpretation) ?? "MONOCHROME2").ToUpperInvariant();

        if (bitsAllocated is not (8 or 16 or 32))
            throw new DicomFormatException($"{src}: Bits Allocated {bitsAllocated} is not supported (8, 16 or 32)");
        if (bitsStored == 0 || bitsStored > bitsAllocated || highBit >= bitsAllocated || highBit + 1 < bitsStored)
            throw new DicomFormatException($"{src}: inconsistent bit layout (allocated {bitsAllocated}, stored {bitsStored}, high bit {highBit})");
        var photometric = photometricText switch
        {
            "MONOCHROME1" when samples == 1 => Photometric.Monochrome1,
            "MONOCHROME2" when samples == 1 => Photometric.Monochrome2,
            "RGB" when samples == 3 => Photometric.Monochrome2,
            _ => throw new DicomFormatException(
                $"{src}: Photometric Interpretation '{photometricText}' with {samples} sample(s) per pixel is not supported (MONOCHROME1, MONOCHROME2 or RGB)"),
        };

        var pixelCount = rows * cols;
        var bytesPerSample = bitsAllocated / 8;
        var needed = (long)pixelCount * samples * bytesPerSample;
        var pixelData = ds.GetBytes(DicomTag.PixelData);
        if (pixelData.Length < needed)
            throw new DicomFormatException($"{src}: pixel data is truncated: {cols}x{rows}x{samples} samples of {bitsAllocated} bits need {needed} bytes, found {pixelData.Length}");

        var slope = ds.GetNumber(DicomTag.RescaleSlope) ?? 1.0;
        var intercept = ds.GetNumber(DicomTag.RescaleIntercept) ?? 0.0;
        if (slope == 0) throw new DicomFormatException($"{src}: Rescale Slope (0028,1053) is 0");

        var shift = highBit + 1 - bitsStored;
        var mask = bitsStored == 32 ? uint.MaxValue : (1u << bitsStored) - 1;
        var signBit = 1u << (bitsStored - 1);
        var writer = new ShrinkingImageWriter(cols, rows, reduction?.Invoke(cols, rows) ?? 1);
        var row = new float[cols];
        var fs = (float)slope;
        var fi = (float)intercept;

        float Sample(ReadOnlySpan<byte> data, int index)
        {
            uint raw = bytesPerSample switch
            {
                1 => data[index],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(data[(index * 2)..]),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(data[(index * 4)..]),
            };
            var v = (raw >> shift) & mask;
            long value = signed && (v & signBit) != 0 ? (long)v - (1L << bitsStored) : v;
            return value;
        }

        // Row by row into the writer, which shrinks as rows arrive when asked to.
        for (var y = 0; y < rows; y++)
        {
            var first = y * cols;
            if (samples == 1 && bytesPerSample == 2 && shift == 0)
            {
                // The common 12/16-bit case, kept tight: it dominates decode time for large files.
                var bytes = pixelData.Slice(2 * first, 2 * cols);
                for (var x = 0; x < cols; x++)
                {
                    uint v = (uint)(bytes[2 * x] | bytes[2 * x + 1] << 8) & mask;
                    row[x] = (signed && (v & signBit) != 0 ? (int)v - (1 << bitsStored) : (int)v) * fs + fi;
                }
            }
            else if (samples == 1)
            {
                for (var x = 0; x < cols; x++) row[x] = Sample(pixelData, first + x) * fs + fi;
            }
            else
            {
                for (var x = 0; x < cols; x++)
                {
                    var i = first + x;
                    float r, g, b;
                    if (planar == 0) { r = Sample(pixelData, 3 * i); g = Sample(pixelData, 3 * i + 1); b = Sample(pixelData, 3 * i + 2); }
                    else { r = Sample(pixelData, i); g = Sample(pixelData, pixelCount + i); b = Sample(pixelData, 2 * pixelCount + i); }
                    row[x] = (0.299f * r + 0.587f * g + 0.114f * b) * fs + fi;
                }
            }
            writer.Add(row);
        }

        VoiWindow? window = null;
        if (ds.GetNumber(DicomTag.WindowCenter) is { } c && ds.GetNumber(DicomTag.WindowWidth) is { } w && w >= 1)
            window = new VoiWindow(c, w);

        return new Radiograph
        {
            Image = writer.Build(),
            Reduction = writer.Factor,
            Photometric = photometric,
            Window = window,
            BitsStored = bitsStored,
            Metadata = ReadMetadata(ds),
            Format = "DICOM " + ds.TransferSyntaxUid,
        };
    }

    public static ImageMetadata ReadMetadata(DicomDataset ds) => new()
    {
        Sex = ds.GetString(DicomTag.PatientSex)?.ToUpperInvariant() switch
        {
            "M" => PatientSex.Male,
            "F" => PatientSex.Female,
            _ => PatientSex.Unknown,
        },
        PatientAge = ds.GetString(DicomTag.PatientAge),
        BirthDate = AgeMonths.ParseDicomDate(ds.GetString(DicomTag.PatientBirthDate)),
        StudyDate = AgeMonths.ParseDicomDate(ds.GetString(DicomTag.StudyDate)),
        SopInstanceUid = ds.GetString(DicomTag.SopInstanceUid),
    };
}
