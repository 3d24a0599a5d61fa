namespace OpenBao.Csi.Provider.Mounting;

/// <summary>The MountRequest or its SecretProviderClass is wrong. Lists every problem found, not just the first.</summary>
internal sealed class InvalidMountRequestException(IReadOnlyList<string> problems)
    : Exception(problems.Count == 1 ? problems[0] : $"{problems.Count} problems: {string.Join("; ", problems)}")
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
