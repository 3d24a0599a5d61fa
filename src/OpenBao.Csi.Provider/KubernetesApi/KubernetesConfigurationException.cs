namespace OpenBao.Csi.Provider.KubernetesApi;

/// <summary>The kubeconfig given with -kubeconfig cannot be used: the provider does not start.</summary>
internal sealed class KubernetesConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
