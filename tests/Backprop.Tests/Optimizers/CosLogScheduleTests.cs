using Backprop.Optimizers;

namespace Backprop.Tests.Optimizers;

/// <summary>RealMLP's coslog schedule: its formula, cycles, text form and its use within epochs.</summary>
public class CosLogScheduleTests
{
    [Fact]
    public void Four_cycles_start_and_end_at_zero_and_peak_at_the_base_rate()
    {
        var schedule = new CosLogSchedule();
        Assert.Equal(0, schedule.LearningRateAt(0.0, 100, 0.04), 12);
        Assert.Equal(0, schedule.LearningRateAt(100.0, 100, 0.04), 12);
        // log₂(1 + 15t) = 0.5 at t = (√2 − 1)/15: the first peak.
        Assert.Equal(0.04, schedule.LearningRateAt(100 * (Math.Sqrt(2) - 1) / 15, 100, 0.04), 12);
        // log₂(1 + 15t) = 1 at t = 1/15: back to zero between the first two cycles.
        Assert.Equal(0, schedule.LearningRateAt(100.0 / 15, 100, 0.04), 12);
        // The formula at an arbitrary point.
        double t = 0.3;
        Assert.Equal(0.04 * (1 - Math.Cos(2 * Math.PI * Math.Log2(1 + 15 * t))) / 2, schedule.LearningRateAt(30.0, 100, 0.04), 15);
        Assert.True(schedule.EveryStep);
    }

    [Fact]
    public void Its_text_form_reads_back()
    {
        Assert.Equal(new CosLogSchedule(), LearningRateSchedule.Parse("coslog"));
        Assert.Equal(new CosLogSchedule(2), LearningRateSchedule.Parse("coslog:2"));
        Assert.Equal("coslog:2", new CosLogSchedule(2).ToString());
        Assert.False(LearningRateSchedule.TryParse("coslog:0", out _, out string? error));
        Assert.Contains("cycles", error);
        Assert.False(LearningRateSchedule.TryParse("coslog:1.5", out _, out error));
        Assert.Contains("whole number of cycles", error);
    }
}
