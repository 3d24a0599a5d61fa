namespace OpenBao.Csi.Provider.Shell;

internal enum MountChangeKind
{
    Rotated,
    Appeared,
    Disappeared,
}
