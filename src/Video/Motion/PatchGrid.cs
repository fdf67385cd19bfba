namespace Vigil.Video.Motion;

/// <summary>
/// Where the image patches lie among a transformer's tokens: <see cref="Offset"/> tokens before
/// them (a class token, VitTrack's 64 template tokens), then a row-major <see cref="Rows"/>×<see cref="Columns"/> grid.
/// </summary>
/// <param name="Tokens">All tokens of the attention map.</param>
/// <param name="Offset">Index of the first patch token.</param>
/// <param name="Rows">Patch rows.</param>
/// <param name="Columns">Patch columns.</param>
public sealed record PatchGrid(int Tokens, int Offset, int Rows, int Columns)
{
    /// <summary>Number of patch tokens.</summary>
    public int Patches => Rows * Columns;

    /// <summary>Checks that the grid fits the tokens.</summary>
    public PatchGrid Validate()
    {
        if (Rows < 1 || Columns < 1 || Offset < 0 || Offset + Patches > Tokens)
            throw new ArgumentException($"patch grid {Rows}x{Columns} at token {Offset} does not fit {Tokens} tokens");
        return this;
    }

    /// <summary>VitTrack (OpenCV zoo, 2023sep): 64 template tokens, then the 16×16 search grid; 320 tokens.</summary>
    public static PatchGrid VitTrack { get; } = new(320, 64, 16, 16);

    /// <summary>
    /// The patch-grid slice of a per-token vector (e.g. AM flow) into <paramref name="map"/>
    /// (<see cref="Patches"/> values, row-major).
    /// </summary>
    public void Slice(ReadOnlySpan<float> perToken, Span<float> map) => perToken.Slice(Offset, Patches).CopyTo(map);

    /// <summary>
    /// Attention each patch receives from the patch queries: the mean over patch rows of the
    /// attention map's patch columns (a heat map of where the model looks), into <paramref name="map"/>.
    /// </summary>
    public void ReceivedAttention(ReadOnlySpan<float> attention, Span<float> map)
    {
        if (attention.Length != Tokens * Tokens) throw new ArgumentException($"attention map must be {Tokens}x{Tokens}, got {attention.Length} values");
        map[..Patches].Clear();
        for (var q = Offset; q < Offset + Patches; q++)
        {
            var row = attention.Slice(q * Tokens + Offset, Patches);
            for (var k = 0; k < Patches; k++) map[k] += row[k];
        }
        var inv = 1f / Patches;
        for (var k = 0; k < Patches; k++) map[k] *= inv;
    }
}
