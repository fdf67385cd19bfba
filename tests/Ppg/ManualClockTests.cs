using Vigil.Tests.Common;

namespace Vigil.Ppg.Tests;

public sealed class ManualClockTests
{
    [Fact]
    public void Advance_OneShotTimer_FiresOnceAtDueTime()
    {
        var clock = new ManualClock();
        var fired = new List<DateTimeOffset>();
        using var timer = clock.CreateTimer(_ => fired.Add(clock.GetUtcNow()), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        var start = clock.GetUtcNow();

        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(fired);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { start.AddSeconds(5) }, fired);
        Assert.Equal(start.AddSeconds(14), clock.GetUtcNow());
    }

    [Fact]
    public void Advance_PeriodicTimer_FiresOncePerPeriodCrossed()
    {
        var clock = new ManualClock();
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(3.5));
        Assert.Equal(3, count);
    }

    [Fact]
    public void Advance_DisposedTimer_DoesNotFire()
    {
        var clock = new ManualClock();
        var fired = false;
        var timer = clock.CreateTimer(_ => fired = true, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.False(fired);
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    [Fact]
    public async Task Delay_OnManualClock_CompletesOnlyAfterAdvance()
    {
        var clock = new ManualClock();
        var delay = Task.Delay(TimeSpan.FromMinutes(1), clock);
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public void GetElapsedTime_UsesVirtualTimestamps()
    {
        var clock = new ManualClock();
        var t0 = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromMilliseconds(250));
        Assert.Equal(TimeSpan.FromMilliseconds(250), clock.GetElapsedTime(t0));
    }
}
