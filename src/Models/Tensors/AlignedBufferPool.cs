using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vigil.Models.Tensors;

/// <summary>
/// A pool of buffers on the pinned object heap whose data starts on a 64-byte boundary. Plain
/// .NET arrays start 8 bytes off a 16-byte boundary, which costs native SIMD kernels (ONNX
/// Runtime's convolutions) about 2% on unaligned loads; pinned buffers also need no GCHandle when
/// handed to native code. Buckets hold power-of-two capacities; each keeps a bounded number of
/// free buffers, so a burst of large tensors does not pin memory forever.
/// </summary>
internal static class AlignedBufferPool<T> where T : unmanaged
{
    public const int Alignment = 64;
    private const int MaxPerBucket = 32;
    private static readonly int Pad = Alignment / Unsafe.SizeOf<T>();
    private static readonly ConcurrentQueue<T[]>[] Buckets = CreateBuckets();

    /// <summary>A buffer of at least <paramref name="length"/> elements and the element offset where the aligned data starts.</summary>
    public static (T[] Array, int Offset) Rent(int length)
    {
        var bucket = BucketOf(length);
        if (!Buckets[bucket].TryDequeue(out var array))
            array = GC.AllocateUninitializedArray<T>((1 << bucket) + Pad, pinned: true);
        return (array, OffsetOf(array));
    }

    /// <summary>Gives a buffer back (dropped when its bucket is full).</summary>
    public static void Return(T[] array)
    {
        var capacity = array.Length - Pad;
        if (capacity <= 0 || !BitOperations.IsPow2(capacity)) return;
        var queue = Buckets[BitOperations.Log2((uint)capacity)];
        if (queue.Count < MaxPerBucket) queue.Enqueue(array);
    }

    /// <summary>Address of the first aligned element of a pooled (pinned) array.</summary>
    public static unsafe void* Pointer(T[] array, int offset) =>
        Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), offset));

    private static unsafe int OffsetOf(T[] array)
    {
        var address = (nuint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        var misalignment = (int)(address % Alignment);
        return misalignment == 0 ? 0 : (Alignment - misalignment) / Unsafe.SizeOf<T>();
    }

    private static int BucketOf(int length) => length <= 16 ? 4 : BitOperations.Log2((uint)(length - 1)) + 1;

    private static ConcurrentQueue<T[]>[] CreateBuckets()
    {
        var buckets = new ConcurrentQueue<T[]>[32];
        for (var i = 0; i < buckets.Length; i++) buckets[i] = new ConcurrentQueue<T[]>();
        return buckets;
    }
}
