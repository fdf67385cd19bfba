namespace Vigil.Video.Sources;

/// <summary>How many elements a <see cref="DropOldestStage{T}"/> dropped so far (thread-safe to read).</summary>
public sealed class DropCounter
{
    private long _dropped;

    /// <summary>Elements dropped because downstream was slower than the source.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    internal void Increment() => Interlocked.Increment(ref _dropped);
}
