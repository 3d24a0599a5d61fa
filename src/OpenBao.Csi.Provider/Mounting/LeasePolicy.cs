namespace OpenBao.Csi.Provider.Mounting;

/// <summary>What a rotation poll does with a dynamic secret whose lease still lives.</summary>
internal enum LeasePolicy
{
    /// <summary>Return the same credential while its lease can be kept alive (the default).</summary>
    Reuse,

    /// <summary>Issue a new credential on every poll, as the Go providers do.</summary>
    Reissue,
}
