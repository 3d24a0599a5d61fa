namespace OpenBao.Csi.Provider.Demo;

/// <summary>OpenBao requests counted at the emulator over a run of rotation polls, and the leases alive at its end.</summary>
internal readonly record struct RotationCounts(int Logins, int Reads, int NewLeases, int Renewals, int Live)
{
    /// <summary>Every request OpenBao handled: a new lease is one of the reads.</summary>
    public int Total => Logins + Reads + Renewals;

    public static RotationCounts operator -(RotationCounts after, RotationCounts before) =>
        new(after.Logins - before.Logins, after.Reads - before.Reads, after.NewLeases - before.NewLeases, after.Renewals - before.Renewals, after.Live);
}
