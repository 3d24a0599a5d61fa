namespace OpenBao.Csi.Provider.RotationEvents;

/// <summary>One pod's mount of one SecretProviderClass: the unit the driver polls for rotation.</summary>
internal readonly record struct RotationKey(string Namespace, string Pod, string PodUid, string SecretProviderClass);
