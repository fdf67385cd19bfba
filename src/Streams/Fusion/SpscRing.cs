using System.Runtime.InteropServices;

namespace Vigil.Streams.Fusion;

/// <summary>
/// A bounded single-producer/single-consumer ring, the buffer behind every async boundary.
/// Reads and writes are lock-free; a side only allocates (one waiter) when it has to park.
/// Wake-ups are batched: each side checks the other's waiter cheaply per element and with a
/// full fence only at the end of a batch or before parking, so progress never depends on the
/// cheap check.
/// </summary>
internal sealed class SpscRing<T>
{
    private readonly T[] _items;
    private readonly int _mask;
    private RingIndices _indices;
    private TaskCompletionSource<bool>? _readerWaiter;
    private TaskCompletionSource<bool>? _writerWaiter;
    private volatile bool _completed;
    private volatile bool _readerCancelled;
    private Exception? _error;
    private readonly CancellationToken _cancellation;

    /// <param name="capacity">Elements the ring holds.</param>
    /// <param name="cancellationToken">The graph's token: cancels parked waits (registered once, not per wait).</param>
    public SpscRing(int capacity, CancellationToken cancellationToken = default)
    {
        _cancellation = cancellationToken;
        if (cancellationToken.CanBeCanceled)
            cancellationToken.UnsafeRegister(static s => ((SpscRing<T>)s!).CancelWaiters(), this);
        var size = 1;
        while (size < capacity) size <<= 1;
        _items = new T[size];
        _mask = size - 1;
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count => (int)(Volatile.Read(ref _indices.Tail) - Volatile.Read(ref _indices.Head));

    public bool IsReaderCancelled => _readerCancelled;

    // ---- producer side ----

    /// <summary>Adds an item; false when the ring is full or the reader cancelled (it would never be read).</summary>
    public bool TryWrite(T item)
    {
        if (_readerCancelled) return false;
        var tail = _indices.Tail;
        if (tail - Volatile.Read(ref _indices.Head) >= Capacity) return false;
        _items[tail & _mask] = item;
        Volatile.Write(ref _indices.Tail, tail + 1);
        // Wake a parked reader once there is a worthwhile batch; FlushWrites covers the rest.
        if (_readerWaiter is not null && tail + 1 - Volatile.Read(ref _indices.Head) >= (Capacity + 1) / 2) WakeReader();
        return true;
    }

    /// <summary>Makes written items visible to a parked reader (call at the end of a batch).</summary>
    public void FlushWrites()
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _readerWaiter) is not null) WakeReader();
    }

    /// <summary>True when there is space; false when the reader cancelled.</summary>
    public ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken)
    {
        if (_readerCancelled) return new(false);
        if (_indices.Tail - Volatile.Read(ref _indices.Head) < Capacity) return new(true);
        var waiter = new TaskCompletionSource<bool>();
        Interlocked.Exchange(ref _writerWaiter, waiter);
        if (_readerCancelled || _indices.Tail - Volatile.Read(ref _indices.Head) < Capacity)
        {
            Interlocked.CompareExchange(ref _writerWaiter, null, waiter);
            return new(!_readerCancelled);
        }
        if (_cancellation.IsCancellationRequested || cancellationToken.IsCancellationRequested) CancelWaiters();
        return new(waiter.Task);
    }

    public void Complete(Exception? error = null)
    {
        _error = error;
        _completed = true;
        FlushWrites();
    }

    // ---- consumer side ----

    public bool TryRead(out T item)
    {
        var head = _indices.Head;
        if (head == Volatile.Read(ref _indices.Tail)) { item = default!; return false; }
        var index = head & _mask;
        item = _items[index];
        _items[index] = default!;
        Volatile.Write(ref _indices.Head, head + 1);
        // Wake a parked writer once half the ring is free; WaitToReadAsync covers the rest.
        if (_writerWaiter is not null && Volatile.Read(ref _indices.Tail) - (head + 1) <= Capacity / 2) WakeWriter();
        return true;
    }

    /// <summary>True when an item may be read; false when completed and drained; throws the producer's error.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _writerWaiter) is not null) WakeWriter();
        if (HasItems) return new(true);
        if (_completed) return Finished();
        var waiter = new TaskCompletionSource<bool>();
        Interlocked.Exchange(ref _readerWaiter, waiter);
        if (HasItems || _completed)
        {
            Interlocked.CompareExchange(ref _readerWaiter, null, waiter);
            return HasItems ? new(true) : Finished();
        }
        if (_cancellation.IsCancellationRequested || cancellationToken.IsCancellationRequested) CancelWaiters();
        return new(waiter.Task);
    }

    /// <summary>The reader wants nothing more: a parked or future writer gets false.</summary>
    public void CancelReader()
    {
        _readerCancelled = true;
        Interlocked.MemoryBarrier();
        WakeWriter();
    }

    private bool HasItems => _indices.Head != Volatile.Read(ref _indices.Tail);

    private ValueTask<bool> Finished()
    {
        if (HasItems) return new(true);
        return _error is { } e ? ValueTask.FromException<bool>(e) : new(false);
    }

    private void CancelWaiters()
    {
        Interlocked.Exchange(ref _readerWaiter, null)?.TrySetCanceled(_cancellation);
        Interlocked.Exchange(ref _writerWaiter, null)?.TrySetCanceled(_cancellation);
    }

    private void WakeReader() => Signal.Set(Interlocked.Exchange(ref _readerWaiter, null));

    private void WakeWriter() => Signal.Set(Interlocked.Exchange(ref _writerWaiter, null));
}

/// <summary>Head and tail of a ring on separate cache lines so producer and consumer do not false-share.</summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct RingIndices
{
    [FieldOffset(64)] public long Head;
    [FieldOffset(128)] public long Tail;
}
