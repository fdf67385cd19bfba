namespace Vigil.Infrared.Faces;

/// <summary>One image of a chips-format folder with its labelled faces (empty when it has no label file).</summary>
/// <param name="Name">File name without folder.</param>
/// <param name="Path">Full path of the image.</param>
/// <param name="Faces">Labelled faces in pixels (score 1); empty when unlabelled or labelled with none.</param>
/// <param name="Labelled">True when a label file exists for the image.</param>
public sealed record ChipsImage(string Name, string Path, IReadOnlyList<ThermalFace> Faces, bool Labelled)
{
    /// <summary>The split part of this image (<see cref="ChipsSplit"/>).</summary>
    public ChipsPart Part => ChipsSplit.PartOf(Name);
}
