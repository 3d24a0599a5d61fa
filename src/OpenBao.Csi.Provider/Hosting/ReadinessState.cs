namespace OpenBao.Csi.Provider.Hosting;

/// <summary>Ready only while the socket is serving: from after it is bound and chmod-ed until shutdown begins.</summary>
internal sealed class ReadinessState
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void Set(bool ready) => _ready = ready;
}
