using System.Buffers.Binary;
using Vigil.Imaging.Dicom;
using Vigil.Imaging;

namespace Vigil.Imaging.Tests.Dicom;

public sealed class DicomReaderTests
{
    private const int Cols = 5, Rows = 3;

    private static DicomTestWriter Patient(DicomTestWriter w, string sex = "F", string age = "010Y")
    {
        w.String(DicomTag.SopInstanceUid, "UI", "1.2.826.0.1.3680043.2.1125.42");
        w.String(DicomTag.StudyDate, "DA", "20240315");
        w.String(DicomTag.PatientBirthDate, "DA", "20140115");
        w.String(DicomTag.PatientSex, "CS", sex);
        w.String(DicomTag.PatientAge, "AS", age);
        return w;
    }

    private static byte[] Ramp16(Func<int, int> f) => DicomTestWriter.U16(Enumerable.Range(0, Cols * Rows).Select(f));

    [Theory]
    [InlineData(TransferSyntax.ExplicitVrLittleEndian)]
    [InlineData(TransferSyntax.ImplicitVrLittleEndian)]
    [InlineData(TransferSyntax.DeflatedExplicitVrLittleEndian)]
    public void Read_Unsigned16BitWithRescale_ReturnsModalityValuesAndTags(string ts)
    {
        var w = Patient(new DicomTestWriter(ts))
            .Image(Cols, Rows, 16, 16, 15, signed: false, "MONOCHROME2", [])
            .String(DicomTag.WindowCenter, "DS", "2000\\1000")
            .String(DicomTag.WindowWidth, "DS", "4000\\500")
            .String(DicomTag.RescaleIntercept, "DS", "-1024")
            .String(DicomTag.RescaleSlope, "DS", "0.5")
            .PixelData(Ramp16(i => i * 4000));

        var r = DicomReader.Read(w.Build(), "x.dcm");

        Assert.Equal(Cols, r.Image.Width);
        Assert.Equal(Rows, r.Image.Height);
        for (var i = 0; i < Cols * Rows; i++) Assert.Equal(i * 4000 * 0.5f - 1024, r.Image.Pixels[i]);
        Assert.Equal(new VoiWindow(2000, 4000), r.Window);
        Assert.Equal(Photometric.Monochrome2, r.Photometric);
        Assert.Equal(PatientSex.Female, r.Metadata.Sex);
        Assert.Equal("010Y", r.Metadata.PatientAge);
        Assert.Equal(new DateOnly(2014, 1, 15), r.Metadata.BirthDate);
        Assert.Equal(new DateOnly(2024, 3, 15), r.Metadata.StudyDate);
        Assert.Equal("1.2.826.0.1.3680043.2.1125.42", r.Metadata.SopInstanceUid);
        // Birth and study dates win over Patient's Age: exactly 10 years 2 months.
        Assert.Equal(122.0, r.Metadata.ChronologicalAgeMonths!.Value, 9);
        Assert.Equal("DICOM " + ts, r.Format);
    }

    [Fact]
    public void Read_WithReduction_EqualsFullReadThenShrink()
    {
        // 11x7 signed 16-bit with a fractional rescale; factor 2 drops the odd last row and column.
        var rng = new Random(3);
        var values = Enumerable.Range(0, 11 * 7).Select(_ => rng.Next(-2000, 3000)).ToArray();
        byte[] File() => new DicomTestWriter().Image(11, 7, 16, 16, 15, signed: true, "MONOCHROME1", [])
            .String(DicomTag.RescaleSlope, "DS", "0.25")
            .String(DicomTag.RescaleIntercept, "DS", "-7.5")
            .PixelData(DicomTestWriter.U16(values.Select(v => (int)(ushort)(short)v))).Build();
        var full = DicomReader.Read(File(), "f.dcm");
        var reduced = DicomReader.Read(File(), "r.dcm", reduction: (w, h) => w == 11 && h == 7 ? 2 : 1);
        Assert.Equal(2, reduced.Reduction);
        Assert.Equal((5, 3), (reduced.Image.Width, reduced.Image.Height));
        Assert.Equal(full.Image.ShrinkBy(2).Pixels, reduced.Image.Pixels);
        Assert.Equal(Photometric.Monochrome1, reduced.Photometric);
        // The mean of the top-left block, by hand.
        var block = new[] { values[0], values[1], values[11], values[12] }.Select(v => v * 0.25f - 7.5f).Average();
        Assert.Equal(block, reduced.Image.Pixels[0], 3);
    }

