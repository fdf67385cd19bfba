namespace Vigil.Models.Training.Adaptation;

// Draws batches of indices without replacement within a pass, reshuffling (seeded) at each new pass,
// so every example is seen equally often however many steps a stage runs.
internal sealed class BatchSampler(int count, int batchSize, Random random)
{
    private readonly long[] _order = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
    // Next unread position in _order; count forces a shuffle on the first call.
    private int _next = count;

    public long[] Next()
    {
        var size = Math.Min(batchSize, _order.Length);
        var batch = new long[size];
        for (var i = 0; i < size; i++)
        {
            if (_next == _order.Length)
            {
                random.Shuffle(_order);
                _next = 0;
            }
            batch[i] = _order[_next++];
        }
        return batch;
    }
}
