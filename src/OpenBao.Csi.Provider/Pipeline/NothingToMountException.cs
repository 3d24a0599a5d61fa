using OpenBao.Csi.Provider.Mounting;

namespace OpenBao.Csi.Provider.Pipeline;

/// <summary>
/// Every object expanded to nothing (empty folders, no live versions). The driver would refuse the answer
/// with a bare "missing object versions"; this names what is empty.
/// </summary>
internal sealed class NothingToMountException(IEnumerable<SecretObject> objects) : Exception(
    "no files to write: " + string.Join("; ", objects.Where(o => o.Expands).Select(o => o.Folder
        ? $"object '{o.ObjectName}': folder {o.SecretPath} holds no secrets"
        : $"object '{o.ObjectName}': {o.SecretPath} has no live versions")));
