using System.Collections.Concurrent;
using Vigil.Models.Batching;

namespace Vigil.Models.Tests.Batching;

/// <summary>
/// A batch handler for tests: records every batch, answers request × 10, can hold batches until
/// released (a busy model), and fails any batch containing a value listed in <see cref="Poison"/>.
/// </summary>
internal sealed class RecordingHandler
{
    private readonly SemaphoreSlim _started = new(0);
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _concurrent;

    public RecordingHandler(bool holdBatches = false) { if (!holdBatches) _gate.SetResult(); }

    public ConcurrentQueue<int[]> Batches { get; } = new();
    public HashSet<int> Poison { get; } = new();
    public int MaxConcurrent;

    public BatchHandler<int, int> Handler => async (batch, _) =>
    {
        var now = Interlocked.Increment(ref _concurrent);
        InterlockedMax(ref MaxConcurrent, now);
        Batches.Enqueue(batch.ToArray());
        _started.Release();
        await _gate.Task;
        Interlocked.Decrement(ref _concurrent);
        if (batch.Any(Poison.Contains)) throw new InvalidDataException($"poisoned input in [{string.Join(",", batch)}]");
        return batch.Select(x => x * 10).ToArray();
    };

    /// <summary>Waits until <paramref name="count"/> more batches have started.</summary>
    public async Task WaitForBatchesAsync(int count = 1)
    {
        for (var i = 0; i < count; i++)
            Assert.True(await _started.WaitAsync(TimeSpan.FromSeconds(30)), "a batch never started");
    }

    /// <summary>Lets held batches (and all later ones) finish.</summary>
    public void Release() => _gate.TrySetResult();

    /// <summary>Holds batches again from now on.</summary>
    public void Hold() => _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
