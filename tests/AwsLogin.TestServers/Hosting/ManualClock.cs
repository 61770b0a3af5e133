using System;
using System.Threading;

namespace AwsLogin.TestServers;

/// <summary>
/// A clock that moves only when told to, for the fakes' TimeProvider properties (expiry, polling intervals).
/// Timers are not faked: code that waits with Task.Delay still waits in real time.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private long _utcTicks;

    public ManualClock(DateTimeOffset start) => _utcTicks = start.UtcTicks;

    /// <summary>A clock starting at the current real time, truncated to whole seconds.</summary>
    public ManualClock()
        : this(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _utcTicks, by.Ticks);
    }

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _utcTicks, now.UtcTicks);
}
