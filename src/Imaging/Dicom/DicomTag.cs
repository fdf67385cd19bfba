namespace Vigil.Imaging.Dicom;

/// <summary>A DICOM attribute tag (group, element), packed as <c>group &lt;&lt; 16 | element</c>.</summary>
/// <param name="Value">The packed tag.</param>
public readonly record struct DicomTag(uint Value)
{
    /// <summary>Creates a tag from its group and element numbers.</summary>
    public DicomTag(ushort group, ushort element) : this(((uint)group << 16) | element) { }

    /// <summary>The group number.</summary>
    public ushort Group => (ushort)(Value >> 16);

    /// <summary>The element number.</summary>
    public ushort Element => (ushort)Value;

    /// <summary>(0002,0010) Transfer Syntax UID.</summary>
    public static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);
    /// <summary>(0008,0018) SOP Instance UID.</summary>
    public static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);
    /// <summary>(0008,0020) Study Date.</summary>
    public static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    /// <summary>(0010,0030) Patient's Birth Date.</summary>
    public static readonly DicomTag PatientBirthDate = new(0x0010, 0x0030);
    /// <summary>(0010,0040) Patient's Sex.</summary>
    public static readonly DicomTag PatientSex = new(0x0010, 0x0040);
    /// <summary>(0010,1010) Patient's Age.</summary>
    public static readonly DicomTag PatientAge = new(0x0010, 0x1010);
    /// <summary>(0028,0002) Samples per Pixel.</summary>
    public static readonly DicomTag SamplesPerPixel = new(0x0028, 0x0002);
    /// <summary>(0028,0004) Photometric Interpretation.</summary>
    public static readonly DicomTag PhotometricInterpretation = new(0x0028, 0x0004);
    /// <summary>(0028,0006) Planar Configuration.</summary>
    public static readonly DicomTag PlanarConfiguration = new(0x0028, 0x0006);
    /// <summary>(0028,0008) Number of Frames.</summary>
    public static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);
    /// <summary>(0028,0010) Rows.</summary>
    public static readonly DicomTag Rows = new(0x0028, 0x0010);
    /// <summary>(0028,0011) Columns.</summary>
    public static readonly DicomTag Columns = new(0x0028, 0x0011);
    /// <summary>(0028,0100) Bits Allocated.</summary>
    public static readonly DicomTag BitsAllocated = new(0x0028, 0x0100);
    /// <summary>(0028,0101) Bits Stored.</summary>
    public static readonly DicomTag BitsStored = new(0x0028, 0x0101);
    /// <summary>(0028,0102) High Bit.</summary>
    public static readonly DicomTag HighBit = new(0x0028, 0x0102);
    /// <summary>(0028,0103) Pixel Representation (0 unsigned, 1 two's complement).</summary>
    public static readonly DicomTag PixelRepresentation = new(0x0028, 0x0103);
    /// <summary>(0028,1050) Window Center.</summary>
    public static readonly DicomTag WindowCenter = new(0x0028, 0x1050);
    /// <summary>(0028,1051) Window Width.</summary>
    public static readonly DicomTag WindowWidth = new(0x0028, 0x1051);
    /// <summary>(0028,1052) Rescale Intercept.</summary>
    public static readonly DicomTag RescaleIntercept = new(0x0028, 0x1052);
    /// <summary>(0028,1053) Rescale Slope.</summary>
    public static readonly DicomTag RescaleSlope = new(0x0028, 0x1053);
    /// <summary>(7FE0,0010) Pixel Data.</summary>
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);
    /// <summary>(FFFE,E000) Item.</summary>
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    /// <summary>(FFFE,E00D) Item Delimitation Item.</summary>
    public static readonly DicomTag ItemDelimitation = new(0xFFFE, 0xE00D);
    /// <summary>(FFFE,E0DD) Sequence Delimitation Item.</summary>
    public static readonly DicomTag SequenceDelimitation = new(0xFFFE, 0xE0DD);

    /// <inheritdoc />
    public override string ToString() => $"({Group:X4},{Element:X4})";
}
