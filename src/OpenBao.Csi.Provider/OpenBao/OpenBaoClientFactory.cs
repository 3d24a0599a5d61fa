using Microsoft.Extensions.Logging;
using OpenBao.Csi.Provider.Metrics;

namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>
/// Hands out clients that share one pooled handler per distinct TLS configuration, so every pod
/// talking to the same OpenBao reuses warm connections instead of opening its own. SecretProviderClasses
/// choose the TLS settings, so the handlers are kept in a bounded least-recently-used set.
/// </summary>
internal sealed class OpenBaoClientFactory(
    OpenBaoClientSettings settings,
    TimeProvider time,
    ILogger<OpenBaoClientFactory> logger,
    ProviderMetrics metrics,
    int capacity = OpenBaoClientFactory.DefaultCapacity) : IDisposable
{
    public const int DefaultCapacity = 64;

    private readonly Lock _gate = new();
    private readonly Dictionary<(OpenBaoTlsSettings Tls, string? UnixSocket), LinkedListNode<PooledHandler>> _handlers = [];
    private readonly LinkedList<PooledHandler> _recency = [];
    private PooledHandler? _last;

    /// <summary>Pooled handlers, one per distinct TLS configuration and socket.</summary>
    public int HandlerCount
    {
        get
        {
            lock (_gate)
            {
                return _handlers.Count;
            }
        }
    }

    /// <summary>Throws <see cref="OpenBaoTlsException"/> when the TLS files cannot be loaded; a later call tries again.</summary>
    public OpenBaoClient Create(OpenBaoConnection connection)
    {
        var key = (connection.Tls, connection.UnixSocketPath);
        // Nearly every mount uses the provider's own TLS settings, the very same object: the handler used last is
        // then the one wanted, and already the most recent, without hashing every setting under the lock.
        if (Volatile.Read(ref _last) is { } last && ReferenceEquals(last.Tls, connection.Tls) && last.UnixSocket == connection.UnixSocketPath)
        {
            return new OpenBaoClient(last.CurrentInvoker(), connection, settings, metrics, time);
        }

        PooledHandler handler;
        lock (_gate)
        {
            if (_handlers.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                handler = node.Value;
            }
            else
            {
                handler = new PooledHandler(connection.Tls, connection.UnixSocketPath, settings.RequestTimeout, time, logger);
                _handlers[key] = _recency.AddFirst(handler);
                if (_handlers.Count > capacity)
                {
                    var oldest = _recency.Last!;
                    _recency.RemoveLast();
                    _handlers.Remove((oldest.Value.Tls, oldest.Value.UnixSocket));
                    oldest.Value.Retire();
                }
            }

            Volatile.Write(ref _last, handler);
        }

        return new OpenBaoClient(handler.CurrentInvoker(), connection, settings, metrics, time);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var handler in _recency)
            {
                handler.Dispose();
            }

            _handlers.Clear();
            _recency.Clear();
        }
    }
}
