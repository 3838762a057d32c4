using Itsm.Domain.Common;

namespace Itsm.IntegrationTests.Support;

/// <summary>A clock the test moves by hand (reopen windows, auto-close).</summary>
public sealed class FakeClock(DateTimeOffset start) : IClock
{
    private DateTimeOffset _now = start;
    public DateTimeOffset UtcNow => _now;
    public void Advance(TimeSpan by) => _now += by;
}
