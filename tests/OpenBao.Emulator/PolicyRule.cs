namespace OpenBao.Emulator;

/// <summary>
/// One <c>path "..." { capabilities = [...] }</c> stanza. <c>*</c> is a glob only as the last
/// character, <c>+</c> stands for exactly one path segment.
/// </summary>
/// <param name="Capabilities">Any of read, create, update, delete, list, patch, sudo, deny.</param>
public sealed record PolicyRule(string Path, params string[] Capabilities);
