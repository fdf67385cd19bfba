namespace Vigil.Ppg.Pipeline;

/// <summary>
/// Raw-sample statistics per hop-long block (a window is a whole number of blocks), kept for
/// the last window's blocks only: per PPG channel the extreme values and how often they occur
/// (clipping shows as many samples pinned at one extreme), plus sample and invalid-sample counts.
/// Fixed size, so the quality checks need no raw-sample history.
/// </summary>
internal sealed class BlockStatistics
{
    private readonly int _slots;
    private readonly int _channels;
    private readonly long[] _block;
    private readonly int[] _samples;
    private readonly int[] _invalid;
    private readonly float[] _min, _max;
    private readonly int[] _atMin, _atMax;

    public BlockStatistics(int blocksPerWindow, int ppgChannels)
    {
        _slots = blocksPerWindow + 2;
        _channels = ppgChannels;
        _block = new long[_slots];
        Array.Fill(_block, -1);
        _samples = new int[_slots];
        _invalid = new int[_slots];
        _min = new float[_slots * ppgChannels];
        _max = new float[_slots * ppgChannels];
        _atMin = new int[_slots * ppgChannels];
        _atMax = new int[_slots * ppgChannels];
    }

    public int StateBytes => _slots * (8 + 4 + 4 + _channels * 16) + 64;

    private int Slot(long block)
    {
        var slot = (int)(block % _slots);
        if (_block[slot] != block)
        {
            _block[slot] = block;
            _samples[slot] = 0;
            _invalid[slot] = 0;
            for (var c = 0; c < _channels; c++)
            {
                _min[slot * _channels + c] = float.PositiveInfinity;
                _max[slot * _channels + c] = float.NegativeInfinity;
                _atMin[slot * _channels + c] = 0;
                _atMax[slot * _channels + c] = 0;
            }
        }
        return slot;
    }

    public void AddInvalid(long block) => _invalid[Slot(block)]++;

    public void Add(long block, ReadOnlySpan<float> ppg)
    {
        var slot = Slot(block);
        _samples[slot]++;
        for (var c = 0; c < _channels; c++)
        {
            var i = slot * _channels + c;
            var v = ppg[c];
            if (v < _min[i]) { _min[i] = v; _atMin[i] = 1; } else if (v == _min[i]) _atMin[i]++;
            if (v > _max[i]) { _max[i] = v; _atMax[i] = 1; } else if (v == _max[i]) _atMax[i]++;
        }
    }

    /// <summary>Quality facts about the window made of blocks [first, first + count).</summary>
    public WindowFacts Summarise(long first, int count, Span<bool> flat, Span<bool> clipped)
    {
        int samples = 0, invalid = 0;
        var missing = false;
        for (var b = first; b < first + count; b++)
        {
            var slot = (int)(b % _slots);
            if (_block[slot] != b || _samples[slot] == 0) { missing = true; continue; }
            samples += _samples[slot];
            invalid += _invalid[slot];
        }
        for (var c = 0; c < _channels; c++)
        {
            float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
            for (var b = first; b < first + count; b++)
            {
                var slot = (int)(b % _slots);
                if (_block[slot] != b || _samples[slot] == 0) continue;
                lo = Math.Min(lo, _min[slot * _channels + c]);
                hi = Math.Max(hi, _max[slot * _channels + c]);
            }
            int nLo = 0, nHi = 0;
            for (var b = first; b < first + count; b++)
            {
                var slot = (int)(b % _slots);
                if (_block[slot] != b || _samples[slot] == 0) continue;
                if (_min[slot * _channels + c] == lo) nLo += _atMin[slot * _channels + c];
                if (_max[slot * _channels + c] == hi) nHi += _atMax[slot * _channels + c];
            }
            var scale = Math.Max(1.0, Math.Max(Math.Abs((double)lo), Math.Abs((double)hi)));
            flat[c] = samples == 0 || !(hi - lo > 1e-7 * scale);
            // A rail: at least 3% of the window's samples (and at least 4) pinned at one extreme value.
            var pinned = Math.Max(4, 0.03 * samples);
            clipped[c] = !flat[c] && (nLo >= pinned || nHi >= pinned);
        }
        return new WindowFacts(samples, invalid, missing);
    }
}

/// <summary>Sample counts of one window.</summary>
internal readonly record struct WindowFacts(int Samples, int Invalid, bool MissingBlock);
