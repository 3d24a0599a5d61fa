namespace Kubernetes.Emulator.Tests;

/// <summary>A clock that stands still, so timestamps can be asserted exactly.</summary>
internal sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
