using System.Buffers;

namespace Vigil.Streams;

/// <summary>
/// A large payload (a video frame, a tensor) in a pooled buffer with one owner at a time.
/// Ownership moves with the element through the graph: whoever holds the frame last disposes
/// it, which returns the buffer (and this object) to its <see cref="FramePool{T}"/>, so a
/// 30 fps 1920×1080 stream reuses a handful of buffers instead of allocating per frame.
/// A disposed frame must not be touched: <see cref="Memory"/> and <see cref="Span"/> then throw.
/// </summary>
public sealed class Frame<T> : IMemoryOwner<T> where T : unmanaged
{
    private readonly FramePool<T> _pool;
    private T[]? _buffer;
    private int _length;

    internal Frame(FramePool<T> pool) => _pool = pool;

    /// <summary>Number of valid elements (the buffer may be longer).</summary>
    public int Length => _length;

    /// <summary>Width in pixels (or first tensor dimension), set by the producer.</summary>
    public int Width { get; set; }

    /// <summary>Height in pixels (or second tensor dimension), set by the producer.</summary>
    public int Height { get; set; }

    /// <summary>When the frame was captured (event time).</summary>
    public DateTimeOffset EventTime { get; set; }

    /// <summary>Sequence number set by the producer (frame index).</summary>
    public long Sequence { get; set; }

    /// <summary>True while owned (not yet disposed).</summary>
    public bool IsOwned => _buffer is not null;

    /// <inheritdoc />
    public Memory<T> Memory => new(Buffer, 0, _length);

    /// <summary>The frame's elements.</summary>
    public Span<T> Span => new(Buffer, 0, _length);

    private T[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(Frame<T>), "The frame was disposed and returned to its pool.");

    internal void Attach(T[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    /// <summary>Returns the buffer and this frame to the pool (idempotent).</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is null) return;
        _length = 0;
        _pool.Return(this, buffer);
    }
}

/// <summary>
/// Rents <see cref="Frame{T}"/>s backed by an <see cref="ArrayPool{T}"/> and reuses the frame
/// objects, so steady-state streaming of large payloads allocates nothing per frame.
/// Counters let tests and metrics check that every rented frame came back.
/// </summary>
public sealed class FramePool<T> where T : unmanaged
{
    private readonly ArrayPool<T> _arrays;
    private readonly System.Collections.Concurrent.ConcurrentBag<Frame<T>> _frames = new();
    private long _rented;
    private long _returned;
    private long _framesCreated;

    /// <summary>Creates a pool; by default its own array pool holding up to <paramref name="maxBuffersPerSize"/> buffers per size class.</summary>
    public FramePool(int maxBuffersPerSize = 32, int maxLength = 64 * 1024 * 1024) =>
        _arrays = ArrayPool<T>.Create(maxLength, maxBuffersPerSize);

    /// <summary>Frames rented so far.</summary>
    public long Rented => Interlocked.Read(ref _rented);

    /// <summary>Frames returned so far.</summary>
    public long Returned => Interlocked.Read(ref _returned);

    /// <summary>Frames rented and not yet returned.</summary>
    public long Outstanding => Rented - Returned;

    /// <summary>Frame objects created (stays flat in steady state).</summary>
    public long FramesCreated => Interlocked.Read(ref _framesCreated);

    /// <summary>Rents a frame of <paramref name="length"/> elements (contents are not cleared).</summary>
    public Frame<T> Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (!_frames.TryTake(out var frame))
        {
            frame = new Frame<T>(this);
            Interlocked.Increment(ref _framesCreated);
        }
        frame.Attach(_arrays.Rent(length), length);
        frame.Width = frame.Height = 0;
        frame.EventTime = default;
        frame.Sequence = 0;
        Interlocked.Increment(ref _rented);
        return frame;
    }

    internal void Return(Frame<T> frame, T[] buffer)
    {
        _arrays.Return(buffer);
        Interlocked.Increment(ref _returned);
        _frames.Add(frame);
    }
}
