namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>OpenBao could not be reached or did not answer in time: nothing was read.</summary>
internal sealed class OpenBaoUnavailableException(string message, Exception? inner = null) : OpenBaoCallException(message, inner)
{
    /// <summary>The request timeout ran out, as opposed to a refused or broken connection.</summary>
    public bool TimedOut { get; init; }
}
