using OpenBao.Emulator.Internal.Namespaces;
using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal.Http;

/// <summary>A request after namespace resolution and authentication, as a backend sees it.</summary>
internal sealed class ApiRequest(Operation operation, string path, NamespaceEntry ns, RequestFields fields, TokenEntry? token)
{
    public Operation Operation { get; } = operation;

    /// <summary>Path relative to the namespace, e.g. <c>secret/data/app</c>.</summary>
    public string Path { get; } = path;

    public NamespaceEntry Namespace { get; } = ns;

    public RequestFields Fields { get; } = fields;

    /// <summary>The caller's token; null only on unauthenticated login paths.</summary>
    public TokenEntry? Token { get; } = token;
}