    [Fact]
    public void Read_Signed16Bit_SignExtendsValues()
    {
        var values = new[] { -32768, -1000, -1, 0, 1, 1000, 32767, -2, 2, -3, 3, -4, 4, -5, 5 };
        var w = new DicomTestWriter().Image(Cols, Rows, 16, 16, 15, signed: true, "MONOCHROME2", [])
            .PixelData(DicomTestWriter.U16(values.Select(v => (int)(ushort)(short)v)));
        var r = DicomReader.Read(w.Build(), "s.dcm");
        Assert.Equal(values.Select(v => (float)v), r.Image.Pixels);
    }

    [Fact]
    public void Read_12BitStoredWithGarbageAboveHighBit_MasksToStoredBits()
    {
        // Bits 12..15 carry overlay garbage that must not leak into the pixel values.
        var w = new DicomTestWriter().Image(Cols, Rows, 16, 12, 11, signed: false, "MONOCHROME2", [])
            .PixelData(Ramp16(i => 0xF000 | (i * 273)));
        var r = DicomReader.Read(w.Build(), "12.dcm");
        Assert.Equal(Enumerable.Range(0, Cols * Rows).Select(i => (float)(i * 273 & 0xFFF)), r.Image.Pixels);
        Assert.Equal(12, r.BitsStored);
    }

    [Fact]
    public void Read_12BitSignedAtHighBit15_ShiftsAndSignExtends()
    {
        // Stored bits 4..15 (high bit 15): value v is stored as v << 4.
        var values = new[] { -2048, -1, 0, 1, 2047, 5, -5, 100, -100, 7, 8, 9, 10, 11, 12 };
        var w = new DicomTestWriter().Image(Cols, Rows, 16, 12, 15, signed: true, "MONOCHROME2", [])
            .PixelData(DicomTestWriter.U16(values.Select(v => ((v & 0xFFF) << 4) | 0x5)));
        var r = DicomReader.Read(w.Build(), "12s.dcm");
        Assert.Equal(values.Select(v => (float)v), r.Image.Pixels);
    }

    [Fact]
    public void Read_8BitMonochrome1_ReturnsValuesAndInvertedPhotometric()
    {
        var pixels = Enumerable.Range(0, Cols * Rows).Select(i => (byte)(i * 17)).ToArray();
        var w = new DicomTestWriter().Image(Cols, Rows, 8, 8, 7, signed: false, "MONOCHROME1", []).PixelData(pixels, "OB");
        var r = DicomReader.Read(w.Build(), "8.dcm");
        Assert.Equal(pixels.Select(p => (float)p), r.Image.Pixels);
        Assert.Equal(Photometric.Monochrome1, r.Photometric);
    }

    [Theory]
    [InlineData(true, false, false)]
    [InlineData(true, true, false)]
    [InlineData(true, true, true)]
    [InlineData(false, false, false)]
    [InlineData(false, true, true)]
    public void Read_SequencesOfDefinedAndUndefinedLength_AreSkipped(bool explicitVr, bool undefinedSeq, bool undefinedItems)
    {
        var ts = explicitVr ? TransferSyntax.ExplicitVrLittleEndian : TransferSyntax.ImplicitVrLittleEndian;
        // A nested sequence inside an item; its content holds tags the reader must not mistake
        // for top-level ones (a Patient's Sex of "M" inside the sequence, say).
        var inner = DicomTestWriter.Sequence(new DicomTag(0x0040, 0xA730), explicitVr, undefinedSeq, undefinedItems,
            DicomTestWriter.Element(DicomTag.PatientSex, "CS", "M", explicitVr));
        var item = DicomTestWriter.Element(new DicomTag(0x0008, 0x1150), "UI", "1.2.3", explicitVr).Concat(inner).ToArray();
        var seq = DicomTestWriter.Sequence(new DicomTag(0x0008, 0x1140), explicitVr, undefinedSeq, undefinedItems, item, item);
        var w = new DicomTestWriter(ts).String(DicomTag.SopInstanceUid, "UI", "9.8.7").Raw(seq)
            .String(DicomTag.PatientSex, "CS", "F")
            .Image(Cols, Rows, 16, 16, 15, false, "MONOCHROME2", []).PixelData(Ramp16(i => i));
        var r = DicomReader.Read(w.Build(), "sq.dcm");
        Assert.Equal(PatientSex.Female, r.Metadata.Sex);
        Assert.Equal("9.8.7", r.Metadata.SopInstanceUid);
        Assert.Equal(14f, r.Image.Pixels[^1]);
    }

