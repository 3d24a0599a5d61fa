namespace OpenBao.Csi.Provider.Rendering;

/// <summary>The response was read but the object's file cannot be made from it.</summary>
internal sealed class RenderException(string message, bool keyMissing) : Exception(message)
{
    /// <summary>The secretKey is not in the response (NotFound), as opposed to a value that does not decode.</summary>
    public bool KeyMissing { get; } = keyMissing;
}