    [Fact]
    public void Read_ExplicitBigEndian_RefusedNamingTheSyntax()
    {
        var w = new DicomTestWriter(TransferSyntax.ExplicitVrBigEndian).Image(Cols, Rows, 16, 16, 15, false, "MONOCHROME2", []).PixelData(Ramp16(i => i));
        var e = Assert.Throws<DicomFormatException>(() => DicomReader.Read(w.Build(), "be.dcm"));
        Assert.Contains("be.dcm", e.Message);
        Assert.Contains("big endian", e.Message);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.201", "not supported")]
    [InlineData("1.2.840.10008.1.2.4.100", "not supported")]
    public void Read_UnsupportedTransferSyntax_Refused(string ts, string expected)
    {
        var w = new DicomTestWriter(ts).Image(Cols, Rows, 16, 16, 15, false, "MONOCHROME2", []).PixelData(Ramp16(i => i));
        var e = Assert.Throws<DicomFormatException>(() => DicomReader.Read(w.Build(), "u.dcm"));
        Assert.Contains(ts, e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Read_NoDicmMarker_RefusedAsNotPart10()
    {
        var bytes = new DicomTestWriter().Image(Cols, Rows, 16, 16, 15, false, "MONOCHROME2", []).PixelData(Ramp16(i => i)).Build();
        bytes[128] = (byte)'X';
        var e = Assert.Throws<DicomFormatException>(() => DicomReader.Read(bytes, "np.dcm"));
        Assert.Contains("DICM", e.Message);
    }

    [Theory]
    [InlineData(TransferSyntax.ExplicitVrLittleEndian)]
    [InlineData(TransferSyntax.ImplicitVrLittleEndian)]
    public void Read_TruncatedAtEveryLength_ThrowsDicomFormatExceptionOnly(string ts)
    {
        var seq = DicomTestWriter.Sequence(new DicomTag(0x0008, 0x1140), ts == TransferSyntax.ExplicitVrLittleEndian, true, true,
            DicomTestWriter.Element(new DicomTag(0x0008, 0x1150), "UI", "1.2.3", ts == TransferSyntax.ExplicitVrLittleEndian));
        var full = Patient(new DicomTestWriter(ts)).Raw(seq).Image(Cols, Rows, 16, 16, 15, false, "MONOCHROME2", [])
            .PixelData(Ramp16(i => i)).Build();
        for (var len = 0; len < full.Length; len++)
        {
            var cut = full[..len];
            var e = Assert.Throws<DicomFormatException>(() => DicomReader.Read(cut, "t.dcm"));
            Assert.StartsWith("t.dcm: ", e.Message);
        }
    }

    [Fact]
    public void Read_TruncatedPixelData_SaysHowManyBytesAreMissing()
    {
        var w = new DicomTestWriter().Image(Cols, Rows, 16, 16, 15, false, "MONOCHROME2", []).PixelData(Ramp16(i => i)[..20]);
        var e = Assert.Throws<DicomFormatException>(() => DicomReader.Read(w.Build(), "p.dcm"));
        Assert.Contains("pixel data is truncated", e.Message);
        Assert.Contains("need 30 bytes, found 20", e.Message);
    }

    [Fact]
    public void Read_RandomCorruption_NeverThrowsAnythingButDicomFormatException()
    {
        var full = Patient(new DicomTestWriter()).Image(Cols, Rows, 16, 16, 15, false, "MONOCHROME2", [])
            .PixelData(Ramp16(i => i)).Build();
        var rng = new Random(1234);
        var failures = 0;
        for (var trial = 0; trial < 2000; trial++)
        {
            var bytes = (byte[])full.Clone();
            for (var k = 0; k < 3; k++) bytes[132 + rng.Next(bytes.Length - 132)] = (byte)rng.Next(256);
            try { DicomReader.Read(bytes, "c.dcm", maxPixels: 1 << 20); }
            catch (DicomFormatException) { failures++; }
        }
        Assert.InRange(failures, 1, 2000);
    }

    [Fact]
    public void Read_OverPixelLimit_RefusedBeforeDecoding()
    {
        var w = new DicomTestWriter().Image(Cols, Rows, 16, 16, 15, false, "MONOCHROME2", []).PixelData(Ramp16(i => i));
        var e = Assert.Throws<DicomFormatException>(() => DicomReader.Read(w.Build(), "big.dcm", maxPixels: 10));
        Assert.Contains("over the limit of 10", e.Message);
    }

    [Fact]
    public void Read_MissingRows_Refused()
    {
        var w = new DicomTestWriter().UShort(DicomTag.Columns, 5).UShort(DicomTag.BitsAllocated, 16).PixelData(Ramp16(i => i));
        var e = Assert.Throws<DicomFormatException>(() => DicomReader.Read(w.Build(), "nr.dcm"));
        Assert.Contains("Rows (0028,0010) is missing", e.Message);
    }

    [Fact]
    public void Read_Jpeg2000_RefusedWithClearReason()
    {
        var frag = new MemoryStream();
        DicomTestWriter.WriteExplicit(frag, DicomTag.PixelData, "OB", [], undefinedLength: true);
        frag.Write(DicomTestWriter.ItemHeader(DicomTag.Item, 0));
        frag.Write(DicomTestWriter.ItemHeader(DicomTag.Item, 4));
        frag.Write(new byte[4]);
        frag.Write(DicomTestWriter.ItemHeader(DicomTag.SequenceDelimitation, 0));
        var w = new DicomTestWriter("1.2.840.10008.1.2.4.90").Image(Cols, Rows, 16, 16, 15, false, "MONOCHROME2", []).Raw(frag.ToArray());
        var e = Assert.Throws<DicomFormatException>(() => DicomReader.Read(w.Build(), "j2k.dcm"));
        Assert.Contains("JPEG 2000", e.Message);
    }

    [Theory]
    [InlineData("010Y", 120.0)]
    [InlineData("006M", 6.0)]
    [InlineData("052W", 52 * 7 / AgeMonths.DaysPerMonth)]
    [InlineData("030D", 30 / AgeMonths.DaysPerMonth)]
    public void FromDicomAgeString_ValidValues_ReturnsMonths(string s, double months) =>
        Assert.Equal(months, AgeMonths.FromDicomAgeString(s)!.Value, 9);

    [Theory]
    [InlineData("10Y")]
    [InlineData("010X")]
    [InlineData("")]
    public void FromDicomAgeString_Malformed_ReturnsNull(string s) => Assert.Null(AgeMonths.FromDicomAgeString(s));

    [Fact]
    public void ChronologicalAge_OnlyPatientAge_UsesAgeString()
    {
        var w = new DicomTestWriter().String(DicomTag.PatientSex, "CS", "M").String(DicomTag.PatientAge, "AS", "006M")
            .Image(Cols, Rows, 16, 16, 15, false, "MONOCHROME2", []).PixelData(Ramp16(i => i));
        var r = DicomReader.Read(w.Build(), "a.dcm");
        Assert.Equal(PatientSex.Male, r.Metadata.Sex);
        Assert.Equal(6.0, r.Metadata.ChronologicalAgeMonths);
    }
}
